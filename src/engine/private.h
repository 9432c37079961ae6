/*
 * engine/private.h: shared inside engine/ only.
 */
#ifndef ENGINE_PRIVATE_H
#define ENGINE_PRIVATE_H

#include <stdint.h>

struct config;
struct config_account;
struct journal;
struct journal_entry;
struct net_imap;
struct buf;

/* One account's sync run (engine/sync.c). */
struct sync {
	const struct config		*cfg;
	const struct config_account	*acct;
	const struct engine_sync_opts	*opts;
	struct engine_sync_stats	*stats;
	struct net_imap			*imap;
	char				*password;
	char				*root;		/* the account's Maildirs */
	char				*statedir;
	struct journal			*journal;
	struct journal_entry		*pending;	/* loaded entries */
	size_t				 n_pending;
	struct sync_move {			/* what they move away */
		char			*folder;
		uint32_t		 uid;
	}				*moves;
	size_t				 n_moves;
};

/* engine/worker.c: the session a cancel must reach (both NULL: none).
 * A cancel fired before the attach cancels the new session at once. */
struct net_pop;
struct net_smtp;
void	 engine_cancel_attach(struct engine_cancel *, struct net_imap *,
	    struct net_pop *);
/* Likewise for the SMTP session of an outbox flush (NULL: none). */
void	 engine_cancel_attach_smtp(struct engine_cancel *, struct net_smtp *);

/* engine/jobs.c: non-blocking, close-on-exec pipes that wake a poll. */
int	 engine_pipe_open(int [2]);
void	 engine_pipe_poke(int);		/* a full pipe says it already */
void	 engine_pipe_drain(int);

/* engine/sync.c */
int	 sync_flags_from_net(int);
int	 sync_flags_to_net(int);
char	*sync_folder_dir(const char *, const char *);

/* engine/replay.c: journal entries as text, and their replay. */
int	 engine_journal_load(struct sync *, char **);
void	 engine_journal_unload(struct sync *);
int	 engine_journal_moves_reload(struct sync *, char **);
/* Replays the loaded entries whose source folder is folder (NULL: all
 * left), removing each from the journal once the server confirmed it. */
int	 engine_journal_replay(struct sync *, const char *, char **);
/* Whether a loaded entry moves UID uid out of folder (so a missing local
 * file for it is not new mail). */
int	 engine_journal_pending_move(struct sync *, const char *, uint32_t);
char	*engine_find_base(const char *, const char *);
char	*engine_file_base(const char *);
void	 engine_escape_field(struct buf *, const char *);
int	 engine_tag_is_local(const char *);
/* Renames folder/name without its ",U=" part. */
int	 engine_strip_uid(const char *, const char *, char **);

#endif /* ENGINE_PRIVATE_H */
