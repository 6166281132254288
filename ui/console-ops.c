/* What the console's keys and `:` commands do (the ops). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "console-int.h"
#include "job-kinds.h"
#include "job.h"
#include "pane-backup.h"
#include "pane-credentials.h"
#include "pane-distribute.h"
#include "pane-inventory.h"
#include "pane-setdata.h"
#include "targets.h"
#include "xmalloc.h"

static void
console_op_quit(struct console *c)
{
	c->quit = true;
}

static void
console_op_close(struct console *c)
{
	console_pop(c);
}

static void
console_op_help(struct console *c)
{
	console_push(c, console_help(c));
}

static void
console_op_redraw(struct console *c)
{
	c->draw |= CONSOLE_DRAW_CLEAR;
}

static void
console_op_command(struct console *c)
{
	c->prompt = CONSOLE_PROMPT_COMMAND;
	status_prompt(c->status, ":", "");
}

static void
console_op_filter(struct console *c)
{
	c->prompt = CONSOLE_PROMPT_FILTER;
	status_prompt(c->status, "/", pane_filter(console_top(c)));
}

static void
console_op_open(struct console *c)
{
	struct pane *p = NULL;
	char *cause = NULL;

	if (console_top(c) == pane_inventory_pane(c->inv))
		p = pane_inventory_detail(c->inv, c->scr);
	else if (pane_credentials_is(console_top(c)))
		p = pane_credentials_detail(console_top(c));
	else if (pane_backup_is(console_top(c)) &&
	    pane_backup_values(console_top(c), c->scr, &p, &cause) != 0) {
		status_message(c->status, SCREEN_ERROR, "%s", cause);
		free(cause);
	}
	if (p != NULL)
		console_push(c, p);
}

static void
console_op_printers(struct console *c)
{
	while (c->depth > 1)
		console_pop(c);
}

/* The credentials view, above the printers (from anywhere). */
static void
console_op_credentials(struct console *c)
{
	struct pane *p = pane_credentials_new(c->st);
	char *cause = NULL;

	console_op_printers(c);
	if (pane_credentials_reload(p, &cause) != 0) {
		status_message(c->status, SCREEN_ERROR, "%s", cause);
		free(cause);
		pane_free(&p);
		return;
	}
	console_push(c, p);
}

/* KIND is the job's kind, as the status line names running jobs. */
static void
console_submitted(struct console *c, const char *kind, int64_t job_id,
    size_t n)
{
	if (c->eng != NULL)
		engine_kick(c->eng);
	status_message(c->status, SCREEN_OK, n == 1 ?
	    _("%s #%lld queued for %zu printer") :
	    _("%s #%lld queued for %zu printers"), kind, (long long)job_id, n);
	console_reload(c);
}

static void
console_op_check(struct console *c)
{
	char *cause = NULL;
	int64_t job_id;
	size_t n;

	if (pane_inventory_check(c->inv, &job_id, &n, &cause) != 0) {
		status_message(c->status, SCREEN_ERROR, "%s", cause);
		free(cause);
		return;
	}
	console_submitted(c, JOB_KIND_CHECK, job_id, n);
}

/* ---- backups ---- */

/* Push P, or say why there is none. */
static void
console_push_or_say(struct console *c, int rc, struct pane *p, char *cause)
{
	if (rc == 0) {
		console_push(c, p);
		return;
	}
	status_message(c->status, SCREEN_WARN, "%s", cause);
	free(cause);
}

/* The backup history of the marked printers, else the current one. */
static void
console_op_history(struct console *c)
{
	struct pane *p = NULL;
	char *cause = NULL;
	int64_t *ids;
	size_t n;
	int rc;

	console_op_printers(c);
	ids = pane_selection(pane_inventory_pane(c->inv), &n);
	rc = pane_backup_open(c->st, ids, n, &p, &cause);
	free(ids);
	console_push_or_say(c, rc, p, cause);
}

/* Every printer's backups instead of the chosen ones', or back. */
static void
console_op_history_all(struct console *c)
{
	struct pane *p = NULL;
	char *cause = NULL;
	int rc;

	if (!pane_backup_is(console_top(c))) {
		console_op_printers(c);
		rc = pane_backup_open(c->st, NULL, 0, &p, &cause);
	} else if ((rc = pane_backup_open_other(console_top(c), &p,
	    &cause)) == 0)
		console_pop(c);
	console_push_or_say(c, rc, p, cause);
}

static void
console_op_diff(struct console *c)
{
	struct pane *p = NULL;
	char *cause = NULL;
	int rc = -1;

	if (!pane_backup_is(console_top(c)))
		cause = xstrdup(_("diff: open the backup history first (H)"));
	else
		rc = pane_backup_diff(console_top(c), c->scr, &p, &cause);
	console_push_or_say(c, rc, p, cause);
}

/* Ask which categories to back up the printers IDS (taken) in. */
static void
console_backup_ask(struct console *c, int64_t *ids, size_t n)
{
	char *prefix;

	free(c->backup_ids);
	c->backup_ids = ids;
	c->nbackup = n;
	if (n == 0) {
		status_message(c->status, SCREEN_WARN,
		    _("there is no printer to back up"));
		return;
	}
	c->prompt = CONSOLE_PROMPT_BACKUP;
	prefix = xasprintf(n == 1 ? _("Back up %zu printer; categories "
	    "(Enter: all): ") : _("Back up %zu printers; categories "
	    "(Enter: all): "), n);
	status_prompt(c->status, prefix, "");
	free(prefix);
}

static void
console_op_backup(struct console *c)
{
	int64_t *ids;
	size_t n;

	ids = pane_selection(pane_inventory_pane(c->inv), &n);
	console_backup_ask(c, ids, n);
}

/* The categories typed at the backup prompt (NULL: cancelled). */
void
console_backup_answer(struct console *c, const char *line)
{
	char *cause = NULL;
	int64_t job_id;

	if (line == NULL)
		status_message(c->status, SCREEN_NORMAL, _("nothing backed up"));
	else if (pane_backup_queue(c->st, c->backup_ids, c->nbackup, line,
	    &job_id, &cause) != 0) {
		status_message(c->status, SCREEN_ERROR, "%s", cause);
		free(cause);
	} else
		console_submitted(c, JOB_KIND_BACKUP, job_id, c->nbackup);
	xfree(&c->backup_ids);
	c->nbackup = 0;
}

static void
console_op_setdata(struct console *c)
{
	c->sd = pane_setdata_open(c->st, c->status);
}

/* Open and close what the distribution panes ask (pane-distribute.h). */
int
console_distribute(struct console *c, enum keys_op op)
{
	struct pane_distribute_do d;

	if (!pane_distribute_hook(c->dist, c->stack, c->depth, op, &d))
		return -1;
	while (d.pop-- != 0 && c->depth > 1)
		console_pop(c);
	if (d.push != NULL)
		console_push(c, d.push);
	if (d.kick && c->eng != NULL)
		engine_kick(c->eng);
	return 0;
}

/* Op -> handler for the console; list ops fall through to the pane. */
static const struct console_action {
	enum keys_op	 op;
	void		(*fn)(struct console *);
} console_actions[] = {
	{ KEYS_OP_QUIT, console_op_quit },
	{ KEYS_OP_CLOSE, console_op_close },
	{ KEYS_OP_HELP, console_op_help },
	{ KEYS_OP_REDRAW, console_op_redraw },
	{ KEYS_OP_COMMAND, console_op_command },
	{ KEYS_OP_FILTER, console_op_filter },
	{ KEYS_OP_OPEN, console_op_open },
	{ KEYS_OP_CHECK, console_op_check },
	{ KEYS_OP_CREDENTIALS, console_op_credentials },
	{ KEYS_OP_HISTORY, console_op_history },
	{ KEYS_OP_HISTORY_ALL, console_op_history_all },
	{ KEYS_OP_BACKUP, console_op_backup },
	{ KEYS_OP_DIFF, console_op_diff },
	{ KEYS_OP_PRINTERS, console_op_printers },
	{ KEYS_OP_SETDATA, console_op_setdata },
};

/* Run OP; -1 if nothing here handles it. */
int
console_dispatch(struct console *c, enum keys_op op)
{
	size_t i;

	if (console_distribute(c, op) == 0)
		return 0;
	for (i = 0; i < sizeof console_actions / sizeof console_actions[0];
	    i++) {
		if (console_actions[i].op == op) {
			console_actions[i].fn(c);
			return 0;
		}
	}
	return pane_op(console_top(c), op);
}

/* ":check TARGETS": the printers named, as on the command line. */
static void
console_check_targets(struct console *c, char **args, size_t nargs)
{
	int64_t *ids = NULL, job_id;
	char *cause = NULL;
	size_t n = 0;

	if (targets_resolve(c->st, args, nargs, &ids, &n, &cause) != 0 ||
	    job_submit(c->st, JOB_KIND_CHECK, NULL, ids, n, store_whoami(),
	    &job_id, &cause) != 0) {
		status_message(c->status, SCREEN_ERROR, "%s", cause);
		free(cause);
		free(ids);
		return;
	}
	free(ids);
	console_submitted(c, JOB_KIND_CHECK, job_id, n);
}

/* ":backup TARGETS": the printers named, then which categories. */
static void
console_backup_targets(struct console *c, char **args, size_t nargs)
{
	int64_t *ids = NULL;
	char *cause = NULL;
	size_t n = 0;

	if (targets_resolve(c->st, args, nargs, &ids, &n, &cause) != 0) {
		status_message(c->status, SCREEN_ERROR, "%s", cause);
		free(cause);
		free(ids);
		return;
	}
	console_backup_ask(c, ids, n);
}

/* A line typed after ':' names an op ("check", "quit", "q", ...). */
void
console_command(struct console *c, const char *line)
{
	char *copy = xstrdup(line), *word, *save = NULL, *args[32];
	enum keys_op op;
	size_t nargs = 0;

	word = strtok_r(copy, " \t", &save);
	while (word != NULL && (args[nargs] = strtok_r(NULL, " \t",
	    &save)) != NULL && nargs < sizeof args / sizeof args[0] - 1)
		nargs++;
	if (word == NULL) {
		free(copy);
		return;
	}
	if ((op = keys_op_find(word)) == KEYS_OP_NONE)
		status_message(c->status, SCREEN_ERROR,
		    _("unknown command: %s (? lists them)"), word);
	else if (op == KEYS_OP_CHECK && nargs > 0)
		console_check_targets(c, args, nargs);
	else if (op == KEYS_OP_BACKUP && nargs > 0)
		console_backup_targets(c, args, nargs);
	else if (console_dispatch(c, op) != 0)
		status_message(c->status, SCREEN_WARN,
		    _("%s: not available here"), word);
	free(copy);
}
