/*
 * The capability check running by itself: a check job queued when printers
 * are added or their credentials change, and the scheduled check of every
 * printer (config keys check.interval, in seconds, and check.last, the
 * milliseconds when the last scheduled check was queued).
 */
#ifndef QUIRE_CHECK_AUTO_H
#define QUIRE_CHECK_AUTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The schedule when check.interval is unset: daily. */
#define CHECK_INTERVAL_DEFAULT	86400

/*
 * Queue a check job of the printers IDS under WHO, with PARAMS (may be
 * NULL). With no printer nothing is queued and *JOB is 0.
 */
int check_queue(struct store *, const int64_t *ids, size_t n,
    const char *params, const char *who, int64_t *job, char **cause);

/*
 * The printers that try credential NAME: those listing it and those of the
 * groups listing it, each once. *IDS is caller-freed (NULL when none).
 */
int check_credential_printers(struct store *, const char *name,
    int64_t **ids, size_t *n, char **cause);

/* The interval in seconds (0: no schedule) and check.last (0: never). */
int check_schedule_get(struct store *, int64_t *interval, int64_t *last_ms,
    char **cause);
/* Set check.interval to INTERVAL seconds (0 disables); audited under WHO. */
int check_schedule_set(struct store *, int64_t interval, const char *who,
    char **cause);
/* Whether a scheduled check is due at NOW_MS. */
int check_schedule_due(struct store *, int64_t now_ms, bool *due,
    char **cause);
/*
 * When due at NOW_MS, queue the check of every printer under WHO and set
 * check.last to NOW_MS; *JOB is the job, or 0 when nothing was queued.
 */
int check_schedule_run(struct store *, int64_t now_ms, const char *who,
    int64_t *job, char **cause);

#endif
