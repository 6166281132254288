/* The kinds of job this build runs, for engine_start(). */
#ifndef QUIRE_JOB_KINDS_H
#define QUIRE_JOB_KINDS_H

#include <stddef.h>

#include "engine.h"

/* The identity check (SNMP v2c now; the full capability check later). */
#define JOB_KIND_CHECK "check"

/* The kinds themselves, one per src/job-*.c file. */
extern const struct engine_kind job_kind_check;
extern const struct engine_kind job_kind_backup;	/* backup.h */
extern const struct engine_kind job_kind_distribute;	/* distribute.h */

/* Every kind, as a borrowed array of N pointers. */
const struct engine_kind *const *job_kinds(size_t *n);

#endif
