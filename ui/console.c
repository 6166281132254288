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

#include "cmd.h"
#include "console-int.h"
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
#include "xmalloc.h"


static int64_t
console_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct pane *
console_top(struct console *c)
{
	return c->stack[c->depth - 1];
}

/* Read the printers, an open credentials view and the jobs again. */
void
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

void
console_push(struct console *c, struct pane *p)
{
	if (c->depth == CONSOLE_DEPTH)
		pane_free(&c->stack[--c->depth]);
	c->stack[c->depth++] = p;
	pane_place(p, 1, screen_lines(c->scr) - 2, screen_cols(c->scr));
	c->draw |= CONSOLE_DRAW_TITLE;
}

void
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
struct pane *
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
