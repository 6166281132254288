#include "config.h"

#include "job.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static const char *const job_state_names[] = {
	"queued", "running", "done", "failed", "cancelled"
};
static const char *const target_state_names[] = {
	"pending", "running", "done", "failed", "cancelled"
};

const char *
job_state_name(enum job_state s)
{
	return job_state_names[s];
}

const char *
target_state_name(enum target_state s)
{
	return target_state_names[s];
}

static int
job_parse_state(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++) {
		if (strcmp(names[i], s) == 0)
			return (int)i;
	}
	return 0;
}

static char *
job_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

static int
job_insert_targets(struct store *st, int64_t job_id, const int64_t *ids,
    size_t n, char **cause)
{
	static const char sql[] = "INSERT INTO job_targets "
	    "(job_id, printer_id, printer_name) "
	    "SELECT ?, id, name FROM printers WHERE id = ?";
	sqlite3_stmt *stmt;
	size_t i;

	for (i = 0; i < n; i++) {
		if (store_prepare(st, sql, &stmt, cause) != 0)
			return -1;
		sqlite3_bind_int64(stmt, 1, job_id);
		sqlite3_bind_int64(stmt, 2, ids[i]);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			*cause = store_cause(st, "queue target");
			return -1;
		}
	}
	return 0;
}

static int
job_audit(struct store *st, int64_t job_id, const char *who,
    const char *action, const char *kind, char **cause)
{
	static const char sql[] = "SELECT printer_name FROM job_targets "
	    "WHERE job_id = ? ORDER BY printer_name";
	sqlite3_stmt *stmt;
	char **names = NULL, *detail;
	size_t n = 0, i;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = job_text(stmt, 0);
	}
	sqlite3_reset(stmt);
	detail = xasprintf("job %lld %s", (long long)job_id, kind);
	rc = store_audit(st, who, action, detail, (const char *const *)names,
	    n, cause);
	free(detail);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
job_settle(struct store *st, int64_t job_id, char **cause)
{
	static const char sql[] = "UPDATE jobs SET finished_at = ?1, state = "
	    "CASE WHEN state = 'cancelled' THEN 'cancelled' "
	    "WHEN EXISTS (SELECT 1 FROM job_targets WHERE job_id = ?2 "
	    "  AND state = 'failed') THEN 'failed' ELSE 'done' END "
	    "WHERE id = ?2 AND finished_at IS NULL AND NOT EXISTS "
	    "(SELECT 1 FROM job_targets WHERE job_id = ?2 "
	    "  AND state IN ('pending', 'running'))";
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, store_now_ms());
	sqlite3_bind_int64(stmt, 2, job_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "settle job");
		return -1;
	}
	return 0;
}

int
job_submit(struct store *st, const char *kind, const char *params,
    const int64_t *ids, size_t n, const char *who, int64_t *job_id,
    char **cause)
{
	static const char sql[] = "INSERT INTO jobs "
	    "(kind, params, created_by, created_at) VALUES (?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	int64_t id;

	if (store_begin(st, cause) != 0)
		return -1;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		goto fail;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, params, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, store_now_ms());
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "queue job");
		goto fail;
	}
	id = sqlite3_last_insert_rowid(store_db(st));
	if (job_insert_targets(st, id, ids, n, cause) != 0 ||
	    job_audit(st, id, who, "job submit", kind, cause) != 0 ||
	    job_settle(st, id, cause) != 0)
		goto fail;
	if (store_commit(st, cause) != 0)
		return -1;
	*job_id = id;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int
job_prune(struct store *st, int64_t before, bool dry_run, const char *who,
    size_t *n, char **cause)
{
	static const char count[] = "SELECT count(*) FROM jobs WHERE "
	    "finished_at IS NOT NULL AND finished_at < ?1";
	static const char del[] = "DELETE FROM jobs WHERE "
	    "finished_at IS NOT NULL AND finished_at < ?1";
	sqlite3_stmt *stmt;
	char *detail;

	*n = 0;
	if (store_begin(st, cause) != 0)
		return -1;
	if (store_prepare(st, dry_run ? count : del, &stmt, cause) != 0)
		goto fail;
	sqlite3_bind_int64(stmt, 1, before);
	if (dry_run && sqlite3_step(stmt) == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(stmt, 0);
	else if (!dry_run && sqlite3_step(stmt) == SQLITE_DONE)
		*n = (size_t)sqlite3_changes(store_db(st));
	else {
		*cause = store_cause(st, "prune jobs");
		goto fail;
	}
	sqlite3_reset(stmt);
	if (dry_run) {
		store_rollback(st);
		return 0;
	}
	detail = xasprintf("%zu job(s) finished before %lld", *n,
	    (long long)before);
	if (store_audit(st, who, "job prune", detail, NULL, 0, cause) != 0) {
		free(detail);
		goto fail;
	}
	free(detail);
	return store_commit(st, cause);
fail:
	store_rollback(st);
	return -1;
}

int
job_cancel(struct store *st, int64_t job_id, const char *who, char **cause)
{
	static const char job_sql[] = "UPDATE jobs SET state = 'cancelled' "
	    "WHERE id = ? AND finished_at IS NULL";
	static const char tgt_sql[] = "UPDATE job_targets SET "
	    "state = 'cancelled', reason = ?, finished_at = ? "
	    "WHERE job_id = ? AND state = 'pending'";
	sqlite3_stmt *stmt;
	char *reason;
	int changed;

	if (store_begin(st, cause) != 0)
		return -1;
	if (store_prepare(st, job_sql, &stmt, cause) != 0)
		goto fail;
	sqlite3_bind_int64(stmt, 1, job_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "cancel job");
		goto fail;
	}
	if ((changed = sqlite3_changes(store_db(st))) == 0) {
		*cause = xasprintf("job %lld is not running", (long long)job_id);
		goto fail;
	}
	if (store_prepare(st, tgt_sql, &stmt, cause) != 0)
		goto fail;
	reason = xasprintf("cancelled by %s", who);
	sqlite3_bind_text(stmt, 1, reason, -1, free);
	sqlite3_bind_int64(stmt, 2, store_now_ms());
	sqlite3_bind_int64(stmt, 3, job_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "cancel targets");
		goto fail;
	}
	if (job_audit(st, job_id, who, "job cancel", "", cause) != 0 ||
	    job_settle(st, job_id, cause) != 0)
		goto fail;
	return store_commit(st, cause);
fail:
	store_rollback(st);
	return -1;
}

#define JOB_COLUMNS "j.id, j.kind, j.params, j.state, j.created_by, " \
	"j.created_at, j.finished_at, " \
	"(SELECT count(*) FROM job_targets t WHERE t.job_id = j.id " \
	"  AND t.state = 'pending'), " \
	"(SELECT count(*) FROM job_targets t WHERE t.job_id = j.id " \
	"  AND t.state = 'running'), " \
	"(SELECT count(*) FROM job_targets t WHERE t.job_id = j.id " \
	"  AND t.state = 'done'), " \
	"(SELECT count(*) FROM job_targets t WHERE t.job_id = j.id " \
	"  AND t.state = 'failed'), " \
	"(SELECT count(*) FROM job_targets t WHERE t.job_id = j.id " \
	"  AND t.state = 'cancelled') FROM jobs j "

static void
job_from_row(sqlite3_stmt *stmt, struct job_info *ji)
{
	int i;

	memset(ji, 0, sizeof *ji);
	ji->id = sqlite3_column_int64(stmt, 0);
	ji->kind = job_text(stmt, 1);
	ji->params = job_text(stmt, 2);
	ji->state = (enum job_state)job_parse_state(job_state_names,
	    sizeof job_state_names / sizeof *job_state_names,
	    (const char *)sqlite3_column_text(stmt, 3));
	ji->created_by = job_text(stmt, 4);
	ji->created_at = sqlite3_column_int64(stmt, 5);
	ji->finished_at = sqlite3_column_int64(stmt, 6);
	for (i = 0; i < TARGET_NSTATES; i++) {
		ji->count[i] = (size_t)sqlite3_column_int64(stmt, 7 + i);
		ji->total += ji->count[i];
	}
}

int
job_get(struct store *st, int64_t job_id, struct job_info *ji, char **cause)
{
	static const char sql[] = "SELECT " JOB_COLUMNS "WHERE j.id = ?";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		job_from_row(stmt, ji);
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		*cause = xasprintf("no job %lld", (long long)job_id);
	else if (rc != SQLITE_ROW)
		*cause = store_cause(st, "load job");
	return rc == SQLITE_ROW ? 0 : -1;
}

void
job_info_clear(struct job_info *ji)
{
	free(ji->kind);
	free(ji->params);
	free(ji->created_by);
	memset(ji, 0, sizeof *ji);
}

int
job_list(struct store *st, size_t limit, struct job_info **out, size_t *n,
    char **cause)
{
	static const char sql[] = "SELECT " JOB_COLUMNS
	    "ORDER BY j.id DESC LIMIT ?";
	sqlite3_stmt *stmt;
	struct job_info *v = NULL;
	size_t count = 0;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xreallocarray(v, count + 1, sizeof *v);
		job_from_row(stmt, &v[count++]);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		job_list_free(&v, count);
		*cause = store_cause(st, "list jobs");
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

void
job_list_free(struct job_info **vp, size_t n)
{
	size_t i;

	if (*vp == NULL)
		return;
	for (i = 0; i < n; i++)
		job_info_clear(&(*vp)[i]);
	free(*vp);
	*vp = NULL;
}

int
job_targets(struct store *st, int64_t job_id, struct job_target_info **out,
    size_t *n, char **cause)
{
	static const char sql[] = "SELECT id, printer_id, printer_name, state, "
	    "owner, attempts, result, reason, started_at, finished_at "
	    "FROM job_targets WHERE job_id = ? ORDER BY printer_name";
	sqlite3_stmt *stmt;
	struct job_target_info *v = NULL, *t;
	size_t count = 0;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xreallocarray(v, count + 1, sizeof *v);
		t = &v[count++];
		t->id = sqlite3_column_int64(stmt, 0);
		t->printer_id = sqlite3_column_int64(stmt, 1);
		t->printer_name = job_text(stmt, 2);
		t->state = (enum target_state)job_parse_state(
		    target_state_names, TARGET_NSTATES,
		    (const char *)sqlite3_column_text(stmt, 3));
		t->owner = job_text(stmt, 4);
		t->attempts = sqlite3_column_int(stmt, 5);
		t->result = job_text(stmt, 6);
		t->reason = job_text(stmt, 7);
		t->started_at = sqlite3_column_int64(stmt, 8);
		t->finished_at = sqlite3_column_int64(stmt, 9);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		job_targets_free(&v, count);
		*cause = store_cause(st, "job targets");
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

void
job_targets_free(struct job_target_info **vp, size_t n)
{
	size_t i;

	if (*vp == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*vp)[i].printer_name);
		free((*vp)[i].owner);
		free((*vp)[i].result);
		free((*vp)[i].reason);
	}
	free(*vp);
	*vp = NULL;
}

int
job_is_finished(struct store *st, int64_t job_id, int *finished, char **cause)
{
	static const char sql[] = "SELECT finished_at IS NOT NULL FROM jobs "
	    "WHERE id = ?";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*finished = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW) {
		*cause = rc == SQLITE_DONE ? xasprintf("no job %lld",
		    (long long)job_id) : store_cause(st, "job state");
		return -1;
	}
	return 0;
}
