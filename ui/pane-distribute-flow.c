#include "config.h"

#include "pane-distribute-int.h"

#include <stdlib.h>
#include <string.h>

#include "distribute.h"
#include "i18n.h"
#include "job.h"
#include "pane.h"
#include "screen.h"
#include "setdata.h"
#include "status.h"
#include "store.h"
#include "xmalloc.h"

enum pane_distribute_choose_col {
	PANE_DISTRIBUTE_CHOOSE_NAME,
	PANE_DISTRIBUTE_CHOOSE_SETTINGS,
	PANE_DISTRIBUTE_CHOOSE_MODEL,
	PANE_DISTRIBUTE_CHOOSE_BY,
	PANE_DISTRIBUTE_CHOOSE_SOURCE,
	PANE_DISTRIBUTE_CHOOSE_NCOLS
};

static const struct pane_column pane_distribute_choose_columns[] = {
	[PANE_DISTRIBUTE_CHOOSE_NAME] = { N_("DATA"), 8, 24 },
	[PANE_DISTRIBUTE_CHOOSE_SETTINGS] = { N_("SETTINGS"), 8, 8 },
	[PANE_DISTRIBUTE_CHOOSE_MODEL] = { N_("MODEL"), 5, 16 },
	[PANE_DISTRIBUTE_CHOOSE_BY] = { N_("BY"), 4, 12 },
	[PANE_DISTRIBUTE_CHOOSE_SOURCE] = { N_("SOURCE"), 6, 0 },
};

enum pane_distribute_preview_col {
	PANE_DISTRIBUTE_PREVIEW_PRINTER,
	PANE_DISTRIBUTE_PREVIEW_KEY,
	PANE_DISTRIBUTE_PREVIEW_OUTCOME,
	PANE_DISTRIBUTE_PREVIEW_CHANGE,
	PANE_DISTRIBUTE_PREVIEW_NCOLS
};

static const struct pane_column pane_distribute_preview_columns[] = {
	[PANE_DISTRIBUTE_PREVIEW_PRINTER] = { N_("PRINTER"), 8, 20 },
	[PANE_DISTRIBUTE_PREVIEW_KEY] = { N_("SETTING"), 10, 32 },
	[PANE_DISTRIBUTE_PREVIEW_OUTCOME] = { N_("PREVIEW"), 8, 13 },
	[PANE_DISTRIBUTE_PREVIEW_CHANGE] = { N_("OLD -> NEW"), 10, 0 },
};

/* Say CAUSE (taken) in ROLE. */
static void
pane_distribute_flow_say(struct pane_distribute *pd, enum screen_role role,
    char *cause)
{
	status_message(pd->status, role, "%s", cause);
	free(cause);
}

/* ---- choosing the setting data ---- */

static void
pane_distribute_choose_fill(struct pane_distribute_view *v,
    const struct setdata_info *sd)
{
	char *cells[PANE_DISTRIBUTE_CHOOSE_NCOLS];
	struct pane_distribute_row *r;
	size_t i;

	cells[PANE_DISTRIBUTE_CHOOSE_NAME] = pane_distribute_clean(sd->name);
	cells[PANE_DISTRIBUTE_CHOOSE_SETTINGS] = xasprintf("%zu",
	    sd->nsettings);
	cells[PANE_DISTRIBUTE_CHOOSE_MODEL] = pane_distribute_clean(sd->model);
	cells[PANE_DISTRIBUTE_CHOOSE_BY] = pane_distribute_clean(
	    sd->created_by);
	cells[PANE_DISTRIBUTE_CHOOSE_SOURCE] = pane_distribute_clean(
	    sd->source);
	r = pane_distribute_view_add(v, sd->id, (const char *const *)cells);
	r->name = xstrdup(sd->name);
	for (i = 0; i < PANE_DISTRIBUTE_CHOOSE_NCOLS; i++)
		free(cells[i]);
}

struct pane *
pane_distribute_choose_open(struct pane_distribute *pd, const int64_t *ids,
    size_t n, char **cause)
{
	struct pane_distribute_view *v;
	struct setdata_info *sd;
	struct pane *p;
	size_t nsd, i;
	char *title;

	if (setdata_store_list(pd->st, &sd, &nsd, cause) != 0)
		return NULL;
	if (nsd == 0) {
		*cause = xstrdup(_("no setting data registered yet: run quire "
		    "data import FILE --name NAME"));
		setdata_infos_free(&sd, nsd);
		return NULL;
	}
	v = pane_distribute_view_new(pd, PANE_DISTRIBUTE_CHOOSE,
	    pane_distribute_choose_columns, PANE_DISTRIBUTE_CHOOSE_NCOLS,
	    N_("setting data"), N_("setting data"), NULL);
	for (i = 0; i < nsd; i++)
		pane_distribute_choose_fill(v, &sd[i]);
	setdata_infos_free(&sd, nsd);
	v->ids = xcalloc(n, sizeof *v->ids);
	memcpy(v->ids, ids, n * sizeof *ids);
	v->nids = n;
	title = xasprintf(n == 1 ? _("Distribute to %zu printer: which data? "
	    "(Enter)") : _("Distribute to %zu printers: which data? (Enter)"),
	    n);
	p = pane_distribute_view_pane(v, title, KEYS_DIST_CHOOSE);
	free(title);
	return p;
}

void
pane_distribute_flow_start(struct pane_distribute *pd, struct pane *inv,
    struct pane_distribute_do *d)
{
	char *cause = NULL;
	int64_t *ids;
	size_t n;

	ids = pane_selection(inv, &n);
	if (n == 0)
		status_message(pd->status, SCREEN_WARN,
		    _("there is no printer to distribute to"));
	else if ((d->push = pane_distribute_choose_open(pd, ids, n,
	    &cause)) == NULL)
		pane_distribute_flow_say(pd, SCREEN_WARN, cause);
	else
		d->pop = -1;
	free(ids);
}

/* Enter in the chooser: queue the dry run, show its preview. */
static void
pane_distribute_choose_pick(struct pane_distribute *pd, struct pane *top,
    struct pane_distribute_do *d)
{
	struct pane_distribute_view *v = pane_distribute_view_of(top);
	struct pane_distribute_row *r = pane_distribute_view_current(top);
	struct distribute_options opts = { .dry_run = true };
	char *cause = NULL;
	int64_t job = 0;

	if (r == NULL)
		return;
	if (distribute_queue(pd->st, r->name, v->ids, v->nids, &opts,
	    store_whoami(), &job, &cause) != 0) {
		pane_distribute_flow_say(pd, SCREEN_ERROR, cause);
		return;
	}
	d->kick = true;
	d->pop = 1;
	if ((d->push = pane_distribute_preview_open(pd, job, r->name, false,
	    &cause)) == NULL) {
		pane_distribute_flow_say(pd, SCREEN_ERROR, cause);
		return;
	}
	status_message(pd->status, SCREEN_NORMAL, v->nids == 1 ?
	    _("preview #%lld: reading %zu printer, writing nothing") :
	    _("preview #%lld: reading %zu printers, writing nothing"),
	    (long long)job, v->nids);
}

/* ---- the preview ---- */

static void
pane_distribute_preview_result(struct pane_distribute_view *v,
    const struct distribute_result *res)
{
	const char *cells[PANE_DISTRIBUTE_PREVIEW_NCOLS];
	struct pane_distribute_row *r;
	enum screen_role role;
	char *name = pane_distribute_clean(res->printer_name);
	char *key = pane_distribute_clean(res->key);
	char *change = pane_distribute_change(res), *reason, *tmp;

	if (res->reason != NULL) {
		reason = pane_distribute_clean(res->reason);
		tmp = change;
		change = xasprintf("%s (%s)", tmp, reason);
		free(tmp);
		free(reason);
	}
	cells[PANE_DISTRIBUTE_PREVIEW_PRINTER] = name;
	cells[PANE_DISTRIBUTE_PREVIEW_KEY] = key;
	cells[PANE_DISTRIBUTE_PREVIEW_OUTCOME] = pane_distribute_outcome(
	    res->outcome, true, &role);
	cells[PANE_DISTRIBUTE_PREVIEW_CHANGE] = change;
	r = pane_distribute_view_add(v, (int64_t)v->nrows, cells);
	r->roles[PANE_DISTRIBUTE_PREVIEW_OUTCOME] = role;
	free(name);
	free(key);
	free(change);
}

/* A printer the dry run could not read, with why. */
static void
pane_distribute_preview_failed(struct pane_distribute_view *v,
    const struct job_target_info *t)
{
	const char *cells[PANE_DISTRIBUTE_PREVIEW_NCOLS] = { NULL };
	struct pane_distribute_row *r;
	char *name = pane_distribute_clean(t->printer_name);
	char *reason = pane_distribute_clean(t->reason);

	cells[PANE_DISTRIBUTE_PREVIEW_PRINTER] = name;
	cells[PANE_DISTRIBUTE_PREVIEW_OUTCOME] = t->state == TARGET_FAILED ?
	    _("failed") : _("cancelled");
	cells[PANE_DISTRIBUTE_PREVIEW_CHANGE] = reason;
	r = pane_distribute_view_add(v, (int64_t)v->nrows, cells);
	r->roles[PANE_DISTRIBUTE_PREVIEW_OUTCOME] = SCREEN_ERROR;
	r->roles[PANE_DISTRIBUTE_PREVIEW_CHANGE] = SCREEN_ERROR;
	free(name);
	free(reason);
}

static int
pane_distribute_flow_cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* What to write: the settings that will change, and their printers. */
static void
pane_distribute_preview_ids(struct pane_distribute_view *v,
    const struct distribute_result *r, size_t n)
{
	size_t i, k = 0;

	xfree(&v->ids);
	v->ids = xcalloc(n > 0 ? n : 1, sizeof *v->ids);
	v->nchange = 0;
	for (i = 0; i < n; i++) {
		if (r[i].outcome != DISTRIBUTE_WOULD_CHANGE)
			continue;
		v->nchange++;
		if (r[i].printer_id != 0)
			v->ids[k++] = r[i].printer_id;
	}
	qsort(v->ids, k, sizeof *v->ids, pane_distribute_flow_cmp_id);
	for (v->nids = 0, i = 0; i < k; i++) {
		if (v->nids == 0 || v->ids[v->nids - 1] != v->ids[i])
			v->ids[v->nids++] = v->ids[i];
	}
}

/* Whether the results R name the printer NAME (then they say why). */
static bool
pane_distribute_preview_has(const struct distribute_result *r, size_t n,
    const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < n; i++) {
		if (r[i].printer_name != NULL &&
		    strcmp(r[i].printer_name, name) == 0)
			return true;
	}
	return false;
}

/* Read V's results; *ENDED once its dry run has ended. */
static int
pane_distribute_preview_fill(struct pane_distribute_view *v, bool *ended,
    char **cause)
{
	struct distribute_result *r;
	struct job_target_info *t;
	struct job_info j;
	size_t nr, nt, i;

	if (job_get(v->pd->st, v->job, &j, cause) != 0)
		return -1;
	*ended = j.state != JOB_QUEUED && j.state != JOB_RUNNING;
	job_info_clear(&j);
	if (distribute_results(v->pd->st, v->job, NULL, &r, &nr, cause) != 0)
		return -1;
	if (job_targets(v->pd->st, v->job, &t, &nt, cause) != 0) {
		distribute_results_free(&r, nr);
		return -1;
	}
	pane_distribute_view_clear(v);
	for (i = 0; i < nr; i++)
		pane_distribute_preview_result(v, &r[i]);
	for (i = 0; i < nt; i++) {
		if ((t[i].state == TARGET_FAILED ||
		    t[i].state == TARGET_CANCELLED) &&
		    !pane_distribute_preview_has(r, nr, t[i].printer_name))
			pane_distribute_preview_failed(v, &t[i]);
	}
	pane_distribute_preview_ids(v, r, nr);
	job_targets_free(&t, nt);
	distribute_results_free(&r, nr);
	return 0;
}

int
pane_distribute_preview_reload(struct pane *p, bool *ended, char **cause)
{
	if (pane_distribute_preview_fill(pane_arg(p), ended, cause) != 0)
		return -1;
	pane_reload(p);
	return 0;
}

/* "Write 4 settings to 2 printers (office)? y/n", or why not. */
static char *
pane_distribute_preview_title(const struct pane_distribute_view *v)
{
	char *data = pane_distribute_clean(v->data), *set, *prn, *title;

	if (!v->final)
		title = xasprintf(_("Preview of %s: reading the printers..."),
		    data);
	else if (v->nchange == 0)
		title = xasprintf(_("Nothing to write: no printer needs %s "
		    "(q)"), data);
	else {
		set = xasprintf(v->nchange == 1 ? _("%zu setting") :
		    _("%zu settings"), v->nchange);
		prn = xasprintf(v->nids == 1 ? _("%zu printer") :
		    _("%zu printers"), v->nids);
		title = xasprintf(_("Write %s to %s (%s)? y/n"), set, prn,
		    data);
		free(set);
		free(prn);
	}
	free(data);
	return title;
}

struct pane *
pane_distribute_preview_open(struct pane_distribute *pd, int64_t job,
    const char *data, bool final, char **cause)
{
	struct pane_distribute_view *v;
	struct pane *p;
	char *title;
	bool ended;

	v = pane_distribute_view_new(pd, PANE_DISTRIBUTE_PREVIEW,
	    pane_distribute_preview_columns, PANE_DISTRIBUTE_PREVIEW_NCOLS,
	    N_("result"), N_("results"),
	    _("Reading the printers' values; nothing is written yet."));
	v->job = job;
	v->data = xstrdup(data);
	v->final = final;
	v->preview = true;
	if (pane_distribute_preview_fill(v, &ended, cause) != 0) {
		v->owner.free(v);
		return NULL;
	}
	title = pane_distribute_preview_title(v);
	p = pane_distribute_view_pane(v, title, KEYS_DIST_ASK);
	free(title);
	return p;
}

bool
pane_distribute_flow_ended(struct pane_distribute *pd, struct pane *top,
    struct pane_distribute_do *d)
{
	struct pane_distribute_view *v = pane_distribute_view_of(top);
	char *cause = NULL;
	struct job_info j;
	bool ended;

	if (v == NULL || v->kind != PANE_DISTRIBUTE_PREVIEW || v->final)
		return false;
	if (job_get(pd->st, v->job, &j, &cause) != 0) {
		pane_distribute_flow_say(pd, SCREEN_ERROR, cause);
		return false;
	}
	ended = j.state != JOB_QUEUED && j.state != JOB_RUNNING;
	job_info_clear(&j);
	if (!ended)
		return false;
	if ((d->push = pane_distribute_preview_open(pd, v->job, v->data, true,
	    &cause)) == NULL) {
		pane_distribute_flow_say(pd, SCREEN_ERROR, cause);
		return false;
	}
	d->pop = 1;
	status_message(pd->status, SCREEN_WARN, _("the preview has ended: y "
	    "writes, n writes nothing"));
	return true;
}

/* y to the question: queue the write, follow it in the jobs pane. */
static void
pane_distribute_write(struct pane_distribute *pd,
    struct pane_distribute_view *v, struct pane_distribute_do *d)
{
	struct distribute_options opts = { .dry_run = false };
	char *cause = NULL;
	int64_t job = 0;

	if (distribute_queue(pd->st, v->data, v->ids, v->nids, &opts,
	    store_whoami(), &job, &cause) != 0) {
		pane_distribute_flow_say(pd, SCREEN_ERROR, cause);
		return;
	}
	if (job == 0) {
		status_message(pd->status, SCREEN_WARN,
		    _("nothing written: the printers are gone"));
		return;
	}
	d->kick = true;
	d->pop = -1;
	if ((d->push = pane_distribute_jobs_open(pd, &cause)) == NULL) {
		pane_distribute_flow_say(pd, SCREEN_ERROR, cause);
		return;
	}
	status_message(pd->status, SCREEN_OK, _("distribution #%lld queued: "
	    "writing %zu settings to %zu printers"), (long long)job,
	    v->nchange, v->nids);
}

bool
pane_distribute_flow_op(struct pane_distribute *pd, struct pane *top,
    enum keys_op op, struct pane_distribute_do *d)
{
	struct pane_distribute_view *v = pane_distribute_view_of(top);

	if (v->kind == PANE_DISTRIBUTE_CHOOSE) {
		if (op != KEYS_OP_OPEN)
			return false;
		pane_distribute_choose_pick(pd, top, d);
	} else if (op == KEYS_OP_NO) {
		d->pop = 1;
		status_message(pd->status, SCREEN_NORMAL, _("nothing written"));
	} else if (op != KEYS_OP_YES)
		return false;
	else if (!v->final)
		status_message(pd->status, SCREEN_WARN, _("the preview is "
		    "still reading the printers: wait for the question"));
	else if (v->nchange == 0) {
		d->pop = 1;
		status_message(pd->status, SCREEN_NORMAL, _("nothing written: "
		    "nothing to change"));
	} else
		pane_distribute_write(pd, v, d);
	return true;
}
