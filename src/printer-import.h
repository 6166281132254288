/*
 * `printer import FILE`: CSV (name,address[,group] with an optional header
 * line) or YAML (a list, or a map with `printers:`, of {name, address,
 * group}). Every row is checked before anything is written.
 */
#ifndef QUIRE_PRINTER_IMPORT_H
#define QUIRE_PRINTER_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct printer_import_result {
	size_t	 added;
	size_t	 updated;	/* existing name, new address or group */
	size_t	 unchanged;
	int64_t	*changed;	/* ids of those added or updated (owned) */
	size_t	 nchanged;
};

/*
 * Import PATH in one transaction (nothing when DRY_RUN). On bad input
 * returns -1 and *cause lists every error as "FILE:LINE: reason", one a line.
 */
int printer_import_file(struct store *, const char *path, bool dry_run,
    struct printer_import_result *, char **cause);
void printer_import_result_clear(struct printer_import_result *);

#endif
