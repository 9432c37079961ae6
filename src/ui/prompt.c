/*
 * ui/prompt.c: the command prompt on the bottom line.
 *
 * ":" (or a key bound to "prompt TEXT") opens it; Enter runs the line as
 * a command, Escape or C-g drops it.  Editing is what a shell user
 * expects: Left/Right, C-a/C-e, Backspace/Delete, C-w (word), C-u
 * (line), Up/Down through the last lines run.  Tab completes the last
 * word through ui_options.complete: one candidate replaces the word (and
 * a space follows), several extend it to their common prefix and are
 * listed on the status line, and Tab again cycles through them (the
 * rules live in ui/complete.c, which questions with completion share).
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1

#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/core.h"
#include "ui/ui.h"
#include "private.h"

#define UI_PROMPT_HISTORY	50
#define UI_PROMPT_MAX		4096

static struct {
	int		 active;
	struct buf	 line;		/* UTF-8 */
	size_t		 cursor;	/* byte offset in line */
	char		*history[UI_PROMPT_HISTORY];	/* newest first */
	int		 n_history;
	int		 recall;	/* -1: a new line */
	char		*choices;	/* what Tab found, sanitised */
	/* A secret: shown as stars, handed to done() (NULL: declined),
	 * never kept in the history. */
	char		*label;		/* sanitised */
	void		(*done)(const char *, void *);
	void		*arg;
	int		 secret;	/* stars, not the text */
	/* Tab: the round in progress, and a question's completer. */
	struct ui_complete comp;
	char		**(*complete)(const char *, size_t *, void *);
	void		*carg;
} ui_prompt_state;

/* The ":" prompt's word completer, as a line completer takes it. */
struct ui_prompt_words {
	char		**(*complete)(const char *, size_t *);
};

#define P	ui_prompt_state

static void
ui_prompt_question(const char *label, int secret,
    void (*done)(const char *, void *), void *arg)
{
	if (P.active && P.done != NULL) {
		done(NULL, arg);	/* one question at a time */
		return;
	}
	ui_prompt("");
	P.label = text_sanitize(label, strlen(label), 0);
	P.done = done;
	P.arg = arg;
	P.secret = secret;
}

void
ui_prompt_secret(const char *label, void (*done)(const char *, void *),
    void *arg)
{
	ui_prompt_question(label, 1, done, arg);
}

void
ui_ask(const char *label, void (*done)(const char *, void *), void *arg)
{
	ui_prompt_question(label, 0, done, arg);
}

void
ui_ask_complete(const char *label, const char *initial,
    char **(*complete)(const char *, size_t *, void *), void *carg,
    void (*done)(const char *, void *), void *arg)
{
	if (P.active && P.done != NULL) {
		done(NULL, arg);	/* one question at a time */
		return;
	}
	ui_prompt_question(label, 0, done, arg);
	P.complete = complete;
	P.carg = carg;
	if (initial != NULL && strlen(initial) <= UI_PROMPT_MAX) {
		buf_addstr(&P.line, initial);
		P.cursor = P.line.len;
	}
}

int
ui_prompting_question(void)
{
	return (P.active && P.done != NULL);
}

void
ui_prompt(const char *text)
{
	if (P.active && P.done != NULL)
		return;		/* a password question goes first */
	if (!P.active)
		buf_init(&P.line);
	P.active = 1;
	ui_complete_reset(&P.comp);
	buf_clear(&P.line);
	buf_addstr(&P.line, text);
	P.cursor = P.line.len;
	P.recall = -1;
	free(P.choices);
	P.choices = NULL;
	ui_set_dirty();
}

int
ui_prompt_active(void)
{
	return (P.active);
}

/*
 * Closes the prompt; a secret's done() then hears the line (answered) or
 * NULL.  It runs last, so that it may open the next question.
 */
static void
ui_prompt_close_with(int answered)
{
	void	(*done)(const char *, void *) = P.done;
	void	*arg = P.arg;
	char	*secret = NULL;

	if (done != NULL && answered)
		secret = xstrdup(P.line.data);
	P.done = NULL;
	P.complete = NULL;
	P.carg = NULL;
	ui_complete_reset(&P.comp);
	explicit_bzero(P.line.data, P.line.len);
	buf_release(&P.line);
	free(P.choices);
	P.choices = NULL;
	free(P.label);
	P.label = NULL;
	P.active = 0;
	if (done != NULL)
		done(secret, arg);
	if (secret != NULL) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
}

static void
ui_prompt_close(void)
{
	ui_prompt_close_with(0);
}

void
ui_prompt_free(void)
{
	int	 i;

	/* A secret question is declined; its answer may ask the next. */
	while (P.active)
		ui_prompt_close();
	for (i = 0; i < P.n_history; i++)
		free(P.history[i]);
	memset(&P, 0, sizeof P);
}

/* Replaces bytes [from, to) of the line with s. */
static void
ui_prompt_splice(size_t from, size_t to, const char *s)
{
	struct buf	 b;

	if (P.line.len - (to - from) + strlen(s) > UI_PROMPT_MAX) {
		beep();
		return;
	}
	buf_init(&b);
	buf_add(&b, P.line.data, from);
	buf_addstr(&b, s);
	buf_add(&b, P.line.data + to, P.line.len - to);
	buf_release(&P.line);
	P.line = b;
	P.cursor = from + strlen(s);
}

/* The start of the UTF-8 character before offset off. */
static size_t
ui_prompt_back(size_t off)
{
	if (off == 0)
		return (0);
	off--;
	while (off > 0 && ((unsigned char)P.line.data[off] & 0xc0) == 0x80)
		off--;
	return (off);
}

static size_t
ui_prompt_forward(size_t off)
{
	if (off >= P.line.len)
		return (P.line.len);
	off++;
	while (off < P.line.len &&
	    ((unsigned char)P.line.data[off] & 0xc0) == 0x80)
		off++;
	return (off);
}

static void
ui_prompt_recall(int dir)
{
	int	 next = P.recall + dir;

	if (next < -1 || next >= P.n_history)
		return;
	P.recall = next;
	buf_clear(&P.line);
	if (next >= 0)
		buf_addstr(&P.line, P.history[next]);
	P.cursor = P.line.len;
}

static void
ui_prompt_remember(const char *line)
{
	int	 i;

	if (*line == '\0' || (P.n_history > 0 &&
	    strcmp(P.history[0], line) == 0))
		return;
	if (P.n_history == UI_PROMPT_HISTORY)
		free(P.history[--P.n_history]);
	for (i = P.n_history; i > 0; i--)
		P.history[i] = P.history[i - 1];
	P.history[0] = xstrdup(line);
	P.n_history++;
}

/* The word completer's offers for the last word, as whole lines; a
 * single one gets a space after it, ready for the next word. */
static char **
ui_prompt_words(const char *head, size_t *n, void *arg)
{
	const struct ui_prompt_words	*w = arg;
	char				**v, *line;
	size_t				  i, start;

	v = w->complete(head, n);
	start = strlen(head);
	while (start > 0 && head[start - 1] != ' ')
		start--;
	for (i = 0; i < *n; i++) {
		xasprintf(&line, "%.*s%s%s", (int)start, head, v[i],
		    *n == 1 ? " " : "");
		free(v[i]);
		v[i] = line;
	}
	return (v);
}

/* Tab: complete the line before the cursor. */
static void
ui_prompt_tab(char **(*complete)(const char *, size_t *, void *), void *arg)
{
	char	*head, *line, *shown;

	free(P.choices);
	P.choices = NULL;
	head = xstrndup(P.line.data, P.cursor);
	line = ui_complete_tab(&P.comp, head, complete, arg, &shown);
	free(head);
	if (line == NULL) {
		beep();
		return;
	}
	ui_prompt_splice(0, P.cursor, line);
	free(line);
	if (shown != NULL) {
		P.choices = text_sanitize(shown, strlen(shown), 0);
		free(shown);
	}
}

/*
 * One key for the prompt.  Returns 1 and sets *line (the caller's to run
 * and free) when Enter ends it, 0 otherwise.
 */
int
ui_prompt_key(int rc, unsigned int wc,
    char **(*complete)(const char *, size_t *),
    char **line)
{
	struct ui_prompt_words	 words;
	char			 mb[MB_LEN_MAX + 1];
	mbstate_t		 ps;
	size_t			 n, from;

	*line = NULL;
	if (rc != KEY_CODE_YES && wc == L'\t') {
		if (P.done == NULL && complete != NULL) {
			words.complete = complete;
			ui_prompt_tab(ui_prompt_words, &words);
		} else if (P.done != NULL && P.complete != NULL)
			ui_prompt_tab(P.complete, P.carg);
		return (0);
	}
	/* Any other key ends a round of Tab. */
	ui_complete_reset(&P.comp);
	free(P.choices);
	P.choices = NULL;
	if (rc == KEY_CODE_YES) {
		switch (wc) {
		case KEY_LEFT:
			P.cursor = ui_prompt_back(P.cursor);
			break;
		case KEY_RIGHT:
			P.cursor = ui_prompt_forward(P.cursor);
			break;
		case KEY_HOME:
			P.cursor = 0;
			break;
		case KEY_END:
			P.cursor = P.line.len;
			break;
		case KEY_UP:
			if (P.done == NULL)
				ui_prompt_recall(1);
			break;
		case KEY_DOWN:
			if (P.done == NULL)
				ui_prompt_recall(-1);
			break;
		case KEY_BACKSPACE:
			goto backspace;
		case KEY_DC:
			ui_prompt_splice(P.cursor, ui_prompt_forward(P.cursor),
			    "");
			break;
		case KEY_ENTER:
			goto enter;
		}
		return (0);
	}
	switch (wc) {
	case L'\r':
	case L'\n':
		goto enter;
	case 27:	/* Escape */
	case 7:		/* C-g */
		ui_prompt_close();
		return (0);
	case 127:
	case 8:
	backspace:
		if (P.cursor == 0 && P.line.len == 0) {
			ui_prompt_close();
			return (0);
		}
		ui_prompt_splice(ui_prompt_back(P.cursor), P.cursor, "");
		return (0);
	case 1:		/* C-a */
		P.cursor = 0;
		return (0);
	case 5:		/* C-e */
		P.cursor = P.line.len;
		return (0);
	case 21:	/* C-u */
		ui_prompt_splice(0, P.cursor, "");
		return (0);
	case 23:	/* C-w */
		from = P.cursor;
		while (from > 0 && P.line.data[from - 1] == ' ')
			from--;
		while (from > 0 && P.line.data[from - 1] != ' ')
			from--;
		ui_prompt_splice(from, P.cursor, "");
		return (0);
	}
	if (wc < 32 || (wc >= 0x7f && wc < 0xa0))
		return (0);	/* other controls never enter the line */
	memset(&ps, 0, sizeof ps);
	n = wcrtomb(mb, (wchar_t)wc, &ps);
	if (n == (size_t)-1 || n >= sizeof mb)
		return (0);
	mb[n] = '\0';
	ui_prompt_splice(P.cursor, P.cursor, mb);
	return (0);

enter:
	if (P.done != NULL) {
		ui_prompt_close_with(1);
		return (0);
	}
	*line = xstrdup(P.line.data);
	ui_prompt_remember(*line);
	ui_prompt_close();
	return (1);
}

/*
 * Draws ":line" on row y, scrolled so the cursor shows, and what Tab
 * listed on row y - 1; returns the cursor's column.
 */
int
ui_prompt_draw(int y, int cols)
{
	const char	*label = ":";
	char		*before, *all;
	size_t		 skip = 0, i, n;
	int		 x, lw;

	if (P.choices != NULL) {
		ui_draw_fill(y - 1, 0, cols, UI_STATUS);
		ui_draw_text(y - 1, 0, cols, P.choices, UI_STATUS, 0);
	}
	ui_draw_fill(y, 0, cols, UI_NORMAL);
	if (P.done != NULL)
		label = P.label;	/* a question */
	lw = ui_draw_text(y, 0, cols, label, UI_NORMAL, 0);
	if (P.done != NULL && P.secret) {
		for (i = n = 0; i < P.line.len; i++)
			n += ((unsigned char)P.line.data[i] & 0xc0) != 0x80;
		x = lw;
		for (i = 0; i < n && x < cols - 1; i++)
			x += ui_draw_text(y, x, 1, "*", UI_NORMAL, 0);
		return (x);
	}
	/* Scrolled so that the cursor shows. */
	for (;;) {
		before = text_sanitize(P.line.data + skip, P.cursor - skip, 0);
		x = lw + (int)text_width(before);
		free(before);
		if (x < cols - 1 || skip >= P.cursor)
			break;
		skip = ui_prompt_forward(skip);
	}
	all = text_sanitize(P.line.data + skip, P.line.len - skip, 0);
	ui_draw_text(y, lw, cols - lw, all, UI_NORMAL, 0);
	free(all);
	return (x);
}
