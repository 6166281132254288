/* Queuing the capability check after a change, for the other commands. */
#ifndef QUIRE_CMD_CHECK_H
#define QUIRE_CMD_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * Queue a check job of the printers IDS (none: nothing) and say
 * "check job N queued"; a failure is reported and returns CMD_FAILED.
 */
int cmd_check_queue(struct store *, const int64_t *ids, size_t n);

#endif
