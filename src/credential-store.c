#include "config.h"

#include "credential.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credential-int.h"
#include "log.h"
#include "vault.h"
#include "xmalloc.h"

/* How many names a "used by" message lists before "and N more". */
#define CREDENTIAL_NAMES_SHOWN	10

#define CREDENTIAL_COLUMNS "c.id, c.name, c.kind, c.attrs, c.created_at"

int
credential_begin(struct store *st, bool *own, char **cause)
{
	*own = sqlite3_get_autocommit(store_db(st)) != 0;
	return *own ? store_begin(st, cause) : 0;
}

int
credential_end(struct store *st, bool own, int rc, char **cause)
{
	if (!own)
		return rc;
	if (rc == 0)
		return store_commit(st, cause);
	store_rollback(st);
	return -1;
}

/* Fill C from a row of CREDENTIAL_COLUMNS (and usage counts if NCOLS > 5). */
static int
credential_from_row(sqlite3_stmt *stmt, struct credential *c, char **cause)
{
	const char *kind = (const char *)sqlite3_column_text(stmt, 2);

	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(stmt, 0);
	c->name = xstrdup((const char *)sqlite3_column_text(stmt, 1));
	c->created_at = sqlite3_column_int64(stmt, 4);
	if (credential_kind_parse(kind != NULL ? kind : "", &c->kind,
	    cause) != 0) {
		free(*cause);
		*cause = xasprintf("credential %s has an unknown kind '%s'",
		    c->name, kind != NULL ? kind : "");
		credential_clear(c);
		return -1;
	}
	credential_attrs_decode(c, (const char *)sqlite3_column_text(stmt, 3));
	if (sqlite3_column_count(stmt) > 6) {
		c->nprinters = (size_t)sqlite3_column_int64(stmt, 5);
		c->ngroups = (size_t)sqlite3_column_int64(stmt, 6);
	}
	return 0;
}

int
credential_collect(struct store *st, sqlite3_stmt *stmt, bool unique,
    struct credential_set **out, char **cause)
{
	struct credential_set *set = xcalloc(1, sizeof *set);
	size_t cap = 0, i;
	int64_t id;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		for (i = 0; unique && i < set->n && set->v[i].id != id; i++)
			;
		if (unique && i < set->n)
			continue;
		if (set->n == cap) {
			cap = cap ? cap * 2 : 16;
			set->v = xreallocarray(set->v, cap, sizeof *set->v);
		}
		if (credential_from_row(stmt, &set->v[set->n], cause) != 0)
			goto fail;
		set->n++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "load credentials");
		goto fail;
	}
	*out = set;
	return 0;
fail:
	sqlite3_reset(stmt);
	credential_set_free(&set);
	return -1;
}

int
credential_list(struct store *st, struct credential_set **out, char **cause)
{
	static const char sql[] = "SELECT " CREDENTIAL_COLUMNS ", "
	    "(SELECT count(DISTINCT printer_id) FROM printer_credentials "
	    " WHERE credential_id = c.id), "
	    "(SELECT count(DISTINCT group_id) FROM group_credentials "
	    " WHERE credential_id = c.id) "
	    "FROM credentials c ORDER BY c.name";
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	return credential_collect(st, stmt, false, out, cause);
}

int
credential_find(struct store *st, const char *name, struct credential **out,
    char **cause)
{
	static const char sql[] = "SELECT " CREDENTIAL_COLUMNS
	    " FROM credentials c WHERE c.name = ?";
	struct credential_set *set;
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (credential_collect(st, stmt, false, &set, cause) != 0)
		return -1;
	if (set->n == 0) {
		credential_set_free(&set);
		*cause = xasprintf("no credential named '%s'", name);
		return -1;
	}
	*out = xmalloc(sizeof **out);
	**out = set->v[0];
	set->n = 0;
	credential_set_free(&set);
	return 0;
}

/* "NAME kind user=... auth=..." for the audit trail: no secret in it. */
static char *
credential_audit_detail(const struct credential *c)
{
	char *attrs = credential_attrs_encode(c), *p, *detail;

	for (p = attrs; (p = strchr(p, '\n')) != NULL; p++)
		*p = p[1] == '\0' ? '\0' : ' ';
	detail = xasprintf("%s kind=%s%s%s", c->name,
	    credential_kind_name(c->kind), *attrs != '\0' ? " " : "", attrs);
	free(attrs);
	return detail;
}

static int
credential_insert(struct store *st, const struct credential *c,
    const unsigned char *nonce, const unsigned char *ct, size_t ctlen,
    int64_t *id, char **cause)
{
	static const char sql[] = "INSERT INTO credentials (name, kind, attrs, "
	    "nonce, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	char *attrs;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	attrs = credential_attrs_encode(c);
	sqlite3_bind_text(stmt, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, credential_kind_name(c->kind), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, attrs, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 4, nonce, VAULT_NONCE_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 5, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, store_now_ms());
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	free(attrs);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		*cause = xasprintf("a credential named '%s' already exists",
		    c->name);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, c->name);
		return -1;
	}
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int
credential_add(struct store *st, const struct vault *v, struct credential *c,
    char **cause)
{
	unsigned char nonce[VAULT_NONCE_LEN], *pt, *ct = NULL;
	size_t ptlen, ctlen;
	char *detail;
	bool own;
	int rc;

	if (credential_validate(c, cause) != 0)
		return -1;
	pt = credential_secrets_encode(c, &ptlen);
	rc = vault_seal(v, c->name, credential_kind_name(c->kind), pt, ptlen,
	    nonce, &ct, &ctlen, cause);
	vault_wipe_free(pt, ptlen);
	if (rc != 0 || credential_begin(st, &own, cause) != 0) {
		free(ct);
		return -1;
	}
	detail = credential_audit_detail(c);
	rc = vault_bind(st, v, cause) == 0 && credential_insert(st, c, nonce,
	    ct, ctlen, &c->id, cause) == 0 && store_audit(st, store_whoami(),
	    "credential add", detail, NULL, 0, cause) == 0 ? 0 : -1;
	if (rc == 0)
		log_info("credential add %s", detail);
	free(detail);
	free(ct);
	return credential_end(st, own, rc, cause);
}

/* The names of what uses credential ID (SQL binds it as ?1). */
static int
credential_users(struct store *st, const char *sql, int64_t id,
    char ***names, size_t *n, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	*names = NULL;
	*n = 0;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrdup((const char *)
		    sqlite3_column_text(stmt, 0));
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "credential users");
		return -1;
	}
	return 0;
}

static void
credential_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* "printer(s) a, b" (at most CREDENTIAL_NAMES_SHOWN, then "and N more"). */
static char *
credential_names_text(const char *what, char **names, size_t n)
{
	char *out = xasprintf("%s(s) ", what), *next;
	size_t i;

	for (i = 0; i < n && i < CREDENTIAL_NAMES_SHOWN; i++) {
		next = xasprintf("%s%s%s", out, i ? ", " : "", names[i]);
		free(out);
		out = next;
	}
	if (n > CREDENTIAL_NAMES_SHOWN) {
		next = xasprintf("%s and %zu more", out,
		    n - CREDENTIAL_NAMES_SHOWN);
		free(out);
		out = next;
	}
	return out;
}

/* "used by printer(s) a, b and group(s) g". */
static char *
credential_used_by(char **pn, size_t np, char **gn, size_t ng)
{
	char *p = np ? credential_names_text("printer", pn, np) : NULL;
	char *g = ng ? credential_names_text("group", gn, ng) : NULL, *s;

	s = xasprintf("used by %s%s%s", p ? p : "", p && g ? " and " : "",
	    g ? g : "");
	free(p);
	free(g);
	return s;
}

static int
credential_delete(struct store *st, const struct credential *c,
    char **pn, size_t np, char **gn, size_t ng, char **cause)
{
	static const char sql[] = "DELETE FROM credentials WHERE id = ?";
	sqlite3_stmt *stmt;
	char *used = NULL, *detail;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, c->id);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, c->name);
		return -1;
	}
	if (np + ng > 0)
		used = credential_used_by(pn, np, gn, ng);
	detail = xasprintf("%s%s%s%s", c->name, used ? " (forced; was " : "",
	    used ? used : "", used ? ")" : "");
	rc = store_audit(st, store_whoami(), "credential rm", detail,
	    (const char *const *)pn, np, cause);
	free(detail);
	free(used);
	return rc;
}

int
credential_remove(struct store *st, const char *name, bool force,
    char **cause)
{
	static const char psql[] = "SELECT DISTINCT p.name FROM "
	    "printer_credentials pc JOIN printers p ON p.id = pc.printer_id "
	    "WHERE pc.credential_id = ?1 ORDER BY p.name";
	static const char gsql[] = "SELECT DISTINCT g.name FROM "
	    "group_credentials gc JOIN groups g ON g.id = gc.group_id "
	    "WHERE gc.credential_id = ?1 ORDER BY g.name";
	struct credential *c = NULL;
	char **pn = NULL, **gn = NULL, *used;
	size_t np = 0, ng = 0;
	bool own;
	int rc = -1;

	if (credential_begin(st, &own, cause) != 0)
		return -1;
	if (credential_find(st, name, &c, cause) != 0 ||
	    credential_users(st, psql, c->id, &pn, &np, cause) != 0 ||
	    credential_users(st, gsql, c->id, &gn, &ng, cause) != 0)
		goto out;
	if (np + ng > 0 && !force) {
		used = credential_used_by(pn, np, gn, ng);
		*cause = xasprintf("credential %s is %s: take it out of their "
		    "lists first, or use --force", name, used);
		free(used);
		goto out;
	}
	rc = credential_delete(st, c, pn, np, gn, ng, cause);
out:
	credential_names_free(pn, np);
	credential_names_free(gn, ng);
	credential_free(&c);
	return credential_end(st, own, rc, cause);
}

int
credential_unseal(struct store *st, const struct vault *v,
    struct credential *c, char **cause)
{
	static const char sql[] = "SELECT nonce, ciphertext FROM credentials "
	    "WHERE id = ?";
	unsigned char *pt = NULL;
	sqlite3_stmt *stmt;
	size_t ptlen = 0;
	int rc;

	credential_wipe(c);
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, c->id);
	if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		*cause = rc == SQLITE_DONE ? xasprintf("credential %s is gone",
		    c->name) : store_cause(st, c->name);
		return -1;
	}
	rc = vault_unseal(v, c->name, credential_kind_name(c->kind),
	    sqlite3_column_blob(stmt, 0), (size_t)sqlite3_column_bytes(stmt, 0),
	    sqlite3_column_blob(stmt, 1), (size_t)sqlite3_column_bytes(stmt, 1),
	    &pt, &ptlen, cause);
	sqlite3_reset(stmt);
	if (rc == 0)
		rc = credential_secrets_decode(c, pt, ptlen, cause);
	if (pt != NULL)
		vault_wipe_free(pt, ptlen + 1);
	return rc;
}

int
credential_load(struct store *st, const struct vault *v, int64_t id,
    struct credential **out, char **cause)
{
	static const char sql[] = "SELECT " CREDENTIAL_COLUMNS
	    " FROM credentials c WHERE c.id = ?";
	struct credential_set *set;
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (credential_collect(st, stmt, false, &set, cause) != 0)
		return -1;
	if (set->n == 0) {
		credential_set_free(&set);
		*cause = xasprintf("no credential with id %lld", (long long)id);
		return -1;
	}
	*out = xmalloc(sizeof **out);
	**out = set->v[0];
	set->n = 0;
	credential_set_free(&set);
	if (credential_unseal(st, v, *out, cause) != 0) {
		credential_free(out);
		return -1;
	}
	return 0;
}
