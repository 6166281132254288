/*
 * Storing backups: a snapshot's content once per distinct content (found
 * again by its SHA-256), one row per distinct state of a printer's
 * category (a snapshot equal to the newest state confirms it in place),
 * the job links asked for, and retention.
 */
#include "config.h"

#include "backup.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup-int.h"
#include "log.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

#define BACKUP_KEEP_KEY		"backup.keep"

static int
backup_value_cmp(const void *a, const void *b)
{
	return strcmp(((const struct backup_value *)a)->key,
	    ((const struct backup_value *)b)->key);
}

/* The secret KEY of the sealed values PREV, or NULL. */
static const struct backup_value *
backup_find(const struct backup_value *prev, size_t n, const char *key)
{
	struct backup_value k = { (char *)key, NULL, false };

	return prev == NULL ? NULL : bsearch(&k, prev, n, sizeof *prev,
	    backup_value_cmp);
}

/* The sealed values of the newest snapshot of S's printer and category. */
static void
backup_previous(struct store *st, const struct backup_snapshot *s,
    struct backup_value **prev, size_t *n)
{
	static const char sql[] = "SELECT id FROM backups WHERE "
	    "printer_name = ?1 AND category = ?2 "
	    "ORDER BY taken_at DESC, id DESC LIMIT 1";
	sqlite3_stmt *stmt;
	char *cause = NULL, *body = NULL;
	int64_t id = 0;
	size_t len;

	*prev = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, &cause) == 0) {
		sqlite3_bind_text(stmt, 1, s->printer_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, s->category, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			id = sqlite3_column_int64(stmt, 0);
		sqlite3_reset(stmt);
	}
	if (id != 0 && backup_body_load(st, id, &body, &len, &cause) == 0)
		backup_body_parse(body, len, prev, n, &cause);
	free(body);
	free(cause);
}

/* Seal secret V in place: the previous sealed one when it holds V. */
static int
backup_seal_one(struct store *st, const struct vault *vault,
    struct backup_value *v, const struct backup_value *prev, size_t nprev,
    char **cause)
{
	const struct backup_value *p = backup_find(prev, nprev, v->key);
	char *plain = NULL, *sealed;
	bool same = false;

	if (p != NULL && p->secret && backup_secret_open(st, vault, v->key,
	    p->value, &plain, cause) == 0) {
		same = strcmp(plain, v->value) == 0;
		vault_wipe_str(plain);
	}
	free(*cause);
	*cause = NULL;
	if (same)
		sealed = xstrdup(p->value);
	else if (backup_secret_seal(st, vault, v->key, v->value, &sealed,
	    cause) != 0)
		return -1;
	vault_wipe_str(v->value);
	v->value = sealed;
	return 0;
}

/* S's values sorted, sanitised and sealed: what the body holds. */
static int
backup_prepare(struct store *st, const struct vault *vault,
    const struct backup_snapshot *s, struct backup_value **out, char **cause)
{
	struct backup_value *v = xcalloc(s->n + 1, sizeof *v), *prev = NULL;
	size_t i, nprev = 0;
	int rc = 0;

	for (i = 0; i < s->n; i++) {
		v[i].key = xstrdup(s->values[i].key);
		v[i].secret = s->values[i].secret;
		/* Text from a printer is stored sanitised; a secret as is. */
		if (s->values[i].value == NULL)
			v[i].value = xstrdup("");
		else if (v[i].secret)
			v[i].value = xstrdup(s->values[i].value);
		else
			v[i].value = text_sanitize(s->values[i].value,
			    strlen(s->values[i].value));
	}
	qsort(v, s->n, sizeof *v, backup_value_cmp);
	for (i = 0; i < s->n && rc == 0; i++) {
		if ((i > 0 && strcmp(v[i - 1].key, v[i].key) == 0) ||
		    strcspn(v[i].key, "=!\n") != strlen(v[i].key)) {
			*cause = xasprintf("%s: a key twice or not a key",
			    v[i].key);
			rc = -1;
		}
	}
	for (i = 0; i < s->n && rc == 0; i++) {
		if (!v[i].secret)
			continue;
		if (prev == NULL)
			backup_previous(st, s, &prev, &nprev);
		rc = backup_seal_one(st, vault, &v[i], prev, nprev, cause);
	}
	backup_values_free(&prev, nprev);
	if (rc != 0)
		backup_values_free(&v, s->n);
	*out = v;
	return rc;
}

/* The id of the blob holding BODY, inserted when new. */
static int
backup_blob_id(struct store *st, const char *body, size_t len, int64_t *id,
    char **cause)
{
	static const char find[] = "SELECT id FROM backup_blobs WHERE hash = ?1";
	static const char add[] = "INSERT INTO backup_blobs (hash, body) "
	    "VALUES (?1, ?2)";
	unsigned char hash[BACKUP_HASH_LEN];
	sqlite3_stmt *stmt;
	int rc;

	backup_body_hash(body, len, hash);
	if (store_prepare(st, find, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_blob(stmt, 1, hash, sizeof hash, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 0;
	if (store_prepare(st, add, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_blob(stmt, 1, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 2, body, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "backup content");
		return -1;
	}
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

/* The newest state of a printer's category. */
struct backup_newest {
	int64_t		 id;		/* 0: none */
	int64_t		 blob;
	bool		 complete;
};

/* The newest state of S's printer (by name) and category, into *OUT. */
static int
backup_newest(struct store *st, const struct backup_snapshot *s,
    struct backup_newest *out, char **cause)
{
	static const char sql[] = "SELECT id, blob, partial IS NULL "
	    "FROM backups WHERE printer_name = ?1 AND category = ?2 "
	    "ORDER BY taken_at DESC, id DESC LIMIT 1";
	sqlite3_stmt *stmt;
	int rc;

	memset(out, 0, sizeof *out);
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, s->printer_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, s->category, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		out->blob = sqlite3_column_int64(stmt, 1);
		out->complete = sqlite3_column_int(stmt, 2) != 0;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = store_cause(st, "backups");
		return -1;
	}
	return 0;
}

/* Whether BLOB differs from the newest complete state of S's kind. */
static int
backup_is_changed(struct store *st, const struct backup_snapshot *s,
    int64_t blob, bool *changed, char **cause)
{
	static const char sql[] = "SELECT blob FROM backups WHERE "
	    "printer_name = ?1 AND category = ?2 AND partial IS NULL "
	    "ORDER BY taken_at DESC, id DESC LIMIT 1";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, s->printer_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, s->category, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	*changed = rc != SQLITE_ROW || sqlite3_column_int64(stmt, 0) != blob;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = store_cause(st, "backups");
		return -1;
	}
	return 0;
}

static int
backup_insert(struct store *st, const struct backup_snapshot *s,
    int64_t blob, bool changed, int64_t *id, char **cause)
{
	static const char sql[] = "INSERT INTO backups (printer_id, "
	    "printer_name, category, job_id, taken_at, last_seen_at, "
	    "last_job, seen, blob, nsettings, changed, partial) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?4, 1, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	if (s->printer_id != 0)
		sqlite3_bind_int64(stmt, 1, s->printer_id);
	sqlite3_bind_text(stmt, 2, s->printer_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, s->category, -1, SQLITE_STATIC);
	if (s->job_id != 0)
		sqlite3_bind_int64(stmt, 4, s->job_id);
	sqlite3_bind_int64(stmt, 5, s->taken_at);
	sqlite3_bind_int64(stmt, 6, blob);
	sqlite3_bind_int64(stmt, 7, (int64_t)s->n);
	sqlite3_bind_int(stmt, 8, changed);
	sqlite3_bind_text(stmt, 9, s->partial, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "backup");
		return -1;
	}
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

/* State ID read again by S: seen once more, when and by which job. */
static int
backup_confirm(struct store *st, const struct backup_snapshot *s, int64_t id,
    char **cause)
{
	static const char sql[] = "UPDATE backups SET seen = seen + 1, "
	    "last_seen_at = max(last_seen_at, ?2), last_job = ?3 "
	    "WHERE id = ?1";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, s->taken_at);
	if (s->job_id != 0)
		sqlite3_bind_int64(stmt, 3, s->job_id);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "backup");
		return -1;
	}
	return 0;
}

/* Note that S's job took state ID (when S asks for it). */
static int
backup_link(struct store *st, const struct backup_snapshot *s, int64_t id,
    char **cause)
{
	static const char sql[] = "INSERT OR IGNORE INTO backup_runs "
	    "(job_id, backup_id) VALUES (?1, ?2)";
	sqlite3_stmt *stmt;
	int rc;

	if (!s->link_job)
		return 0;
	if (s->job_id == 0) {
		*cause = xstrdup("backup: a job link without a job");
		return -1;
	}
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, s->job_id);
	sqlite3_bind_int64(stmt, 2, id);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "backup job link");
		return -1;
	}
	return 0;
}

/*
 * Confirm the newest state when S (complete) reads its content BLOB again;
 * else a new state row.
 */
static int
backup_put_state(struct store *st, const struct backup_snapshot *s,
    int64_t blob, int64_t *id, bool *changed, char **cause)
{
	struct backup_newest last;

	if (backup_newest(st, s, &last, cause) != 0)
		return -1;
	if (last.id != 0 && last.complete && last.blob == blob &&
	    s->partial == NULL) {
		*id = last.id;
		*changed = false;
		return backup_confirm(st, s, last.id, cause);
	}
	if (last.id == 0 || last.complete)
		*changed = last.id == 0 || last.blob != blob;
	else if (backup_is_changed(st, s, blob, changed, cause) != 0)
		return -1;
	return backup_insert(st, s, blob, *changed, id, cause);
}

/* Everything of backup_store after the values are ready. */
static int
backup_store_rows(struct store *st, const struct backup_snapshot *s,
    const char *body, size_t len, int64_t *id, bool *changed, char **cause)
{
	int64_t blob;
	size_t keep;

	if (backup_blob_id(st, body, len, &blob, cause) != 0 ||
	    backup_put_state(st, s, blob, id, changed, cause) != 0 ||
	    backup_link(st, s, *id, cause) != 0 ||
	    backup_keep_get(st, &keep, cause) != 0)
		return -1;
	return backup_prune(st, s->printer_name, s->category, keep, cause);
}

int
backup_store(struct store *st, const struct vault *vault,
    const struct backup_snapshot *s, int64_t *idp, bool *changedp,
    char **cause)
{
	struct backup_value *v;
	char *body;
	size_t len;
	int64_t id = 0;
	bool own, changed = false;
	int rc;

	if (backup_begin(st, &own, cause) != 0)
		return -1;
	rc = backup_prepare(st, vault, s, &v, cause);
	if (rc == 0) {
		body = backup_body_make(v, s->n, &len);
		backup_values_free(&v, s->n);
		rc = backup_store_rows(st, s, body, len, &id, &changed, cause);
		free(body);
	}
	if (backup_end(st, own, rc, cause) != 0)
		return -1;
	if (idp != NULL)
		*idp = id;
	if (changedp != NULL)
		*changedp = changed;
	return 0;
}

/* Delete blob ID when no snapshot points at it any more; its body into
 * *BODY when it went (caller frees), for the secrets it referred to. */
static int
backup_drop_blob(struct store *st, int64_t id, char **body, size_t *len,
    char **cause)
{
	static const char sql[] = "DELETE FROM backup_blobs WHERE id = ?1 "
	    "AND NOT EXISTS (SELECT 1 FROM backups WHERE blob = ?1) "
	    "RETURNING body";
	sqlite3_stmt *stmt;
	int rc;

	*body = NULL;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(stmt, 0);
		*body = xmalloc(*len + 1);
		if (*len > 0)
			memcpy(*body, sqlite3_column_blob(stmt, 0), *len);
		(*body)[*len] = '\0';
		rc = sqlite3_step(stmt);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		xfree(body);
		*cause = store_cause(st, "backup content");
		return -1;
	}
	return 0;
}

/* Delete blob ID if unused, and then the secrets only it referred to. */
static int
backup_drop(struct store *st, int64_t id, char **cause)
{
	struct backup_value *v = NULL;
	char *body;
	size_t len, i, n = 0;
	int rc;

	if (backup_drop_blob(st, id, &body, &len, cause) != 0)
		return -1;
	if (body == NULL || strchr(body, '!') == NULL) {
		free(body);
		return 0;
	}
	rc = backup_body_parse(body, len, &v, &n, cause);
	for (i = 0; i < n && rc == 0; i++) {
		if (v[i].secret)
			rc = backup_secret_drop(st, v[i].value, cause);
	}
	backup_values_free(&v, n);
	free(body);
	return rc;
}

/* Delete the old rows of NAME's CATEGORY; their blobs into *BLOBS. */
static int
backup_prune_rows(struct store *st, const char *name, const char *category,
    size_t keep, int64_t **blobs, size_t *n, char **cause)
{
	static const char sql[] = "DELETE FROM backups WHERE id IN ("
	    "SELECT id FROM backups WHERE printer_name = ?1 AND category = ?2 "
	    "ORDER BY taken_at DESC, id DESC LIMIT -1 OFFSET ?3) RETURNING blob";
	sqlite3_stmt *stmt;
	int rc;

	*blobs = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (int64_t)keep);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*blobs = xreallocarray(*blobs, *n + 1, sizeof **blobs);
		(*blobs)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "retention");
		return -1;
	}
	return 0;
}

int
backup_prune(struct store *st, const char *name, const char *category,
    size_t keep, char **cause)
{
	int64_t *blobs = NULL;
	size_t i, n = 0;
	bool own;
	int rc;

	if (keep == BACKUP_KEEP_ALL)
		return 0;
	if (backup_begin(st, &own, cause) != 0)
		return -1;
	rc = backup_prune_rows(st, name, category, keep, &blobs, &n, cause);
	for (i = 0; i < n && rc == 0; i++)
		rc = backup_drop(st, blobs[i], cause);
	free(blobs);
	return backup_end(st, own, rc, cause);
}

int
backup_keep_get(struct store *st, size_t *keep, char **cause)
{
	int64_t v;

	if (store_config_get_int(st, BACKUP_KEEP_KEY, BACKUP_KEEP_ALL, 1,
	    INT64_MAX, &v, cause) != 0)
		return -1;
	*keep = (size_t)v;
	return 0;
}

static int
backup_keep_put(struct store *st, size_t keep, char **cause)
{
	return store_config_set_int(st, BACKUP_KEEP_KEY, (int64_t)keep, cause);
}

int
backup_keep_set(struct store *st, size_t keep, const char *who, char **cause)
{
	char *detail;
	bool own;
	int rc;

	detail = keep == BACKUP_KEEP_ALL ? xstrdup("keep all") :
	    xasprintf("keep %zu", keep);
	if (backup_begin(st, &own, cause) != 0) {
		free(detail);
		return -1;
	}
	rc = backup_keep_put(st, keep, cause);
	if (rc == 0)
		rc = store_audit(st, who, "backup retention", detail, NULL, 0,
		    cause);
	free(detail);
	return backup_end(st, own, rc, cause);
}

int
backup_stats(struct store *st, struct backup_stats *out, char **cause)
{
	static const char rows[] = "SELECT count(*) FROM backups";
	static const char blobs[] = "SELECT count(*), "
	    "coalesce(sum(length(body)), 0) FROM backup_blobs";
	sqlite3_stmt *stmt;
	int rc;

	memset(out, 0, sizeof *out);
	if (store_prepare(st, rows, &stmt, cause) != 0)
		return -1;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		out->backups = (size_t)sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW || store_prepare(st, blobs, &stmt, cause) != 0) {
		if (rc != SQLITE_ROW)
			*cause = store_cause(st, "backups");
		return -1;
	}
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->blobs = (size_t)sqlite3_column_int64(stmt, 0);
		out->body_bytes = (uint64_t)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW) {
		*cause = store_cause(st, "backup contents");
		return -1;
	}
	return 0;
}
