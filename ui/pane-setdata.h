/*
 * The setting-data editor (the configurator's console side): the list of
 * the setting data registered in quire, and an editor that walks a
 * category's settings and changes their values, checked against the
 * catalog as they are typed, then saves the data into quire.
 *
 * It is a mode of the console: while open it takes every key and draws
 * the whole screen but the status line's content, which it shares.
 */
#ifndef QUIRE_UI_PANE_SETDATA_H
#define QUIRE_UI_PANE_SETDATA_H

#include <stdbool.h>

struct pane_setdata;
struct screen;
struct status;
struct store;

/*
 * The list of registered setting data; ST and STATUS are borrowed and
 * must outlive it. NULL when it cannot open (the reason is put on
 * STATUS).
 */
struct pane_setdata *pane_setdata_open(struct store *, struct status *);
/* Free the editor (unsaved changes are lost); accepts NULL. */
void pane_setdata_free(struct pane_setdata **);

/*
 * Handle KEY. When the operator leaves the editor it is freed and *PS
 * becomes NULL; when the operator quits quire, *QUIT is set as well.
 */
void pane_setdata_key(struct pane_setdata **ps, int key, bool *quit);

/* Read the registered setting data again (another process changed it). */
void pane_setdata_reload(struct pane_setdata *);

/*
 * Paint what changed (ALL: everything, after a resize or ^L), the status
 * line included, place the cursor and update the terminal.
 */
void pane_setdata_draw(struct pane_setdata *, struct screen *, bool all);

#endif
