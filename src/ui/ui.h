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
#include <time.h>

struct engine_jobs;
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
	/* Where views queue reads that follow a change (engine/jobs.c),
	 * the commands' index writes before them; NULL: done at once. */
	struct engine_jobs	*jobs;
	/* Readable when background work (sync workers, index writes) has
	 * news; wake() is then called on the UI thread.  -1: unused. */
	int			 wake_fd[2];
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
	/* A message for the first screen, or NULL. */
	const char		*notice;
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
/*
 * A change to the threads (thread IDs) is on its way to the index,
 * written in the background: the view on screen shows it at once (the
 * rows get add and lose del; a row whose thread will no longer match its
 * list's query leaves).  moves: the change moves files too.  Returns 0
 * when the view cannot tell what the change does to it (what it shows
 * may be wrong until the change settles: a command that acts on what is
 * shown should wait for it).  ui_settle() follows when the change is in
 * the index: every view reads those threads again, the selection is
 * dropped with clear set.  With n 0 no thread changed, only files moved
 * (a sync replayed our own moves): the lists keep their rows.
 */
int		 ui_predict(char *const *, size_t, char *const *,
		     char *const *, int);
void		 ui_settle(char *const *, size_t, int);
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
 * ui/compose.c: the compose screen (view "compose") between the editor
 * and sending.  It shows what it is given; what its keys do is the
 * commands' business.  ui_compose_show() opens the view with copies of
 * m's strings (untrusted: sanitised here), or updates the one open;
 * gone(arg) is called once when the view closes by any means (a key, the
 * end of the interface), not on an update.  ui_compose_cursor() is the
 * attachment at the cursor (from 0), -1 when there is none.
 * ui_compose_close() closes the view when it is on top.
 */
struct ui_compose_field {
	const char	*name;		/* "To:" */
	const char	*value;
};
struct ui_compose_attachment {
	const char	*name;
	const char	*type;
	size_t		 size;
};
struct ui_compose_model {
	const char			*title;	/* for the status line */
	const char			*hint;	/* the key line, or NULL */
	const struct ui_compose_field	*fields;
	size_t				 n_fields;
	const struct ui_compose_attachment *atts;
	size_t				 n_atts;
};
void		 ui_compose_show(const struct ui_compose_model *,
		     void (*)(void *), void *);
int		 ui_compose_cursor(void);
int		 ui_compose_active(void);
void		 ui_compose_close(void);

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

/*
 * ui/card.c: the card the pager (and "satchel show") puts at the top of a
 * message carrying a calendar: for an invitation its summary, organizer,
 * time in the local zone (TZ), the organizer's zone when it differs,
 * duration, recurrence, location, attendees and their answers, our own
 * answer (from the calendar store's copy), clashes with other events in
 * the store and warnings (unresolved zones); shorter cards for CANCEL,
 * REPLY and PUBLISH.  Each line is sanitised; label_len bytes at its
 * start are a label ("When:"), drawn like a header name.
 */
struct cal_cal;
struct cal_calstore;
struct config;
struct mime_message;
struct ui_card_line {
	char		*text;
	size_t		 label_len;
	enum ui_colour	 colour;	/* UI_NOTE, UI_NORMAL or UI_WARNING */
};
/*
 * Where cards find the user's addresses (the accounts' email) and the
 * calendar store (the default one, read when it exists, again when it
 * changed).  cfg is borrowed until ui_card_setup(NULL), which frees what
 * the cards kept.  Without it, cards show no answer of ours and no
 * clashes.
 */
void		 ui_card_setup(const struct config *);
/*
 * The user's addresses for a message file: the email of the account whose
 * Maildir tree holds path first, then the other accounts' in the order of
 * the configuration, each once.  A NULL-terminated vector of *n (maybe 0)
 * for the caller to free with config_free_list().
 */
char		**ui_card_addresses(const struct config *, const char *,
		     size_t *);
/* The card for one calendar (nothing for one without a VEVENT); cs and
 * self (NULL-terminated) may be NULL.  Free with ui_card_lines_free(). */
void		 ui_card_render(const struct cal_cal *,
		     const struct cal_calstore *, const char *const *,
		     struct ui_card_line **, size_t *);
/* The cards of every calendar part of a parsed message (the file at
 * path), with what ui_card_setup() gave; none when it has none. */
void		 ui_card_message(struct mime_message *, const char *,
		     struct ui_card_line **, size_t *);
void		 ui_card_lines_free(struct ui_card_line *, size_t);

/*
 * ui/calendar.c: the calendar view of the default calendar store, in four
 * modes: an agenda of the next days (as "satchel agenda" prints it), one
 * day by the hour, a week of seven columns and a month of six weeks.
 * Times are local (TZ).  The functions after the view's are its layout,
 * kept apart from curses so that tests and "satchel agenda" use them.
 */
struct buf;
struct cal_occurrence;
struct cal_todo;

enum ui_calendar_mode {
	UI_CALENDAR_AGENDA,
	UI_CALENDAR_DAY,
	UI_CALENDAR_WEEK,
	UI_CALENDAR_MONTH,
};
struct ui_calendar_options {
	const char	*dir;		/* the store; NULL: the default one */
	time_t		 day;		/* a day to show; -1: today */
	enum ui_calendar_mode mode;
	int		 agenda_days;	/* 1 to UI_CALENDAR_MAX_DAYS */
	int		 week_start;	/* 0 Sunday, 1 Monday .. 6 Saturday */
	/* Our addresses, to show our answer to invitations; a
	 * NULL-terminated list copied by ui_calendar_push(), or NULL. */
	const char *const *self;
};
#define UI_CALENDAR_MAX_DAYS	366
/* Opens the view on top; -1 with *cause when the store cannot be read. */
int		 ui_calendar_push(const struct ui_calendar_options *, char **);
/*
 * For commands, on the calendar view on top (-1 with *cause when the top
 * view is not one): shows another mode, moves n periods (back when
 * negative), or shows the period holding a day (-1: today), the cursor
 * on its first event.
 */
int		 ui_calendar_set_mode(enum ui_calendar_mode, char **);
int		 ui_calendar_step(int, char **);
int		 ui_calendar_goto(time_t, char **);
/* Whether the view on top is a calendar. */
int		 ui_calendar_on_top(void);
/* "agenda", "day", "week", "month" and back; -1 for another word. */
int		 ui_calendar_mode_from_name(const char *);
const char	*ui_calendar_mode_name(enum ui_calendar_mode);	/* static */

/* Local midnight of "YYYY-MM-DD", or -1 when it is no such day. */
time_t		 ui_calendar_parse_day(const char *);
/* Local midnight of the day n days after (before, if n < 0) t's day. */
time_t		 ui_calendar_add_days(time_t, int);
/* Local midnight n months after t's day, the day of the month kept or
 * cut to the month's last (31 January + 1 month is 28 February). */
time_t		 ui_calendar_add_months(time_t, int);
/* Local midnight of the first day of the week holding t. */
time_t		 ui_calendar_week_of(time_t, int);
/*
 * The days a mode shows for a day: the agenda from that day for days
 * days, the day itself, its week, or the six weeks from the week holding
 * the first of its month.  *first is a local midnight.
 */
void		 ui_calendar_period(enum ui_calendar_mode, time_t, int, int,
		     time_t *, int *);
/* The day n periods of mode after (before, if n < 0) a day. */
time_t		 ui_calendar_period_step(enum ui_calendar_mode, time_t, int,
		     int);
/*
 * The occurrences each day of a period shows: those overlapping the day
 * (an event over several days shows on each), all-day ones first, then
 * by start.  Occurrences must be sorted as cal_calstore_agenda() sorts
 * them; occ[] holds indices into them.  Free with
 * ui_calendar_days_free().
 */
struct ui_calendar_day {
	time_t		 start;		/* local midnight */
	time_t		 end;		/* the next one */
	size_t		*occ;
	size_t		 n;
};
struct ui_calendar_day *ui_calendar_days(time_t, int,
		     const struct cal_occurrence *, size_t);
void		 ui_calendar_days_free(struct ui_calendar_day *, int);
/*
 * When an occurrence is on a day, for a column of 11 cells:
 * "13:00-14:00", "all day", "22:00-..." (on to the next day),
 * "...-02:00" (from the day before) or "..." (all of this day).
 */
void		 ui_calendar_when(char *, size_t, const struct cal_occurrence *,
		     const struct ui_calendar_day *);
/*
 * Splits cols into n columns with a one-cell line between each two: the
 * x and width of each (x and w hold n ints); the columns on the right get
 * the cells left over.
 */
void		 ui_calendar_columns(int, int, int *, int *);
/*
 * How many of n entries (heights[i] lines each) a cell of rows lines
 * shows: all when they fit, else as many as leave the last line free for
 * "+N more".
 */
size_t		 ui_calendar_fit(const int *, size_t, int);
/*
 * The agenda as "satchel agenda" prints it: a heading per day with
 * events ("Thu 2027-02-04"), a blank line between days, and an event a
 * line ("  13:00-14:00    Weekly sync (Room 1)"), text from the
 * calendar sanitised to one line each.
 */
void		 ui_calendar_agenda_text(struct buf *,
		     const struct cal_occurrence *, size_t, time_t, int);

/*
 * ui/tasks.c: the task list of the default calendar store (VTODOs by due
 * date, then priority) with a status filter.  Marking a task is the
 * command's: it gets the store and the task at the cursor from here.
 */
struct cal_calstore;
/* filter: "all", "open", "in-process", "completed", ... (as for
 * cal_calstore_tasks()); dir NULL: the default store. */
int		 ui_tasks_push(const char *, const char *, char **);
/* Whether the view on top is the task list. */
int		 ui_tasks_on_top(void);
/* On the task list on top (-1 with *cause when it is not): shows
 * another status, or gives its store (borrowed while the view lives)
 * and the UID of the task at the cursor (borrowed until the next
 * change). */
int		 ui_tasks_filter(const char *, char **);
int		 ui_tasks_current(struct cal_calstore **, const char **,
		     char **);
/* Re-reads the store of the task list on top after a change. */
void		 ui_tasks_reload(void);
/* A task as a line, as "satchel tasks" prints it: due, status, priority,
 * percent done and the summary (sanitised). */
void		 ui_tasks_line(struct buf *, const struct cal_todo *);

#endif /* UI_UI_H */
