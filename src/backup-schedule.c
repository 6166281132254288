/*
 * Queuing backups: the categories checked against the catalog, the job's
 * parameters, and the schedules `quire engine` runs (config rows
 * backup.schedule/TARGETS = "every=S last=MS categories=C").
 */
#include "config.h"

#include "backup.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup-int.h"
#include "catalog.h"
#include "job.h"
#include "log.h"
#include "paths.h"
#include "targets.h"
#include "xmalloc.h"

#define BACKUP_SCHEDULE_PREFIX	"backup.schedule/"

/* "all", or CATEGORIES checked against the catalog, blanks dropped. */
static int
backup_categories(const char *categories, char **out, char **cause)
{
	struct catalog *cat = NULL;
	char *data, *dir, *copy, *tok, *save = NULL, *list = NULL, *old;
	int rc = 0;

	if (categories == NULL || strcmp(categories, "all") == 0) {
		*out = xstrdup("all");
		return 0;
	}
	data = paths_data_dir();
	dir = xasprintf("%s/catalog", data);
	free(data);
	rc = catalog_load_dir(dir, &cat, cause);
	free(dir);
	copy = xstrdup(categories);
	for (tok = strtok_r(copy, ", ", &save); tok != NULL && rc == 0;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (catalog_category_find(cat, tok) == NULL) {
			*cause = xasprintf("unknown category: %s", tok);
			rc = -1;
		} else if (!backup_category_listed(list, tok)) {
			old = list;
			list = old == NULL ? xstrdup(tok) :
			    xasprintf("%s,%s", old, tok);
			free(old);
		}
	}
	if (rc == 0 && list == NULL) {
		*cause = xstrdup("no category given");
		rc = -1;
	}
	free(copy);
	catalog_free(&cat);
	if (rc != 0)
		free(list);
	else
		*out = list;
	return rc;
}

bool
backup_category_listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; p != NULL && *p != '\0'; p += strcspn(p, ",")) {
		if (*p == ',')
			p++;
		if (strncmp(p, name, len) == 0 && (p[len] == ',' ||
		    p[len] == '\0'))
			return true;
	}
	return false;
}

int
backup_submit(struct store *st, const int64_t *ids, size_t n,
    const char *categories, unsigned timeout_ms, unsigned retries,
    const char *who, int64_t *job, char **cause)
{
	char *list, *params;
	int rc;

	*job = 0;
	if (backup_categories(categories, &list, cause) != 0)
		return -1;
	if (n == 0) {
		free(list);
		return 0;
	}
	params = xasprintf("categories=%s timeout=%u retries=%u", list,
	    timeout_ms == 0 ? 1000 : timeout_ms, retries);
	rc = job_submit(st, JOB_KIND_BACKUP, params, ids, n, who, job, cause);
	free(params);
	free(list);
	return rc;
}

int
backup_queue(struct store *st, const int64_t *ids, size_t n,
    const char *categories, const char *who, int64_t *job, char **cause)
{
	return backup_submit(st, ids, n, categories, 0, 1, who, job, cause);
}

static char *
backup_schedule_value(const struct backup_schedule *s)
{
	return xasprintf("every=%" PRId64 " last=%" PRId64 " categories=%s",
	    s->every, s->last, s->categories);
}

int
backup_schedule_set(struct store *st, const char *targets,
    const char *categories, int64_t every, const char *who, char **cause)
{
	struct backup_schedule s = { (char *)targets, NULL, every, 0 };
	char *key, *value = NULL, *detail;
	bool own;
	int rc;

	if (every < 0 || targets == NULL || *targets == '\0') {
		*cause = xstrdup("a schedule needs targets and an interval");
		return -1;
	}
	if (every > 0 && backup_categories(categories, &s.categories,
	    cause) != 0)
		return -1;
	if (every > 0)
		value = backup_schedule_value(&s);
	key = xasprintf(BACKUP_SCHEDULE_PREFIX "%s", targets);
	detail = every == 0 ? xasprintf("%s: off", targets) :
	    xasprintf("%s: %s every %" PRId64 " s", targets, s.categories,
	    every);
	if ((rc = backup_begin(st, &own, cause)) == 0) {
		rc = store_config_set(st, key, value, cause);
		if (rc == 0)
			rc = store_audit(st, who, "backup schedule", detail,
			    NULL, 0, cause);
		rc = backup_end(st, own, rc, cause);
	}
	free(detail);
	free(key);
	free(value);
	free(s.categories);
	return rc;
}

/* Fill S from a config row; -1 when the value is not a schedule. */
static int
backup_schedule_parse(const char *key, const char *value,
    struct backup_schedule *s)
{
	long long every, last;
	int off = 0;

	memset(s, 0, sizeof *s);
	if (sscanf(value, "every=%lld last=%lld categories=%n", &every, &last,
	    &off) != 2 || off == 0 || every <= 0)
		return -1;
	s->targets = xstrdup(key + strlen(BACKUP_SCHEDULE_PREFIX));
	s->categories = xstrdup(value + off);
	s->every = every;
	s->last = last;
	return 0;
}

int
backup_schedule_list(struct store *st, struct backup_schedule **out,
    size_t *n, char **cause)
{
	static const char sql[] = "SELECT key, value FROM config "
	    "WHERE key >= '" BACKUP_SCHEDULE_PREFIX "' AND key < "
	    "'backup.schedule0' ORDER BY key";
	struct backup_schedule s;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (backup_schedule_parse((const char *)sqlite3_column_text(
		    stmt, 0), (const char *)sqlite3_column_text(stmt, 1),
		    &s) != 0)
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = s;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "backup schedules");
		backup_schedules_free(out, *n);
		*n = 0;
		return -1;
	}
	return 0;
}

void
backup_schedules_free(struct backup_schedule **v, size_t n)
{
	size_t i;

	if (*v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*v)[i].targets);
		free((*v)[i].categories);
	}
	free(*v);
	*v = NULL;
}

/* Resolve S's targets (blank-separated) and queue its backup. */
static int
backup_schedule_queue(struct store *st, const struct backup_schedule *s,
    const char *who, int64_t *job, char **cause)
{
	char *copy = xstrdup(s->targets), *tok, *save = NULL, **args = NULL;
	int64_t *ids = NULL;
	size_t nargs = 0, nids = 0;
	int rc;

	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		args = xreallocarray(args, nargs + 1, sizeof *args);
		args[nargs++] = tok;
	}
	rc = targets_resolve(st, args, nargs, &ids, &nids, cause);
	if (rc == 0)
		rc = backup_queue(st, ids, nids, s->categories, who, job,
		    cause);
	free(ids);
	free(args);
	free(copy);
	return rc;
}

/* Queue S when due at NOW_MS and note it; *QUEUED says whether. */
static int
backup_schedule_one(struct store *st, struct backup_schedule *s,
    int64_t now_ms, const char *who, bool *queued, char **cause)
{
	char *key, *value, *why = NULL;
	int64_t job = 0;
	int rc;

	*queued = false;
	/* A clock set back (last in the future) counts as due. */
	if (s->last != 0 && s->last <= now_ms &&
	    now_ms - s->last < s->every * 1000)
		return 0;
	if (backup_schedule_queue(st, s, who, &job, &why) != 0) {
		log_warn("scheduled backup of %s: %s", s->targets, why);
		free(why);
	} else
		*queued = job != 0;
	s->last = now_ms;
	key = xasprintf(BACKUP_SCHEDULE_PREFIX "%s", s->targets);
	value = backup_schedule_value(s);
	rc = store_config_set(st, key, value, cause);
	free(value);
	free(key);
	return rc;
}

int
backup_schedule_run(struct store *st, int64_t now_ms, const char *who,
    size_t *njobs, char **cause)
{
	struct backup_schedule *v;
	size_t i, n;
	bool queued;
	int rc = 0;

	*njobs = 0;
	if (backup_schedule_list(st, &v, &n, cause) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		rc = backup_schedule_one(st, &v[i], now_ms, who, &queued,
		    cause);
		if (queued)
			(*njobs)++;
	}
	backup_schedules_free(&v, n);
	return rc;
}
