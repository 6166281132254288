/*
 * Distributing setting data from the console: the distribution jobs pane
 * (each job with a progress bar; its printers with per-outcome counts; a
 * printer's settings with old -> new), cancel, retry and roll back, and the
 * action on the marked printers: choose registered setting data, preview it
 * with a dry run, confirm, write. The console calls one hook for the ops of
 * these panes and when the store changed; the hook says what to open or
 * close, since the pane stack is the console's.
 */
#ifndef QUIRE_UI_PANE_DISTRIBUTE_H
#define QUIRE_UI_PANE_DISTRIBUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

struct pane;
struct pane_distribute;
struct screen;
struct status;
struct store;

/* The state over ST, SCR and STATUS (all borrowed); free it last. */
struct pane_distribute *pane_distribute_new(struct store *,
    const struct screen *, struct status *);
void pane_distribute_free(struct pane_distribute **);

/* What the console does once the hook has run, in this order. */
struct pane_distribute_do {
	int		 pop;	/* close that many panes; -1: back to the
				   printers */
	struct pane	*push;	/* then open this one (the console owns it) */
	bool		 kick;	/* a job was queued: wake the engine */
};

/*
 * Handle OP for the console's panes STACK (DEPTH of them, STACK[0] the
 * printer inventory), or, with KEYS_OP_NONE, read the open distribution
 * panes again because the store changed. Messages go to the status line.
 * Returns false when OP is not the distribution panes' business.
 */
bool pane_distribute_hook(struct pane_distribute *, struct pane *const *stack,
    size_t depth, enum keys_op, struct pane_distribute_do *);

#endif
