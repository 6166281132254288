/* The printer inventory: the console's first pane, owner of a list pane. */
#ifndef QUIRE_UI_PANE_INVENTORY_H
#define QUIRE_UI_PANE_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

struct pane;
struct pane_inventory;
struct screen;
struct store;

/* An inventory over the printers of ST (borrowed); load it with _reload. */
struct pane_inventory *pane_inventory_new(struct store *);
void pane_inventory_free(struct pane_inventory **);

/* Its list pane, borrowed (freed with the inventory). */
struct pane *pane_inventory_pane(struct pane_inventory *);

/* Read the printers again; on failure the old rows stay and *cause is set. */
int pane_inventory_reload(struct pane_inventory *, char **cause);

/*
 * A detail view of the printer under the cursor, long values wrapped to
 * the screen's width (caller frees); NULL when no printer is shown.
 */
struct pane *pane_inventory_detail(struct pane_inventory *,
    const struct screen *);

/*
 * Queue a check of the marked printers, or of the one under the cursor:
 * sets *job_id and *n (printers). Returns 0, or -1 with *cause set.
 */
int pane_inventory_check(struct pane_inventory *, int64_t *job_id, size_t *n,
    char **cause);

#endif
