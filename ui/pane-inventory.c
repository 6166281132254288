#include "config.h"

#include "pane-inventory.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "job-kinds.h"
#include "job.h"
#include "pane.h"
#include "printer.h"
#include "screen.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

enum pane_inventory_col {
	PANE_INVENTORY_NAME,
	PANE_INVENTORY_ADDRESS,
	PANE_INVENTORY_GROUP,
	PANE_INVENTORY_STATE,
	PANE_INVENTORY_VERDICT,
	PANE_INVENTORY_MODEL,
	PANE_INVENTORY_SERIAL,
	PANE_INVENTORY_SYSNAME,
	PANE_INVENTORY_NCOLS
};

/* Dropped right to left when the terminal is narrow. */
static const struct pane_column pane_inventory_columns[] = {
	[PANE_INVENTORY_NAME] = { N_("NAME"), 8, 24 },
	[PANE_INVENTORY_ADDRESS] = { N_("ADDRESS"), 9, 26 },
	[PANE_INVENTORY_GROUP] = { N_("GROUP"), 5, 12 },
	[PANE_INVENTORY_STATE] = { N_("STATE"), 11, 11 },
	[PANE_INVENTORY_VERDICT] = { N_("VERDICT"), 9, 21 },
	[PANE_INVENTORY_MODEL] = { N_("MODEL"), 6, 20 },
	[PANE_INVENTORY_SERIAL] = { N_("SERIAL"), 6, 16 },
	[PANE_INVENTORY_SYSNAME] = { N_("SYSNAME"), 7, 0 },
};

/* A printer's cells, sanitised once per reload. */
struct pane_inventory_row {
	char		*cells[PANE_INVENTORY_NCOLS];
	enum screen_role state_role;
	enum screen_role verdict_role;
};

struct pane_inventory {
	struct store	*st;
	struct printer_set *set;
	struct pane_inventory_row *rows;
	size_t		 nrows;
	struct pane	*pane;
};

static size_t
pane_inventory_count(void *arg)
{
	return ((struct pane_inventory *)arg)->nrows;
}

static int64_t
pane_inventory_key(void *arg, size_t row)
{
	return ((struct pane_inventory *)arg)->set->v[row].id;
}

static void
pane_inventory_cell(void *arg, size_t row, size_t col, struct pane_cell *cell)
{
	struct pane_inventory *inv = arg;

	cell->text = inv->rows[row].cells[col];
	if (col == PANE_INVENTORY_STATE)
		cell->role = inv->rows[row].state_role;
	else if (col == PANE_INVENTORY_VERDICT)
		cell->role = inv->rows[row].verdict_role;
}

static const char *
pane_inventory_empty(void *arg)
{
	return _("No printers yet. Add them with: quire printer add NAME "
	    "ADDRESS");
}

static const struct pane_owner pane_inventory_owner = {
	.one = N_("printer"),
	.many = N_("printers"),
	.columns = pane_inventory_columns,
	.ncolumns = PANE_INVENTORY_NCOLS,
	.count = pane_inventory_count,
	.key = pane_inventory_key,
	.cell = pane_inventory_cell,
	.empty = pane_inventory_empty,
};

struct pane_inventory *
pane_inventory_new(struct store *st)
{
	struct pane_inventory *inv = xcalloc(1, sizeof *inv);

	inv->st = st;
	inv->pane = pane_new(&pane_inventory_owner, inv, _("Printers"),
	    PANE_MARKS | PANE_SORT, KEYS_LIST);
	return inv;
}

static void
pane_inventory_rows_free(struct pane_inventory *inv)
{
	size_t i, j;

	for (i = 0; i < inv->nrows; i++) {
		for (j = 0; j < PANE_INVENTORY_NCOLS; j++)
			free(inv->rows[i].cells[j]);
	}
	xfree(&inv->rows);
	inv->nrows = 0;
	printer_set_free(&inv->set);
}

void
pane_inventory_free(struct pane_inventory **ip)
{
	struct pane_inventory *inv = *ip;

	if (inv == NULL)
		return;
	pane_free(&inv->pane);
	pane_inventory_rows_free(inv);
	free(inv);
	*ip = NULL;
}

struct pane *
pane_inventory_pane(struct pane_inventory *inv)
{
	return inv->pane;
}

/* Anything read from the store is drawn only once made safe again. */
static char *
pane_inventory_clean(const char *s)
{
	return text_sanitize(s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static char *
pane_inventory_address(const struct printer *pr)
{
	const char *a = pr->address != NULL ? pr->address : "";
	char *raw, *out;

	if (pr->port == PRINTER_SNMP_PORT)
		raw = xstrdup(a);
	else if (strchr(a, ':') != NULL)
		raw = xasprintf("[%s]:%u", a, pr->port);
	else
		raw = xasprintf("%s:%u", a, pr->port);
	out = pane_inventory_clean(raw);
	free(raw);
	return out;
}

static const char *
pane_inventory_state(enum printer_state state, enum screen_role *role)
{
	switch (state) {
	case PRINTER_REACHABLE:
		*role = SCREEN_OK;
		return _("reachable");
	case PRINTER_UNREACHABLE:
		*role = SCREEN_ERROR;
		return _("unreachable");
	default:
		*role = SCREEN_WARN;
		return _("unknown");
	}
}

/* The verdict as shown ("-" before the first check) and its colour. */
static char *
pane_inventory_verdict(const char *verdict, enum screen_role *role)
{
	if (verdict == NULL) {
		*role = SCREEN_NORMAL;
		return xstrdup("-");
	}
	if (strcmp(verdict, "managed") == 0)
		*role = SCREEN_OK;
	else if (strcmp(verdict, "partly managed") == 0)
		*role = SCREEN_WARN;
	else
		*role = SCREEN_ERROR;
	return pane_inventory_clean(verdict);
}

static void
pane_inventory_fill(struct pane_inventory_row *r, const struct printer *pr)
{
	r->cells[PANE_INVENTORY_NAME] = pane_inventory_clean(pr->name);
	r->cells[PANE_INVENTORY_ADDRESS] = pane_inventory_address(pr);
	r->cells[PANE_INVENTORY_GROUP] = pane_inventory_clean(pr->group);
	r->cells[PANE_INVENTORY_STATE] = xstrdup(pane_inventory_state(
	    pr->state, &r->state_role));
	r->cells[PANE_INVENTORY_VERDICT] = pane_inventory_verdict(pr->verdict,
	    &r->verdict_role);
	r->cells[PANE_INVENTORY_MODEL] = pane_inventory_clean(pr->model);
	r->cells[PANE_INVENTORY_SERIAL] = pane_inventory_clean(pr->serial);
	r->cells[PANE_INVENTORY_SYSNAME] = pane_inventory_clean(pr->sys_name);
}

int
pane_inventory_reload(struct pane_inventory *inv, char **cause)
{
	struct printer_set *set;
	size_t i;

	if (printer_load_all(inv->st, &set, cause) != 0)
		return -1;
	pane_inventory_rows_free(inv);
	inv->set = set;
	inv->rows = xcalloc(set->n > 0 ? set->n : 1, sizeof *inv->rows);
	for (i = 0; i < set->n; i++)
		pane_inventory_fill(&inv->rows[i], &set->v[i]);
	inv->nrows = set->n;
	pane_reload(inv->pane);
	return 0;
}

/* ---- the detail view ---- */

static const struct pane_column pane_inventory_detail_columns[] = {
	{ N_("FIELD"), 12, 12 },
	{ N_("VALUE"), 10, 0 },
};

/* A time column in local time, or "never". */
static char *
pane_inventory_time(int64_t ms)
{
	char buf[64];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		return xstrdup(ms <= 0 ? _("never") : "?");
	return xstrdup(buf);
}

/* Where a line of at most WIDTH columns starting at P ends: at a blank if any. */
static char *
pane_inventory_cut(const struct screen *scr, char *p, int width)
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
			blank = end;
		end = next;
	}
	if (*end != '\0' && blank != NULL && blank > p)
		return blank;
	if (end == p && *p != '\0') {
		/* Not even one character fits: take it anyway. */
		while (((unsigned char)*++end & 0xc0) == 0x80)
			/* nothing */;
	}
	return end;
}

/* A detail view being built: where it goes and how wide a value may be. */
struct pane_inventory_detail {
	struct pane	*pane;
	const struct screen *scr;
	int		 width;
};

/* Add FIELD: VALUE, sanitised, wrapped onto rows of its own. */
static void
pane_inventory_field(struct pane_inventory_detail *d, const char *field,
    const char *value, enum screen_role role)
{
	char *clean = pane_inventory_clean(value), *p = clean, *cut, save;
	const char *cells[2] = { field, NULL };

	do {
		cut = pane_inventory_cut(d->scr, p, d->width);
		save = *cut;
		*cut = '\0';
		cells[1] = p;
		pane_table_add(d->pane, role, cells);
		*cut = save;
		cells[0] = "";
		for (p = cut; *p == ' '; p++)
			/* nothing */;
	} while (*p != '\0');
	free(clean);
}

/* What the capability check found, for the detail view. */
static void
pane_inventory_findings(struct pane_inventory_detail *d,
    const struct printer *pr, const struct pane_inventory_row *r)
{
	char *s;

	pane_inventory_field(d, _("Verdict"), r->cells[PANE_INVENTORY_VERDICT],
	    r->verdict_role);
	pane_inventory_field(d, _("Why"), pr->verdict_reason, SCREEN_NORMAL);
	pane_inventory_field(d, _("Firmware"), pr->firmware, SCREEN_NORMAL);
	pane_inventory_field(d, _("SNMP version"), pr->snmp_version,
	    SCREEN_NORMAL);
	pane_inventory_field(d, _("Shell login"), pr->login_kind,
	    SCREEN_NORMAL);
	pane_inventory_field(d, _("HTTPS"), pr->https_present < 0 ? NULL :
	    pr->https_present ? _("yes") : _("no"), SCREEN_NORMAL);
	pane_inventory_field(d, _("Categories"), pr->categories,
	    SCREEN_NORMAL);
	s = xasprintf("%u", pr->ssh_port != 0 ? pr->ssh_port : 22);
	pane_inventory_field(d, _("SSH port"), s, SCREEN_NORMAL);
	free(s);
	s = xasprintf("%u", pr->https_port != 0 ? pr->https_port : 443);
	pane_inventory_field(d, _("HTTPS port"), s, SCREEN_NORMAL);
	free(s);
}

static void
pane_inventory_fields(struct pane_inventory_detail *d,
    const struct printer *pr, const struct pane_inventory_row *r)
{
	char *s;

	pane_inventory_field(d, _("Name"), pr->name, SCREEN_NORMAL);
	s = xasprintf("%lld", (long long)pr->id);
	pane_inventory_field(d, _("Id"), s, SCREEN_NORMAL);
	free(s);
	pane_inventory_field(d, _("Address"), pr->address, SCREEN_NORMAL);
	s = xasprintf("%u", pr->port);
	pane_inventory_field(d, _("SNMP port"), s, SCREEN_NORMAL);
	free(s);
	pane_inventory_field(d, _("Group"), pr->group, SCREEN_NORMAL);
	pane_inventory_field(d, _("State"), r->cells[PANE_INVENTORY_STATE],
	    r->state_role);
	pane_inventory_field(d, _("Reason"), pr->reason, SCREEN_NORMAL);
	s = pane_inventory_time(pr->checked_at);
	pane_inventory_field(d, _("Checked"), s, SCREEN_NORMAL);
	free(s);
	s = pane_inventory_time(pr->created_at);
	pane_inventory_field(d, _("Added"), s, SCREEN_NORMAL);
	free(s);
	pane_inventory_field(d, _("Model"), pr->model, SCREEN_NORMAL);
	pane_inventory_field(d, _("Serial"), pr->serial, SCREEN_NORMAL);
	pane_inventory_field(d, _("sysName"), pr->sys_name, SCREEN_NORMAL);
	pane_inventory_field(d, _("sysDescr"), pr->sys_descr, SCREEN_NORMAL);
	pane_inventory_field(d, _("sysObjectID"), pr->sys_object_id,
	    SCREEN_NORMAL);
	pane_inventory_findings(d, pr, r);
}

struct pane *
pane_inventory_detail(struct pane_inventory *inv, const struct screen *scr)
{
	const struct pane_column *c = pane_inventory_detail_columns;
	struct pane_inventory_detail d = { .scr = scr };
	size_t row;
	char *title;

	if (!pane_current(inv->pane, &row))
		return NULL;
	/* Values wrap to the width there is now, after the widest label. */
	d.width = screen_cols(scr) - 2 - c[0].max - 1;
	if (d.width < c[1].min)
		d.width = c[1].min;
	title = xasprintf(_("Printer %s"), inv->rows[row].cells[0]);
	d.pane = pane_new_table(title, c, 2, N_("field"), N_("fields"));
	free(title);
	pane_inventory_fields(&d, &inv->set->v[row], &inv->rows[row]);
	return d.pane;
}

/* ---- actions ---- */

int
pane_inventory_check(struct pane_inventory *inv, int64_t *job_id, size_t *n,
    char **cause)
{
	int64_t *ids;
	int rc;

	ids = pane_selection(inv->pane, n);
	if (*n == 0) {
		*cause = xstrdup(_("there is no printer to check"));
		return -1;
	}
	rc = job_submit(inv->st, JOB_KIND_CHECK, NULL, ids, *n,
	    store_whoami(), job_id, cause);
	free(ids);
	return rc;
}
