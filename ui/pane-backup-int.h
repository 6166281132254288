/* Shared by the backup history (pane-backup.c) and its views. */
#ifndef QUIRE_UI_PANE_BACKUP_INT_H
#define QUIRE_UI_PANE_BACKUP_INT_H

#include <stdint.h>

struct backup_entry;
struct pane;
struct screen;
struct store;

/* S (NULL: "") made safe for the terminal; caller frees. */
char *pane_backup_clean(const char *s);
/* MS since the epoch as local "YYYY-MM-DD HH:MM:SS"; caller frees. */
char *pane_backup_time(int64_t ms);

/*
 * A view of the values of backup E, long values wrapped to SCR's width
 * (caller frees). NULL with *cause set when they cannot be read.
 */
struct pane *pane_backup_view_values(struct store *,
    const struct backup_entry *e, const struct screen *, char **cause);
/*
 * A view of what changed from backup OLD to backup NEW, setting by
 * setting (caller frees). NULL with *cause set on failure.
 */
struct pane *pane_backup_view_diff(struct store *,
    const struct backup_entry *old, const struct backup_entry *new,
    const struct screen *, char **cause);

#endif
