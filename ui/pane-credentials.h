/*
 * The credentials view: a list pane over the credential sets, public
 * fields only (no secret is ever read, so none can be shown).
 */
#ifndef QUIRE_UI_PANE_CREDENTIALS_H
#define QUIRE_UI_PANE_CREDENTIALS_H

#include <stdbool.h>

struct pane;
struct store;

/*
 * A list pane (key context KEYS_CREDS) over the credentials of ST
 * (borrowed); pane_free() frees it all. Load it with _reload.
 */
struct pane *pane_credentials_new(struct store *);

/* True if P is a credentials pane. */
bool pane_credentials_is(const struct pane *);

/* Read the credentials again; on failure the old rows stay, *cause set. */
int pane_credentials_reload(struct pane *, char **cause);

/*
 * A detail view of the credential under the cursor: its public fields and
 * the printers and groups that use it (caller frees); NULL when none.
 */
struct pane *pane_credentials_detail(struct pane *);

#endif
