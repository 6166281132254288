/*
 * The list pane: a generic scrolling list that knows only which of its
 * owner's rows are shown (after the filter and the sort), the current one
 * and the top one, and asks the owner for each cell's text (neomutt's menu,
 * htop's Panel). It filters, sorts, marks, lays out columns and draws a
 * header, the rows and a footer; it repaints only the rows that changed.
 */
#ifndef QUIRE_UI_PANE_H
#define QUIRE_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "screen.h"

struct pane;

/* Flags for pane_new(). */
#define PANE_MARKS	0x1	/* rows can be marked */
#define PANE_SORT	0x2	/* 's' cycles the sort column */

/* A column: its title and the width it wants. */
struct pane_column {
	const char	*title;		/* N_() text, translated when drawn */
	int		 min;		/* narrowest width still useful */
	int		 max;		/* widest wanted; 0 for no limit */
};

/* One cell as the owner sees it. */
struct pane_cell {
	const char	*text;		/* borrowed until pane_reload() */
	enum screen_role role;		/* SCREEN_NORMAL for plain text */
};

/* What a pane asks of its owner: one const table per kind of pane. */
struct pane_owner {
	const char	*one;		/* N_() noun for the footer: "printer" */
	const char	*many;		/* "printers" */
	const struct pane_column *columns;
	size_t		 ncolumns;
	size_t		(*count)(void *arg);
	/* A key that names the row across reloads (marks hold keys). */
	int64_t		(*key)(void *arg, size_t row);
	void		(*cell)(void *arg, size_t row, size_t col,
			    struct pane_cell *);
	/* What to show when there are no rows at all; may be NULL. */
	const char	*(*empty)(void *arg);
	/* Called by pane_free() when the pane owns ARG; may be NULL. */
	void		(*free)(void *arg);
};

/*
 * A pane over OWNER's rows (ARG is passed back to the owner). TITLE is
 * copied; keys are read in CONTEXT. Call pane_reload() once rows exist.
 */
struct pane *pane_new(const struct pane_owner *, void *arg, const char *title,
    int flags, enum keys_context);
/* Free the pane (and ARG if the owner has free()); accepts NULL. */
void pane_free(struct pane **);

/* A pane over a table of strings it owns (detail and help views). */
struct pane *pane_new_table(const char *title, const struct pane_column *,
    size_t ncolumns, const char *one, const char *many);
/* Add a row of NCOLUMNS cells (copied); ROLE colours its last cell. */
void pane_table_add(struct pane *, enum screen_role,
    const char *const *cells);

/*
 * The owner's rows changed: filter and sort again, keep the cursor on the
 * same key and drop marks whose key is gone.
 */
void pane_reload(struct pane *);

/* Show only rows whose text contains TEXT, case-insensitively (NULL: all). */
void pane_set_filter(struct pane *, const char *text);
/* The filter, borrowed, or NULL when none. */
const char *pane_filter(const struct pane *);

/* Apply a list op (moving, marks, sort). Returns 0, or -1 if not one. */
int pane_op(struct pane *, enum keys_op);

/* The owner's row under the cursor; false when nothing is shown. */
bool pane_current(const struct pane *, size_t *row);
/* How many rows are marked, shown or not. */
size_t pane_marked(const struct pane *);
/*
 * The keys to act on: the marked rows (shown or not), else the current row.
 * Caller frees; NULL with *n = 0 when there is nothing.
 */
int64_t *pane_selection(const struct pane *, size_t *n);

/* The ARG given to pane_new(), borrowed. */
void *pane_arg(const struct pane *);
/* The title for the title bar, and the key context, borrowed. */
const char *pane_title(const struct pane *);
enum keys_context pane_context(const struct pane *);

/* Give the pane rows Y .. Y + HEIGHT - 1, WIDTH columns wide. */
void pane_place(struct pane *, int y, int height, int width);
/* Repaint everything at the next pane_draw(). */
void pane_redraw(struct pane *);
/* Paint what changed since the last call. */
void pane_draw(struct pane *, struct screen *);

#endif
