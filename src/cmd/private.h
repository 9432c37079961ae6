/* cmd/private.h: shared by the files of src/cmd/ only. */
#ifndef CMD_PRIVATE_H
#define CMD_PRIVATE_H

int	 cmd_split(const char *, int *, char ***, char **);
void	 cmd_free_argv(int, char **);
int	 cmd_count_arg(int, char **, int *, char **);
/* The messages of the top view's target (ui_target()), newest first. */
struct store_messages;
int	 cmd_target_messages(struct store_messages **, char **);

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
extern const struct cmd_entry cmd_theme_entry;
extern const struct cmd_entry cmd_sidebar_next_entry;
extern const struct cmd_entry cmd_sidebar_open_entry;
extern const struct cmd_entry cmd_sidebar_previous_entry;
extern const struct cmd_entry cmd_sidebar_toggle_entry;
extern const struct cmd_entry cmd_toggle_headers_entry;
extern const struct cmd_entry cmd_toggle_message_entry;
extern const struct cmd_entry cmd_toggle_thread_entry;
extern const struct cmd_entry cmd_toggle_quotes_entry;
extern const struct cmd_entry cmd_tree_entry;
extern const struct cmd_entry cmd_urls_entry;

/* cmd/cmd-triage.c */
extern const struct cmd_entry cmd_archive_entry;
extern const struct cmd_entry cmd_delete_entry;
extern const struct cmd_entry cmd_flag_entry;
extern const struct cmd_entry cmd_move_entry;
extern const struct cmd_entry cmd_tag_entry;
extern const struct cmd_entry cmd_toggle_read_entry;
extern const struct cmd_entry cmd_undo_entry;
void	 cmd_triage_cleanup(void);

/* cmd/cmd-search.c */
extern const struct cmd_entry cmd_prompt_entry;
extern const struct cmd_entry cmd_search_entry;
extern const struct cmd_entry cmd_select_entry;
extern const struct cmd_entry cmd_select_none_entry;
extern const struct cmd_entry cmd_select_query_entry;

/* cmd/cmd-sync.c */
extern const struct cmd_entry cmd_sync_entry;
extern const struct cmd_entry cmd_sync_cancel_entry;
void	 cmd_sync_kick(void);
void	 cmd_sync_cleanup(void);

/* cmd/cmd-attach.c */
extern const struct cmd_entry cmd_open_attachment_entry;
extern const struct cmd_entry cmd_pipe_attachment_entry;
extern const struct cmd_entry cmd_save_attachment_entry;

/* cmd/cmd-rsvp.c */
extern const struct cmd_entry cmd_rsvp_entry;
/* cmd/cmd-compose.c */
extern const struct cmd_entry cmd_compose_entry;
extern const struct cmd_entry cmd_compose_abort_entry;
extern const struct cmd_entry cmd_compose_attach_entry;
extern const struct cmd_entry cmd_compose_detach_entry;
extern const struct cmd_entry cmd_compose_edit_entry;
extern const struct cmd_entry cmd_compose_identity_entry;
extern const struct cmd_entry cmd_compose_send_entry;
extern const struct cmd_entry cmd_forward_entry;
extern const struct cmd_entry cmd_postpone_entry;
extern const struct cmd_entry cmd_recall_entry;
extern const struct cmd_entry cmd_reply_entry;
extern const struct cmd_entry cmd_reply_all_entry;
extern const struct cmd_entry cmd_resend_entry;

/* cmd/cmd-help.c */
extern const struct cmd_entry cmd_help_entry;

/* cmd/cmd-cal.c */
extern const struct cmd_entry cmd_calendar_entry;
extern const struct cmd_entry cmd_calendar_jump_entry;
extern const struct cmd_entry cmd_calendar_next_entry;
extern const struct cmd_entry cmd_calendar_previous_entry;
extern const struct cmd_entry cmd_task_new_entry;
extern const struct cmd_entry cmd_task_status_entry;
extern const struct cmd_entry cmd_tasks_entry;
/* cmd/cmd-complete-addr.c: the address book's matches for word, then
 * command's (query_command, NULL: none); free with
 * engine_addresses_free().  Failures go to the status line. */
struct engine_address;
void	 cmd_complete_lookup(const char *, const char *,
	    struct engine_address **, size_t *);

#endif /* CMD_PRIVATE_H */
