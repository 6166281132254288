/*
 * Setting data in the store: setting_data holds one row per registered set,
 * setting_data_entries its key = value rows in order. A secret's value is
 * NULL there; the vault seals it for the set's name with the kind
 * "setting-data:KEY", so vault_change re-seals it with the credentials.
 */
#include "config.h"

#include "setdata.h"

#include <stdlib.h>
#include <string.h>

#include "setdata-int.h"
#include "store.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

#define SETDATA_STORE_KIND	"setting-data:"

void
setdata_info_clear(struct setdata_info *in)
{
	free(in->name);
	free(in->model);
	free(in->source);
	free(in->created_by);
	memset(in, 0, sizeof *in);
}

void
setdata_infos_free(struct setdata_info **v, size_t n)
{
	size_t i;

	if (*v == NULL)
		return;
	for (i = 0; i < n; i++)
		setdata_info_clear(&(*v)[i]);
	free(*v);
	*v = NULL;
}

static char *
setdata_store_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

#define SETDATA_STORE_INFO "SELECT d.id, d.name, d.model, d.source, " \
	"d.created_by, d.created_at, (SELECT count(*) FROM " \
	"setting_data_entries e WHERE e.data_id = d.id), (SELECT count(*) " \
	"FROM setting_data_entries e WHERE e.data_id = d.id AND " \
	"e.ciphertext IS NOT NULL) FROM setting_data d "

static void
setdata_store_info_row(sqlite3_stmt *stmt, struct setdata_info *in)
{
	in->id = sqlite3_column_int64(stmt, 0);
	in->name = setdata_store_text(stmt, 1);
	in->model = setdata_store_text(stmt, 2);
	in->source = setdata_store_text(stmt, 3);
	in->created_by = setdata_store_text(stmt, 4);
	in->created_at = sqlite3_column_int64(stmt, 5);
	in->nsettings = (size_t)sqlite3_column_int64(stmt, 6);
	in->nsecrets = (size_t)sqlite3_column_int64(stmt, 7);
}

int
setdata_store_list(struct store *st, struct setdata_info **out, size_t *n,
    char **cause)
{
	static const char sql[] = SETDATA_STORE_INFO "ORDER BY d.name";
	struct setdata_info *v = NULL;
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		setdata_store_info_row(stmt, &v[(*n)++]);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		setdata_infos_free(&v, *n);
		*n = 0;
		*cause = store_cause(st, "list setting data");
		return -1;
	}
	*out = v;
	return 0;
}

int
setdata_store_find(struct store *st, const char *name,
    struct setdata_info *out, char **cause)
{
	static const char sql[] = SETDATA_STORE_INFO "WHERE d.name = ?";
	sqlite3_stmt *stmt;
	char *shown;
	int rc;

	memset(out, 0, sizeof *out);
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		setdata_store_info_row(stmt, out);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE) {
		shown = setdata_shown(name);
		*cause = xasprintf("no setting data %s", shown);
		free(shown);
	} else
		*cause = store_cause(st, "find setting data");
	return -1;
}

/* Seal the secret VALUE of KEY in set NAME into the statement's 4 and 5. */
static int
setdata_store_seal(const struct vault *v, sqlite3_stmt *stmt,
    const char *name, const char *key, const char *value, char **cause)
{
	unsigned char nonce[VAULT_NONCE_LEN], *ct;
	size_t ctlen;
	char *kind;
	int rc;

	if (v == NULL) {
		*cause = xstrdup("setting data with secrets needs the vault");
		return -1;
	}
	kind = xasprintf(SETDATA_STORE_KIND "%s", key);
	rc = vault_seal(v, name, kind, value, strlen(value), nonce, &ct, &ctlen,
	    cause);
	free(kind);
	if (rc != 0)
		return -1;
	sqlite3_bind_null(stmt, 3);
	sqlite3_bind_blob(stmt, 4, nonce, sizeof nonce, SQLITE_TRANSIENT);
	sqlite3_bind_blob(stmt, 5, ct, (int)ctlen, SQLITE_TRANSIENT);
	free(ct);
	return 0;
}

static int
setdata_store_entries(struct store *st, const struct vault *v,
    int64_t id, const char *name, const struct setdata *sd, char **cause)
{
	static const char sql[] = "INSERT INTO setting_data_entries "
	    "(data_id, position, key, value, nonce, ciphertext) "
	    "VALUES (?1, ?2, ?6, ?3, ?4, ?5)";
	const struct setdata_entry *e;
	sqlite3_stmt *stmt;
	size_t i, pos = 0;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	for (i = 0; i < sd->n; i++) {
		e = &sd->v[i];
		if (e->value == NULL)
			continue;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)pos++);
		sqlite3_bind_text(stmt, 6, e->key, -1, SQLITE_STATIC);
		if (!e->secret) {
			sqlite3_bind_text(stmt, 3, e->value, -1, SQLITE_STATIC);
			sqlite3_bind_null(stmt, 4);
			sqlite3_bind_null(stmt, 5);
		} else if (setdata_store_seal(v, stmt, name, e->key, e->value,
		    cause) != 0) {
			sqlite3_reset(stmt);
			return -1;
		}
		rc = sqlite3_step(stmt);
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		if (rc != SQLITE_DONE) {
			*cause = store_cause(st, e->key);
			return -1;
		}
	}
	return 0;
}

/* Insert the set's row (after removing an old one when REPLACE). */
static int
setdata_store_row(struct store *st, const struct setdata *sd,
    const char *name, const char *source, const char *who, bool replace,
    int64_t *id, char **cause)
{
	static const char del[] = "DELETE FROM setting_data WHERE name = ?";
	static const char ins[] = "INSERT INTO setting_data (name, model, "
	    "source, created_by, created_at) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	int rc;

	if (replace) {
		if (store_prepare(st, del, &stmt, cause) != 0)
			return -1;
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		sqlite3_reset(stmt);
		if (rc != SQLITE_DONE) {
			*cause = store_cause(st, name);
			return -1;
		}
	}
	if (store_prepare(st, ins, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, sd->model, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, store_now_ms());
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		*cause = xasprintf("setting data %s exists already", name);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, name);
		return -1;
	}
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int
setdata_store_add(struct store *st, const struct vault *v,
    const struct setdata *sd, const char *name, const char *source,
    const char *who, bool replace, char **cause)
{
	char *detail;
	int64_t id;

	if (text_check_name("setting data", name, cause) != 0)
		return -1;
	if (store_begin(st, cause) != 0)
		return -1;
	if ((setdata_nsecrets(sd) > 0 && v != NULL &&
	    vault_bind(st, v, cause) != 0) ||
	    setdata_store_row(st, sd, name, source, who, replace, &id,
	    cause) != 0 ||
	    setdata_store_entries(st, v, id, name, sd, cause) != 0)
		goto fail;
	detail = xasprintf("%s %s: %zu setting(s), %zu secret(s)%s%s",
	    replace ? "replaced" : "added", name, sd->n, setdata_nsecrets(sd),
	    source != NULL ? ", from " : "", source != NULL ? source : "");
	if (store_audit(st, who, "setting data", detail, NULL, 0,
	    cause) != 0) {
		free(detail);
		goto fail;
	}
	free(detail);
	if (store_commit(st, cause) == 0)
		return 0;
fail:
	store_rollback(st);
	return -1;
}

/* Open the sealed value in the row's columns 2 and 3. */
static int
setdata_store_unseal(const struct vault *v, sqlite3_stmt *stmt,
    const char *name, const char *key, char **value, char **cause)
{
	unsigned char *pt;
	size_t ptlen;
	char *kind;
	int rc;

	kind = xasprintf(SETDATA_STORE_KIND "%s", key);
	rc = vault_unseal(v, name, kind, sqlite3_column_blob(stmt, 2),
	    (size_t)sqlite3_column_bytes(stmt, 2),
	    sqlite3_column_blob(stmt, 3),
	    (size_t)sqlite3_column_bytes(stmt, 3), &pt, &ptlen, cause);
	free(kind);
	if (rc != 0)
		return -1;
	*value = xstrdup((const char *)pt);
	vault_wipe_free(pt, ptlen + 1);
	return 0;
}

static int
setdata_store_load(struct store *st, const struct vault *v,
    const struct setdata_info *in, struct setdata *sd, char **cause)
{
	static const char sql[] = "SELECT key, value, nonce, ciphertext FROM "
	    "setting_data_entries WHERE data_id = ? ORDER BY position";
	sqlite3_stmt *stmt;
	const char *key;
	char *value;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, in->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		key = (const char *)sqlite3_column_text(stmt, 0);
		if (sqlite3_column_type(stmt, 1) != SQLITE_NULL)
			setdata_add(sd, key, (const char *)
			    sqlite3_column_text(stmt, 1), false);
		else if (v == NULL)
			setdata_add(sd, key, NULL, true);
		else if (setdata_store_unseal(v, stmt, in->name, key, &value,
		    cause) != 0) {
			sqlite3_reset(stmt);
			return -1;
		} else {
			setdata_add(sd, key, value, true);
			vault_wipe_str(value);
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, in->name);
		return -1;
	}
	return 0;
}

int
setdata_store_get(struct store *st, const struct vault *v, const char *name,
    struct setdata **out, char **cause)
{
	struct setdata_info in;
	struct setdata *sd;
	int rc;

	*out = NULL;
	if (setdata_store_find(st, name, &in, cause) != 0)
		return -1;
	sd = setdata_new(in.name, in.model);
	rc = setdata_store_load(st, v, &in, sd, cause);
	setdata_info_clear(&in);
	if (rc != 0) {
		setdata_free(&sd);
		return -1;
	}
	*out = sd;
	return 0;
}

int
setdata_store_remove(struct store *st, const char *name, const char *who,
    char **cause)
{
	static const char sql[] = "DELETE FROM setting_data WHERE name = ?";
	struct setdata_info in;
	sqlite3_stmt *stmt;
	char *detail;
	int rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if (setdata_store_find(st, name, &in, cause) != 0 ||
	    store_prepare(st, sql, &stmt, cause) != 0)
		goto fail;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, name);
		goto fail;
	}
	detail = xasprintf("removed %s: %zu setting(s)", name, in.nsettings);
	rc = store_audit(st, who, "setting data", detail, NULL, 0, cause);
	free(detail);
	if (rc != 0)
		goto fail;
	if (store_commit(st, cause) == 0) {
		setdata_info_clear(&in);
		return 0;
	}
fail:
	setdata_info_clear(&in);
	store_rollback(st);
	return -1;
}
