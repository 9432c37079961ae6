/*
 * cmd: every user action is a named command in a table (name, arguments,
 * handler).  Keymaps bind keys to command lines, the UI hands each line
 * to cmd_run(), and scripts can run the same lines.  cmd/ knows the UI;
 * the UI never knows what a command does.
 */
#ifndef CMD_CMD_H
#define CMD_CMD_H

#include <stddef.h>

struct config;
struct engine_jobs;
struct engine_workers;
struct keymap;
struct store_index;

#define CMD_MAX_ARGS	32
#define CMD_MAX_LINE	4096

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments, "" when none */
	const char	*help;		/* one line for the help screen */
	int		 min_args;
	int		 max_args;
	/* argv[0] is the name; -1 with *cause to report a failure. */
	int		(*exec)(int, char **, char **);
};

/*
 * What the commands act with, set by main.c before the UI runs and
 * borrowed until cmd_cleanup().
 */
struct cmd_env {
	const struct config	*cfg;
	struct store_index	*index;		/* the UI's, read-only */
	/* Opens the index read-write for one action; -1 with *cause. */
	int			(*open_rw)(struct store_index **, char **);
	struct engine_workers	*workers;	/* NULL: none */
	/* Where index writes run; NULL: on the caller's thread, at once. */
	struct engine_jobs	*jobs;
};

/* cmd/cmd.c */
void		 cmd_set_env(const struct cmd_env *);
const struct cmd_env *cmd_get_env(void);
/* Frees what the commands kept (the undo history). */
void		 cmd_cleanup(void);
const struct cmd_entry *cmd_find(const char *);
/*
 * Splits a command line into words (double quotes group, backslash
 * escapes), finds the command and runs it.  -1 with *cause for an
 * unknown command, a wrong argument count or the command's own failure.
 */
int		 cmd_run(const char *, char **);
/* Every binding names a known command with valid arguments, or the
 * cause names the file and line of the first one that does not. */
int		 cmd_check_keymap(const struct keymap *, char **);
/* The keymap the help screen describes; borrowed for the program's life. */
void		 cmd_set_keymap(const struct keymap *);
const struct keymap *cmd_get_keymap(void);
/* The table, for help and completion. */
size_t		 cmd_count(void);
const struct cmd_entry *cmd_get(size_t);

/* cmd/cmd-view.c: the sidebar's entries for ui_options (the saved
 * searches, then the folders under the mail root); free them with
 * cmd_sidebar_free(). */
struct ui_sidebar_item;
struct ui_sidebar_item *cmd_sidebar_items(const struct config *, size_t *);
void		 cmd_sidebar_free(struct ui_sidebar_item *, size_t);

/* cmd/cmd-sync.c */
/* For ui_options.wake: reads the workers' events and takes the index
 * writes that are done (cmd_jobs_wake()). */
void		 cmd_wake(void);

/* cmd/cmd-triage.c */
/* Shows the index writes that are done: the views settle on them, undo
 * gets them, the status line says what they did. */
void		 cmd_jobs_wake(void);
/* After the interface: finishes the writes still queued (a failure is
 * logged) and stops env.jobs. */
void		 cmd_jobs_stop(void);
/* cmd/cmd-compose.c */
/* What to say at start when editor files of unfinished messages were
 * left (a crash, a quit while composing), for ui_options.notice; NULL
 * when there are none, else the caller frees it. */
char		*cmd_compose_notice(void);

/* cmd/cmd-complete.c */
/*
 * Completion for the prompt: the words that could replace the last word
 * of line (command names, tags after +/- in "tag", folders for "move",
 * query terms, tags, folders and addresses in queries).  The caller
 * frees each and the vector.
 */
char		**cmd_complete(const char *, size_t *);

/* cmd/cmd-complete-addr.c */
/*
 * Completers for ui_ask_complete(); the caller frees each line and the
 * vector.  cmd_complete_addresses() completes the last address of a
 * list as typed ("a@x.org, Bob <b@y.org>, ali": the part after the last
 * comma outside quotes and angle brackets): each offer is the whole line
 * with that part replaced by a match ("Name <address>", the name quoted
 * when needed), from the address book, best first, then from the
 * query_command of the account carg points to (a const struct
 * config_account *; NULL or one without: the global query_command; none
 * runs for an empty word).  A failing query_command is shown with
 * ui_error() and the local matches still come.
 * cmd_complete_path() completes a file name: the last component from its
 * directory ("" is ".", "~/" is the home, "~" becomes "~/"),
 * directories with a "/" after them, names starting with "." only when
 * the typed part does; carg is not used.
 */
char		**cmd_complete_addresses(const char *, size_t *, void *);
char		**cmd_complete_path(const char *, size_t *, void *);

/* The built-in keymaps (keymaps/default.keys and vi.keys, embedded at
 * build time). */
extern const char	 cmd_default_keys[];
extern const size_t	 cmd_default_keys_len;
extern const char	 cmd_vi_keys[];
extern const size_t	 cmd_vi_keys_len;

#endif /* CMD_CMD_H */
