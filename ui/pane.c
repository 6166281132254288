#include "config.h"

#include "pane.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "i18n.h"
#include "pane-int.h"
#include "xmalloc.h"


struct pane *
pane_new(const struct pane_owner *owner, void *arg, const char *title,
    int flags, enum keys_context ctx)
{
	struct pane *p = xcalloc(1, sizeof *p);

	p->owner = owner;
	p->arg = arg;
	p->title = xstrdup(title);
	p->flags = flags;
	p->context = ctx;
	p->widths = xcalloc(owner->ncolumns, sizeof *p->widths);
	p->dirty = PANE_DIRTY_ALL | PANE_DIRTY_LAYOUT;
	return p;
}

void
pane_free(struct pane **pp)
{
	struct pane *p = *pp;

	if (p == NULL)
		return;
	if (p->owner->free != NULL)
		p->owner->free(p->arg);
	free(p->title);
	free(p->shown);
	free(p->marks);
	free(p->filter);
	free(p->wfilter);
	free(p->widths);
	free(p->text);
	free(p->wtext);
	free(p);
	*pp = NULL;
}

void *
pane_arg(const struct pane *p)
{
	return p->arg;
}

const char *
pane_title(const struct pane *p)
{
	return p->title;
}

enum keys_context
pane_context(const struct pane *p)
{
	return p->context;
}

/* Rows of the list between the header and the footer. */
size_t
pane_rows(const struct pane *p)
{
	return p->height > 3 ? (size_t)p->height - 2 : 1;
}

int64_t
pane_key(const struct pane *p, size_t row)
{
	return p->owner->key(p->arg, row);
}

const char *
pane_text(const struct pane *p, size_t row, size_t col)
{
	struct pane_cell cell = { NULL, SCREEN_NORMAL };

	p->owner->cell(p->arg, row, col, &cell);
	return cell.text != NULL ? cell.text : "";
}

/* ---- marks ---- */

static int
pane_cmp_key(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

bool
pane_is_marked(const struct pane *p, int64_t key)
{
	return p->nmarks > 0 && bsearch(&key, p->marks, p->nmarks,
	    sizeof *p->marks, pane_cmp_key) != NULL;
}

/* Sorted, deduplicated keys of the shown rows (ALL: of every row). */
static int64_t *
pane_keys(const struct pane *p, bool all, size_t *n)
{
	size_t count = all ? p->owner->count(p->arg) : p->nshown, i, j;
	int64_t *keys = xcalloc(count, sizeof *keys);

	for (i = 0; i < count; i++)
		keys[i] = pane_key(p, all ? i : p->shown[i]);
	qsort(keys, count, sizeof *keys, pane_cmp_key);
	for (i = j = 0; i < count; i++) {
		if (j == 0 || keys[j - 1] != keys[i])
			keys[j++] = keys[i];
	}
	*n = j;
	return keys;
}

/* Replace the marks by their merge with the sorted set B. */
static void
pane_marks_merge(struct pane *p, const int64_t *b, size_t nb,
    enum pane_merge how)
{
	const int64_t *a = p->marks;
	size_t na = p->nmarks, i = 0, j = 0, n = 0;
	int64_t *out = xcalloc(na + nb, sizeof *out);

	while (i < na || j < nb) {
		if (j == nb || (i < na && a[i] < b[j])) {
			if (how != PANE_AND)
				out[n++] = a[i];
			i++;
		} else if (i == na || b[j] < a[i]) {
			if (how != PANE_AND)
				out[n++] = b[j];
			j++;
		} else {
			if (how != PANE_XOR)
				out[n++] = a[i];
			i++, j++;
		}
	}
	free(p->marks);
	p->marks = out;
	p->nmarks = n;
}

size_t
pane_marked(const struct pane *p)
{
	return p->nmarks;
}

int64_t *
pane_selection(const struct pane *p, size_t *n)
{
	int64_t *keys;

	*n = 0;
	if (p->nmarks > 0) {
		keys = xcalloc(p->nmarks, sizeof *keys);
		memcpy(keys, p->marks, p->nmarks * sizeof *keys);
		*n = p->nmarks;
		return keys;
	}
	if (p->nshown == 0)
		return NULL;
	keys = xmalloc(sizeof *keys);
	keys[0] = pane_key(p, p->shown[p->current]);
	*n = 1;
	return keys;
}

/* ---- filter and sort ---- */

/* TEXT in lower case as wide characters; bytes that do not decode stay. */
static void
pane_lower(const char *text, wchar_t **buf, size_t *size)
{
	size_t len = strlen(text), n, i = 0, o = 0;
	mbstate_t mbs;
	wchar_t wc;

	if (*size < len + 1) {
		*buf = xreallocarray(*buf, len + 1, sizeof **buf);
		*size = len + 1;
	}
	memset(&mbs, 0, sizeof mbs);
	while (i < len) {
		n = mbrtowc(&wc, text + i, len - i, &mbs);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&mbs, 0, sizeof mbs);
			wc = (unsigned char)text[i];
			n = 1;
		}
		(*buf)[o++] = (wchar_t)towlower((wint_t)wc);
		i += n;
	}
	(*buf)[o] = L'\0';
}

/* The row's cells joined by blanks, in the pane's scratch buffer. */
static const char *
pane_row_text(struct pane *p, size_t row)
{
	size_t col, len = 0, n;
	const char *t;

	for (col = 0; col < p->owner->ncolumns; col++) {
		t = pane_text(p, row, col);
		n = strlen(t);
		if (p->textsz < len + n + 2) {
			p->textsz = (len + n + 2) * 2;
			p->text = xreallocarray(p->text, p->textsz, 1);
		}
		memcpy(p->text + len, t, n);
		len += n;
		p->text[len++] = ' ';
	}
	if (p->text == NULL)
		return "";
	p->text[len > 0 ? len - 1 : 0] = '\0';
	return p->text;
}

static bool
pane_matches(struct pane *p, size_t row)
{
	if (p->wfilter == NULL)
		return true;
	pane_lower(pane_row_text(p, row), &p->wtext, &p->wtextsz);
	return wcsstr(p->wtext, p->wfilter) != NULL;
}

struct pane_sortent {
	const char	*text;
	size_t		 row;
};

/* Version order, so lab-2 comes before lab-10 and 10.0.0.9 before .10. */
static int
pane_cmp_sortent(const void *a, const void *b)
{
	const struct pane_sortent *x = a, *y = b;
	int rc = strverscmp(x->text, y->text);

	if (rc != 0)
		return rc;
	return (x->row > y->row) - (x->row < y->row);
}

static void
pane_sort(struct pane *p)
{
	struct pane_sortent *v;
	size_t i, n = p->nshown;

	if (!(p->flags & PANE_SORT) || n < 2)
		return;
	v = xcalloc(n, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i].row = p->shown[i];
		v[i].text = pane_text(p, v[i].row, p->sort);
	}
	qsort(v, n, sizeof *v, pane_cmp_sortent);
	for (i = 0; i < n; i++)
		p->shown[i] = v[p->reverse ? n - 1 - i : i].row;
	free(v);
}

/* Keep the current row on screen; a moved page repaints every row. */
void
pane_scroll(struct pane *p)
{
	size_t rows = pane_rows(p), top = p->top;

	if (p->nshown <= rows)
		top = 0;
	else if (top > p->nshown - rows)
		top = p->nshown - rows;
	if (p->current < top)
		top = p->current;
	else if (p->current >= top + rows)
		top = p->current - rows + 1;
	if (top != p->top) {
		p->top = top;
		p->dirty |= PANE_DIRTY_ALL;
	}
}

static void
pane_remember_current(struct pane *p)
{
	p->has_current = p->nshown > 0;
	if (p->has_current)
		p->current_key = pane_key(p, p->shown[p->current]);
}

/* Filter and sort the owner's rows again; the cursor follows its key. */
static void
pane_rebuild(struct pane *p)
{
	size_t count = p->owner->count(p->arg), i;

	p->shown = xreallocarray(p->shown, count > 0 ? count : 1,
	    sizeof *p->shown);
	p->nshown = 0;
	for (i = 0; i < count; i++) {
		if (pane_matches(p, i))
			p->shown[p->nshown++] = i;
	}
	pane_sort(p);
	for (i = 0; p->has_current && i < p->nshown; i++) {
		if (pane_key(p, p->shown[i]) == p->current_key)
			break;
	}
	if (p->has_current && i < p->nshown)
		p->current = i;
	else if (p->current >= p->nshown)
		p->current = p->nshown > 0 ? p->nshown - 1 : 0;
	pane_remember_current(p);
	pane_scroll(p);
	p->dirty |= PANE_DIRTY_ALL;
}

void
pane_reload(struct pane *p)
{
	int64_t *keys;
	size_t n;

	if (p->nmarks > 0) {
		keys = pane_keys(p, true, &n);
		pane_marks_merge(p, keys, n, PANE_AND);
		free(keys);
	}
	pane_rebuild(p);
	p->dirty |= PANE_DIRTY_LAYOUT;
}

void
pane_set_filter(struct pane *p, const char *text)
{
	size_t size = 0;

	xfree(&p->filter);
	xfree(&p->wfilter);
	if (text != NULL && *text != '\0') {
		p->filter = xstrdup(text);
		pane_lower(text, &p->wfilter, &size);
	}
	pane_rebuild(p);
}

const char *
pane_filter(const struct pane *p)
{
	return p->filter;
}

bool
pane_current(const struct pane *p, size_t *row)
{
	if (p->nshown == 0)
		return false;
	*row = p->shown[p->current];
	return true;
}

/* ---- ops ---- */

static void
pane_dirty_row(struct pane *p, size_t i)
{
	size_t k;

	for (k = 0; k < p->ndirty; k++) {
		if (p->dirty_rows[k] == i)
			return;
	}
	if (p->ndirty == 2)
		p->dirty |= PANE_DIRTY_ALL;
	else
		p->dirty_rows[p->ndirty++] = i;
	p->dirty |= PANE_DIRTY_ROWS;
}

static void
pane_move(struct pane *p, size_t to)
{
	if (p->nshown == 0)
		return;
	if (to >= p->nshown)
		to = p->nshown - 1;
	if (to == p->current)
		return;
	pane_dirty_row(p, p->current);
	pane_dirty_row(p, to);
	p->current = to;
	pane_remember_current(p);
	pane_scroll(p);
	p->dirty |= PANE_DIRTY_FOOTER;
}

static void
pane_op_up(struct pane *p)
{
	if (p->current > 0)
		pane_move(p, p->current - 1);
}

static void
pane_op_down(struct pane *p)
{
	pane_move(p, p->current + 1);
}

static void
pane_op_page_up(struct pane *p)
{
	size_t rows = pane_rows(p);

	pane_move(p, p->current > rows ? p->current - rows : 0);
}

static void
pane_op_page_down(struct pane *p)
{
	pane_move(p, p->current + pane_rows(p));
}

static void
pane_op_top(struct pane *p)
{
	pane_move(p, 0);
}

static void
pane_op_bottom(struct pane *p)
{
	if (p->nshown > 0)
		pane_move(p, p->nshown - 1);
}

static void
pane_op_mark(struct pane *p)
{
	int64_t key;

	if (p->nshown == 0)
		return;
	key = pane_key(p, p->shown[p->current]);
	pane_marks_merge(p, &key, 1, PANE_XOR);
	pane_dirty_row(p, p->current);
	p->dirty |= PANE_DIRTY_FOOTER;
	pane_op_down(p);
}

static void
pane_op_mark_shown(struct pane *p, enum pane_merge how)
{
	int64_t *keys;
	size_t n;

	keys = pane_keys(p, false, &n);
	pane_marks_merge(p, keys, n, how);
	free(keys);
	p->dirty |= PANE_DIRTY_ALL;
}

static void
pane_op_mark_all(struct pane *p)
{
	pane_op_mark_shown(p, PANE_UNION);
}

static void
pane_op_invert(struct pane *p)
{
	pane_op_mark_shown(p, PANE_XOR);
}

static void
pane_op_unmark_all(struct pane *p)
{
	xfree(&p->marks);
	p->nmarks = 0;
	p->dirty |= PANE_DIRTY_ALL;
}

static void
pane_op_sort(struct pane *p)
{
	p->sort = (p->sort + 1) % p->owner->ncolumns;
	pane_rebuild(p);
}

static void
pane_op_reverse(struct pane *p)
{
	p->reverse = !p->reverse;
	pane_rebuild(p);
}

/* Op -> handler for lists; NEEDS are the pane flags the op requires. */
static const struct pane_action {
	enum keys_op	 op;
	void		(*fn)(struct pane *);
	int		 needs;
} pane_actions[] = {
	{ KEYS_OP_UP, pane_op_up, 0 },
	{ KEYS_OP_DOWN, pane_op_down, 0 },
	{ KEYS_OP_PAGE_UP, pane_op_page_up, 0 },
	{ KEYS_OP_PAGE_DOWN, pane_op_page_down, 0 },
	{ KEYS_OP_TOP, pane_op_top, 0 },
	{ KEYS_OP_BOTTOM, pane_op_bottom, 0 },
	{ KEYS_OP_MARK, pane_op_mark, PANE_MARKS },
	{ KEYS_OP_MARK_ALL, pane_op_mark_all, PANE_MARKS },
	{ KEYS_OP_INVERT, pane_op_invert, PANE_MARKS },
	{ KEYS_OP_UNMARK_ALL, pane_op_unmark_all, PANE_MARKS },
	{ KEYS_OP_SORT, pane_op_sort, PANE_SORT },
	{ KEYS_OP_REVERSE, pane_op_reverse, PANE_SORT },
};

int
pane_op(struct pane *p, enum keys_op op)
{
	const struct pane_action *a;
	size_t i;

	for (i = 0; i < sizeof pane_actions / sizeof pane_actions[0]; i++) {
		a = &pane_actions[i];
		if (a->op != op)
			continue;
		if ((p->flags & a->needs) != a->needs)
			return -1;
		a->fn(p);
		return 0;
	}
	return -1;
}
