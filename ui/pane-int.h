/*
 * A pane's state, shared by pane.c (rows, marks, filter, sort, keys) and
 * pane-draw.c (layout and painting). Nothing outside the pane includes it.
 */
#ifndef QUIRE_PANE_INT_H
#define QUIRE_PANE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "pane.h"

/* What pane_draw() must paint. */
#define PANE_DIRTY_ALL		0x1	/* header, every row, footer */
#define PANE_DIRTY_LAYOUT	0x2	/* column widths first */
#define PANE_DIRTY_FOOTER	0x4
#define PANE_DIRTY_ROWS		0x8	/* the rows in dirty_rows[] */

/* Ways to merge two sorted key sets. */
enum pane_merge { PANE_UNION, PANE_XOR, PANE_AND };

struct pane {
	const struct pane_owner *owner;
	void		*arg;
	char		*title;
	int		 flags;
	enum keys_context context;

	size_t		*shown;		/* owner rows, filtered and sorted */
	size_t		 nshown;
	size_t		 current;	/* index into shown */
	size_t		 top;		/* first shown index on screen */
	int64_t		 current_key;	/* survives the owner's reloads */
	bool		 has_current;
	int64_t		*marks;		/* sorted keys */
	size_t		 nmarks;
	char		*filter;
	wchar_t		*wfilter;	/* the filter, lower case */
	size_t		 sort;		/* column */
	bool		 reverse;

	int		 y, height, width;
	int		*widths;	/* per column; 0 when dropped */
	int		 dirty;
	size_t		 dirty_rows[2];	/* shown indices */
	size_t		 ndirty;

	char		*text;		/* scratch for filtering */
	size_t		 textsz;
	wchar_t		*wtext;
	size_t		 wtextsz;
};

/* pane.c: the owner's rows through the pane's filter and sort. */
size_t pane_rows(const struct pane *);
int64_t pane_key(const struct pane *, size_t row);
const char *pane_text(const struct pane *, size_t row, size_t col);
bool pane_is_marked(const struct pane *, int64_t key);
/* Keep the current row on screen. */
void pane_scroll(struct pane *);

#endif
