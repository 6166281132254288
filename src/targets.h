/*
 * TARGETS on the command line: names, globs (lab-*), group:NAME,
 * model:PATTERN, all and @FILE (one target a line, # comments).
 */
#ifndef QUIRE_TARGETS_H
#define QUIRE_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * Resolve ARGS to printer ids, sorted and without duplicates. A target that
 * matches nothing is an error naming it (and the file and line for @FILE).
 * *ids is owned by the caller.
 */
int targets_resolve(struct store *, char *const *args, size_t nargs,
    int64_t **ids, size_t *nids, char **cause);

#endif
