/*
 * Listings as table, CSV, YAML or JSON: collect rows of strings, then print.
 * Cells are sanitised for the terminal in table form and escaped otherwise.
 */
#ifndef QUIRE_UI_FORMAT_H
#define QUIRE_UI_FORMAT_H

#include <stdio.h>

enum format_kind { FORMAT_TABLE, FORMAT_CSV, FORMAT_YAML, FORMAT_JSON };

struct format;

/* Parse "table", "csv", "yaml" or "json"; -1 if unknown. */
int format_parse(const char *s, enum format_kind *kind);

/* COLUMNS are NCOLS borrowed keys (used as headers and YAML/JSON keys). */
struct format *format_new(enum format_kind, const char *const *columns,
    size_t ncols);
/* Add a row of NCOLS cells (copied; NULL prints as empty / null). */
void format_row(struct format *, const char *const *cells);
void format_print(struct format *, FILE *);
void format_free(struct format **);

#endif
