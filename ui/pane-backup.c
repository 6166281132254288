#include "config.h"

#include "pane-backup.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backup.h"
#include "i18n.h"
#include "pane-backup-int.h"
#include "pane.h"
#include "printer.h"
#include "screen.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

/* Newest backups read at most: the list stays quick on a large fleet. */
#define PANE_BACKUP_LIMIT	5000

enum pane_backup_col {
	PANE_BACKUP_PRINTER,
	PANE_BACKUP_TAKEN,
	PANE_BACKUP_CHANGED,
	PANE_BACKUP_CATEGORY,
	PANE_BACKUP_SEEN,
	PANE_BACKUP_LAST,
	PANE_BACKUP_SETTINGS,
	PANE_BACKUP_ID,
	PANE_BACKUP_NOTE,
	PANE_BACKUP_NCOLS
};

/* Dropped right to left when the terminal is narrow: CHANGED stays long. */
static const struct pane_column pane_backup_columns[] = {
	[PANE_BACKUP_PRINTER] = { N_("PRINTER"), 8, 20 },
	[PANE_BACKUP_TAKEN] = { N_("TAKEN"), 16, 19 },
	[PANE_BACKUP_CHANGED] = { N_("CHANGED"), 7, 7 },
	[PANE_BACKUP_CATEGORY] = { N_("CATEGORY"), 8, 16 },
	[PANE_BACKUP_SEEN] = { N_("SEEN"), 4, 6 },
	[PANE_BACKUP_LAST] = { N_("LAST SEEN"), 11, 11 },
	[PANE_BACKUP_SETTINGS] = { N_("SETTINGS"), 8, 8 },
	[PANE_BACKUP_ID] = { N_("ID"), 3, 8 },
	[PANE_BACKUP_NOTE] = { N_("NOTE"), 4, 0 },
};

struct pane_backup {
	struct store	*st;
	int64_t		*ids;		/* the chosen printers */
	size_t		 nids;
	bool		 all;		/* every printer instead */
	struct backup_entry *v;		/* by printer, newest first */
	bool		*first;		/* no earlier state of its category */
	bool		*newest;	/* the newest state of its category */
	size_t		 n;
	char		*(*cells)[PANE_BACKUP_NCOLS];
};

static size_t
pane_backup_count(void *arg)
{
	return ((struct pane_backup *)arg)->n;
}

static int64_t
pane_backup_key(void *arg, size_t row)
{
	return ((struct pane_backup *)arg)->v[row].id;
}

/*
 * Whether row ROW is the newest state of its category and the latest
 * backup found it again rather than stored it: then "same" tells at a
 * glance that nothing changed since the previous backup.
 */
static bool
pane_backup_confirmed(const struct pane_backup *pb, size_t row)
{
	return pb->newest[row] && pb->v[row].seen > 1;
}

static void
pane_backup_cell(void *arg, size_t row, size_t col, struct pane_cell *cell)
{
	struct pane_backup *pb = arg;
	const struct backup_entry *e = &pb->v[row];

	cell->text = pb->cells[row][col];
	if (col == PANE_BACKUP_CHANGED && e->changed &&
	    !pane_backup_confirmed(pb, row))
		cell->role = pb->first[row] ? SCREEN_OK : SCREEN_WARN;
	else if (col == PANE_BACKUP_NOTE && e->partial != NULL)
		cell->role = SCREEN_ERROR;
}

static const char *
pane_backup_empty(void *arg)
{
	return _("No backups yet. Press b on the printers, or run: "
	    "quire backup TARGETS --category all");
}

static void
pane_backup_rows_free(struct pane_backup *pb)
{
	size_t i, j;

	for (i = 0; i < pb->n; i++) {
		for (j = 0; j < PANE_BACKUP_NCOLS; j++)
			free(pb->cells[i][j]);
	}
	xfree(&pb->cells);
	xfree(&pb->first);
	xfree(&pb->newest);
	backup_entries_free(&pb->v, pb->n);
	pb->n = 0;
}

static void
pane_backup_free(void *arg)
{
	struct pane_backup *pb = arg;

	pane_backup_rows_free(pb);
	free(pb->ids);
	free(pb);
}

static const struct pane_owner pane_backup_owner = {
	.one = N_("backup"),
	.many = N_("backups"),
	.columns = pane_backup_columns,
	.ncolumns = PANE_BACKUP_NCOLS,
	.count = pane_backup_count,
	.key = pane_backup_key,
	.cell = pane_backup_cell,
	.empty = pane_backup_empty,
	.free = pane_backup_free,
};

/* ---- shared with the views ---- */

char *
pane_backup_clean(const char *s)
{
	return text_sanitize(s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

/* MS as local time, SHORT without year and seconds; "?" when none. */
static char *
pane_backup_format_time(int64_t ms, bool short_form)
{
	char buf[64];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t n;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL)
		return xstrdup("?");
	if (short_form)
		n = strftime(buf, sizeof buf, "%m-%d %H:%M", &tm);
	else
		n = strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
	return xstrdup(n > 0 ? buf : "?");
}

char *
pane_backup_time(int64_t ms)
{
	return pane_backup_format_time(ms, false);
}

/* ---- the list ---- */

/* "Backups of lab-1", "... of 3 printers", "... of all printers". */
static char *
pane_backup_title(struct pane_backup *pb)
{
	struct printer_set *set = NULL;
	char *cause = NULL, *name, *title;

	if (pb->all)
		return xstrdup(_("Backups of all printers"));
	if (pb->nids != 1)
		return xasprintf(_("Backups of %zu printers"), pb->nids);
	if (printer_load_ids(pb->st, pb->ids, 1, &set, &cause) != 0 ||
	    set->n != 1) {
		free(cause);
		printer_set_free(&set);
		return xstrdup(_("Backups of 1 printer"));
	}
	name = pane_backup_clean(set->v[0].name);
	title = xasprintf(_("Backups of %s"), name);
	free(name);
	printer_set_free(&set);
	return title;
}

static struct pane *
pane_backup_make(struct store *st, const int64_t *ids, size_t n, bool all)
{
	struct pane_backup *pb = xcalloc(1, sizeof *pb);
	struct pane *p;
	char *title;

	pb->st = st;
	pb->all = all;
	if (n > 0) {
		pb->ids = xcalloc(n, sizeof *pb->ids);
		memcpy(pb->ids, ids, n * sizeof *ids);
		pb->nids = n;
	}
	title = pane_backup_title(pb);
	p = pane_new(&pane_backup_owner, pb, title, PANE_MARKS, KEYS_BACKUPS);
	free(title);
	return p;
}

struct pane *
pane_backup_new(struct store *st, const int64_t *ids, size_t n)
{
	return pane_backup_make(st, ids, n, n == 0);
}

bool
pane_backup_is(const struct pane *p)
{
	return pane_context(p) == KEYS_BACKUPS;
}

/* By printer (as the inventory sorts names), then newest first. */
static int
pane_backup_cmp(const void *a, const void *b)
{
	const struct backup_entry *x = a, *y = b;
	int rc;

	rc = strverscmp(x->printer_name != NULL ? x->printer_name : "",
	    y->printer_name != NULL ? y->printer_name : "");
	if (rc != 0)
		return rc;
	if (x->printer_id != y->printer_id)
		return x->printer_id < y->printer_id ? -1 : 1;
	if (x->taken_at != y->taken_at)
		return x->taken_at > y->taken_at ? -1 : 1;
	return (x->id < y->id) - (x->id > y->id);
}

/* True if rows A and B are of the same printer. */
static bool
pane_backup_same_printer(const struct backup_entry *a,
    const struct backup_entry *b)
{
	return a->printer_id == b->printer_id && strcmp(a->printer_name !=
	    NULL ? a->printer_name : "", b->printer_name != NULL ?
	    b->printer_name : "") == 0;
}

/*
 * Mark in MARK the first row of each category met walking the rows START
 * .. END - 1 forwards (the newest state) or backwards (the first).
 */
static void
pane_backup_ends_of(struct pane_backup *pb, size_t start, size_t end,
    bool forwards, bool *mark)
{
	const char **seen = NULL;
	size_t nseen = 0, i, j, k;

	for (i = 0; i < end - start; i++) {
		j = forwards ? start + i : end - 1 - i;
		for (k = 0; k < nseen; k++) {
			if (strcmp(seen[k], pb->v[j].category) == 0)
				break;
		}
		if (k < nseen)
			continue;
		mark[j] = true;
		seen = xreallocarray(seen, nseen + 1, sizeof *seen);
		seen[nseen++] = pb->v[j].category;
	}
	free(seen);
}

/*
 * Which rows are the newest state of their printer and category, and which
 * the first (from each printer's oldest row; only when no older row was
 * cut off).
 */
static void
pane_backup_ends(struct pane_backup *pb, bool complete)
{
	size_t i, start;

	pb->first = xcalloc(pb->n > 0 ? pb->n : 1, sizeof *pb->first);
	pb->newest = xcalloc(pb->n > 0 ? pb->n : 1, sizeof *pb->newest);
	for (start = 0; start < pb->n; start = i) {
		for (i = start + 1; i < pb->n && pane_backup_same_printer(
		    &pb->v[i], &pb->v[start]); i++)
			/* nothing */;
		pane_backup_ends_of(pb, start, i, true, pb->newest);
		if (complete)
			pane_backup_ends_of(pb, start, i, false, pb->first);
	}
}

/* "first", "changed" or "same": what the backup that stored row ROW found,
 * or "same" when it is the newest state and the latest backup found it
 * again. */
static const char *
pane_backup_marker(const struct pane_backup *pb, size_t row)
{
	if (pane_backup_confirmed(pb, row))
		return _("same");
	if (pb->first[row])
		return _("first");
	return pb->v[row].changed ? _("changed") : _("same");
}

static void
pane_backup_fill(const struct pane_backup *pb, size_t row)
{
	const struct backup_entry *e = &pb->v[row];
	char **cells = pb->cells[row], *reason;

	cells[PANE_BACKUP_PRINTER] = pane_backup_clean(e->printer_name);
	cells[PANE_BACKUP_TAKEN] = pane_backup_time(e->taken_at);
	cells[PANE_BACKUP_CHANGED] = xstrdup(pane_backup_marker(pb, row));
	cells[PANE_BACKUP_CATEGORY] = pane_backup_clean(e->category);
	cells[PANE_BACKUP_SEEN] = xasprintf(_("%zux"), e->seen);
	/* Short, so that the note still has room in 80 columns. */
	cells[PANE_BACKUP_LAST] = pane_backup_format_time(e->last_seen_at,
	    true);
	cells[PANE_BACKUP_SETTINGS] = xasprintf("%zu", e->nsettings);
	cells[PANE_BACKUP_ID] = xasprintf("#%lld", (long long)e->id);
	if (e->partial == NULL) {
		cells[PANE_BACKUP_NOTE] = xstrdup("");
		return;
	}
	reason = pane_backup_clean(e->partial);
	cells[PANE_BACKUP_NOTE] = xasprintf(_("partial: %s"), reason);
	free(reason);
}

int
pane_backup_reload(struct pane *p, char **cause)
{
	struct pane_backup *pb = pane_arg(p);
	struct backup_filter f = { .limit = PANE_BACKUP_LIMIT };
	struct backup_entry *v;
	size_t n, i;

	if (!pb->all) {
		f.printer_ids = pb->ids;
		f.nprinters = pb->nids;
	}
	if (backup_list(pb->st, &f, &v, &n, cause) != 0)
		return -1;
	pane_backup_rows_free(pb);
	qsort(v, n, sizeof *v, pane_backup_cmp);
	pb->v = v;
	pb->n = n;
	pane_backup_ends(pb, n < PANE_BACKUP_LIMIT);
	pb->cells = xcalloc(n > 0 ? n : 1, sizeof *pb->cells);
	for (i = 0; i < n; i++)
		pane_backup_fill(pb, i);
	pane_reload(p);
	return 0;
}

/* NEW, loaded, in *OUT; freed on failure. */
static int
pane_backup_load(struct pane *new, struct pane **out, char **cause)
{
	if (pane_backup_reload(new, cause) != 0) {
		pane_free(&new);
		return -1;
	}
	*out = new;
	return 0;
}

int
pane_backup_open(struct store *st, const int64_t *ids, size_t n,
    struct pane **out, char **cause)
{
	return pane_backup_load(pane_backup_new(st, ids, n), out, cause);
}

int
pane_backup_open_other(struct pane *p, struct pane **out, char **cause)
{
	struct pane_backup *pb = pane_arg(p);

	if (pb->all && pb->nids == 0) {
		*cause = xstrdup(_("this is every printer's history; mark "
		    "printers and press H for theirs"));
		return -1;
	}
	return pane_backup_load(pane_backup_make(pb->st, pb->ids, pb->nids,
	    !pb->all), out, cause);
}

/* ---- actions ---- */

int
pane_backup_queue(struct store *st, const int64_t *ids, size_t n,
    const char *categories, int64_t *job, char **cause)
{
	char *cats = xstrdup(categories), *p = cats, *end;
	int rc;

	while (*p == ' ')
		p++;
	for (end = p + strlen(p); end > p && end[-1] == ' '; end--)
		end[-1] = '\0';
	if (n == 0) {
		*cause = xstrdup(_("there is no printer to back up"));
		free(cats);
		return -1;
	}
	rc = backup_queue(st, ids, n, *p != '\0' ? p : "all",
	    store_whoami(), job, cause);
	free(cats);
	return rc;
}

/* ---- the values and the diff ---- */

static const struct backup_entry *
pane_backup_find(const struct pane_backup *pb, int64_t id)
{
	size_t i;

	for (i = 0; i < pb->n; i++) {
		if (pb->v[i].id == id)
			return &pb->v[i];
	}
	return NULL;
}

int
pane_backup_values(struct pane *p, const struct screen *scr,
    struct pane **out, char **cause)
{
	struct pane_backup *pb = pane_arg(p);
	size_t row;

	if (!pane_current(p, &row)) {
		*cause = xstrdup(_("there is no backup to show"));
		return -1;
	}
	*out = pane_backup_view_values(pb->st, &pb->v[row], scr, cause);
	return *out != NULL ? 0 : -1;
}

/* True when A was taken before B. */
static bool
pane_backup_older(const struct backup_entry *a, const struct backup_entry *b)
{
	if (a->taken_at != b->taken_at)
		return a->taken_at < b->taken_at;
	return a->id < b->id;
}

/* The backup before E of its printer and category, among those read. */
static const struct backup_entry *
pane_backup_previous(const struct pane_backup *pb,
    const struct backup_entry *e)
{
	const struct backup_entry *best = NULL;
	size_t i;

	for (i = 0; i < pb->n; i++) {
		if (pb->v[i].printer_id != e->printer_id ||
		    strcmp(pb->v[i].category, e->category) != 0 ||
		    !pane_backup_older(&pb->v[i], e))
			continue;
		if (best == NULL || pane_backup_older(best, &pb->v[i]))
			best = &pb->v[i];
	}
	return best;
}

/* The two backups to compare, as pane_backup_diff() describes. */
static int
pane_backup_pair(struct pane *p, const struct backup_entry **a,
    const struct backup_entry **b, char **cause)
{
	struct pane_backup *pb = pane_arg(p);
	size_t n, row;
	int64_t *keys = pane_selection(p, &n);
	bool current = pane_current(p, &row);

	*a = *b = NULL;
	if (n == 2 && pane_marked(p) == 2) {
		*a = pane_backup_find(pb, keys[0]);
		*b = pane_backup_find(pb, keys[1]);
	} else if (pane_marked(p) == 1 && current && pb->v[row].id != keys[0]) {
		*a = pane_backup_find(pb, keys[0]);
		*b = &pb->v[row];
	} else if (pane_marked(p) == 0 && current) {
		*b = &pb->v[row];
		if ((*a = pane_backup_previous(pb, *b)) == NULL)
			*cause = xstrdup(_("no earlier backup of this printer "
			    "and category: mark two backups with Space"));
	}
	free(keys);
	if (*a != NULL && *b != NULL)
		return 0;
	if (*cause == NULL)
		*cause = xstrdup(_("mark two backups with Space, then press d"));
	return -1;
}

int
pane_backup_diff(struct pane *p, const struct screen *scr, struct pane **out,
    char **cause)
{
	struct pane_backup *pb = pane_arg(p);
	const struct backup_entry *a, *b, *t;

	*cause = NULL;
	if (pane_backup_pair(p, &a, &b, cause) != 0)
		return -1;
	if (pane_backup_older(b, a)) {
		t = a;
		a = b;
		b = t;
	}
	*out = pane_backup_view_diff(pb->st, a, b, scr, cause);
	return *out != NULL ? 0 : -1;
}
