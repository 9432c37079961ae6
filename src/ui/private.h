/* ui/private.h: shared by the files of src/ui/ only. */
#ifndef UI_PRIVATE_H
#define UI_PRIVATE_H

struct buf;

/*
 * A view is one screen of the stack (thread list, pager, help).  The
 * stack owns its views; a view owns its data and frees it in free().
 */
struct ui_view;
struct ui_view_ops {
	const char	*name;	/* the keymap's view name */
	void		(*draw)(struct ui_view *, int, int, int); /* y rows cols */
	void		(*step)(struct ui_view *, int);	/* rows down, up if < 0 */
	void		(*page)(struct ui_view *, int);
	void		(*first)(struct ui_view *);
	void		(*last)(struct ui_view *);
	int		(*open)(struct ui_view *, char **);	/* may be NULL */
	void		(*status)(struct ui_view *, struct buf *);
	/* One step of background work; returns 0 when none is left. */
	int		(*idle)(struct ui_view *);	/* may be NULL */
	void		(*free)(struct ui_view *);
	/* See ui_target() and ui_select*(); may be NULL. */
	char		*(*target)(struct ui_view *, int, char **);
	/* query NULL: toggle the current item; "": clear. */
	int		(*select)(struct ui_view *, const char *, char **);
	/* Re-read the index (see ui_refresh()); may be NULL. */
	void		(*reload)(struct ui_view *, int);
	/* See ui_toggle(); may be NULL. */
	int		(*toggle)(struct ui_view *, const char *, char **);
	/* See ui_attachment(); may be NULL. */
	int		(*attachment)(struct ui_view *, size_t, char **, size_t *,
			    char **);
	/* The thread at the cursor, its query, and the message there
	 * (NULL: none in particular); see ui_tree().  May be NULL. */
	int		(*thread)(struct ui_view *, char **, char **, char **,
			    char **);
	/* See ui_predict() and ui_settle(); may be NULL (then a settle
	 * reloads the view). */
	int		(*predict)(struct ui_view *, char *const *, size_t,
			    char *const *, char *const *, int);
	void		(*settle)(struct ui_view *, char *const *, size_t);
};
struct ui_view {
	const struct ui_view_ops *ops;
	void		*data;
	int		 rows;	/* body rows at the last draw */
	int		 cols;
	int		 stale;	/* the index changed under it: reload ... */
	int		 stale_clear;	/* ... and clear its selection */
};

/* ui/ui.c */
/* Pushes a new view on the stack; takes ownership of data. */
struct ui_view	*ui_view_push(const struct ui_view_ops *, void *);
struct store_index *ui_index(void);
struct engine_jobs *ui_jobs(void);	/* NULL: none */
void		 ui_set_dirty(void);
/* The thread ID set by ui_focus(), handed over once; the caller frees. */
char		*ui_take_focus(void);

/* ui/draw.c: the only code that writes to curses. */
extern const char	 ui_default_theme[];
extern const size_t	 ui_default_theme_len;
extern const char	 ui_light_theme[];
extern const size_t	 ui_light_theme_len;
extern const char	 ui_high_contrast_theme[];
extern const size_t	 ui_high_contrast_theme_len;
extern const char	 ui_mono_theme[];
extern const size_t	 ui_mono_theme_len;
void		 ui_draw_init(const struct ui_theme *);
/*
 * Draws sanitised text at (y, x), at most cols columns, in a colour;
 * TEXT_MARK_* spans come out in the warning colour.  With highlight set
 * (the cursor row) everything is drawn in that colour instead.  Returns
 * the columns used.
 */
int		 ui_draw_text(int, int, int, const char *, enum ui_colour,
		     int);
void		 ui_draw_fill(int, int, int, enum ui_colour);	/* spaces */
/* Draws untrusted text sanitised to one line, cut or padded (text_fit()
 * flags) to exactly cols columns; returns x + cols. */
int		 ui_draw_column(int, int, int, const char *, enum ui_colour,
		     int, int);
/* Moves column 0 of the calls above to x (the view beside the sidebar);
 * ui_draw_clear() and ui_draw_done() set it back to 0. */
void		 ui_draw_origin(int);
void		 ui_draw_vline(int, int, int);
void		 ui_draw_clear(void);
/* Pushes the frame to the terminal, the cursor at (y, x) or hidden
 * when either is negative. */
void		 ui_draw_done(int, int);

/* ui/prompt.c */
void		 ui_prompt_free(void);
int		 ui_prompt_active(void);
int		 ui_prompt_key(int, unsigned int,
		     char **(*)(const char *, size_t *),
		     char **);
int		 ui_prompt_draw(int, int);

/* ui/index.c */
int		 ui_index_push(const char *, char **);

/* ui/pager.c: thread ID, query, and the Message-ID to start at (NULL:
 * the top). */
int		 ui_pager_push(const char *, const char *, const char *, char **);
/* Appends a size as the pager words it ("12 bytes", "3.4 KB"). */
void		 ui_pager_size(struct buf *, size_t);

/* ui/thread.c: likewise, the cursor on that message. */
int		 ui_thread_push(const char *, const char *, const char *,
		     char **);

/* ui/textview.c */
void		 ui_textview_push(const char *, char **, size_t);

/* ui/calendar.c, shared with ui/tasks.c */
struct cal_calstore;
struct timespec;
/* Opens a calendar store (NULL: the default one) and notes its
 * directory's time; NULL with *cause. */
struct cal_calstore *ui_calendar_store_open(const char *, struct timespec *,
		     char **);
/* Re-reads the store when its directory changed since *mtime (another
 * process or view wrote it); returns 1 when it did. */
int		 ui_calendar_store_fresh(struct cal_calstore *,
		     struct timespec *);
/* Opens the pager at the message with this Message-ID; -1 with *cause
 * when the index does not have it. */
int		 ui_calendar_open_message(const char *, char **);

#endif /* UI_PRIVATE_H */
