#include "config.h"

#include "console.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "cmd.h"
#include "engine.h"
#include "job-kinds.h"
#include "job.h"
#include "keys.h"
#include "log.h"
#include "pane-backup.h"
#include "pane-credentials.h"
#include "pane-distribute.h"
#include "pane-inventory.h"
#include "pane-setdata.h"
#include "pane.h"
#include "screen.h"
#include "status.h"
#include "store.h"
#include "targets.h"
#include "xmalloc.h"

/* inventory, credentials or backups, detail or diff, help */
#define CONSOLE_DEPTH		4
#define CONSOLE_TICK_MS		1000	/* look for other processes' changes */
#define CONSOLE_RELOAD_MS	200	/* at most this often on wake-ups */
#define CONSOLE_JOBS		32	/* newest jobs read for the status */
#define CONSOLE_MIN_LINES	5
#define CONSOLE_MIN_COLS	20

/* What the next draw paints besides the panes' and status' own flags. */
#define CONSOLE_DRAW_TITLE	0x1
#define CONSOLE_DRAW_CLEAR	0x2	/* from a blank screen: resize, ^L */

enum console_prompt {
	CONSOLE_PROMPT_NONE,
	CONSOLE_PROMPT_FILTER,
	CONSOLE_PROMPT_COMMAND,
	CONSOLE_PROMPT_BACKUP,		/* which categories to back up */
};

struct console {
	struct cmd_ctx	*ctx;
	struct store	*st;
	struct engine	*eng;		/* NULL if it could not start */
	struct screen	*scr;
	struct status	*status;
	struct pane_inventory *inv;
	struct pane_setdata *sd;	/* the setting-data editor, when open */
	struct pane_distribute *dist;	/* the distribution panes' state */
	struct pane	*stack[CONSOLE_DEPTH];	/* [0] is the inventory's */
	size_t		 depth;
	enum console_prompt prompt;
	int64_t		*backup_ids;	/* printers the backup prompt is for */
	size_t		 nbackup;
	int		 draw;
	int		 cursor;	/* prompt cursor column, or -1 */
	int64_t		 data_version;
	int64_t		 next_tick;	/* monotonic ms */
	int64_t		 reload_due;	/* monotonic ms, 0 when none */
	int64_t		 last_reload;
	bool		 quit;
};

static int console_distribute(struct console *, enum keys_op);

static int64_t
console_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct pane *
console_top(struct console *c)
{
	return c->stack[c->depth - 1];
}

/* Read the printers, an open credentials view and the jobs again. */
static void
console_reload(struct console *c)
{
	struct job_info *jobs = NULL;
	char *cause = NULL;
	size_t n = 0, i;

	c->data_version = store_data_version(c->st);
	c->last_reload = console_now();
	c->reload_due = 0;
	if (pane_inventory_reload(c->inv, &cause) != 0) {
		status_message(c->status, SCREEN_ERROR, "%s", cause);
		xfree(&cause);
	}
	for (i = 1; i < c->depth; i++) {
		if ((pane_credentials_is(c->stack[i]) &&
		    pane_credentials_reload(c->stack[i], &cause) != 0) ||
		    (pane_backup_is(c->stack[i]) &&
		    pane_backup_reload(c->stack[i], &cause) != 0)) {
			status_message(c->status, SCREEN_ERROR, "%s", cause);
			xfree(&cause);
		}
	}
	if (c->sd != NULL)
		pane_setdata_reload(c->sd);
	if (job_list(c->st, CONSOLE_JOBS, &jobs, &n, &cause) != 0) {
		status_message(c->status, SCREEN_ERROR, "%s", cause);
		free(cause);
		return;
	}
	status_jobs(c->status, jobs, n);
	job_list_free(&jobs, n);
	console_distribute(c, KEYS_OP_NONE);
}

/* ---- panes ---- */

static void
console_push(struct console *c, struct pane *p)
{
	if (c->depth == CONSOLE_DEPTH)
		pane_free(&c->stack[--c->depth]);
	c->stack[c->depth++] = p;
	pane_place(p, 1, screen_lines(c->scr) - 2, screen_cols(c->scr));
	c->draw |= CONSOLE_DRAW_TITLE;
}

static void
console_pop(struct console *c)
{
	if (c->depth <= 1)
		return;
	pane_free(&c->stack[--c->depth]);
	pane_place(console_top(c), 1, screen_lines(c->scr) - 2,
	    screen_cols(c->scr));
	c->draw |= CONSOLE_DRAW_TITLE;
}

static void
console_help_add(void *arg, const char *keys, const char *name,
    const char *help)
{
	const char *cells[3] = { keys, name, help };

	pane_table_add(arg, SCREEN_NORMAL, cells);
}

static const struct pane_column console_help_columns[] = {
	{ N_("KEY"), 6, 16 },
	{ N_("COMMAND"), 7, 14 },
	{ N_("WHAT IT DOES"), 10, 0 },
};

/* The keys of the pane below, and those of the prompt, from the tables. */
static struct pane *
console_help(struct console *c)
{
	enum keys_context ctx = pane_context(console_top(c));
	const char *note[3] = { "", "", _("While typing after / or :") };
	const char *cmds[3] = { ":", "", _("any COMMAND above, e.g. :check, :q") };
	struct pane *p;

	p = pane_new_table(_("Keys"), console_help_columns,
	    sizeof console_help_columns / sizeof console_help_columns[0],
	    N_("key"), N_("keys"));
	keys_help(ctx, console_help_add, p);
	pane_table_add(p, SCREEN_HEADER, cmds);
	pane_table_add(p, SCREEN_HEADER, note);
	keys_help(KEYS_EDIT, console_help_add, p);
	return p;
}

/* ---- ops ---- */

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
static void
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
static int
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
static int
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
static void
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

/* ---- keys ---- */

static void
console_prompt_key(struct console *c, int key)
{
	enum keys_op op = keys_lookup(KEYS_EDIT, key);
	enum status_edit e = status_edit(c->status, op, key);
	enum console_prompt prompt = c->prompt;
	char *line;

	if (e == STATUS_EDIT_NONE)
		return;
	if (prompt == CONSOLE_PROMPT_FILTER && e != STATUS_EDIT_ACCEPT) {
		pane_set_filter(console_top(c), e == STATUS_EDIT_CANCEL ?
		    NULL : status_prompt_text(c->status));
	}
	if (e == STATUS_EDIT_CHANGED)
		return;
	line = xstrdup(status_prompt_text(c->status));
	status_prompt_end(c->status);
	c->prompt = CONSOLE_PROMPT_NONE;
	if (prompt == CONSOLE_PROMPT_COMMAND && e == STATUS_EDIT_ACCEPT)
		console_command(c, line);
	else if (prompt == CONSOLE_PROMPT_BACKUP)
		console_backup_answer(c, e == STATUS_EDIT_ACCEPT ? line : NULL);
	free(line);
}

static void
console_key(struct console *c, int key)
{
	enum keys_op op;

	if (key == (SCREEN_KEY_FN | KEY_RESIZE)) {
		c->draw |= CONSOLE_DRAW_CLEAR;
		return;
	}
	status_clear(c->status);
	if (c->sd != NULL) {
		pane_setdata_key(&c->sd, key, &c->quit);
		c->draw |= c->sd == NULL ? CONSOLE_DRAW_CLEAR : 0;
		return;
	}
	if (c->prompt != CONSOLE_PROMPT_NONE) {
		console_prompt_key(c, key);
		return;
	}
	op = keys_lookup(pane_context(console_top(c)), key);
	if (op != KEYS_OP_NONE)
		console_dispatch(c, op);
}

/* ---- drawing ---- */

/* "quire · Printers" and key hints from the tables, right-aligned. */
static void
console_draw_title(struct console *c, int width)
{
	static const enum keys_op ops[] = {
		KEYS_OP_HELP, KEYS_OP_QUIT, KEYS_OP_CLOSE, KEYS_OP_FILTER,
		KEYS_OP_MARK, KEYS_OP_DIFF, KEYS_OP_CHECK, KEYS_OP_OPEN,
		KEYS_OP_BACKUP, KEYS_OP_HISTORY, KEYS_OP_PRINTERS,
		KEYS_OP_CREDENTIALS, KEYS_OP_COMMAND,
	};
	enum keys_context ctx = pane_context(console_top(c));
	char *title, *hints = xstrdup(""), *tmp, name[KEYS_NAME_MAX];
	int x, key;
	size_t i;

	title = xasprintf(" quire %s %s", screen_glyph(c->scr,
	    SCREEN_GLYPH_SEPARATOR), pane_title(console_top(c)));
	screen_put(c->scr, 0, 0, width, SCREEN_STATUS, title, true);
	x = screen_width(c->scr, title) + 2;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if ((key = keys_default(ctx, ops[i])) == -1)
			continue;
		tmp = xasprintf("%s  %s %s", hints, keys_key_name(key, name,
		    sizeof name), keys_op_name(ops[i]));
		if (screen_width(c->scr, tmp) + 1 > width - x) {
			free(tmp);
			break;
		}
		free(hints);
		hints = tmp;
	}
	x = width - screen_width(c->scr, hints) - 1;
	screen_put(c->scr, 0, x, width - x, SCREEN_STATUS, hints, false);
	free(hints);
	free(title);
}

static void
console_draw_clear(struct console *c)
{
	size_t i;

	screen_clear(c->scr);
	for (i = 0; i < c->depth; i++) {
		pane_place(c->stack[i], 1, screen_lines(c->scr) - 2,
		    screen_cols(c->scr));
	}
	status_redraw(c->status);
	c->draw |= CONSOLE_DRAW_TITLE;
}

static void
console_draw(struct console *c)
{
	int lines = screen_lines(c->scr), cols = screen_cols(c->scr);

	if (c->draw & CONSOLE_DRAW_CLEAR)
		console_draw_clear(c);
	if (lines < CONSOLE_MIN_LINES || cols < CONSOLE_MIN_COLS) {
		screen_put(c->scr, 0, 0, cols, SCREEN_NORMAL,
		    _("quire: the terminal is too small"), true);
		screen_cursor(c->scr, -1, 0);
		screen_update(c->scr);
		c->draw = CONSOLE_DRAW_CLEAR;
		return;
	}
	if (c->sd != NULL) {
		pane_setdata_draw(c->sd, c->scr, c->draw & CONSOLE_DRAW_CLEAR);
		c->draw = 0;
		return;
	}
	if (c->draw & CONSOLE_DRAW_TITLE)
		console_draw_title(c, cols);
	pane_draw(console_top(c), c->scr);
	if (status_dirty(c->status))
		c->cursor = status_draw(c->status, c->scr, lines - 1, cols);
	screen_cursor(c->scr, c->prompt != CONSOLE_PROMPT_NONE ? lines - 1 :
	    -1, c->cursor);
	screen_update(c->scr);
	c->draw = 0;
}

/* ---- the loop ---- */

static void
console_tick(struct console *c, int64_t now)
{
	c->next_tick = now + CONSOLE_TICK_MS;
	if (store_data_version(c->st) != c->data_version)
		console_reload(c);
}

/* A target finished: reload soon, but not once per target. */
static void
console_woken(struct console *c, int64_t now)
{
	engine_drain_wake(c->eng);
	if (c->reload_due == 0)
		c->reload_due = c->last_reload + CONSOLE_RELOAD_MS > now ?
		    c->last_reload + CONSOLE_RELOAD_MS : now;
}

static int
console_timeout(const struct console *c, int64_t now)
{
	int64_t next = c->next_tick;

	if (c->reload_due != 0 && c->reload_due < next)
		next = c->reload_due;
	return next > now ? (int)(next - now) : 0;
}

static void
console_input(struct console *c, short revents)
{
	int key;

	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		c->quit = true;
		return;
	}
	while (!c->quit && screen_getkey(c->scr, &key) == 0)
		console_key(c, key);
}

/* Wait for a key, a signal, the engine or the timer, and handle them. */
static void
console_wait(struct console *c)
{
	struct pollfd pfd[3] = {
		{ STDIN_FILENO, POLLIN, 0 },
		{ screen_signal_fd(c->scr), POLLIN, 0 },
		{ c->eng != NULL ? engine_wake_fd(c->eng) : -1, POLLIN, 0 },
	};
	int64_t now = console_now();
	int sigs;

	if (poll(pfd, 3, console_timeout(c, now)) == -1 && errno != EINTR) {
		log_error("poll: %s", strerror(errno));
		c->quit = true;
		return;
	}
	if (pfd[1].revents & POLLIN) {
		sigs = screen_signals(c->scr);
		if (sigs & SCREEN_QUIT)
			c->quit = true;
		if (sigs & SCREEN_RESIZED)
			c->draw |= CONSOLE_DRAW_CLEAR;
	}
	if (pfd[0].revents != 0)
		console_input(c, pfd[0].revents);
	now = console_now();
	if (pfd[2].revents & POLLIN)
		console_woken(c, now);
	if (c->reload_due != 0 && now >= c->reload_due)
		console_reload(c);
	if (now >= c->next_tick)
		console_tick(c, now);
}

/* ---- start and stop ---- */

static void
console_engine_start(struct console *c)
{
	struct engine_config cfg = { .db_path = c->ctx->db_path };
	const struct engine_kind *const *kinds;
	char *cause = NULL;
	size_t n;

	sigset_t block, old;
	int rc;

	/* Workers inherit the mask: the terminal's signals stay with us. */
	sigemptyset(&block);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGCONT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	kinds = job_kinds(&n);
	rc = engine_start(&cfg, kinds, n, &c->eng, &cause);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		status_message(c->status, SCREEN_ERROR,
		    _("jobs will wait for another quire: %s"), cause);
		free(cause);
		c->eng = NULL;
	}
}

static void
console_stop(struct console *c)
{
	if (c->eng != NULL) {
		status_message(c->status, SCREEN_NORMAL,
		    _("Waiting for running work to stop..."));
		c->draw = 0;
		console_draw(c);
		engine_stop(&c->eng);
	}
	while (c->depth > 1)
		console_pop(c);
	xfree(&c->backup_ids);
	pane_setdata_free(&c->sd);
	screen_close(&c->scr);
}

int
console_run(struct cmd_ctx *ctx)
{
	struct console c = { .ctx = ctx, .cursor = -1 };
	char *cause = NULL;

	if (cmd_open_store(ctx, &c.st) != 0)
		return CMD_FAILED;
	/* Nothing may write to the terminal while curses owns it. */
	log_mute_stderr();
	if (screen_open(&c.scr, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_free(&c.st);
		return CMD_FAILED;
	}
	c.status = status_new();
	c.dist = pane_distribute_new(c.st, c.scr, c.status);
	c.inv = pane_inventory_new(c.st);
	c.stack[c.depth++] = pane_inventory_pane(c.inv);
	console_engine_start(&c);
	console_reload(&c);
	c.next_tick = console_now() + CONSOLE_TICK_MS;
	c.draw = CONSOLE_DRAW_CLEAR;
	while (!c.quit) {
		console_draw(&c);
		console_wait(&c);
	}
	console_stop(&c);
	pane_distribute_free(&c.dist);
	pane_inventory_free(&c.inv);
	status_free(&c.status);
	store_free(&c.st);
	return CMD_OK;
}
