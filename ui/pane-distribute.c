#include "config.h"

#include "pane-distribute.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "distribute.h"
#include "i18n.h"
#include "keys.h"
#include "pane-distribute-int.h"
#include "pane.h"
#include "screen.h"
#include "status.h"
#include "text.h"
#include "xmalloc.h"

struct pane_distribute *
pane_distribute_new(struct store *st, const struct screen *scr,
    struct status *status)
{
	struct pane_distribute *pd = xcalloc(1, sizeof *pd);

	pd->st = st;
	pd->scr = scr;
	pd->status = status;
	return pd;
}

void
pane_distribute_free(struct pane_distribute **pdp)
{
	free(*pdp);
	*pdp = NULL;
}

/* ---- the view: rows of cells over one generic owner ---- */

static size_t
pane_distribute_view_count(void *arg)
{
	return ((struct pane_distribute_view *)arg)->nrows;
}

static int64_t
pane_distribute_view_key(void *arg, size_t row)
{
	return ((struct pane_distribute_view *)arg)->rows[row].key;
}

static void
pane_distribute_view_cell(void *arg, size_t row, size_t col,
    struct pane_cell *cell)
{
	struct pane_distribute_view *v = arg;

	cell->text = v->rows[row].cells[col];
	cell->role = v->rows[row].roles[col];
}

static const char *
pane_distribute_view_empty(void *arg)
{
	return ((struct pane_distribute_view *)arg)->empty;
}

void
pane_distribute_view_clear(struct pane_distribute_view *v)
{
	size_t i, j;

	for (i = 0; i < v->nrows; i++) {
		for (j = 0; j < PANE_DISTRIBUTE_MAXCOLS; j++)
			free(v->rows[i].cells[j]);
		free(v->rows[i].name);
	}
	xfree(&v->rows);
	v->nrows = 0;
}

static void
pane_distribute_view_free(void *arg)
{
	struct pane_distribute_view *v = arg;

	pane_distribute_view_clear(v);
	free(v->printer);
	free(v->data);
	free(v->ids);
	free(v);
}

struct pane_distribute_view *
pane_distribute_view_new(struct pane_distribute *pd,
    enum pane_distribute_kind kind, const struct pane_column *columns,
    size_t ncolumns, const char *one, const char *many, const char *empty)
{
	struct pane_distribute_view *v = xcalloc(1, sizeof *v);

	v->owner.one = one;
	v->owner.many = many;
	v->owner.columns = columns;
	v->owner.ncolumns = ncolumns;
	v->owner.count = pane_distribute_view_count;
	v->owner.key = pane_distribute_view_key;
	v->owner.cell = pane_distribute_view_cell;
	v->owner.empty = pane_distribute_view_empty;
	v->owner.free = pane_distribute_view_free;
	v->kind = kind;
	v->pd = pd;
	v->empty = empty;
	return v;
}

struct pane *
pane_distribute_view_pane(struct pane_distribute_view *v, const char *title,
    enum keys_context ctx)
{
	struct pane *p = pane_new(&v->owner, v, title, 0, ctx);

	pane_reload(p);
	return p;
}

struct pane_distribute_row *
pane_distribute_view_add(struct pane_distribute_view *v, int64_t key,
    const char *const *cells)
{
	struct pane_distribute_row *r;
	size_t i;

	v->rows = xreallocarray(v->rows, v->nrows + 1, sizeof *v->rows);
	r = &v->rows[v->nrows++];
	memset(r, 0, sizeof *r);
	r->key = key;
	for (i = 0; i < v->owner.ncolumns; i++)
		r->cells[i] = xstrdup(cells[i] != NULL ? cells[i] : "");
	return r;
}

struct pane_distribute_view *
pane_distribute_view_of(struct pane *p)
{
	switch (pane_context(p)) {
	case KEYS_DIST_JOBS:
	case KEYS_DIST_CHOOSE:
	case KEYS_DIST_ASK:
		return pane_arg(p);
	default:
		return NULL;
	}
}

struct pane_distribute_row *
pane_distribute_view_current(struct pane *p)
{
	struct pane_distribute_view *v = pane_distribute_view_of(p);
	size_t row;

	if (v == NULL || !pane_current(p, &row))
		return NULL;
	return &v->rows[row];
}

/* ---- words and values ---- */

char *
pane_distribute_clean(const char *s)
{
	return text_sanitize(s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

char *
pane_distribute_time(int64_t ms)
{
	char buf[64];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return xstrdup("?");
	return xstrdup(buf);
}

const char *
pane_distribute_outcome(enum distribute_outcome o, bool preview,
    enum screen_role *role)
{
	switch (o) {
	case DISTRIBUTE_WOULD_CHANGE:
		*role = SCREEN_WARN;
		return _("will change");
	case DISTRIBUTE_UNCHANGED:
		*role = SCREEN_NORMAL;
		return preview ? _("already holds") : _("unchanged");
	case DISTRIBUTE_APPLIED:
		*role = SCREEN_OK;
		return _("applied");
	case DISTRIBUTE_REJECTED:
		*role = SCREEN_ERROR;
		return _("rejected");
	case DISTRIBUTE_UNSUPPORTED:
		*role = SCREEN_WARN;
		return _("not supported");
	default:
		*role = SCREEN_ERROR;
		return _("failed");
	}
}

/* A value as shown: sanitised, "" when empty so that it can be seen. */
static char *
pane_distribute_value(const char *s)
{
	if (s == NULL)
		return xstrdup("?");
	if (*s == '\0')
		return xstrdup("\"\"");
	return pane_distribute_clean(s);
}

char *
pane_distribute_change(const struct distribute_result *r)
{
	char *old, *new, *out;

	if (r->secret)
		return xstrdup(_("(secret)"));
	new = pane_distribute_value(r->new_value);
	if (r->outcome == DISTRIBUTE_UNCHANGED || (r->old_value == NULL &&
	    r->outcome != DISTRIBUTE_WOULD_CHANGE &&
	    r->outcome != DISTRIBUTE_APPLIED))
		return new;
	old = pane_distribute_value(r->old_value);
	out = xasprintf("%s -> %s", old, new);
	free(old);
	free(new);
	return out;
}

/* ---- the hook ---- */

/* Read every distribution pane of STACK again. */
static void
pane_distribute_reload_all(struct pane_distribute *pd,
    struct pane *const *stack, size_t depth)
{
	struct pane_distribute_view *v;
	char *cause = NULL;
	bool ended;
	int rc = 0;
	size_t i;

	for (i = 1; i < depth; i++) {
		if ((v = pane_distribute_view_of(stack[i])) == NULL)
			continue;
		if (v->kind == PANE_DISTRIBUTE_JOBS)
			rc = pane_distribute_jobs_reload(stack[i], &cause);
		else if (v->kind == PANE_DISTRIBUTE_JOB)
			rc = pane_distribute_job_reload(stack[i], &cause);
		else if (v->kind == PANE_DISTRIBUTE_PREVIEW)
			rc = pane_distribute_preview_reload(stack[i], &ended,
			    &cause);
		if (rc != 0) {
			status_message(pd->status, SCREEN_ERROR, "%s", cause);
			xfree(&cause);
			rc = 0;
		}
	}
}

/* Ops of the pane on top, if it is a distribution pane. */
static bool
pane_distribute_local(struct pane_distribute *pd, struct pane *top,
    enum keys_op op, struct pane_distribute_do *d)
{
	struct pane_distribute_view *v = pane_distribute_view_of(top);

	if (v == NULL)
		return false;
	switch (v->kind) {
	case PANE_DISTRIBUTE_CHOOSE:
	case PANE_DISTRIBUTE_PREVIEW:
		return pane_distribute_flow_op(pd, top, op, d);
	default:
		return pane_distribute_jobs_op(pd, top, op, d);
	}
}

/* "Enter open, x cancel-job, ...": the job keys, from the tables. */
static void
pane_distribute_hint(struct pane_distribute *pd)
{
	static const enum keys_op ops[] = {
		KEYS_OP_OPEN, KEYS_OP_CANCEL_JOB, KEYS_OP_RETRY,
		KEYS_OP_ROLLBACK,
	};
	char *hint = xstrdup(""), *tmp, name[KEYS_NAME_MAX];
	size_t i;
	int key;

	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if ((key = keys_default(KEYS_DIST_JOBS, ops[i])) == -1)
			continue;
		tmp = xasprintf("%s%s%s %s", hint, *hint != '\0' ? ", " : "",
		    keys_key_name(key, name, sizeof name),
		    keys_op_name(ops[i]));
		free(hint);
		hint = tmp;
	}
	status_message(pd->status, SCREEN_NORMAL, "%s", hint);
	free(hint);
}

/* The jobs pane, above the printers. */
static void
pane_distribute_show_jobs(struct pane_distribute *pd,
    struct pane_distribute_do *d)
{
	char *cause = NULL;

	if ((d->push = pane_distribute_jobs_open(pd, &cause)) == NULL) {
		status_message(pd->status, SCREEN_ERROR, "%s", cause);
		free(cause);
		return;
	}
	d->pop = -1;
	pane_distribute_hint(pd);
}

bool
pane_distribute_hook(struct pane_distribute *pd, struct pane *const *stack,
    size_t depth, enum keys_op op, struct pane_distribute_do *d)
{
	struct pane *top = stack[depth - 1];
	bool handled = true;

	memset(d, 0, sizeof *d);
	if (op == KEYS_OP_NONE) {
		pane_distribute_reload_all(pd, stack, depth);
		pane_distribute_flow_ended(pd, top, d);
		return true;
	}
	if (pane_distribute_flow_ended(pd, top, d))
		return true;
	if (op == KEYS_OP_JOBS)
		pane_distribute_show_jobs(pd, d);
	else if (op == KEYS_OP_DISTRIBUTE)
		pane_distribute_flow_start(pd, stack[0], d);
	else
		handled = pane_distribute_local(pd, top, op, d);
	/* What stays open shows what the op changed. */
	if (handled && d->pop >= 0 && (size_t)d->pop < depth)
		pane_distribute_reload_all(pd, stack, depth - (size_t)d->pop);
	return handled;
}
