/*
 * The console's state, shared by console.c (the loop, keys and drawing)
 * and console-ops.c (what the keys and `:` commands do). Nothing outside
 * the console includes this.
 */
#ifndef QUIRE_CONSOLE_INT_H
#define QUIRE_CONSOLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "engine.h"
#include "keys.h"
#include "pane.h"
#include "screen.h"
#include "status.h"
#include "store.h"

struct pane_inventory;
struct pane_setdata;
struct pane_distribute;

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

/* console.c */
struct pane *console_top(struct console *);
void console_reload(struct console *);
void console_push(struct console *, struct pane *);
void console_pop(struct console *);
struct pane *console_help(struct console *);

/* console-ops.c */
/* Run OP; -1 if nothing here handles it. */
int console_dispatch(struct console *, enum keys_op);
/* The distribution panes' hook: 0 when they handled OP. */
int console_distribute(struct console *, enum keys_op);
/* A line typed after ':'. */
void console_command(struct console *, const char *line);
/* The categories typed for a backup, or NULL when cancelled. */
void console_backup_answer(struct console *, const char *line);

#endif
