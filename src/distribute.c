/*
 * Distribution bookkeeping: queueing a distribute job, its parameters, the
 * per-setting results it records, their counts, retrying what failed, and
 * the bounds of concurrency and rate kept in the config table. The job
 * itself is src/job-distribute*.c.
 */
#include "config.h"

#include "distribute.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "setdata.h"
#include "xmalloc.h"

static const char *const distribute_outcome_names[] = {
	"would-change", "unchanged", "applied", "rejected", "unsupported",
	"failed"
};

const char *
distribute_outcome_name(enum distribute_outcome o)
{
	if ((unsigned)o >= DISTRIBUTE_NOUTCOMES)
		return "?";
	return distribute_outcome_names[o];
}

int
distribute_outcome_parse(const char *name, enum distribute_outcome *o)
{
	size_t i;

	for (i = 0; name != NULL && i < DISTRIBUTE_NOUTCOMES; i++) {
		if (strcmp(distribute_outcome_names[i], name) == 0) {
			*o = (enum distribute_outcome)i;
			return 0;
		}
	}
	return -1;
}

/* ---- Parameters: "data=NAME mode=preview|write|rollback of=N
 *      reboot=0|1 timeout=MS retries=N" ---- */

static void
distribute_param(const char *p, size_t len, struct distribute_job *j)
{
	char *v;

	if (len > 5 && strncmp(p, "data=", 5) == 0) {
		free(j->data);
		j->data = xstrndup(p + 5, len - 5);
		return;
	}
	v = xstrndup(p, len);
	if (strcmp(v, "mode=preview") == 0)
		j->opts.dry_run = true;
	else if (strncmp(v, "of=", 3) == 0)
		j->opts.rollback_of = strtoll(v + 3, NULL, 10);
	else if (strcmp(v, "reboot=1") == 0)
		j->opts.reboot = true;
	else if (strncmp(v, "timeout=", 8) == 0 && atoi(v + 8) > 0 &&
	    atoi(v + 8) <= 600000)
		j->timeout_ms = (unsigned)atoi(v + 8);
	else if (strncmp(v, "retries=", 8) == 0 && atoi(v + 8) >= 0 &&
	    atoi(v + 8) <= 10)
		j->retries = (unsigned)atoi(v + 8);
	free(v);
}

void
distribute_params_parse(const char *params, struct distribute_job *j)
{
	const char *p = params;
	size_t len;

	memset(j, 0, sizeof *j);
	j->timeout_ms = 1000;
	j->retries = 1;
	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len > 0)
			distribute_param(p, len, j);
		p += len;
	}
	if (j->opts.rollback_of != 0) {
		free(j->data);
		j->data = NULL;
	}
}

void
distribute_job_clear(struct distribute_job *j)
{
	free(j->data);
	memset(j, 0, sizeof *j);
}

int
distribute_job_get(struct store *st, int64_t job_id,
    struct distribute_job *out, char **cause)
{
	struct job_info ji;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (job_get(st, job_id, &ji, cause) != 0)
		return -1;
	if (strcmp(ji.kind, JOB_KIND_DISTRIBUTE) != 0) {
		*cause = xasprintf("job %" PRId64 " is a %s job, not a "
		    "distribution", job_id, ji.kind);
		rc = -1;
	} else
		distribute_params_parse(ji.params, out);
	job_info_clear(&ji);
	return rc;
}

/* A rollback must name a write job (not a preview). */
static int
distribute_check_rollback(struct store *st, int64_t of, char **cause)
{
	struct distribute_job j;

	if (distribute_job_get(st, of, &j, cause) != 0)
		return -1;
	if (j.opts.dry_run) {
		*cause = xasprintf("job %" PRId64 " is a preview: it wrote "
		    "nothing to roll back", of);
		distribute_job_clear(&j);
		return -1;
	}
	distribute_job_clear(&j);
	return 0;
}

int
distribute_submit(struct store *st, const char *data, const int64_t *ids,
    size_t n, const struct distribute_options *o, unsigned timeout_ms,
    unsigned retries, const char *who, int64_t *job, char **cause)
{
	struct setdata_info info;
	char *params, *p;
	int rc;

	*job = 0;
	if (o->rollback_of != 0) {
		if (distribute_check_rollback(st, o->rollback_of, cause) != 0)
			return -1;
		params = xasprintf("mode=%s of=%" PRId64, o->dry_run ?
		    "preview" : "rollback", o->rollback_of);
	} else {
		if (data == NULL) {
			*cause = xstrdup("no setting data named");
			return -1;
		}
		if (setdata_store_find(st, data, &info, cause) != 0)
			return -1;
		setdata_info_clear(&info);
		params = xasprintf("data=%s mode=%s", data,
		    o->dry_run ? "preview" : "write");
	}
	if (n == 0) {
		free(params);
		return 0;
	}
	p = xasprintf("%s%s timeout=%u retries=%u", params,
	    o->reboot && !o->dry_run ? " reboot=1" : "",
	    timeout_ms == 0 ? 1000 : timeout_ms, retries);
	free(params);
	params = p;
	rc = job_submit(st, JOB_KIND_DISTRIBUTE, params, ids, n, who, job,
	    cause);
	free(params);
	return rc;
}

int
distribute_queue(struct store *st, const char *data, const int64_t *ids,
    size_t n, const struct distribute_options *o, const char *who,
    int64_t *job, char **cause)
{
	return distribute_submit(st, data, ids, n, o, 0, 1, who, job, cause);
}

/* ---- Results ---- */

int
distribute_record(struct store *st, int64_t job_id,
    const struct distribute_result *r, char **cause)
{
	static const char sql[] = "INSERT INTO distribute_results "
	    "(job_id, printer_id, printer_name, key, outcome, old_value, "
	    "new_value, reason, restart, secret, at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
	    "ON CONFLICT (job_id, printer_name, key) DO UPDATE SET "
	    "outcome = ?5, old_value = ?6, new_value = ?7, reason = ?8, "
	    "restart = ?9, secret = ?10, at = ?11";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	if (r->printer_id != 0)
		sqlite3_bind_int64(stmt, 2, r->printer_id);
	sqlite3_bind_text(stmt, 3, r->printer_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, r->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, distribute_outcome_name(r->outcome), -1,
	    SQLITE_STATIC);
	if (!r->secret) {
		sqlite3_bind_text(stmt, 6, r->old_value, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 7, r->new_value, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(stmt, 8, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 9, r->restart ? 1 : 0);
	sqlite3_bind_int(stmt, 10, r->secret ? 1 : 0);
	sqlite3_bind_int64(stmt, 11, store_now_ms());
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	*cause = store_cause(st, "record distribution result");
	return -1;
}

static char *
distribute_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

static void
distribute_result_row(sqlite3_stmt *stmt, struct distribute_result *r)
{
	enum distribute_outcome o = DISTRIBUTE_FAILED;

	memset(r, 0, sizeof *r);
	r->printer_id = sqlite3_column_int64(stmt, 0);
	r->printer_name = distribute_text(stmt, 1);
	r->key = distribute_text(stmt, 2);
	(void)distribute_outcome_parse((const char *)sqlite3_column_text(stmt,
	    3), &o);
	r->outcome = o;
	r->old_value = distribute_text(stmt, 4);
	r->new_value = distribute_text(stmt, 5);
	r->reason = distribute_text(stmt, 6);
	r->restart = sqlite3_column_int(stmt, 7) != 0;
	r->secret = sqlite3_column_int(stmt, 8) != 0;
}

int
distribute_results(struct store *st, int64_t job_id, const char *printer,
    struct distribute_result **out, size_t *n, char **cause)
{
	static const char sql[] = "SELECT printer_id, printer_name, key, "
	    "outcome, old_value, new_value, reason, restart, secret FROM "
	    "distribute_results WHERE job_id = ?1 AND (?2 IS NULL OR "
	    "printer_name = ?2) ORDER BY printer_name, key";
	struct distribute_result *v = NULL;
	sqlite3_stmt *stmt;
	size_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	sqlite3_bind_text(stmt, 2, printer, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xreallocarray(v, count + 1, sizeof *v);
		distribute_result_row(stmt, &v[count++]);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		distribute_results_free(&v, count);
		*cause = store_cause(st, "distribution results");
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

void
distribute_results_free(struct distribute_result **v, size_t n)
{
	size_t i;

	if (*v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*v)[i].printer_name);
		free((*v)[i].key);
		free((*v)[i].old_value);
		free((*v)[i].new_value);
		free((*v)[i].reason);
	}
	free(*v);
	*v = NULL;
}

int
distribute_counts(struct store *st, int64_t job_id, size_t *counts,
    char **cause)
{
	static const char sql[] = "SELECT outcome, count(*) FROM "
	    "distribute_results WHERE job_id = ?1 GROUP BY outcome";
	enum distribute_outcome o;
	sqlite3_stmt *stmt;
	int rc;

	memset(counts, 0, DISTRIBUTE_NOUTCOMES * sizeof *counts);
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (distribute_outcome_parse((const char *)
		    sqlite3_column_text(stmt, 0), &o) == 0)
			counts[o] = (size_t)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	*cause = store_cause(st, "distribution counts");
	return -1;
}

/* ---- Retry ---- */

/* The printers of JOB_ID that failed, or whose settings did. */
static int
distribute_failed_printers(struct store *st, int64_t job_id, int64_t **ids,
    size_t *n, char **cause)
{
	static const char sql[] = "SELECT DISTINCT t.printer_id FROM "
	    "job_targets t WHERE t.job_id = ?1 AND t.printer_id IS NOT NULL "
	    "AND (t.state IN ('failed', 'cancelled') OR EXISTS (SELECT 1 "
	    "FROM distribute_results r WHERE r.job_id = ?1 AND "
	    "r.printer_name = t.printer_name AND r.outcome IN ('rejected', "
	    "'failed'))) ORDER BY t.printer_id";
	sqlite3_stmt *stmt;
	int rc;

	*ids = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	free(*ids);
	*ids = NULL;
	*n = 0;
	*cause = store_cause(st, "failed printers");
	return -1;
}

int
distribute_retry(struct store *st, int64_t job_id, const char *who,
    int64_t *job, char **cause)
{
	struct job_info ji;
	int64_t *ids;
	size_t n;
	int rc;

	*job = 0;
	if (job_get(st, job_id, &ji, cause) != 0)
		return -1;
	if (strcmp(ji.kind, JOB_KIND_DISTRIBUTE) != 0) {
		*cause = xasprintf("job %" PRId64 " is a %s job, not a "
		    "distribution", job_id, ji.kind);
		job_info_clear(&ji);
		return -1;
	}
	if (distribute_failed_printers(st, job_id, &ids, &n, cause) != 0) {
		job_info_clear(&ji);
		return -1;
	}
	rc = 0;
	if (n > 0)
		rc = job_submit(st, JOB_KIND_DISTRIBUTE, ji.params, ids, n,
		    who, job, cause);
	free(ids);
	job_info_clear(&ji);
	return rc;
}

/* ---- Bounds ---- */

static int
distribute_config_get(struct store *st, const char *key, unsigned def,
    unsigned max, unsigned *v, char **cause)
{
	int64_t x;

	if (store_config_get_int(st, key, def, 0, max, &x, cause) != 0)
		return -1;
	*v = (unsigned)x;
	return 0;
}

int
distribute_limits_get(struct store *st, unsigned *concurrency,
    unsigned *rate, char **cause)
{
	if (distribute_config_get(st, "distribute.concurrency",
	    DISTRIBUTE_CONCURRENCY_DEFAULT, DISTRIBUTE_CONCURRENCY_MAX,
	    concurrency, cause) != 0)
		return -1;
	if (*concurrency == 0)
		*concurrency = DISTRIBUTE_CONCURRENCY_DEFAULT;
	return distribute_config_get(st, "distribute.rate", 0,
	    DISTRIBUTE_RATE_MAX, rate, cause);
}

static int
distribute_config_put(struct store *st, const char *key, unsigned v,
    const char *who, char **cause)
{
	char *detail;
	int rc;

	if (store_config_set_int(st, key, v, cause) != 0)
		return -1;
	detail = xasprintf("%s=%u", key, v);
	rc = store_audit(st, who, "config set", detail, NULL, 0, cause);
	free(detail);
	return rc;
}

int
distribute_limits_set(struct store *st, const unsigned *concurrency,
    const unsigned *rate, const char *who, char **cause)
{
	if (concurrency != NULL && (*concurrency == 0 ||
	    *concurrency > DISTRIBUTE_CONCURRENCY_MAX)) {
		*cause = xasprintf("concurrency: 1 to %u printers",
		    DISTRIBUTE_CONCURRENCY_MAX);
		return -1;
	}
	if (rate != NULL && *rate > DISTRIBUTE_RATE_MAX) {
		*cause = xasprintf("rate: 0 (no limit) to %u printers a second",
		    DISTRIBUTE_RATE_MAX);
		return -1;
	}
	if (store_begin(st, cause) != 0)
		return -1;
	if ((concurrency != NULL && distribute_config_put(st,
	    "distribute.concurrency", *concurrency, who, cause) != 0) ||
	    (rate != NULL && distribute_config_put(st, "distribute.rate",
	    *rate, who, cause) != 0)) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, cause);
}
