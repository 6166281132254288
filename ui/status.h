/*
 * The console's bottom line: a message (until the next key), the running
 * jobs with a progress bar, and the one-line prompt used by '/' and ':'.
 */
#ifndef QUIRE_UI_STATUS_H
#define QUIRE_UI_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"
#include "screen.h"

struct job_info;
struct status;

/* An empty status line; free with status_free(), which accepts NULL. */
struct status *status_new(void);
void status_free(struct status **);

/* Show a message in ROLE (sanitised) until the next key or message. */
void status_message(struct status *, enum screen_role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Remove the message, if any. */
void status_clear(struct status *);

/*
 * Take the newest jobs (job_list()) and show the active ones; a job that
 * was active at the last call and no longer is gets a message. Returns
 * true while a job is queued or running.
 */
bool status_jobs(struct status *, const struct job_info *jobs, size_t n);

/* What a key did to the prompt. */
enum status_edit {
	STATUS_EDIT_NONE,	/* nothing changed */
	STATUS_EDIT_CHANGED,	/* the text changed */
	STATUS_EDIT_ACCEPT,	/* Enter */
	STATUS_EDIT_CANCEL,	/* Esc */
};

/* Start a prompt shown as PREFIX (":" or "/") followed by TEXT. */
void status_prompt(struct status *, const char *prefix, const char *text);
/* Apply OP (from KEYS_EDIT) or, when OP is none, insert the character KEY. */
enum status_edit status_edit(struct status *, enum keys_op, int key);
/* The text typed so far, borrowed until the next edit. */
const char *status_prompt_text(const struct status *);
bool status_prompting(const struct status *);
/* Leave the prompt (the caller has taken its text). */
void status_prompt_end(struct status *);

/* True when status_draw() has something new to paint. */
bool status_dirty(const struct status *);
/* Paint everything at the next status_draw() (after a clear). */
void status_redraw(struct status *);
/* Draw at line Y; returns the cursor's column while prompting, else -1. */
int status_draw(struct status *, struct screen *, int y, int width);

#endif
