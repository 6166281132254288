#include "config.h"

#include "pane.h"

#include <stdlib.h>

#include "xmalloc.h"

/* A pane over a table of strings it owns: detail views and help. */
struct pane_table {
	struct pane_owner owner;
	struct pane_table_row {
		char		**cells;
		enum screen_role role;
	}		*rows;
	size_t		 nrows;
};

static size_t
pane_table_count(void *arg)
{
	return ((struct pane_table *)arg)->nrows;
}

static int64_t
pane_table_key(void *arg, size_t row)
{
	return (int64_t)row;
}

/* The row's role colours its last cell (a detail view's value). */
static void
pane_table_cell(void *arg, size_t row, size_t col, struct pane_cell *cell)
{
	struct pane_table *t = arg;

	cell->text = t->rows[row].cells[col];
	if (col + 1 == t->owner.ncolumns)
		cell->role = t->rows[row].role;
}

static void
pane_table_free(void *arg)
{
	struct pane_table *t = arg;
	size_t i, j;

	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->owner.ncolumns; j++)
			free(t->rows[i].cells[j]);
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t);
}

struct pane *
pane_new_table(const char *title, const struct pane_column *columns,
    size_t ncolumns, const char *one, const char *many)
{
	struct pane_table *t = xcalloc(1, sizeof *t);

	t->owner.one = one;
	t->owner.many = many;
	t->owner.columns = columns;
	t->owner.ncolumns = ncolumns;
	t->owner.count = pane_table_count;
	t->owner.key = pane_table_key;
	t->owner.cell = pane_table_cell;
	t->owner.free = pane_table_free;
	return pane_new(&t->owner, t, title, 0, KEYS_VIEW);
}

void
pane_table_add(struct pane *p, enum screen_role role, const char *const *cells)
{
	struct pane_table *t = pane_arg(p);
	struct pane_table_row *r;
	size_t i;

	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	r = &t->rows[t->nrows++];
	r->role = role;
	r->cells = xcalloc(t->owner.ncolumns, sizeof *r->cells);
	for (i = 0; i < t->owner.ncolumns; i++)
		r->cells[i] = xstrdup(cells[i] != NULL ? cells[i] : "");
	pane_reload(p);
}
