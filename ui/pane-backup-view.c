#include "config.h"

#include "pane-backup-int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "i18n.h"
#include "pane.h"
#include "screen.h"
#include "xmalloc.h"

/* Widest setting key column; longer keys are cut. */
#define PANE_BACKUP_VIEW_KEY_MAX	36
#define PANE_BACKUP_VIEW_NCELLS		3

/* A view over rows of up to three cells, each with its own role. */
struct pane_backup_view {
	struct pane_owner owner;
	const char	*empty;		/* translated, static */
	struct pane_backup_view_row {
		char		*cells[PANE_BACKUP_VIEW_NCELLS];
		enum screen_role roles[PANE_BACKUP_VIEW_NCELLS];
	}		*rows;
	size_t		 nrows;
	int		 wrap;		/* columns of the last cell */
};

static const struct pane_column pane_backup_view_values_columns[] = {
	{ N_("SETTING"), 10, PANE_BACKUP_VIEW_KEY_MAX },
	{ N_("VALUE"), 10, 0 },
};

static const struct pane_column pane_backup_view_diff_columns[] = {
	{ N_("SETTING"), 10, PANE_BACKUP_VIEW_KEY_MAX },
	{ N_("CHANGE"), 7, 7 },
	{ N_("OLD -> NEW"), 10, 0 },
};

static size_t
pane_backup_view_count(void *arg)
{
	return ((struct pane_backup_view *)arg)->nrows;
}

static int64_t
pane_backup_view_key(void *arg, size_t row)
{
	return (int64_t)row;
}

static void
pane_backup_view_cell(void *arg, size_t row, size_t col,
    struct pane_cell *cell)
{
	struct pane_backup_view *v = arg;

	cell->text = v->rows[row].cells[col];
	cell->role = v->rows[row].roles[col];
}

static const char *
pane_backup_view_empty(void *arg)
{
	return ((struct pane_backup_view *)arg)->empty;
}

static void
pane_backup_view_free(void *arg)
{
	struct pane_backup_view *v = arg;
	size_t i, j;

	for (i = 0; i < v->nrows; i++) {
		for (j = 0; j < PANE_BACKUP_VIEW_NCELLS; j++)
			free(v->rows[i].cells[j]);
	}
	free(v->rows);
	free(v);
}

static struct pane_backup_view *
pane_backup_view_new(const struct pane_column *columns, size_t ncolumns,
    const char *one, const char *many, const char *empty)
{
	struct pane_backup_view *v = xcalloc(1, sizeof *v);

	v->owner.one = one;
	v->owner.many = many;
	v->owner.columns = columns;
	v->owner.ncolumns = ncolumns;
	v->owner.count = pane_backup_view_count;
	v->owner.key = pane_backup_view_key;
	v->owner.cell = pane_backup_view_cell;
	v->owner.empty = pane_backup_view_empty;
	v->owner.free = pane_backup_view_free;
	v->empty = empty;
	return v;
}

/* Add a row of copies of CELLS (NULL: ""), the last one in ROLE. */
static void
pane_backup_view_row(struct pane_backup_view *v, const char *const *cells,
    enum screen_role role)
{
	struct pane_backup_view_row *r;
	size_t i, n = v->owner.ncolumns;

	v->rows = xreallocarray(v->rows, v->nrows + 1, sizeof *v->rows);
	r = &v->rows[v->nrows++];
	memset(r, 0, sizeof *r);
	for (i = 0; i < n; i++)
		r->cells[i] = xstrdup(cells[i] != NULL ? cells[i] : "");
	r->roles[n - 1] = role;
}

/* Where a line of at most WIDTH columns from P ends: at a blank if any. */
static char *
pane_backup_view_cut(const struct screen *scr, char *p, int width)
{
	char *end = p, *blank = NULL, *next, save;
	int w;

	while (*end != '\0') {
		next = end + 1;
		while (((unsigned char)*next & 0xc0) == 0x80)
			next++;
		save = *next;
		*next = '\0';
		w = screen_width(scr, p);
		*next = save;
		if (w > width)
			break;
		if (*end == ' ')
			blank = end + 1;
		end = next;
	}
	if (*end != '\0' && blank != NULL && blank > p)
		return blank;
	if (end == p && *p != '\0') {
		while (((unsigned char)*++end & 0xc0) == 0x80)
			/* nothing */;
	}
	return end;
}

/* Add CELLS with the last one (sanitised already) wrapped onto more rows. */
static void
pane_backup_view_add(struct pane_backup_view *v, const struct screen *scr,
    const char **cells, enum screen_role role)
{
	size_t last = v->owner.ncolumns - 1, i;
	char *text = xstrdup(cells[last]), *p = text, *cut, save;

	do {
		cut = pane_backup_view_cut(scr, p, v->wrap);
		save = *cut;
		*cut = '\0';
		cells[last] = p;
		pane_backup_view_row(v, cells, role);
		*cut = save;
		for (i = 0; i < last; i++)
			cells[i] = "";
		p = cut;
	} while (*p != '\0');
	free(text);
}

/* Columns the last cell gets once the key column is as wide as KEYW. */
static void
pane_backup_view_measure(struct pane_backup_view *v,
    const struct screen *scr, int keyw)
{
	const struct pane_column *c = v->owner.columns;
	int used = 2 + keyw + 1, w;
	size_t i;

	for (i = 1; i + 1 < v->owner.ncolumns; i++) {
		w = screen_width(scr, _(c[i].title));
		used += (w > c[i].max ? w : c[i].max) + 1;
	}
	v->wrap = screen_cols(scr) - used;
	if (v->wrap < c[v->owner.ncolumns - 1].min)
		v->wrap = c[v->owner.ncolumns - 1].min;
}

/* The widest of KEYS (sanitised) and TITLE, capped. */
static int
pane_backup_view_keyw(const struct screen *scr, char **keys, size_t n)
{
	int w = screen_width(scr, _("SETTING")), x;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((x = screen_width(scr, keys[i])) > w)
			w = x;
	}
	return w > PANE_BACKUP_VIEW_KEY_MAX ? PANE_BACKUP_VIEW_KEY_MAX : w;
}

static void
pane_backup_view_keys_free(char **keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

/* ---- the values of one backup ---- */

/* A value as shown: sanitised, "" when empty so that it can be seen. */
static char *
pane_backup_view_value(const char *s)
{
	if (s == NULL || *s == '\0')
		return xstrdup("\"\"");
	return pane_backup_clean(s);
}


/* "lab-1 network 2024-05-01 12:00:00": which backup E is. */
static char *
pane_backup_view_which(const struct backup_entry *e)
{
	char *name = pane_backup_clean(e->printer_name);
	char *cat = pane_backup_clean(e->category);
	char *when = pane_backup_time(e->taken_at), *title;

	title = xasprintf("%s %s %s", name, cat, when);
	free(name);
	free(cat);
	free(when);
	return title;
}

static void
pane_backup_view_fill_values(struct pane_backup_view *v,
    const struct screen *scr, const struct backup_entry *e,
    const struct backup_value *vals, char **keys, size_t n)
{
	const char *cells[2];
	char *value, *reason;
	size_t i;

	if (e->partial != NULL) {
		reason = pane_backup_clean(e->partial);
		cells[0] = _("(partial)");
		cells[1] = reason;
		pane_backup_view_add(v, scr, cells, SCREEN_ERROR);
		free(reason);
	}
	for (i = 0; i < n; i++) {
		value = vals[i].secret ? xstrdup(_("(secret, not shown)")) :
		    pane_backup_view_value(vals[i].value);
		cells[0] = keys[i];
		cells[1] = value;
		pane_backup_view_add(v, scr, cells, SCREEN_NORMAL);
		free(value);
	}
}

struct pane *
pane_backup_view_values(struct store *st, const struct backup_entry *e,
    const struct screen *scr, char **cause)
{
	struct pane_backup_view *v;
	struct backup_value *vals;
	struct pane *p;
	char **keys, *title, *which;
	size_t n, i;

	if (backup_values(st, e->id, &vals, &n, cause) != 0)
		return NULL;
	keys = xcalloc(n > 0 ? n : 1, sizeof *keys);
	for (i = 0; i < n; i++)
		keys[i] = pane_backup_clean(vals[i].key);
	v = pane_backup_view_new(pane_backup_view_values_columns, 2,
	    N_("setting"), N_("settings"), _("This backup holds no settings."));
	pane_backup_view_measure(v, scr, pane_backup_view_keyw(scr, keys, n));
	pane_backup_view_fill_values(v, scr, e, vals, keys, n);
	pane_backup_view_keys_free(keys, n);
	backup_values_free(&vals, n);
	which = pane_backup_view_which(e);
	title = xasprintf(_("Backup #%lld: %s"), (long long)e->id, which);
	p = pane_new(&v->owner, v, title, 0, KEYS_VIEW);
	free(which);
	free(title);
	pane_reload(p);
	return p;
}

/* ---- what changed between two ---- */

static const char *
pane_backup_view_change(enum backup_change c, enum screen_role *role)
{
	switch (c) {
	case BACKUP_ADDED:
		*role = SCREEN_OK;
		return _("added");
	case BACKUP_REMOVED:
		*role = SCREEN_ERROR;
		return _("removed");
	default:
		*role = SCREEN_WARN;
		return _("changed");
	}
}

/* "old -> new", the new or the old value alone, or a secret's note. */
static char *
pane_backup_view_change_text(const struct backup_diff *d)
{
	char *old, *new, *out;

	if (d->secret)
		return xstrdup(_("(secret, not shown)"));
	if (d->change == BACKUP_ADDED)
		return pane_backup_view_value(d->new_value);
	if (d->change == BACKUP_REMOVED)
		return pane_backup_view_value(d->old_value);
	old = pane_backup_view_value(d->old_value);
	new = pane_backup_view_value(d->new_value);
	out = xasprintf("%s -> %s", old, new);
	free(old);
	free(new);
	return out;
}

static void
pane_backup_view_fill_diff(struct pane_backup_view *v,
    const struct screen *scr, const struct backup_diff *d, char **keys,
    size_t n)
{
	const char *cells[3];
	enum screen_role role;
	char *text;
	size_t i, first;

	for (i = 0; i < n; i++) {
		text = pane_backup_view_change_text(&d[i]);
		cells[0] = keys[i];
		cells[1] = pane_backup_view_change(d[i].change, &role);
		cells[2] = text;
		first = v->nrows;
		pane_backup_view_add(v, scr, cells, role);
		v->rows[first].roles[1] = role;
		free(text);
	}
}

/* "Changes in lab-1 network, #3 -> #7", or both sides when they differ. */
static char *
pane_backup_view_diff_title(const struct backup_entry *a,
    const struct backup_entry *b)
{
	char *left, *right, *title;

	if (a->printer_id == b->printer_id && a->printer_id != 0 &&
	    strcmp(a->category, b->category) == 0) {
		left = pane_backup_clean(a->printer_name);
		right = pane_backup_clean(a->category);
		title = xasprintf(_("Changes in %s %s, #%lld -> #%lld"), left,
		    right, (long long)a->id, (long long)b->id);
	} else {
		left = pane_backup_view_which(a);
		right = pane_backup_view_which(b);
		title = xasprintf(_("Changes #%lld (%s) -> #%lld (%s)"),
		    (long long)a->id, left, (long long)b->id, right);
	}
	free(left);
	free(right);
	return title;
}

struct pane *
pane_backup_view_diff(struct store *st, const struct backup_entry *a,
    const struct backup_entry *b, const struct screen *scr, char **cause)
{
	struct pane_backup_view *v;
	struct backup_diff *d;
	struct pane *p;
	char **keys, *title;
	size_t n, i;

	if (backup_diff(st, a->id, b->id, &d, &n, cause) != 0)
		return NULL;
	keys = xcalloc(n > 0 ? n : 1, sizeof *keys);
	for (i = 0; i < n; i++)
		keys[i] = pane_backup_clean(d[i].key);
	v = pane_backup_view_new(pane_backup_view_diff_columns, 3,
	    N_("change"), N_("changes"),
	    _("No differences: the two backups hold the same values."));
	pane_backup_view_measure(v, scr, pane_backup_view_keyw(scr, keys, n));
	pane_backup_view_fill_diff(v, scr, d, keys, n);
	pane_backup_view_keys_free(keys, n);
	backup_diffs_free(&d, n);
	title = pane_backup_view_diff_title(a, b);
	p = pane_new(&v->owner, v, title, 0, KEYS_VIEW);
	free(title);
	pane_reload(p);
	return p;
}
