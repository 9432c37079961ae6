/*
 * ui: the terminal.  The only module that includes curses, and within it
 * only ui/draw.c writes to the screen.  The UI is a stack of views (thread
 * list, pager, help); keys go through the keymap to the command
 * dispatcher main.c hands over, and commands act on the top view through
 * the functions below.  ui/ never knows what a command does.
 */
#ifndef UI_UI_H
#define UI_UI_H

#include <stddef.h>
#include <stdio.h>

struct keymap;
struct store_index;

/* A sidebar entry: a saved search or a folder, as a query. */
struct ui_sidebar_item {
	const char	*label;
	const char	*query;
	int		 heading;	/* a title line, not openable */
};

struct ui_options {
	struct store_index	*index;		/* borrowed, READ_ONLY */
	const struct keymap	*keymap;	/* borrowed */
	const char		*query;		/* the first view's query */
	const char		*theme;		/* theme file, or NULL */
	/* Runs a command line; -1 with *cause to show an error. */
	int			(*dispatch)(const char *, char **);
	/*
	 * Completes the last word of a command line being typed: the
	 * candidates that could replace it (the caller frees each and the
	 * vector), *n of them.  May be NULL.
	 */
	char			**(*complete)(const char *, size_t *);
	/* Readable when background work has news; wake() is then called
	 * on the UI thread.  -1: no background work. */
	int			 wake_fd;
	void			(*wake)(void);
	/* The sidebar's entries (borrowed for ui_run()), and whether it
	 * shows at start. */
	const struct ui_sidebar_item *sidebar;
	size_t			 n_sidebar;
	int			 sidebar_visible;
	/* When set, the time from start to the first painted screen is
	 * written to this file (milliseconds), for benchmarks. */
	const char		*trace_paint;
	/* Benchmarks: per key, its name and the milliseconds from reading
	 * it to the end of the repaint after it, a line each. */
	const char		*trace_keys;
	double			 start;		/* ui_now() at launch */
};

/* The elements of the screen a theme styles. */
enum ui_colour {
	UI_NORMAL,
	UI_BAR,		/* the key hint line at the top */
	UI_STATUS,	/* the status line */
	UI_CURSOR,	/* the selected row */
	UI_UNREAD,	/* a thread with unread mail */
	UI_DATE,
	UI_AUTHORS,
	UI_COUNT,
	UI_TAGS,
	UI_HEADER,	/* "From:" in the pager */
	UI_QUOTE,	/* "> quoted" text */
	UI_ATTACHMENT,
	UI_NOTE,
	UI_WARNING,	/* marks such as <U+202E> */
	UI_ERROR,
	UI_SELECTED,	/* a selected thread */
	UI_NCOLOURS
};
/*
 * ui/theme.c: the style of each element, from themes/default.theme (built
 * in) and the configured theme file.  Attributes are curses attr_t values.
 */
#define UI_RGB		0x1000000	/* UI_RGB | 0xrrggbb: 24-bit */
struct ui_style {
	int		 fg;		/* -1: the terminal's default; 0-255:
					   the palette; UI_RGB | rgb */
	int		 bg;
	unsigned long	 colour;	/* attributes with colour */
	unsigned long	 mono;		/* attributes without */
};
struct ui_theme {
	struct ui_style	 styles[UI_NCOLOURS];
};
int		 ui_theme_parse(struct ui_theme *, const char *, const char *,
		     size_t, char **);
/*
 * The built-in default theme, then name on top of it: one of the built-in
 * themes (default, light, high-contrast, mono) or a file (a name with a
 * '/').  NULL: the default alone.
 */
int		 ui_theme_load(struct ui_theme *, const char *, char **);
/* The names of the built-in themes, NULL-terminated; static. */
const char *const *ui_theme_names(void);
/*
 * The colour a terminal with n colours shows for c (a struct ui_style
 * colour): itself when it fits, else the nearest it has (24-bit to the
 * 256-colour cube or the 16 or 8 basic colours); -1 stays -1.
 */
int		 ui_theme_fit(int, int);


/* ui/ui.c */
/* Runs the TUI until the last view closes; -1 with *cause on failure. */
int		 ui_run(const struct ui_options *, char **);
double		 ui_now(void);	/* monotonic seconds */

/* For commands: act on the top view.  None of these fail. */
void		 ui_move(int);		/* rows (or lines) down, up if < 0 */
void		 ui_page(int);		/* pages down, up if < 0 */
void		 ui_first(void);
void		 ui_last(void);
/* Opens what is selected (a thread in the pager); -1 with *cause. */
int		 ui_open(char **);
void		 ui_close(void);	/* back; quits after the last view */
void		 ui_quit(void);
void		 ui_redraw(void);
/*
 * What an action applies to, as a query for the caller to free: the top
 * view's selection when it has one, else its current item (the thread in
 * the list, the message in the pager; with thread set, the whole thread,
 * as far as it matches the view's query).  NULL with *cause when there
 * is nothing.
 */
char		*ui_target(int, char **);
/* Selection in the thread list: toggle the current thread, add the
 * threads a query matches (within the view's), or clear it. */
int		 ui_select(char **);
int		 ui_select_query(const char *, char **);
void		 ui_select_clear(void);
/*
 * After the index changed: re-reads it and the view on screen, keeping
 * its cursor on its item (or the next one, when the item left the view);
 * with clear set the selection is dropped too.  The views below are
 * re-read when they are on top again.
 */
void		 ui_refresh(int);
/* What the accounts are doing, at the end of the status line (NULL:
 * nothing); sanitised here. */
void		 ui_set_sync_status(const char *);
/* A thread list of query on top; going back restores the one below. */
int		 ui_search(const char *, char **);
/* Opens the command prompt on the bottom line, holding text. */
void		 ui_prompt(const char *);
/*
 * Asks for a secret on the bottom line (label first, stars as it is
 * typed); done gets it on Enter, or NULL when the user declines (Escape,
 * or the interface ends).  The line is wiped afterwards.  While it is
 * open, ui_prompt() does nothing.
 */
void		 ui_prompt_secret(const char *, void (*)(const char *, void *),
		     void *);
/* Whether a question (ui_prompt_secret() or ui_ask()) is open. */
int		 ui_prompting_question(void);
/* A display toggle of the top view: "headers", "quotes" (the pager) or
 * "urls" (a list of the thread's links); -1 with *cause. */
int		 ui_toggle(const char *, char **);
/*
 * Attachment k (from 1, as the pager numbers them "#k") of what the top
 * view shows: the message file it is in (the caller frees it) and its
 * number within that message, for mime_message_attachment().
 */
int		 ui_attachment(size_t, char **, size_t *, char **);
/* The thread the next ui_refresh() puts the list's cursor on, when
 * the list holds it (after an undo: the thread that came back). */
void		 ui_focus(const char *);
/* Gives the terminal to another program (a viewer, the editor), and
 * takes it back, repainting everything. */
void		 ui_suspend(void);
void		 ui_resume(void);
/* Shows the thread at the cursor as a reply tree, one line a message. */
int		 ui_tree(char **);
/*
 * Asks a question on the bottom line; done gets the answer (NULL when the
 * user declines with Escape).  Like ui_prompt_secret(), shown as typed.
 */
void		 ui_ask(const char *, void (*)(const char *, void *), void *);
/*
 * Asks a question like ui_ask(), with the answer starting as initial
 * (NULL: empty) and Tab completing it: complete gets the line up to the
 * cursor and carg, and returns the lines that could replace it (the
 * caller frees each and the vector), *n of them; one is taken, several
 * extend the line to their common prefix and are listed above it, and Tab
 * again puts each in turn, showing "(k/N)" (see ui/complete.c).  label
 * and initial are copied.
 */
void		 ui_ask_complete(const char *, const char *,
		     char **(*)(const char *, size_t *, void *), void *,
		     void (*)(const char *, void *), void *);
/* The sidebar: shown or hidden, its cursor, and opening the entry
 * under it as a thread list; -1 with *cause. */
void		 ui_sidebar_toggle(void);
void		 ui_sidebar_move(int);
int		 ui_sidebar_open(char **);
/* Switches the theme (as ui_theme_load() names it); -1 with *cause. */
int		 ui_set_theme(const char *, char **);
/* The view keys are looked up in: "index", "pager" or "help". */
const char	*ui_view_name(void);
/*
 * Shows a read-only text view (help).  Takes ownership of lines (each
 * one already sanitised) on return.
 */
void		 ui_text_show(const char *, char **, size_t);
/* One message on the bottom line until the next key. */
void		 ui_message(const char *, ...)
		     __attribute__((format(printf, 1, 2)));
void		 ui_error(const char *, ...)
		     __attribute__((format(printf, 1, 2)));

/*
 * ui/complete.c: Tab on the bottom line, shared by the ":" prompt and
 * ui_ask_complete(); no curses here.  ui_complete_tab() takes line (the
 * text before the cursor) and returns what to put there instead (the
 * caller's), or NULL when complete offers nothing; *shown gets the line
 * to show above it (the offers, with "(k/N)" while cycling; unsanitised,
 * the caller's) or NULL.  Called again with the line it returned, it
 * cycles through the offers.  ui_complete_reset() ends a round (any
 * other key); it also frees what the state holds.
 */
struct ui_complete {
	char		**v;		/* the offers of this round */
	size_t		  n;
	size_t		  at;		/* the one on the line; n: none */
	char		 *typed;	/* the line before the round */
	char		 *line;		/* the line as Tab left it */
};
void		 ui_complete_init(struct ui_complete *);
void		 ui_complete_reset(struct ui_complete *);
char		*ui_complete_tab(struct ui_complete *, const char *,
		     char **(*)(const char *, size_t *, void *), void *,
		     char **);

/* ui/pager.c */
/*
 * Renders messages as the pager shows them, without a terminal: for
 * "satchel show".  Each matching message of query (in thread order), or
 * each file in files when query is NULL.  Writes plain text to out.
 * Returns the number of messages that could not be read (each reported
 * on out), or -1 with *cause when the query itself fails.
 */
int		 ui_pager_render(struct store_index *, const char *,
		     char **, size_t, FILE *, char **);

#endif /* UI_UI_H */
