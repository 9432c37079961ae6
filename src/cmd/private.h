/* cmd/private.h: shared by the files of src/cmd/ only. */
#ifndef CMD_PRIVATE_H
#define CMD_PRIVATE_H

int	 cmd_split(const char *, int *, char ***, char **);
void	 cmd_free_argv(int, char **);
int	 cmd_count_arg(int, char **, int *, char **);

/* cmd/cmd-move.c */
extern const struct cmd_entry cmd_first_entry;
extern const struct cmd_entry cmd_last_entry;
extern const struct cmd_entry cmd_next_entry;
extern const struct cmd_entry cmd_page_down_entry;
extern const struct cmd_entry cmd_page_up_entry;
extern const struct cmd_entry cmd_previous_entry;

/* cmd/cmd-view.c */
extern const struct cmd_entry cmd_close_entry;
extern const struct cmd_entry cmd_open_entry;
extern const struct cmd_entry cmd_quit_entry;
extern const struct cmd_entry cmd_redraw_entry;

/* cmd/cmd-help.c */
extern const struct cmd_entry cmd_help_entry;

#endif /* CMD_PRIVATE_H */
