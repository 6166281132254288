/*
 * The stored form of a backup's content (see backup-int.h): one line per
 * setting, addressed by its SHA-256; secrets sealed through the vault in
 * their own rows, which a vault change re-seals in place.
 */
#include "config.h"

#include "backup-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "vault.h"
#include "xmalloc.h"

void
backup_body_hash(const void *p, size_t len, unsigned char out[BACKUP_HASH_LEN])
{
	unsigned int mdlen = BACKUP_HASH_LEN;

	if (EVP_Digest(p, len, out, &mdlen, EVP_sha256(), NULL) != 1)
		abort();	/* SHA-256 is always there */
}

char *
backup_body_make(const struct backup_value *v, size_t n, size_t *len)
{
	char *body, *p;
	size_t i, total = 1;

	for (i = 0; i < n; i++)
		total += strlen(v[i].key) + strlen(v[i].value) + 2;
	p = body = xmalloc(total);
	for (i = 0; i < n; i++) {
		p += sprintf(p, "%s%c%s\n", v[i].key, v[i].secret ? '!' : '=',
		    v[i].value);
	}
	*p = '\0';
	*len = (size_t)(p - body);
	return body;
}

/* One line of LEN bytes at P into V; -1 when it is no "KEY=" or "KEY!". */
static int
backup_body_line(const char *p, size_t len, struct backup_value *v)
{
	size_t k = strcspn(p, "=!\n");

	if (k == 0 || k >= len)
		return -1;
	v->key = xstrndup(p, k);
	v->secret = p[k] == '!';
	v->value = xstrndup(p + k + 1, len - k - 1);
	return 0;
}

int
backup_body_parse(const char *body, size_t len, struct backup_value **out,
    size_t *n, char **cause)
{
	const char *p = body, *end = body + len, *nl;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (*n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		if (backup_body_line(p, (size_t)(nl - p), &(*out)[*n]) != 0) {
			*cause = xasprintf("damaged backup content (line %zu)",
			    *n + 1);
			backup_values_free(out, *n);
			*n = 0;
			return -1;
		}
		(*n)++;
		p = nl + 1;
	}
	return 0;
}

int
backup_secret_seal(struct store *st, const struct vault *v, const char *key,
    const char *plain, char **ref, char **cause)
{
	static const char sql[] = "INSERT INTO backup_secrets (key, nonce, "
	    "ciphertext) VALUES (?1, ?2, ?3)";
	unsigned char nonce[VAULT_NONCE_LEN], *ct;
	sqlite3_stmt *stmt;
	size_t ctlen;
	int rc;

	if (v == NULL) {
		*cause = xasprintf("%s: a secret needs the vault", key);
		return -1;
	}
	if (vault_seal(v, key, BACKUP_VAULT_KIND, plain, strlen(plain), nonce,
	    &ct, &ctlen, cause) != 0)
		return -1;
	if (store_prepare(st, sql, &stmt, cause) != 0) {
		free(ct);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 2, nonce, sizeof nonce, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 3, ct, (int)ctlen, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	free(ct);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "backup secret");
		return -1;
	}
	*ref = xasprintf("%lld",
	    (long long)sqlite3_last_insert_rowid(store_db(st)));
	return 0;
}

int
backup_secret_open(struct store *st, const struct vault *v, const char *key,
    const char *ref, char **plain, char **cause)
{
	static const char sql[] = "SELECT nonce, ciphertext FROM "
	    "backup_secrets WHERE id = ?1 AND key = ?2";
	unsigned char *pt = NULL;
	sqlite3_stmt *stmt;
	size_t ptlen;
	int rc;

	if (v == NULL) {
		*cause = xasprintf("%s: a secret needs the vault", key);
		return -1;
	}
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, strtoll(ref, NULL, 10));
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		rc = vault_unseal(v, key, BACKUP_VAULT_KIND,
		    sqlite3_column_blob(stmt, 0),
		    (size_t)sqlite3_column_bytes(stmt, 0),
		    sqlite3_column_blob(stmt, 1),
		    (size_t)sqlite3_column_bytes(stmt, 1), &pt, &ptlen, cause);
	else {
		*cause = rc == SQLITE_DONE ? xasprintf("%s: the sealed secret "
		    "is missing", key) : store_cause(st, "backup secret");
		rc = -1;
	}
	sqlite3_reset(stmt);
	if (rc != 0)
		return -1;
	*plain = (char *)pt;
	return 0;
}

int
backup_secret_drop(struct store *st, const char *ref, char **cause)
{
	static const char sql[] = "DELETE FROM backup_secrets WHERE id = ?1 "
	    "AND NOT EXISTS (SELECT 1 FROM backup_blobs WHERE "
	    "instr(body, '!' || ?1 || char(10)) > 0)";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, strtoll(ref, NULL, 10));
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "backup secret");
		return -1;
	}
	return 0;
}

int
backup_body_load(struct store *st, int64_t id, char **body, size_t *len,
    char **cause)
{
	static const char sql[] = "SELECT o.body FROM backups b "
	    "JOIN backup_blobs o ON o.id = b.blob WHERE b.id = ?1";
	sqlite3_stmt *stmt;
	int rc;

	*body = NULL;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(stmt, 0);
		*body = xmalloc(*len + 1);
		if (*len > 0)
			memcpy(*body, sqlite3_column_blob(stmt, 0), *len);
		(*body)[*len] = '\0';
	} else if (rc == SQLITE_DONE)
		*cause = xasprintf("no backup %lld", (long long)id);
	else
		*cause = store_cause(st, "backup");
	sqlite3_reset(stmt);
	return *body != NULL ? 0 : -1;
}

int
backup_begin(struct store *st, bool *own, char **cause)
{
	*own = sqlite3_get_autocommit(store_db(st)) != 0;
	return *own ? store_begin(st, cause) : 0;
}

int
backup_end(struct store *st, bool own, int rc, char **cause)
{
	if (!own)
		return rc;
	if (rc == 0)
		return store_commit(st, cause);
	store_rollback(st);
	return -1;
}
