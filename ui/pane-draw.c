/* A pane's layout and drawing: column widths, header, rows, footer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pane-int.h"
#include "xmalloc.h"

/* Columns before the cells: the cursor glyph, the mark glyph, a blank. */
static int
pane_prefix(const struct pane *p)
{
	return (p->flags & PANE_MARKS) ? 3 : 2;
}

/* Each column's wanted width: its title or its widest cell, capped. */
static void
pane_measure(const struct pane *p, struct screen *s, int *want)
{
	const struct pane_column *c = p->owner->columns;
	size_t count = p->owner->count(p->arg), ncols = p->owner->ncolumns;
	size_t row, col;
	int w;

	for (col = 0; col < ncols; col++)
		want[col] = screen_width(s, _(c[col].title));
	for (row = 0; row < count; row++) {
		for (col = 0; col < ncols; col++) {
			w = screen_width(s, pane_text(p, row, col));
			if (w > want[col])
				want[col] = w;
		}
	}
	for (col = 0; col < ncols; col++) {
		if (c[col].max > 0 && want[col] > c[col].max)
			want[col] = c[col].max;
	}
}

/*
 * Give each column its minimum, dropping columns from the right until they
 * fit, then share what is left out up to what each wants.
 */
static void
pane_layout(struct pane *p, struct screen *s)
{
	const struct pane_column *c = p->owner->columns;
	size_t ncols = p->owner->ncolumns, n = ncols, i;
	int avail = p->width - pane_prefix(p), *want, used, add;

	want = xcalloc(ncols, sizeof *want);
	pane_measure(p, s, want);
	for (i = 0; i < ncols; i++)
		p->widths[i] = c[i].min < want[i] ? c[i].min : want[i];
	for (;;) {
		for (used = (int)n - 1, i = 0; i < n; i++)
			used += p->widths[i];
		if (n == 1 || used <= avail)
			break;
		p->widths[--n] = 0;
	}
	for (i = 0; i < n && used < avail; i++) {
		add = want[i] - p->widths[i];
		if (add > avail - used)
			add = avail - used;
		if (add > 0) {
			p->widths[i] += add;
			used += add;
		}
	}
	/* The last column takes the rest, or is cut when even one is too wide. */
	p->widths[n - 1] += avail - used;
	if (p->widths[n - 1] < 0)
		p->widths[n - 1] = 0;
	free(want);
}

static void
pane_draw_header(struct pane *p, struct screen *s)
{
	const struct pane_column *c = p->owner->columns;
	int x = pane_prefix(p);
	size_t i;

	screen_blank(s, p->y, 0, p->width, SCREEN_HEADER);
	for (i = 0; i < p->owner->ncolumns && x < p->width; i++) {
		if (p->widths[i] == 0)
			continue;
		screen_put(s, p->y, x, p->widths[i], SCREEN_HEADER,
		    _(c[i].title), false);
		x += p->widths[i] + 1;
	}
}

/* The cells of owner row ROW at line Y in BASE, or in SELECTED. */
static void
pane_draw_cells(struct pane *p, struct screen *s, int y, size_t row,
    enum screen_role base)
{
	struct pane_cell cell;
	enum screen_role role;
	int x = pane_prefix(p);
	size_t i;

	for (i = 0; i < p->owner->ncolumns && x < p->width; i++) {
		if (p->widths[i] == 0)
			continue;
		cell.text = NULL;
		cell.role = SCREEN_NORMAL;
		p->owner->cell(p->arg, row, i, &cell);
		role = base;
		if (base != SCREEN_SELECTED && cell.role != SCREEN_NORMAL)
			role = cell.role;
		x += screen_put(s, y, x, p->widths[i], role, cell.text, true);
		if (x < p->width)
			screen_blank(s, y, x++, 1, base);
	}
	screen_blank(s, y, x, p->width - x, base);
}

/* Shown row I, if it is on screen (a blank line past the end). */
static void
pane_draw_row(struct pane *p, struct screen *s, size_t i)
{
	int y = p->y + 1 + (int)(i - p->top);
	enum screen_role base = SCREEN_NORMAL;
	bool marked;
	size_t row;

	if (i < p->top || i >= p->top + pane_rows(p))
		return;
	if (i >= p->nshown) {
		screen_blank(s, y, 0, p->width, SCREEN_NORMAL);
		return;
	}
	row = p->shown[i];
	marked = (p->flags & PANE_MARKS) && pane_is_marked(p, pane_key(p, row));
	if (i == p->current)
		base = SCREEN_SELECTED;
	else if (marked)
		base = SCREEN_MARKED;
	screen_put(s, y, 0, 1, base, i == p->current ?
	    screen_glyph(s, SCREEN_GLYPH_SELECT) : " ", true);
	screen_put(s, y, 1, pane_prefix(p) - 1, base, marked ?
	    screen_glyph(s, SCREEN_GLYPH_MARK) : " ", true);
	pane_draw_cells(p, s, y, row, base);
}

/* A friendly line in the middle of an empty list. */
static void
pane_draw_empty(struct pane *p, struct screen *s)
{
	const char *msg = NULL;
	int w, y = p->y + 1 + (int)(pane_rows(p) - 1) / 2;

	if (p->owner->count(p->arg) > 0)
		msg = _("Nothing matches the filter (type / then Esc to clear it).");
	else if (p->owner->empty != NULL)
		msg = p->owner->empty(p->arg);
	if (msg == NULL)
		return;
	w = screen_width(s, msg);
	screen_put(s, y, w < p->width ? (p->width - w) / 2 : 0, p->width,
	    SCREEN_NORMAL, msg, false);
}

/* "3 of 10 printers, 1 marked, filter: lab, sort: NAME" and the position. */
static void
pane_draw_footer(struct pane *p, struct screen *s)
{
	size_t count = p->owner->count(p->arg);
	const char *noun = _(count == 1 ? p->owner->one : p->owner->many);
	char *left, *tmp, *pos;
	int w;

	if (p->nshown != count)
		left = xasprintf(_(" %zu of %zu %s"), p->nshown, count, noun);
	else
		left = xasprintf(" %zu %s", count, noun);
	if (p->flags & PANE_MARKS) {
		tmp = left;
		left = xasprintf(_("%s, %zu marked"), tmp, p->nmarks);
		free(tmp);
	}
	if (p->filter != NULL) {
		tmp = left;
		left = xasprintf(_("%s, filter: %s"), tmp, p->filter);
		free(tmp);
	}
	if (p->flags & PANE_SORT) {
		tmp = left;
		left = xasprintf(_("%s, sort: %s%s"), tmp,
		    _(p->owner->columns[p->sort].title), p->reverse ? "-" : "");
		free(tmp);
	}
	pos = xasprintf(" %zu/%zu ", p->nshown > 0 ? p->current + 1 : 0,
	    p->nshown);
	w = screen_width(s, pos);
	screen_put(s, p->y + p->height - 1, 0, p->width - w, SCREEN_STATUS,
	    left, true);
	screen_put(s, p->y + p->height - 1, p->width - w, w, SCREEN_STATUS,
	    pos, true);
	free(left);
	free(pos);
}

void
pane_place(struct pane *p, int y, int height, int width)
{
	p->y = y;
	p->height = height;
	p->width = width;
	pane_scroll(p);
	p->dirty |= PANE_DIRTY_ALL | PANE_DIRTY_LAYOUT;
}

void
pane_redraw(struct pane *p)
{
	p->dirty |= PANE_DIRTY_ALL;
}

void
pane_draw(struct pane *p, struct screen *s)
{
	size_t i;

	if (p->height < 3 || p->width < pane_prefix(p) + 1)
		return;
	if (p->dirty & PANE_DIRTY_LAYOUT)
		pane_layout(p, s);
	if (p->dirty & (PANE_DIRTY_ALL | PANE_DIRTY_LAYOUT)) {
		pane_draw_header(p, s);
		for (i = p->top; i < p->top + pane_rows(p); i++)
			pane_draw_row(p, s, i);
		if (p->nshown == 0)
			pane_draw_empty(p, s);
		pane_draw_footer(p, s);
	} else {
		for (i = 0; i < p->ndirty; i++)
			pane_draw_row(p, s, p->dirty_rows[i]);
		if (p->dirty & (PANE_DIRTY_FOOTER | PANE_DIRTY_ROWS))
			pane_draw_footer(p, s);
	}
	p->dirty = 0;
	p->ndirty = 0;
}

