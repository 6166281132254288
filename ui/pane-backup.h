/*
 * The backup history: a list pane over the backups (one snapshot per
 * printer and category) of the chosen printers or of all, grouped by
 * printer, newest first, with what changed since the previous backup.
 * From it, the values of one backup and the diff of two.
 */
#ifndef QUIRE_UI_PANE_BACKUP_H
#define QUIRE_UI_PANE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pane;
struct screen;
struct store;

/*
 * A list pane (key context KEYS_BACKUPS) over the backups of the printers
 * IDS (copied), or of every printer when N is 0; ST is borrowed and
 * pane_free() frees it all. Load it with pane_backup_reload().
 */
struct pane *pane_backup_new(struct store *, const int64_t *ids, size_t n);

/* True if P is a backup history pane. */
bool pane_backup_is(const struct pane *);

/* Read the backups again; on failure the old rows stay, *cause is set. */
int pane_backup_reload(struct pane *, char **cause);

/*
 * A new pane as pane_backup_new() gives, loaded, in *OUT (caller frees).
 * N may be 0 (every printer). Returns 0, or -1 with *cause set.
 */
int pane_backup_open(struct store *, const int64_t *ids, size_t n,
    struct pane **out, char **cause);

/*
 * The history of P over every printer, or back over the chosen ones when
 * P shows every printer, loaded, in *OUT (caller frees). Returns 0, or -1
 * with *cause set (also when P was never given printers to go back to).
 */
int pane_backup_open_other(struct pane *, struct pane **out, char **cause);

/*
 * Queue a backup of the printers IDS in CATEGORIES as typed by the
 * operator (blank: all): sets *job. Returns 0, or -1 with *cause set.
 */
int pane_backup_queue(struct store *, const int64_t *ids, size_t n,
    const char *categories, int64_t *job, char **cause);

/*
 * A view of the values of the backup under the cursor, long values wrapped
 * to SCR's width (caller frees). Returns 0, or -1 with *cause set.
 */
int pane_backup_values(struct pane *, const struct screen *,
    struct pane **out, char **cause);

/*
 * The diff of the two marked backups, older to newer; of the marked one
 * and the one under the cursor; or, with no mark, of the one under the
 * cursor and the previous backup of its printer and category (caller
 * frees). Returns 0, or -1 with *cause set.
 */
int pane_backup_diff(struct pane *, const struct screen *, struct pane **out,
    char **cause);

#endif
