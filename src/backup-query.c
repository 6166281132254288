/*
 * Reading backups: the history of states (newest first), one state's
 * values, the difference between two, setting by setting, and what a job
 * took.
 */
#include "config.h"

#include "backup.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup-int.h"
#include "vault.h"
#include "xmalloc.h"

#define BACKUP_COLUMNS "id, printer_id, printer_name, category, job_id, " \
	"taken_at, nsettings, changed, partial, last_seen_at, last_job, seen"

static char *
backup_column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

static void
backup_from_row(sqlite3_stmt *stmt, struct backup_entry *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(stmt, 0);
	e->printer_id = sqlite3_column_int64(stmt, 1);
	e->printer_name = backup_column_text(stmt, 2);
	e->category = backup_column_text(stmt, 3);
	e->job_id = sqlite3_column_int64(stmt, 4);
	e->taken_at = sqlite3_column_int64(stmt, 5);
	e->nsettings = (size_t)sqlite3_column_int64(stmt, 6);
	e->changed = sqlite3_column_int(stmt, 7) != 0;
	e->partial = backup_column_text(stmt, 8);
	e->last_seen_at = sqlite3_column_int64(stmt, 9);
	e->last_job_id = sqlite3_column_int64(stmt, 10);
	e->seen = (size_t)sqlite3_column_int64(stmt, 11);
}

/* Every row of STMT (bound) into *OUT; FIRST_PER_CATEGORY keeps only the
 * first row of each run of one category. */
static int
backup_collect(struct store *st, sqlite3_stmt *stmt, bool first_per_category,
    struct backup_entry **out, size_t *n, char **cause)
{
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (first_per_category && *n > 0 && strcmp((*out)[*n - 1].
		    category, (const char *)sqlite3_column_text(stmt, 3)) == 0)
			continue;
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		backup_from_row(stmt, &(*out)[(*n)++]);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	*cause = store_cause(st, "backups");
	backup_entries_free(out, *n);
	*n = 0;
	return -1;
}

/* F's printer ids as a JSON array, or NULL for any printer. */
static char *
backup_ids_json(const struct backup_filter *f)
{
	char *s, *p;
	size_t i;

	if (f == NULL || f->nprinters == 0)
		return NULL;
	p = s = xmalloc(f->nprinters * 21 + 3);
	*p++ = '[';
	for (i = 0; i < f->nprinters; i++)
		p += sprintf(p, "%s%" PRId64, i > 0 ? "," : "",
		    f->printer_ids[i]);
	*p++ = ']';
	*p = '\0';
	return s;
}

int
backup_list(struct store *st, const struct backup_filter *f,
    struct backup_entry **out, size_t *n, char **cause)
{
	static const char sql[] = "SELECT " BACKUP_COLUMNS " FROM backups "
	    "WHERE (?1 IS NULL OR category = ?1) AND last_seen_at >= ?2 AND "
	    "(?3 IS NULL OR printer_id IN (SELECT value FROM json_each(?3))) "
	    "ORDER BY taken_at DESC, id DESC LIMIT ?4";
	sqlite3_stmt *stmt;
	char *ids;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	ids = backup_ids_json(f);
	if (f != NULL && f->category != NULL)
		sqlite3_bind_text(stmt, 1, f->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, f != NULL ? f->since : 0);
	if (ids != NULL)
		sqlite3_bind_text(stmt, 3, ids, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, f != NULL && f->limit > 0 ?
	    (int64_t)f->limit : -1);
	rc = backup_collect(st, stmt, false, out, n, cause);
	sqlite3_clear_bindings(stmt);
	free(ids);
	return rc;
}

int
backup_latest(struct store *st, int64_t printer_id, struct backup_entry **out,
    size_t *n, char **cause)
{
	static const char sql[] = "SELECT " BACKUP_COLUMNS " FROM backups "
	    "WHERE printer_id = ?1 ORDER BY category, taken_at DESC, id DESC";
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, printer_id);
	return backup_collect(st, stmt, true, out, n, cause);
}

int
backup_get(struct store *st, int64_t id, struct backup_entry *out,
    char **cause)
{
	static const char sql[] = "SELECT " BACKUP_COLUMNS " FROM backups "
	    "WHERE id = ?1";
	struct backup_entry *v;
	size_t n;
	sqlite3_stmt *stmt;

	memset(out, 0, sizeof *out);
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (backup_collect(st, stmt, false, &v, &n, cause) != 0)
		return -1;
	if (n == 0) {
		*cause = xasprintf("no backup %lld", (long long)id);
		return -1;
	}
	*out = v[0];
	free(v);
	return 0;
}

void
backup_entry_clear(struct backup_entry *e)
{
	free(e->printer_name);
	free(e->category);
	free(e->partial);
	memset(e, 0, sizeof *e);
}

void
backup_entries_free(struct backup_entry **v, size_t n)
{
	size_t i;

	if (*v == NULL)
		return;
	for (i = 0; i < n; i++)
		backup_entry_clear(&(*v)[i]);
	free(*v);
	*v = NULL;
}

/* The stored values of ID: secrets as the ids of their sealed rows. */
static int
backup_values_sealed(struct store *st, int64_t id, struct backup_value **out,
    size_t *n, char **cause)
{
	char *body;
	size_t len;
	int rc;

	*out = NULL;
	*n = 0;
	if (backup_body_load(st, id, &body, &len, cause) != 0)
		return -1;
	rc = backup_body_parse(body, len, out, n, cause);
	free(body);
	return rc;
}

int
backup_values(struct store *st, int64_t id, struct backup_value **out,
    size_t *n, char **cause)
{
	size_t i;

	if (backup_values_sealed(st, id, out, n, cause) != 0)
		return -1;
	for (i = 0; i < *n; i++) {
		if ((*out)[i].secret)
			xfree(&(*out)[i].value);
	}
	return 0;
}

int
backup_values_open(struct store *st, const struct vault *v, int64_t id,
    struct backup_value **out, size_t *n, char **cause)
{
	char *plain;
	size_t i;

	if (backup_values_sealed(st, id, out, n, cause) != 0)
		return -1;
	for (i = 0; i < *n; i++) {
		if (!(*out)[i].secret)
			continue;
		if (backup_secret_open(st, v, (*out)[i].key, (*out)[i].value,
		    &plain, cause) != 0) {
			backup_values_free(out, *n);
			*n = 0;
			return -1;
		}
		free((*out)[i].value);
		(*out)[i].value = plain;
	}
	return 0;
}

void
backup_values_free(struct backup_value **v, size_t n)
{
	size_t i;

	if (*v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*v)[i].key);
		if ((*v)[i].secret)
			vault_wipe_str((*v)[i].value);
		else
			free((*v)[i].value);
	}
	free(*v);
	*v = NULL;
}

/* Append one line of a diff to *OUT. */
static void
backup_diff_add(struct backup_diff **out, size_t *n, const char *key,
    enum backup_change change, const struct backup_value *a,
    const struct backup_value *b)
{
	struct backup_diff *d;
	bool secret = (a != NULL && a->secret) || (b != NULL && b->secret);

	*out = xreallocarray(*out, *n + 1, sizeof **out);
	d = &(*out)[(*n)++];
	d->key = xstrdup(key);
	d->change = change;
	d->secret = secret;
	d->old_value = a == NULL || secret ? NULL : xstrdup(a->value);
	d->new_value = b == NULL || secret ? NULL : xstrdup(b->value);
}

/* Merge the sorted A and B into *OUT. */
static void
backup_diff_merge(const struct backup_value *a, size_t na,
    const struct backup_value *b, size_t nb, struct backup_diff **out,
    size_t *n)
{
	size_t i = 0, j = 0;
	int c;

	while (i < na || j < nb) {
		c = i == na ? 1 : j == nb ? -1 : strcmp(a[i].key, b[j].key);
		if (c < 0) {
			backup_diff_add(out, n, a[i].key, BACKUP_REMOVED, &a[i],
			    NULL);
			i++;
		} else if (c > 0) {
			backup_diff_add(out, n, b[j].key, BACKUP_ADDED, NULL,
			    &b[j]);
			j++;
		} else {
			/* Secrets compare by sealed row: an unchanged secret
			 * keeps its row from one snapshot to the next. */
			if (a[i].secret != b[j].secret ||
			    strcmp(a[i].value, b[j].value) != 0)
				backup_diff_add(out, n, a[i].key,
				    BACKUP_CHANGED, &a[i], &b[j]);
			i++;
			j++;
		}
	}
}

int
backup_diff(struct store *st, int64_t id1, int64_t id2,
    struct backup_diff **out, size_t *n, char **cause)
{
	struct backup_value *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;

	*out = NULL;
	*n = 0;
	if (backup_values_sealed(st, id1, &a, &na, cause) != 0)
		return -1;
	if (backup_values_sealed(st, id2, &b, &nb, cause) != 0) {
		backup_values_free(&a, na);
		return -1;
	}
	backup_diff_merge(a, na, b, nb, out, n);
	backup_values_free(&a, na);
	backup_values_free(&b, nb);
	return 0;
}

void
backup_diffs_free(struct backup_diff **v, size_t n)
{
	size_t i;

	if (*v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*v)[i].key);
		free((*v)[i].old_value);
		free((*v)[i].new_value);
	}
	free(*v);
	*v = NULL;
}

int
backup_job_counts(struct store *st, int64_t job, struct backup_counts *c,
    char **cause)
{
	static const char sql[] = "SELECT count(*), "
	    "coalesce(sum(job_id IS ?1), 0), "
	    "coalesce(sum(job_id IS ?1 AND changed), 0), "
	    "coalesce(sum(job_id IS ?1 AND partial IS NOT NULL), 0) "
	    "FROM backups WHERE job_id = ?1 OR last_job = ?1";
	sqlite3_stmt *stmt;
	int rc;

	memset(c, 0, sizeof *c);
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		c->snapshots = (size_t)sqlite3_column_int64(stmt, 0);
		c->stored = (size_t)sqlite3_column_int64(stmt, 1);
		c->changed = (size_t)sqlite3_column_int64(stmt, 2);
		c->partial = (size_t)sqlite3_column_int64(stmt, 3);
		c->confirmed = c->snapshots - c->stored;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW) {
		*cause = store_cause(st, "backups");
		return -1;
	}
	return 0;
}

int
backup_job_snapshots(struct store *st, int64_t job, const char *printer,
    struct backup_entry **out, size_t *n, char **cause)
{
	static const char sql[] = "SELECT " BACKUP_COLUMNS " FROM backups "
	    "WHERE id IN (SELECT backup_id FROM backup_runs WHERE job_id = ?1) "
	    "AND (?2 IS NULL OR printer_name = ?2) "
	    "ORDER BY printer_name, category, taken_at DESC, id DESC";
	sqlite3_stmt *stmt;

	*out = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job);
	if (printer != NULL)
		sqlite3_bind_text(stmt, 2, printer, -1, SQLITE_STATIC);
	return backup_collect(st, stmt, false, out, n, cause);
}
