/*
 * The capability check running by itself: queued after a change to a
 * printer or its credentials, and on a schedule kept in the config table.
 */
#include "config.h"

#include "check-auto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "job-kinds.h"
#include "job.h"
#include "xmalloc.h"

int
check_queue(struct store *st, const int64_t *ids, size_t n,
    const char *params, const char *who, int64_t *job, char **cause)
{
	*job = 0;
	if (n == 0)
		return 0;
	return job_submit(st, JOB_KIND_CHECK, params, ids, n, who, job, cause);
}

/* Collect the first column of STMT (bound) as ids into *IDS, *N. */
static int
check_auto_ids(struct store *st, sqlite3_stmt *stmt, int64_t **ids,
    size_t *n, char **cause)
{
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*ids = xreallocarray(*ids, cap, sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	if (rc == SQLITE_DONE)
		return 0;
	*cause = store_cause(st, "printers");
	free(*ids);
	*ids = NULL;
	*n = 0;
	return -1;
}

int
check_credential_printers(struct store *st, const char *name, int64_t **ids,
    size_t *n, char **cause)
{
	static const char sql[] = "SELECT p.id FROM printers p, credentials c "
	    "WHERE c.name = ?1 AND (EXISTS (SELECT 1 FROM printer_credentials "
	    "pc WHERE pc.printer_id = p.id AND pc.credential_id = c.id) OR "
	    "EXISTS (SELECT 1 FROM group_credentials gc WHERE gc.group_id = "
	    "p.group_id AND gc.credential_id = c.id)) ORDER BY p.id";
	sqlite3_stmt *stmt;

	*ids = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	return check_auto_ids(st, stmt, ids, n, cause);
}

/* Config KEY as an integer into *V; DEF when unset or not a number. */
static int
check_auto_get(struct store *st, const char *key, int64_t def, int64_t *v,
    char **cause)
{
	return store_config_get_int(st, key, def, 0, INT64_MAX, v, cause);
}

static int
check_auto_put(struct store *st, const char *key, int64_t v, char **cause)
{
	return store_config_set_int(st, key, v, cause);
}

int
check_schedule_get(struct store *st, int64_t *interval, int64_t *last_ms,
    char **cause)
{
	if (check_auto_get(st, "check.interval", CHECK_INTERVAL_DEFAULT,
	    interval, cause) != 0)
		return -1;
	return check_auto_get(st, "check.last", 0, last_ms, cause);
}

int
check_schedule_set(struct store *st, int64_t interval, const char *who,
    char **cause)
{
	char detail[32];

	if (interval < 0) {
		*cause = xstrdup("negative interval");
		return -1;
	}
	snprintf(detail, sizeof detail, "%" PRId64 " s", interval);
	if (store_begin(st, cause) == 0 && check_auto_put(st,
	    "check.interval", interval, cause) == 0 && store_audit(st, who,
	    "check schedule", detail, NULL, 0, cause) == 0 &&
	    store_commit(st, cause) == 0)
		return 0;
	store_rollback(st);
	return -1;
}

int
check_schedule_due(struct store *st, int64_t now_ms, bool *due, char **cause)
{
	int64_t interval, last;

	*due = false;
	if (check_schedule_get(st, &interval, &last, cause) != 0)
		return -1;
	/* A clock set back (last in the future) counts as due. */
	*due = interval > 0 && (last == 0 || last > now_ms ||
	    now_ms - last >= interval * 1000);
	return 0;
}

int
check_schedule_run(struct store *st, int64_t now_ms, const char *who,
    int64_t *job, char **cause)
{
	static const char sql[] = "SELECT id FROM printers ORDER BY id";
	sqlite3_stmt *stmt;
	int64_t *ids;
	size_t n;
	bool due;
	int rc;

	*job = 0;
	if (check_schedule_due(st, now_ms, &due, cause) != 0)
		return -1;
	if (!due)
		return 0;
	if (store_prepare(st, sql, &stmt, cause) != 0 ||
	    check_auto_ids(st, stmt, &ids, &n, cause) != 0)
		return -1;
	rc = check_queue(st, ids, n, NULL, who, job, cause);
	free(ids);
	if (rc != 0)
		return -1;
	return check_auto_put(st, "check.last", now_ms, cause);
}
