/*
 * ui/prompt.c: the command prompt on the bottom line.
 *
 * ":" (or a key bound to "prompt TEXT") opens it; Enter runs the line as
 * a command, Escape or C-g drops it.  Editing is what a shell user
 * expects: Left/Right, C-a/C-e, Backspace/Delete, C-w (word), C-u
 * (line), Up/Down through the last lines run.  Tab completes the last
 * word through ui_options.complete: one candidate replaces the word (and
 * a space follows), several extend it to their common prefix and are
 * listed on the status line.
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
} ui_prompt_state;

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

/* Tab: complete the word before the cursor. */
static void
ui_prompt_complete(char **(*complete)(const char *, size_t *))
{
	struct buf	 shown;
	char		**v, *head;
	size_t		 n = 0, i, start, common;

	free(P.choices);
	P.choices = NULL;
	if (complete == NULL)
		return;
	head = xstrndup(P.line.data, P.cursor);
	v = complete(head, &n);
	start = P.cursor;
	while (start > 0 && head[start - 1] != ' ')
		start--;
	free(head);
	if (n == 0) {
		beep();
		free(v);
		return;
	}
	buf_init(&shown);
	for (i = 0; n > 1 && i < n; i++)
		buf_printf(&shown, "%s%s", i == 0 ? "" : "  ", v[i]);
	if (n > 1)
		P.choices = text_sanitize(shown.data, shown.len, 0);
	common = strlen(v[0]);
	for (i = 1; i < n; i++) {
		while (common > 0 && strncmp(v[0], v[i], common) != 0)
			common--;
	}
	/* Never cut a UTF-8 character in two. */
	while (common > 0 && ((unsigned char)v[0][common] & 0xc0) == 0x80)
		common--;
	v[0][common] = '\0';
	buf_clear(&shown);
	buf_addstr(&shown, v[0]);
	if (n == 1)
		buf_addch(&shown, ' ');
	if (shown.len >= P.cursor - start)
		ui_prompt_splice(start, P.cursor, shown.data);
	buf_release(&shown);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
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
	char		 mb[MB_LEN_MAX + 1];
	mbstate_t	 ps;
	size_t		 n, from;

	*line = NULL;
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
	case L'\t':
		if (P.done == NULL)
			ui_prompt_complete(complete);
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
	char	*before, *all;
	size_t	 skip = 0, i, n;
	int	 x;

	if (P.done != NULL) {
		/* A question: the label, then the answer (stars for a
		 * secret). */
		ui_draw_fill(y, 0, cols, UI_NORMAL);
		x = ui_draw_text(y, 0, cols, P.label, UI_NORMAL, 0);
		if (!P.secret) {
			all = text_sanitize(P.line.data, P.line.len, 0);
			x += ui_draw_text(y, x, cols - x, all, UI_NORMAL, 0);
			free(all);
			return (x);
		}
		for (i = n = 0; i < P.line.len; i++)
			n += ((unsigned char)P.line.data[i] & 0xc0) != 0x80;
		for (i = 0; i < n && x < cols - 1; i++)
			x += ui_draw_text(y, x, 1, "*", UI_NORMAL, 0);
		return (x);
	}
	if (P.choices != NULL) {
		ui_draw_fill(y - 1, 0, cols, UI_STATUS);
		ui_draw_text(y - 1, 0, cols, P.choices, UI_STATUS, 0);
	}
	for (;;) {
		before = text_sanitize(P.line.data + skip, P.cursor - skip, 0);
		x = 1 + (int)text_width(before);
		free(before);
		if (x < cols - 1 || skip >= P.cursor)
			break;
		skip = ui_prompt_forward(skip);
	}
	all = text_sanitize(P.line.data + skip, P.line.len - skip, 0);
	ui_draw_fill(y, 0, cols, UI_NORMAL);
	ui_draw_text(y, 0, 1, ":", UI_NORMAL, 0);
	ui_draw_text(y, 1, cols - 1, all, UI_NORMAL, 0);
	free(all);
	return (x);
}
