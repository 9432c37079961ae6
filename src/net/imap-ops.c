/*
 * net/imap-ops.c: the IMAP commands the sync engine needs, on a session
 * net/imap.c opened and logged in.
 *
 * Bodies are fetched with libetpan's message handler, so each message is
 * handed to the caller as soon as it is parsed and freed at once: memory
 * holds one message, not a chunk.  libetpan only calls the handler when a
 * progress callback is set too, hence imap_progress().
 *
 * Folder names cross this boundary as UTF-8 with '/' between levels; the
 * server's delimiter and modified UTF-7 stay in here.
 */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "net/net.h"
#include "net/private.h"

/* UIDs per FETCH command for bodies, and per STORE/MOVE. */
#define IMAP_BODY_CHUNK		250
#define IMAP_SET_CHUNK		1000
/* Keywords kept per message; more are dropped (a hostile server). */
#define IMAP_MAX_KEYWORDS	64

void
net_uids_add(struct net_uids *u, uint32_t uid)
{
	if (u->n == u->size) {
		u->size = u->size == 0 ? 64 : u->size * 2;
		u->v = xreallocarray(u->v, u->size, sizeof *u->v);
	}
	u->v[u->n++] = uid;
}

int
net_uid_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

int
net_imap_usable(const struct net_imap *s)
{
	return (s->imap != NULL && !s->broken);
}

void
net_uids_free(struct net_uids *u)
{
	free(u->v);
	memset(u, 0, sizeof *u);
}

static int
imap_fail(struct net_imap *s, int r, const char *what, char **cause)
{
	if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_PARSE ||
	    r == MAILIMAP_ERROR_FATAL || r == MAILIMAP_ERROR_BAD_STATE)
		s->broken = 1;
	imap_error(s, r, what, cause);
	return (-1);
}

/*
 * Names: "Lists/satchel" <-> "Lists.satchel" in modified UTF-7 when the
 * server's delimiter is '.'.  A level holding a '/' of its own cannot be
 * told apart on the way back; such folders are listed with '/' replaced by
 * '_' and round-trip to a name the server does not have (it answers NO).
 */
static char *
imap_name_from_server(const char *raw, char delim)
{
	char		*copy, *p, *level, *dec;
	struct buf	 b;

	if ((dec = utf7_decode(raw)) == NULL)
		dec = xstrdup(raw);	/* not valid mUTF-7: keep the bytes */
	if (delim == '/' || delim == '\0')
		return (dec);
	buf_init(&b);
	copy = dec;
	while ((level = strsep(&copy, (char[]){ delim, '\0' })) != NULL) {
		for (p = level; *p != '\0'; p++) {
			if (*p == '/')
				*p = '_';
		}
		if (b.len != 0)
			buf_addch(&b, '/');
		buf_addstr(&b, level);
	}
	free(dec);
	return (buf_detach(&b, NULL));
}

static char *
imap_name_to_server(const struct net_imap *s, const char *name)
{
	char	*enc, *p;

	enc = utf7_encode(name);
	if (s->delim != '/' && s->delim != '\0') {
		for (p = enc; *p != '\0'; p++) {
			if (*p == '/')
				*p = s->delim;
		}
	}
	return (enc);
}

/* The RFC 6154 special use of a LIST entry, from its attributes. */
static enum net_folder_use
imap_folder_use(const char *flag)
{
	static const struct {
		const char		*name;
		enum net_folder_use	 use;
	} uses[] = {
		{ "Archive", NET_USE_ARCHIVE }, { "Drafts", NET_USE_DRAFTS },
		{ "Junk", NET_USE_JUNK }, { "Sent", NET_USE_SENT },
		{ "Trash", NET_USE_TRASH }, { "All", NET_USE_ALL },
	};
	size_t	 i;

	for (i = 0; i < sizeof uses / sizeof uses[0]; i++) {
		if (strcasecmp(flag, uses[i].name) == 0)
			return (uses[i].use);
	}
	return (NET_USE_NONE);
}

static int
imap_folder_cmp(const void *a, const void *b)
{
	const struct net_folder	*fa = a, *fb = b;

	/* INBOX first: it is the folder the user waits for. */
	if (strcmp(fa->name, "INBOX") == 0)
		return (-1);
	if (strcmp(fb->name, "INBOX") == 0)
		return (1);
	return (strcmp(fa->name, fb->name));
}

int
net_imap_list(struct net_imap *s, struct net_folder **out, size_t *n,
    char **cause)
{
	clist				*list = NULL;
	clistiter			*it, *fit;
	struct mailimap_mailbox_list	*mb;
	struct mailimap_mbx_list_oflag	*of;
	struct net_folder		*v = NULL, *f;
	size_t				 count = 0;
	int				 r;

	*out = NULL;
	*n = 0;
	r = mailimap_list(s->imap, "", "*", &list);
	if (r != MAILIMAP_NO_ERROR)
		return (imap_fail(s, r, "LIST", cause));
	for (it = clist_begin(list); it != NULL; it = clist_next(it)) {
		mb = clist_content(it);
		if (mb->mb_name == NULL)
			continue;
		if (mb->mb_delimiter != '\0')
			s->delim = mb->mb_delimiter;
		v = xreallocarray(v, count + 1, sizeof *v);
		f = &v[count++];
		memset(f, 0, sizeof *f);
		f->name = imap_name_from_server(mb->mb_name, mb->mb_delimiter);
		if (strcasecmp(f->name, "INBOX") == 0) {
			free(f->name);
			f->name = xstrdup("INBOX");
		}
		if (mb->mb_flag == NULL)
			continue;
		if (mb->mb_flag->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG &&
		    mb->mb_flag->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
			f->noselect = 1;
		for (fit = clist_begin(mb->mb_flag->mbf_oflags); fit != NULL;
		    fit = clist_next(fit)) {
			of = clist_content(fit);
			if (of->of_type != MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT ||
			    of->of_flag_ext == NULL)
				continue;
			if (strcasecmp(of->of_flag_ext, "NonExistent") == 0)
				f->noselect = 1;
			else if (f->use == NET_USE_NONE)
				f->use = imap_folder_use(of->of_flag_ext);
		}
	}
	mailimap_list_result_free(list);
	if (count > 1)
		qsort(v, count, sizeof *v, imap_folder_cmp);
	*out = v;
	*n = count;
	return (0);
}

void
net_folders_free(struct net_folder *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

static int
imap_enable_qresync(struct net_imap *s, char **cause)
{
	struct mailimap_capability_data	*want, *got = NULL;
	struct mailimap_capability	*cap;
	clist				*list;
	int				 r;

	if ((list = clist_new()) == NULL ||
	    (cap = mailimap_capability_new(MAILIMAP_CAPABILITY_NAME, NULL,
	    xstrdup("QRESYNC"))) == NULL || clist_append(list, cap) != 0 ||
	    (want = mailimap_capability_data_new(list)) == NULL)
		fatalx("out of memory");
	r = mailimap_enable(s->imap, want, &got);
	mailimap_capability_data_free(want);
	if (got != NULL)
		mailimap_capability_data_free(got);
	if (r != MAILIMAP_NO_ERROR) {
		if (net_imap_usable(s) && r != MAILIMAP_ERROR_STREAM &&
		    r != MAILIMAP_ERROR_PARSE) {
			/* Refused: do without it. */
			s->caps &= ~NET_IMAP_QRESYNC;
			return (0);
		}
		return (imap_fail(s, r, "ENABLE", cause));
	}
	return (0);
}

int
net_imap_select(struct net_imap *s, const char *name,
    struct net_mailbox *mb, char **cause)
{
	struct mailimap_selection_info	*si;
	struct mailimap_flag_perm	*fp;
	clistiter			*it;
	char				*raw;
	uint64_t			 modseq = 0;
	int				 r;

	memset(mb, 0, sizeof *mb);
	if ((s->caps & NET_IMAP_QRESYNC) && !s->enabled) {
		/* QRESYNC fetches are only accepted once enabled, and ENABLE
		 * belongs before the first SELECT. */
		if (imap_enable_qresync(s, cause) != 0)
			return (-1);
		s->enabled = 1;
	}
	raw = imap_name_to_server(s, name);
	if (s->caps & NET_IMAP_CONDSTORE)
		r = mailimap_select_condstore(s->imap, raw, &modseq);
	else
		r = mailimap_select(s->imap, raw);
	free(raw);
	free(s->selected);
	s->selected = NULL;
	if (r != MAILIMAP_NO_ERROR)
		return (imap_fail(s, r, "SELECT", cause));
	s->selected = xstrdup(name);
	si = s->imap->imap_selection_info;
	mb->uidvalidity = si->sel_uidvalidity;
	mb->uidnext = si->sel_uidnext;
	mb->exists = si->sel_exists;
	mb->highestmodseq = modseq;
	if (si->sel_perm_flags != NULL) {
		for (it = clist_begin(si->sel_perm_flags); it != NULL;
		    it = clist_next(it)) {
			fp = clist_content(it);
			if (fp->fl_type == MAILIMAP_FLAG_PERM_ALL)
				mb->keywords = 1;
		}
	}
	return (0);
}

/* IMAP's system flags, both ways. */
static const struct {
	int	 imap;		/* MAILIMAP_FLAG_* */
	int	 net;		/* enum net_flags */
} imap_flags[] = {
	{ MAILIMAP_FLAG_SEEN, NET_FLAG_SEEN },
	{ MAILIMAP_FLAG_FLAGGED, NET_FLAG_FLAGGED },
	{ MAILIMAP_FLAG_ANSWERED, NET_FLAG_ANSWERED },
	{ MAILIMAP_FLAG_DRAFT, NET_FLAG_DRAFT },
	{ MAILIMAP_FLAG_DELETED, NET_FLAG_DELETED },
};
#define IMAP_NFLAGS	(sizeof imap_flags / sizeof imap_flags[0])

/* Adds one fetched flag to m: a system flag, or a keyword (allocated). */
static void
imap_msg_flag(struct net_msg *m, const struct mailimap_flag *fl, size_t *nk)
{
	size_t	 i;

	if (fl->fl_type == MAILIMAP_FLAG_KEYWORD) {
		if (*nk == IMAP_MAX_KEYWORDS || fl->fl_data.fl_keyword == NULL)
			return;
		m->keywords = xreallocarray(m->keywords, *nk + 2,
		    sizeof *m->keywords);
		m->keywords[(*nk)++] = xstrdup(fl->fl_data.fl_keyword);
		m->keywords[*nk] = NULL;
		return;
	}
	for (i = 0; i < IMAP_NFLAGS; i++) {
		if (fl->fl_type == imap_flags[i].imap)
			m->flags |= imap_flags[i].net;
	}
}

/* Fills m from one FETCH response; keywords are allocated. */
static void
imap_msg_from_att(struct mailimap_msg_att *att, struct net_msg *m)
{
	struct mailimap_msg_att_item		*item;
	struct mailimap_msg_att_static		*st;
	struct mailimap_flag_fetch		*ff;
	struct mailimap_extension_data		*ext;
	struct mailimap_condstore_fetch_mod_resp *mod;
	clistiter				*it, *fit;
	size_t					 nk = 0;

	memset(m, 0, sizeof *m);
	for (it = clist_begin(att->att_list); it != NULL; it = clist_next(it)) {
		item = clist_content(it);
		switch (item->att_type) {
		case MAILIMAP_MSG_ATT_ITEM_STATIC:
			st = item->att_data.att_static;
			if (st->att_type == MAILIMAP_MSG_ATT_UID)
				m->uid = st->att_data.att_uid;
			else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
				m->size = st->att_data.att_rfc822_size;
			else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION &&
			    st->att_data.att_body_section->sec_body_part !=
			    NULL) {
				m->data = st->att_data.att_body_section->
				    sec_body_part;
				m->len = st->att_data.att_body_section->
				    sec_length;
			}
			break;
		case MAILIMAP_MSG_ATT_ITEM_DYNAMIC:
			if (item->att_data.att_dyn->att_list == NULL)
				break;
			for (fit = clist_begin(item->att_data.att_dyn->att_list);
			    fit != NULL; fit = clist_next(fit)) {
				ff = clist_content(fit);
				if (ff->fl_type != MAILIMAP_FLAG_FETCH_OTHER ||
				    ff->fl_flag == NULL)
					continue;
				imap_msg_flag(m, ff->fl_flag, &nk);
			}
			break;
		case MAILIMAP_MSG_ATT_ITEM_EXTENSION:
			ext = item->att_data.att_extension_data;
			if (ext != NULL && ext->ext_extension ==
			    &mailimap_extension_condstore &&
			    ext->ext_type == MAILIMAP_CONDSTORE_TYPE_FETCH_DATA) {
				mod = ext->ext_data;
				m->modseq = mod->cs_modseq_value;
			}
			break;
		}
	}
}

static void
imap_msg_release(struct net_msg *m)
{
	size_t	 i;

	if (m->keywords != NULL) {
		for (i = 0; m->keywords[i] != NULL; i++)
			free(m->keywords[i]);
		free(m->keywords);
	}
	free((char *)m->message_id);
	memset(m, 0, sizeof *m);
}

/* The handler's context: the caller's callback and its verdict. */
struct imap_stream_ctx {
	net_msg_cb	 cb;
	void		*arg;
	int		 failed;	/* the callback returned -1 */
	int		 header;	/* Message-ID fetch */
	struct net_uids	*seen;		/* UIDs handed over, may be NULL */
};

/* "Message-ID: <x@y>\r\n" (possibly folded) -> "x@y". */
static char *
imap_header_message_id(const char *p, size_t len)
{
	const char	*end = p + len, *lt, *gt;

	if ((lt = memchr(p, '<', len)) == NULL)
		return (NULL);
	if ((gt = memchr(lt, '>', (size_t)(end - lt))) == NULL)
		return (NULL);
	return (xstrndup(lt + 1, (size_t)(gt - lt - 1)));
}

static void
imap_handler(struct mailimap_msg_att *att, void *arg)
{
	struct imap_stream_ctx	*ctx = arg;
	struct net_msg		 m;

	if (ctx->failed)
		return;
	imap_msg_from_att(att, &m);
	if (m.uid == 0) {
		/* An unsolicited FETCH (a flag change by another client):
		 * not what was asked for; the next sync sees it. */
		imap_msg_release(&m);
		return;
	}
	if (ctx->header && m.data != NULL) {
		m.message_id = imap_header_message_id(m.data, m.len);
		m.data = NULL;
		m.len = 0;
	}
	if (ctx->cb(&m, ctx->arg) != 0)
		ctx->failed = 1;
	else if (ctx->seen != NULL)
		net_uids_add(ctx->seen, m.uid);
	imap_msg_release(&m);
}

static void
imap_progress(size_t current, size_t maximum, void *arg)
{
	(void)current;
	(void)maximum;
	(void)arg;
}

static void
imap_stream_begin(struct net_imap *s, struct imap_stream_ctx *ctx)
{
	mailimap_set_progress_callback(s->imap, imap_progress, imap_progress,
	    NULL);
	mailimap_set_msg_att_handler(s->imap, imap_handler, ctx);
}

static void
imap_stream_end(struct net_imap *s)
{
	mailimap_set_msg_att_handler(s->imap, NULL, NULL);
	mailimap_set_progress_callback(s->imap, NULL, NULL, NULL);
}

/* A set of uids[0..n), runs of consecutive UIDs as ranges. */
static struct mailimap_set *
imap_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set	*set;
	size_t			 i, j;

	set = mailimap_set_new_empty();
	if (set == NULL)
		fatalx("out of memory");
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && uids[j] == uids[j - 1] + 1; j++)
			;
		if (mailimap_set_add_interval(set, uids[i], uids[j - 1]) !=
		    MAILIMAP_NO_ERROR)
			fatalx("out of memory");
	}
	return (set);
}

static struct mailimap_fetch_type *
imap_fetch_type(int modseq)
{
	struct mailimap_fetch_type	*ft;

	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_flags());
	if (modseq)
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_modseq());
	return (ft);
}

/* The UIDs of a VANISHED (EARLIER) answer, appended to out. */
static void
imap_vanished(struct mailimap_qresync_vanished *v, struct net_uids *out)
{
	struct mailimap_set_item	*si;
	clistiter			*it;
	uint32_t			 uid;

	if (v == NULL || v->qr_known_uids == NULL)
		return;
	for (it = clist_begin(v->qr_known_uids->set_list); it != NULL;
	    it = clist_next(it)) {
		si = clist_content(it);
		/* A range up to '*' (0) is malformed here; ignore it. */
		if (si->set_last < si->set_first)
			continue;
		for (uid = si->set_first; ; uid++) {
			net_uids_add(out, uid);
			if (uid == si->set_last)
				break;
		}
	}
}

int
net_imap_fetch_flags(struct net_imap *s, uint32_t lo, uint32_t hi,
    uint64_t changedsince, struct net_uids *vanished, net_msg_cb cb,
    void *arg, char **cause)
{
	struct imap_stream_ctx			 ctx;
	struct mailimap_fetch_type		*ft;
	struct mailimap_set			*set;
	struct mailimap_qresync_vanished	*v = NULL;
	clist					*result = NULL;
	int					 r, modseq;

	modseq = (s->caps & NET_IMAP_CONDSTORE) != 0;
	ft = imap_fetch_type(modseq);
	set = mailimap_set_new_interval(lo, hi);
	memset(&ctx, 0, sizeof ctx);
	ctx.cb = cb;
	ctx.arg = arg;
	imap_stream_begin(s, &ctx);
	if (changedsince != 0 && vanished != NULL &&
	    (s->caps & NET_IMAP_QRESYNC))
		r = mailimap_uid_fetch_qresync(s->imap, set, ft, changedsince,
		    &result, &v);
	else if (changedsince != 0 && modseq)
		r = mailimap_uid_fetch_changedsince(s->imap, set, ft,
		    changedsince, &result);
	else
		r = mailimap_uid_fetch(s->imap, set, ft, &result);
	imap_stream_end(s);
	mailimap_set_free(set);
	mailimap_fetch_type_free(ft);
	if (result != NULL)
		mailimap_fetch_list_free(result);
	if (r == MAILIMAP_NO_ERROR && vanished != NULL)
		imap_vanished(v, vanished);
	if (v != NULL)
		mailimap_qresync_vanished_free(v);
	if (r != MAILIMAP_NO_ERROR)
		return (imap_fail(s, r, "UID FETCH", cause));
	if (ctx.failed) {
		xcause(cause, "stopped");
		return (-1);
	}
	return (0);
}

/* One chunked streaming fetch of uids with att added to UID FLAGS. */
static int
imap_fetch_stream(struct net_imap *s, const uint32_t *uids, size_t n,
    struct mailimap_fetch_att *(*att)(void), int header, net_msg_cb cb,
    void *arg, struct net_uids *seen, char **cause)
{
	struct imap_stream_ctx		 ctx;
	struct mailimap_fetch_type	*ft;
	struct mailimap_set		*set;
	clist				*result;
	size_t				 i, k;
	int				 r;

	memset(&ctx, 0, sizeof ctx);
	ctx.cb = cb;
	ctx.arg = arg;
	ctx.header = header;
	ctx.seen = seen;
	for (i = 0; i < n; i += k) {
		k = n - i < IMAP_BODY_CHUNK ? n - i : IMAP_BODY_CHUNK;
		ft = imap_fetch_type(0);
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_rfc822_size());
		mailimap_fetch_type_new_fetch_att_list_add(ft, att());
		set = imap_set(uids + i, k);
		result = NULL;
		imap_stream_begin(s, &ctx);
		r = mailimap_uid_fetch(s->imap, set, ft, &result);
		imap_stream_end(s);
		mailimap_set_free(set);
		mailimap_fetch_type_free(ft);
		if (result != NULL)
			mailimap_fetch_list_free(result);
		if (r != MAILIMAP_NO_ERROR)
			return (imap_fail(s, r, "UID FETCH", cause));
		if (ctx.failed) {
			xcause(cause, "stopped");
			return (-1);
		}
	}
	return (0);
}

static struct mailimap_fetch_att *
imap_att_body(void)
{
	return (mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new(NULL)));
}

static struct mailimap_fetch_att *
imap_att_message_id(void)
{
	clist	*fields;

	if ((fields = clist_new()) == NULL ||
	    clist_append(fields, xstrdup("MESSAGE-ID")) != 0)
		fatalx("out of memory");
	return (mailimap_fetch_att_new_body_peek_section(
	    mailimap_section_new_header_fields(
	    mailimap_header_list_new(fields))));
}

int
net_imap_fetch_bodies(struct net_imap *s, const uint32_t *uids, size_t n,
    net_msg_cb cb, void *arg, struct net_uids *done, char **cause)
{
	return (imap_fetch_stream(s, uids, n, imap_att_body, 0, cb, arg, done,
	    cause));
}

int
net_imap_fetch_ids(struct net_imap *s, const uint32_t *uids, size_t n,
    net_msg_cb cb, void *arg, char **cause)
{
	return (imap_fetch_stream(s, uids, n, imap_att_message_id, 1, cb, arg,
	    NULL, cause));
}

static struct mailimap_flag_list *
imap_flag_list(int flags, char *const *keywords)
{
	struct mailimap_flag_list	*fl;
	size_t				 i;

	fl = mailimap_flag_list_new_empty();
	for (i = 0; i < IMAP_NFLAGS; i++) {
		if (flags & imap_flags[i].net)
			mailimap_flag_list_add(fl,
			    mailimap_flag_new(imap_flags[i].imap, NULL, NULL));
	}
	for (i = 0; keywords != NULL && keywords[i] != NULL; i++)
		mailimap_flag_list_add(fl,
		    mailimap_flag_new_flag_keyword(xstrdup(keywords[i])));
	return (fl);
}

int
net_imap_store(struct net_imap *s, const uint32_t *uids, size_t n, int add,
    int flags, char *const *keywords, char **cause)
{
	struct mailimap_store_att_flags	*sa;
	struct mailimap_set		*set;
	size_t				 i, k;
	int				 r;

	if (flags == 0 && (keywords == NULL || keywords[0] == NULL))
		return (0);
	for (i = 0; i < n; i += k) {
		k = n - i < IMAP_SET_CHUNK ? n - i : IMAP_SET_CHUNK;
		if (add)
			sa = mailimap_store_att_flags_new_add_flags_silent(
			    imap_flag_list(flags, keywords));
		else
			sa = mailimap_store_att_flags_new_remove_flags_silent(
			    imap_flag_list(flags, keywords));
		set = imap_set(uids + i, k);
		r = mailimap_uid_store(s->imap, set, sa);
		mailimap_set_free(set);
		mailimap_store_att_flags_free(sa);
		if (r != MAILIMAP_NO_ERROR)
			return (imap_fail(s, r, "UID STORE", cause));
	}
	return (0);
}

/* The destination UIDs of a COPYUID answer, in source order. */
static void
imap_copyuid(struct mailimap_set *src, struct mailimap_set *dst,
    const uint32_t *uids, size_t n, struct net_uids *out)
{
	struct net_uids			 a, b;
	struct mailimap_set		*sets[2] = { src, dst };
	struct net_uids			*lists[2] = { &a, &b };
	struct mailimap_set_item	*si;
	clistiter			*it;
	uint32_t			 uid;
	size_t				 i, j;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	for (i = 0; i < 2; i++) {
		if (sets[i] == NULL)
			goto out;
		for (it = clist_begin(sets[i]->set_list); it != NULL;
		    it = clist_next(it)) {
			si = clist_content(it);
			if (si->set_last < si->set_first ||
			    si->set_last - si->set_first > 1000000)
				goto out;
			for (uid = si->set_first; ; uid++) {
				net_uids_add(lists[i], uid);
				if (uid == si->set_last)
					break;
			}
		}
	}
	if (a.n != b.n)
		goto out;
	/* COPYUID pairs the n-th source UID with the n-th destination. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < a.n && a.v[j] != uids[i]; j++)
			;
		net_uids_add(out, j < a.n ? b.v[j] : 0);
	}
out:
	net_uids_free(&a);
	net_uids_free(&b);
}

int
net_imap_move(struct net_imap *s, const uint32_t *uids, size_t n,
    const char *folder, struct net_uids *newuids, char **cause)
{
	struct mailimap_set	*set, *src, *dst;
	char			*raw;
	uint32_t		 validity;
	size_t			 i, k;
	int			 r;

	raw = imap_name_to_server(s, folder);
	for (i = 0; i < n; i += k) {
		k = n - i < IMAP_SET_CHUNK ? n - i : IMAP_SET_CHUNK;
		set = imap_set(uids + i, k);
		src = dst = NULL;
		if (s->caps & NET_IMAP_MOVE) {
			if (s->caps & NET_IMAP_UIDPLUS)
				r = mailimap_uidplus_uid_move(s->imap, set, raw,
				    &validity, &src, &dst);
			else
				r = mailimap_uid_move(s->imap, set, raw);
		} else {
			if (s->caps & NET_IMAP_UIDPLUS)
				r = mailimap_uidplus_uid_copy(s->imap, set, raw,
				    &validity, &src, &dst);
			else
				r = mailimap_uid_copy(s->imap, set, raw);
			if (r == MAILIMAP_NO_ERROR)
				r = net_imap_store(s, uids + i, k, 1,
				    NET_FLAG_DELETED, NULL, cause) == 0 ?
				    MAILIMAP_NO_ERROR : -1;
			if (r == MAILIMAP_NO_ERROR) {
				/* Only these UIDs: never expunge what another
				 * client marked deleted.  Without UIDPLUS
				 * there is no UID EXPUNGE; the messages stay
				 * marked \Deleted until the user expunges. */
				if (s->caps & NET_IMAP_UIDPLUS)
					r = mailimap_uid_expunge(s->imap, set);
			}
		}
		mailimap_set_free(set);
		if (r == MAILIMAP_NO_ERROR && newuids != NULL)
			imap_copyuid(src, dst, uids + i, k, newuids);
		if (src != NULL)
			mailimap_set_free(src);
		if (dst != NULL)
			mailimap_set_free(dst);
		if (r == -1) {
			free(raw);
			return (-1);
		}
		if (r != MAILIMAP_NO_ERROR) {
			free(raw);
			return (imap_fail(s, r, "UID MOVE", cause));
		}
	}
	free(raw);
	return (0);
}

int
net_imap_append(struct net_imap *s, const char *folder, const char *data,
    size_t len, int flags, uint32_t *uid, char **cause)
{
	struct mailimap_flag_list	*fl;
	char				*raw;
	uint32_t			 validity = 0, newuid = 0;
	int				 r;

	raw = imap_name_to_server(s, folder);
	fl = imap_flag_list(flags, NULL);
	if (s->caps & NET_IMAP_UIDPLUS)
		r = mailimap_uidplus_append(s->imap, raw, fl, NULL, data, len,
		    &validity, &newuid);
	else
		r = mailimap_append(s->imap, raw, fl, NULL, data, len);
	mailimap_flag_list_free(fl);
	free(raw);
	if (r != MAILIMAP_NO_ERROR)
		return (imap_fail(s, r, "APPEND", cause));
	if (uid != NULL)
		*uid = newuid;
	return (0);
}

int
net_imap_create(struct net_imap *s, const char *folder, char **cause)
{
	char	*raw;
	int	 r;

	raw = imap_name_to_server(s, folder);
	r = mailimap_create(s->imap, raw);
	free(raw);
	if (r != MAILIMAP_NO_ERROR)
		return (imap_fail(s, r, "CREATE", cause));
	return (0);
}

/*
 * IDLE on the selected folder.  libetpan's own wait cannot take our TLS
 * driver, so poll the socket beside the caller's wake-up fd, but first
 * look in the buffers: decrypted bytes already read are invisible to
 * poll(2).
 */
int
net_imap_idle(struct net_imap *s, int wakefd, int timeout, char **cause)
{
	struct pollfd	 pfd[2];
	int		 r, changed = 0, n;

	if (!(s->caps & NET_IMAP_IDLE)) {
		/* No IDLE: wait, then let the caller look at the folder. */
		pfd[0].fd = wakefd;
		pfd[0].events = POLLIN;
		(void)poll(pfd, wakefd >= 0 ? 1 : 0, timeout * 1000);
		return (0);
	}
	r = mailimap_idle(s->imap);
	if (r != MAILIMAP_NO_ERROR)
		return (imap_fail(s, r, "IDLE", cause));
	if (link_pending(&s->link, s->imap->imap_stream))
		changed = 1;
	else {
		pfd[0].fd = mailimap_idle_get_fd(s->imap);
		pfd[0].events = POLLIN;
		pfd[1].fd = wakefd;
		pfd[1].events = POLLIN;
		n = poll(pfd, wakefd >= 0 ? 2 : 1, timeout * 1000);
		if (n > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			changed = 1;
	}
	r = mailimap_idle_done(s->imap);
	if (r != MAILIMAP_NO_ERROR)
		return (imap_fail(s, r, "IDLE", cause));
	return (changed);
}
