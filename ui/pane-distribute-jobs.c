#include "config.h"

#include "pane-distribute-int.h"

#include <stdlib.h>
#include <string.h>

#include "distribute.h"
#include "i18n.h"
#include "job.h"
#include "pane.h"
#include "screen.h"
#include "status.h"
#include "store.h"
#include "xmalloc.h"

/* Newest jobs read at most (of every kind: checks and backups too). */
#define PANE_DISTRIBUTE_JOBS_LIMIT	2000
#define PANE_DISTRIBUTE_BAR		10

enum pane_distribute_jobs_col {
	PANE_DISTRIBUTE_JOBS_ID,
	PANE_DISTRIBUTE_JOBS_STATE,
	PANE_DISTRIBUTE_JOBS_PROGRESS,
	PANE_DISTRIBUTE_JOBS_TYPE,
	PANE_DISTRIBUTE_JOBS_DATA,
	PANE_DISTRIBUTE_JOBS_BY,
	PANE_DISTRIBUTE_JOBS_WHEN,
	PANE_DISTRIBUTE_JOBS_NCOLS
};

/* Dropped right to left when the terminal is narrow. */
static const struct pane_column pane_distribute_jobs_columns[] = {
	[PANE_DISTRIBUTE_JOBS_ID] = { N_("JOB"), 4, 7 },
	[PANE_DISTRIBUTE_JOBS_STATE] = { N_("STATE"), 7, 9 },
	[PANE_DISTRIBUTE_JOBS_PROGRESS] = { N_("PROGRESS"), 15, 32 },
	[PANE_DISTRIBUTE_JOBS_TYPE] = { N_("TYPE"), 7, 12 },
	[PANE_DISTRIBUTE_JOBS_DATA] = { N_("DATA"), 6, 24 },
	[PANE_DISTRIBUTE_JOBS_BY] = { N_("BY"), 4, 12 },
	[PANE_DISTRIBUTE_JOBS_WHEN] = { N_("WHEN"), 16, 19 },
};

enum pane_distribute_job_col {
	PANE_DISTRIBUTE_JOB_PRINTER,
	PANE_DISTRIBUTE_JOB_STATE,
	PANE_DISTRIBUTE_JOB_CHANGED,	/* applied, or would change */
	PANE_DISTRIBUTE_JOB_UNCHANGED,
	PANE_DISTRIBUTE_JOB_REJECTED,
	PANE_DISTRIBUTE_JOB_UNSUPPORTED,
	PANE_DISTRIBUTE_JOB_FAILED,
	PANE_DISTRIBUTE_JOB_REASON,
	PANE_DISTRIBUTE_JOB_NCOLS
};

#define PANE_DISTRIBUTE_JOB_COUNTS \
	[PANE_DISTRIBUTE_JOB_PRINTER] = { N_("PRINTER"), 8, 20 }, \
	[PANE_DISTRIBUTE_JOB_STATE] = { N_("STATE"), 7, 9 }, \
	[PANE_DISTRIBUTE_JOB_UNCHANGED] = { N_("UNCHANGED"), 9, 9 }, \
	[PANE_DISTRIBUTE_JOB_REJECTED] = { N_("REJECTED"), 8, 8 }, \
	[PANE_DISTRIBUTE_JOB_UNSUPPORTED] = { N_("UNSUPPORTED"), 11, 11 }, \
	[PANE_DISTRIBUTE_JOB_FAILED] = { N_("FAILED"), 6, 6 }, \
	[PANE_DISTRIBUTE_JOB_REASON] = { N_("REASON"), 6, 0 }

static const struct pane_column pane_distribute_job_columns[] = {
	PANE_DISTRIBUTE_JOB_COUNTS,
	[PANE_DISTRIBUTE_JOB_CHANGED] = { N_("APPLIED"), 7, 7 },
};

static const struct pane_column pane_distribute_job_preview_columns[] = {
	PANE_DISTRIBUTE_JOB_COUNTS,
	[PANE_DISTRIBUTE_JOB_CHANGED] = { N_("TO CHANGE"), 9, 9 },
};

enum pane_distribute_settings_col {
	PANE_DISTRIBUTE_SETTINGS_KEY,
	PANE_DISTRIBUTE_SETTINGS_OUTCOME,
	PANE_DISTRIBUTE_SETTINGS_RESTART,
	PANE_DISTRIBUTE_SETTINGS_CHANGE,
	PANE_DISTRIBUTE_SETTINGS_REASON,
	PANE_DISTRIBUTE_SETTINGS_NCOLS
};

static const struct pane_column pane_distribute_settings_columns[] = {
	[PANE_DISTRIBUTE_SETTINGS_KEY] = { N_("SETTING"), 10, 36 },
	[PANE_DISTRIBUTE_SETTINGS_OUTCOME] = { N_("OUTCOME"), 7, 13 },
	[PANE_DISTRIBUTE_SETTINGS_RESTART] = { N_("RESTART"), 7, 7 },
	[PANE_DISTRIBUTE_SETTINGS_CHANGE] = { N_("OLD -> NEW"), 10, 0 },
	[PANE_DISTRIBUTE_SETTINGS_REASON] = { N_("REASON"), 6, 0 },
};

static const struct pane_column pane_distribute_ask_columns[] = {
	{ N_("WHAT HAPPENS"), 10, 0 },
};

/* ---- the jobs ---- */

static const char *
pane_distribute_job_state(enum job_state s, enum screen_role *role)
{
	*role = SCREEN_NORMAL;
	switch (s) {
	case JOB_QUEUED:
		return _("queued");
	case JOB_RUNNING:
		return _("running");
	case JOB_DONE:
		*role = SCREEN_OK;
		return _("done");
	case JOB_FAILED:
		*role = SCREEN_ERROR;
		return _("failed");
	default:
		*role = SCREEN_WARN;
		return _("cancelled");
	}
}

static bool
pane_distribute_job_active(const struct job_info *j)
{
	return j->state == JOB_QUEUED || j->state == JOB_RUNNING;
}

/* "██████░░░░ 3/5, 1 failed" in its role. */
static char *
pane_distribute_progress(const struct screen *scr, const struct job_info *j,
    enum screen_role *role)
{
	size_t failed = j->count[TARGET_FAILED];
	size_t gone = j->count[TARGET_CANCELLED];
	size_t ended = j->count[TARGET_DONE] + failed + gone, fill = 0, i;
	char *bar = xstrdup(""), *tmp, *out;

	if (j->total > 0)
		fill = ended * PANE_DISTRIBUTE_BAR / j->total;
	for (i = 0; i < PANE_DISTRIBUTE_BAR; i++) {
		tmp = xasprintf("%s%s", bar, screen_glyph(scr, i < fill ?
		    SCREEN_GLYPH_BAR_FULL : SCREEN_GLYPH_BAR_EMPTY));
		free(bar);
		bar = tmp;
	}
	out = xasprintf("%s %zu/%zu", bar, ended, j->total);
	free(bar);
	*role = failed > 0 ? SCREEN_ERROR : gone > 0 ? SCREEN_WARN :
	    j->state == JOB_DONE ? SCREEN_OK : SCREEN_NORMAL;
	if (failed > 0 || gone > 0) {
		tmp = out;
		out = failed > 0 ? xasprintf(_("%s, %zu failed"), tmp, failed) :
		    xasprintf(_("%s, %zu cancelled"), tmp, gone);
		free(tmp);
	}
	return out;
}

static char *
pane_distribute_type(const struct distribute_job *pp)
{
	if (pp->opts.dry_run)
		return xstrdup(_("preview"));
	if (pp->opts.rollback_of > 0)
		return xasprintf(_("rollback #%lld"),
		    (long long)pp->opts.rollback_of);
	return xstrdup(_("write"));
}

static void
pane_distribute_jobs_fill(struct pane_distribute_view *v,
    const struct job_info *j)
{
	struct distribute_job pp;
	struct pane_distribute_row *r;
	char *cells[PANE_DISTRIBUTE_JOBS_NCOLS];
	enum screen_role state, progress;
	size_t i;

	distribute_params_parse(j->params, &pp);
	cells[PANE_DISTRIBUTE_JOBS_ID] = xasprintf("#%lld", (long long)j->id);
	cells[PANE_DISTRIBUTE_JOBS_STATE] = xstrdup(
	    pane_distribute_job_state(j->state, &state));
	cells[PANE_DISTRIBUTE_JOBS_PROGRESS] = pane_distribute_progress(
	    v->pd->scr, j, &progress);
	cells[PANE_DISTRIBUTE_JOBS_TYPE] = pane_distribute_type(&pp);
	cells[PANE_DISTRIBUTE_JOBS_DATA] = pane_distribute_clean(pp.data);
	cells[PANE_DISTRIBUTE_JOBS_BY] = pane_distribute_clean(j->created_by);
	cells[PANE_DISTRIBUTE_JOBS_WHEN] = pane_distribute_time(j->created_at);
	r = pane_distribute_view_add(v, j->id, (const char *const *)cells);
	r->roles[PANE_DISTRIBUTE_JOBS_STATE] = state;
	r->roles[PANE_DISTRIBUTE_JOBS_PROGRESS] = progress;
	if (pp.opts.dry_run)
		r->roles[PANE_DISTRIBUTE_JOBS_TYPE] = SCREEN_WARN;
	for (i = 0; i < PANE_DISTRIBUTE_JOBS_NCOLS; i++)
		free(cells[i]);
	distribute_job_clear(&pp);
}

int
pane_distribute_jobs_reload(struct pane *p, char **cause)
{
	struct pane_distribute_view *v = pane_arg(p);
	struct job_info *jobs;
	size_t n, i;

	if (job_list(v->pd->st, PANE_DISTRIBUTE_JOBS_LIMIT, &jobs, &n,
	    cause) != 0)
		return -1;
	pane_distribute_view_clear(v);
	for (i = 0; i < n; i++) {
		if (jobs[i].kind != NULL &&
		    strcmp(jobs[i].kind, JOB_KIND_DISTRIBUTE) == 0)
			pane_distribute_jobs_fill(v, &jobs[i]);
	}
	job_list_free(&jobs, n);
	pane_reload(p);
	return 0;
}

struct pane *
pane_distribute_jobs_open(struct pane_distribute *pd, char **cause)
{
	struct pane_distribute_view *v;
	struct pane *p;

	v = pane_distribute_view_new(pd, PANE_DISTRIBUTE_JOBS,
	    pane_distribute_jobs_columns, PANE_DISTRIBUTE_JOBS_NCOLS,
	    N_("job"), N_("jobs"), _("No distribution jobs yet. Mark printers "
	    "and press D, or run: quire distribute DATA TARGETS"));
	p = pane_distribute_view_pane(v, _("Distribution jobs"),
	    KEYS_DIST_JOBS);
	if (pane_distribute_jobs_reload(p, cause) != 0)
		pane_free(&p);
	return p;
}

/* ---- one job's printers ---- */

static const char *
pane_distribute_target_state(enum target_state s, enum screen_role *role)
{
	*role = SCREEN_NORMAL;
	switch (s) {
	case TARGET_PENDING:
		return _("pending");
	case TARGET_RUNNING:
		return _("running");
	case TARGET_DONE:
		*role = SCREEN_OK;
		return _("done");
	case TARGET_FAILED:
		*role = SCREEN_ERROR;
		return _("failed");
	default:
		*role = SCREEN_WARN;
		return _("cancelled");
	}
}

/* A target's name and index, to find it by name. */
struct pane_distribute_byname {
	const char	*name;
	size_t		 index;
};

static int
pane_distribute_byname_cmp(const void *a, const void *b)
{
	const struct pane_distribute_byname *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/*
 * The counts of the results R per target of T and outcome: target I's in
 * COUNTS[I * DISTRIBUTE_NOUTCOMES ...]; caller frees.
 */
static size_t *
pane_distribute_tally(const struct job_target_info *t, size_t nt,
    const struct distribute_result *r, size_t nr)
{
	struct pane_distribute_byname *idx, key, *hit;
	size_t *counts, i;

	counts = xcalloc(nt > 0 ? nt * DISTRIBUTE_NOUTCOMES : 1,
	    sizeof *counts);
	idx = xcalloc(nt > 0 ? nt : 1, sizeof *idx);
	for (i = 0; i < nt; i++) {
		idx[i].name = t[i].printer_name != NULL ?
		    t[i].printer_name : "";
		idx[i].index = i;
	}
	qsort(idx, nt, sizeof *idx, pane_distribute_byname_cmp);
	for (i = 0; i < nr; i++) {
		key.name = r[i].printer_name != NULL ? r[i].printer_name : "";
		hit = nt == 0 ? NULL : bsearch(&key, idx, nt, sizeof *idx,
		    pane_distribute_byname_cmp);
		if (hit != NULL && r[i].outcome < DISTRIBUTE_NOUTCOMES)
			counts[hit->index * DISTRIBUTE_NOUTCOMES +
			    r[i].outcome]++;
	}
	free(idx);
	return counts;
}

/* The count cell COL of outcome O (and one more, O2) in ROLE when not 0. */
static void
pane_distribute_count(struct pane_distribute_row *r, size_t col,
    const size_t *counts, enum distribute_outcome o,
    enum distribute_outcome o2, enum screen_role role)
{
	size_t n = counts[o] + (o2 != o ? counts[o2] : 0);

	free(r->cells[col]);
	r->cells[col] = xasprintf("%zu", n);
	r->roles[col] = n > 0 ? role : SCREEN_NORMAL;
}

static void
pane_distribute_job_fill(struct pane_distribute_view *v,
    const struct job_target_info *t, const size_t *counts)
{
	const char *cells[PANE_DISTRIBUTE_JOB_NCOLS] = { NULL };
	struct pane_distribute_row *r;
	enum screen_role role;
	char *name = pane_distribute_clean(t->printer_name);
	char *reason = pane_distribute_clean(t->reason);

	cells[PANE_DISTRIBUTE_JOB_PRINTER] = name;
	cells[PANE_DISTRIBUTE_JOB_STATE] = pane_distribute_target_state(
	    t->state, &role);
	cells[PANE_DISTRIBUTE_JOB_REASON] = reason;
	r = pane_distribute_view_add(v, t->id, cells);
	r->name = t->printer_name != NULL ? xstrdup(t->printer_name) : NULL;
	r->roles[PANE_DISTRIBUTE_JOB_STATE] = role;
	r->roles[PANE_DISTRIBUTE_JOB_REASON] = SCREEN_ERROR;
	pane_distribute_count(r, PANE_DISTRIBUTE_JOB_CHANGED, counts,
	    DISTRIBUTE_APPLIED, DISTRIBUTE_WOULD_CHANGE, v->preview ?
	    SCREEN_WARN : SCREEN_OK);
	pane_distribute_count(r, PANE_DISTRIBUTE_JOB_UNCHANGED, counts,
	    DISTRIBUTE_UNCHANGED, DISTRIBUTE_UNCHANGED, SCREEN_NORMAL);
	pane_distribute_count(r, PANE_DISTRIBUTE_JOB_REJECTED, counts,
	    DISTRIBUTE_REJECTED, DISTRIBUTE_REJECTED, SCREEN_ERROR);
	pane_distribute_count(r, PANE_DISTRIBUTE_JOB_UNSUPPORTED, counts,
	    DISTRIBUTE_UNSUPPORTED, DISTRIBUTE_UNSUPPORTED, SCREEN_WARN);
	pane_distribute_count(r, PANE_DISTRIBUTE_JOB_FAILED, counts,
	    DISTRIBUTE_FAILED, DISTRIBUTE_FAILED, SCREEN_ERROR);
	free(name);
	free(reason);
}

int
pane_distribute_job_reload(struct pane *p, char **cause)
{
	struct pane_distribute_view *v = pane_arg(p);
	struct job_target_info *t;
	struct distribute_result *r;
	size_t *counts, nt, nr, i;

	if (job_targets(v->pd->st, v->job, &t, &nt, cause) != 0)
		return -1;
	if (distribute_results(v->pd->st, v->job, NULL, &r, &nr, cause) != 0) {
		job_targets_free(&t, nt);
		return -1;
	}
	counts = pane_distribute_tally(t, nt, r, nr);
	pane_distribute_view_clear(v);
	for (i = 0; i < nt; i++)
		pane_distribute_job_fill(v, &t[i],
		    &counts[i * DISTRIBUTE_NOUTCOMES]);
	free(counts);
	distribute_results_free(&r, nr);
	job_targets_free(&t, nt);
	pane_reload(p);
	return 0;
}

/* "#12 office-std (write) by alice, 3 printers" for JOB. */
static char *
pane_distribute_job_title(const struct job_info *j,
    const struct distribute_job *pp)
{
	char *data = pane_distribute_clean(pp->data != NULL ? pp->data : "-");
	char *type = pane_distribute_type(pp);
	char *who = pane_distribute_clean(j->created_by), *title;

	title = xasprintf(j->total == 1 ?
	    _("#%lld %s (%s) by %s, %zu printer") :
	    _("#%lld %s (%s) by %s, %zu printers"), (long long)j->id, data,
	    type, who, j->total);
	free(data);
	free(type);
	free(who);
	return title;
}

struct pane *
pane_distribute_job_open(struct pane_distribute *pd, int64_t job,
    char **cause)
{
	struct distribute_job pp;
	struct pane_distribute_view *v;
	struct job_info j;
	struct pane *p;
	char *title;

	if (job_get(pd->st, job, &j, cause) != 0)
		return NULL;
	distribute_params_parse(j.params, &pp);
	v = pane_distribute_view_new(pd, PANE_DISTRIBUTE_JOB, pp.opts.dry_run ?
	    pane_distribute_job_preview_columns : pane_distribute_job_columns,
	    PANE_DISTRIBUTE_JOB_NCOLS, N_("printer"), N_("printers"),
	    _("This job has no printers."));
	v->job = job;
	v->preview = pp.opts.dry_run;
	title = pane_distribute_job_title(&j, &pp);
	p = pane_distribute_view_pane(v, title, KEYS_DIST_JOBS);
	free(title);
	distribute_job_clear(&pp);
	job_info_clear(&j);
	if (pane_distribute_job_reload(p, cause) != 0)
		pane_free(&p);
	return p;
}

/* ---- one printer's settings ---- */

static void
pane_distribute_settings_fill(struct pane_distribute_view *v,
    const struct distribute_result *res)
{
	const char *cells[PANE_DISTRIBUTE_SETTINGS_NCOLS] = { NULL };
	struct pane_distribute_row *r;
	enum screen_role role;
	char *key = pane_distribute_clean(res->key);
	char *change = pane_distribute_change(res);
	char *reason = pane_distribute_clean(res->reason);

	cells[PANE_DISTRIBUTE_SETTINGS_KEY] = key;
	cells[PANE_DISTRIBUTE_SETTINGS_OUTCOME] = pane_distribute_outcome(
	    res->outcome, v->preview, &role);
	cells[PANE_DISTRIBUTE_SETTINGS_RESTART] = res->restart ?
	    _("restart") : "";
	cells[PANE_DISTRIBUTE_SETTINGS_CHANGE] = change;
	cells[PANE_DISTRIBUTE_SETTINGS_REASON] = reason;
	r = pane_distribute_view_add(v, (int64_t)v->nrows, cells);
	r->roles[PANE_DISTRIBUTE_SETTINGS_OUTCOME] = role;
	r->roles[PANE_DISTRIBUTE_SETTINGS_RESTART] = SCREEN_WARN;
	r->roles[PANE_DISTRIBUTE_SETTINGS_REASON] = SCREEN_ERROR;
	free(key);
	free(change);
	free(reason);
}

struct pane *
pane_distribute_settings_open(struct pane_distribute *pd, int64_t job,
    const char *printer, bool preview, char **cause)
{
	struct pane_distribute_view *v;
	struct distribute_result *r;
	struct pane *p;
	char *name, *title;
	size_t n, i;

	if (distribute_results(pd->st, job, printer, &r, &n, cause) != 0)
		return NULL;
	v = pane_distribute_view_new(pd, PANE_DISTRIBUTE_SETTINGS,
	    pane_distribute_settings_columns, PANE_DISTRIBUTE_SETTINGS_NCOLS,
	    N_("setting"), N_("settings"),
	    _("No setting results for this printer (yet)."));
	v->job = job;
	v->preview = preview;
	for (i = 0; i < n; i++)
		pane_distribute_settings_fill(v, &r[i]);
	distribute_results_free(&r, n);
	name = pane_distribute_clean(printer);
	title = xasprintf(_("#%lld on %s"), (long long)job, name);
	p = pane_distribute_view_pane(v, title, KEYS_VIEW);
	free(name);
	free(title);
	return p;
}

/* ---- questions: cancel, roll back ---- */

static void
pane_distribute_ask_line(struct pane_distribute_view *v, const char *text)
{
	const char *cells[1] = { text };

	pane_distribute_view_add(v, (int64_t)v->nrows, cells);
}

/* "#12 writes office-std to 3 printers: 1 done, 0 failed, 2 to go." */
static void
pane_distribute_ask_job(struct pane_distribute_view *v,
    const struct job_info *j, const struct distribute_job *pp)
{
	size_t ended = j->count[TARGET_DONE] + j->count[TARGET_FAILED] +
	    j->count[TARGET_CANCELLED];
	char *data = pane_distribute_clean(pp->data != NULL ? pp->data : "-");
	char *type = pane_distribute_type(pp), *line;

	line = xasprintf(_("#%lld %s (%s), %zu printers: %zu done, %zu "
	    "failed, %zu to go."), (long long)j->id, data, type, j->total,
	    j->count[TARGET_DONE], j->count[TARGET_FAILED], j->total - ended);
	pane_distribute_ask_line(v, line);
	free(line);
	free(data);
	free(type);
}

static void
pane_distribute_ask_fill(struct pane_distribute_view *v,
    const struct job_info *j, const struct distribute_job *pp)
{
	pane_distribute_ask_job(v, j, pp);
	if (v->ask == PANE_DISTRIBUTE_ASK_CANCEL) {
		pane_distribute_ask_line(v, _("y: printers not started yet are "
		    "cancelled;"));
		pane_distribute_ask_line(v,
		    _("   those being written finish."));
		pane_distribute_ask_line(v, _("n: leave the job running."));
		return;
	}
	pane_distribute_ask_line(v, _("y: a new job writes back, on each of "
	    "its printers,"));
	pane_distribute_ask_line(v, _("   the values backed up before this "
	    "job wrote."));
	pane_distribute_ask_line(v, _("n: change nothing."));
}

struct pane *
pane_distribute_ask_open(struct pane_distribute *pd, int64_t job,
    enum pane_distribute_ask ask, char **cause)
{
	struct distribute_job pp;
	struct pane_distribute_view *v;
	struct job_info j;
	struct pane *p;
	char *title;

	if (job_get(pd->st, job, &j, cause) != 0)
		return NULL;
	distribute_params_parse(j.params, &pp);
	v = pane_distribute_view_new(pd, PANE_DISTRIBUTE_ASK,
	    pane_distribute_ask_columns, 1, N_("line"), N_("lines"), NULL);
	v->job = job;
	v->ask = ask;
	pane_distribute_ask_fill(v, &j, &pp);
	title = xasprintf(ask == PANE_DISTRIBUTE_ASK_CANCEL ?
	    _("Cancel distribution #%lld? y/n") :
	    _("Roll back distribution #%lld? y/n"), (long long)job);
	p = pane_distribute_view_pane(v, title, KEYS_DIST_ASK);
	free(title);
	distribute_job_clear(&pp);
	job_info_clear(&j);
	return p;
}

/* ---- the keys ---- */

/* Say CAUSE (taken) in ROLE. */
static void
pane_distribute_say(struct pane_distribute *pd, enum screen_role role,
    char *cause)
{
	status_message(pd->status, role, "%s", cause);
	free(cause);
}

/* The job TOP's keys act on: the row under the cursor, or the view's. */
static int64_t
pane_distribute_job_of(struct pane *top)
{
	struct pane_distribute_view *v = pane_distribute_view_of(top);
	struct pane_distribute_row *r;

	if (v->kind != PANE_DISTRIBUTE_JOBS)
		return v->job;
	r = pane_distribute_view_current(top);
	return r != NULL ? r->key : 0;
}

/* Ask before cancelling or rolling back JOB, when that makes sense. */
static void
pane_distribute_ask_for(struct pane_distribute *pd, int64_t job,
    enum pane_distribute_ask ask, struct pane_distribute_do *d)
{
	struct distribute_job pp;
	struct job_info j;
	char *cause = NULL;
	bool active;

	if (job_get(pd->st, job, &j, &cause) != 0) {
		pane_distribute_say(pd, SCREEN_ERROR, cause);
		return;
	}
	distribute_params_parse(j.params, &pp);
	active = pane_distribute_job_active(&j);
	if (ask == PANE_DISTRIBUTE_ASK_CANCEL && !active)
		status_message(pd->status, SCREEN_WARN, _("#%lld has ended: "
		    "nothing to cancel"), (long long)job);
	else if (ask == PANE_DISTRIBUTE_ASK_ROLLBACK && pp.opts.dry_run)
		status_message(pd->status, SCREEN_WARN, _("#%lld is a preview: "
		    "it wrote nothing to roll back"), (long long)job);
	else if (ask == PANE_DISTRIBUTE_ASK_ROLLBACK && active)
		status_message(pd->status, SCREEN_WARN, _("#%lld is still "
		    "running: wait for it, or cancel it first"),
		    (long long)job);
	else if ((d->push = pane_distribute_ask_open(pd, job, ask,
	    &cause)) == NULL)
		pane_distribute_say(pd, SCREEN_ERROR, cause);
	distribute_job_clear(&pp);
	job_info_clear(&j);
}

static void
pane_distribute_retry_job(struct pane_distribute *pd, int64_t job,
    struct pane_distribute_do *d)
{
	char *cause = NULL;
	int64_t new = 0;

	if (distribute_retry(pd->st, job, store_whoami(), &new, &cause) != 0)
		pane_distribute_say(pd, SCREEN_ERROR, cause);
	else if (new == 0)
		status_message(pd->status, SCREEN_WARN, _("nothing to retry "
		    "in #%lld: no printer or setting of it failed"),
		    (long long)job);
	else {
		status_message(pd->status, SCREEN_OK, _("distribution #%lld "
		    "queued: retrying what failed in #%lld"), (long long)new,
		    (long long)job);
		d->kick = true;
	}
}

static void
pane_distribute_cancel_job(struct pane_distribute *pd, int64_t job,
    struct pane_distribute_do *d)
{
	char *cause = NULL;

	d->pop = 1;
	if (job_cancel(pd->st, job, store_whoami(), &cause) != 0) {
		pane_distribute_say(pd, SCREEN_ERROR, cause);
		return;
	}
	status_message(pd->status, SCREEN_WARN, _("#%lld cancelled: printers "
	    "not started yet will not be written"), (long long)job);
}

/* The printers of JOB that still exist; caller frees. */
static int64_t *
pane_distribute_job_printers(struct pane_distribute *pd, int64_t job,
    size_t *n, char **cause)
{
	struct job_target_info *t;
	int64_t *ids;
	size_t nt, i;

	*n = 0;
	if (job_targets(pd->st, job, &t, &nt, cause) != 0)
		return NULL;
	ids = xcalloc(nt > 0 ? nt : 1, sizeof *ids);
	for (i = 0; i < nt; i++) {
		if (t[i].printer_id != 0)
			ids[(*n)++] = t[i].printer_id;
	}
	job_targets_free(&t, nt);
	return ids;
}

static void
pane_distribute_rollback_job(struct pane_distribute *pd, int64_t job,
    struct pane_distribute_do *d)
{
	struct distribute_options opts = { .rollback_of = job };
	char *cause = NULL;
	int64_t *ids, new = 0;
	size_t n;

	d->pop = 1;
	if ((ids = pane_distribute_job_printers(pd, job, &n, &cause)) == NULL ||
	    distribute_queue(pd->st, NULL, ids, n, &opts, store_whoami(), &new,
	    &cause) != 0) {
		pane_distribute_say(pd, SCREEN_ERROR, cause);
		free(ids);
		return;
	}
	free(ids);
	if (new == 0) {
		status_message(pd->status, SCREEN_WARN, _("nothing to roll "
		    "back: the printers of #%lld are gone"), (long long)job);
		return;
	}
	status_message(pd->status, SCREEN_OK, _("distribution #%lld queued: "
	    "rolling back #%lld on %zu printers"), (long long)new,
	    (long long)job, n);
	d->kick = true;
}

/* Enter: a job's printers, or a printer's settings. */
static void
pane_distribute_open(struct pane_distribute *pd, struct pane *top,
    struct pane_distribute_do *d)
{
	struct pane_distribute_view *v = pane_distribute_view_of(top);
	struct pane_distribute_row *r = pane_distribute_view_current(top);
	char *cause = NULL;

	if (r == NULL)
		return;
	if (v->kind == PANE_DISTRIBUTE_JOBS)
		d->push = pane_distribute_job_open(pd, r->key, &cause);
	else if (r->name != NULL)
		d->push = pane_distribute_settings_open(pd, v->job, r->name,
		    v->preview, &cause);
	if (d->push == NULL && cause != NULL)
		pane_distribute_say(pd, SCREEN_ERROR, cause);
}

/* y or n to an ASK view's question. */
static void
pane_distribute_answer(struct pane_distribute *pd, struct pane *top,
    bool yes, struct pane_distribute_do *d)
{
	struct pane_distribute_view *v = pane_distribute_view_of(top);

	if (!yes) {
		d->pop = 1;
		status_message(pd->status, SCREEN_NORMAL, _("nothing changed"));
	} else if (v->ask == PANE_DISTRIBUTE_ASK_CANCEL)
		pane_distribute_cancel_job(pd, v->job, d);
	else
		pane_distribute_rollback_job(pd, v->job, d);
}

bool
pane_distribute_jobs_op(struct pane_distribute *pd, struct pane *top,
    enum keys_op op, struct pane_distribute_do *d)
{
	struct pane_distribute_view *v = pane_distribute_view_of(top);
	int64_t job = pane_distribute_job_of(top);
	bool ask = v->kind == PANE_DISTRIBUTE_ASK;

	if ((op == KEYS_OP_YES || op == KEYS_OP_NO) && ask)
		pane_distribute_answer(pd, top, op == KEYS_OP_YES, d);
	else if (op == KEYS_OP_OPEN && !ask)
		pane_distribute_open(pd, top, d);
	else if (op != KEYS_OP_CANCEL_JOB && op != KEYS_OP_RETRY &&
	    op != KEYS_OP_ROLLBACK)
		return false;
	else if (ask || job == 0)
		status_message(pd->status, SCREEN_WARN, _("there is no job "
		    "here"));
	else if (op == KEYS_OP_RETRY)
		pane_distribute_retry_job(pd, job, d);
	else
		pane_distribute_ask_for(pd, job, op == KEYS_OP_CANCEL_JOB ?
		    PANE_DISTRIBUTE_ASK_CANCEL : PANE_DISTRIBUTE_ASK_ROLLBACK,
		    d);
	return true;
}
