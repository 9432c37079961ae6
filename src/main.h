/*
 * main.h: what the subcommands in main.c and main-sync.c share.
 */
#ifndef MAIN_H
#define MAIN_H

#define MAIN_EXIT_FAILURE	1
#define MAIN_EXIT_USAGE		2

struct main_ctx {
	struct config	 cfg;
	struct keymap	*keymap;
	double		 start;
};

/* "satchel: message" on stderr, sanitised. */
void	 main_error(const char *, ...) PRINTFLIKE(1, 2);
/* Joins words into one query, as notmuch does with its arguments. */
char	*main_join(int, char **);
/*
 * Opens the index the configuration names.  Read-only opens never create:
 * a missing database is a hint to run "satchel index".
 */
int	 main_open_index(struct main_ctx *, enum store_index_mode,
	    struct store_index **);

/* main-sync.c */
int	 main_sync(struct main_ctx *, int, char **);
int	 main_tag(struct main_ctx *, int, char **);
int	 main_move(struct main_ctx *, int, char **);

/* main-cal.c */
int	 main_agenda(struct main_ctx *, int, char **);
int	 main_tasks(struct main_ctx *, int, char **);
int	 main_import(struct main_ctx *, int, char **);
int	 main_export_event(struct main_ctx *, int, char **);
/* main-send.c */
int	 main_send(struct main_ctx *, int, char **);
/* main-addr.c */
int	 main_addresses(struct main_ctx *, int, char **);

#endif /* MAIN_H */
