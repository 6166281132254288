#include "config.h"

#include "vault.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"
#include "vault-int.h"
#include "xmalloc.h"

/*
 * The tables holding sealed rows: each query gives id, name, kind, nonce
 * and ciphertext (name and kind as they were sealed), each update writes
 * nonce and ciphertext back by id.
 */
static const struct vault_table {
	const char	*load;
	const char	*update;
} vault_tables[] = {
	{ "SELECT id, name, kind, nonce, ciphertext FROM credentials "
	  "ORDER BY id",
	  "UPDATE credentials SET nonce = ?, ciphertext = ? WHERE id = ?" },
	{ "SELECT e.rowid, d.name, 'setting-data:' || e.key, e.nonce, "
	  "e.ciphertext FROM setting_data_entries e JOIN setting_data d ON "
	  "d.id = e.data_id WHERE e.ciphertext IS NOT NULL ORDER BY e.rowid",
	  "UPDATE setting_data_entries SET nonce = ?, ciphertext = ? "
	  "WHERE rowid = ?" },
	{ "SELECT id, key, 'backup', nonce, ciphertext FROM backup_secrets "
	  "ORDER BY id",
	  "UPDATE backup_secrets SET nonce = ?, ciphertext = ? WHERE id = ?" },
};

/* One sealed row. */
struct vault_row {
	const struct vault_table *table;
	int64_t		 id;
	char		*name;
	char		*kind;
	unsigned char	*nonce;
	size_t		 noncelen;
	unsigned char	*ct;
	size_t		 ctlen;
};

static unsigned char *
vault_blob(sqlite3_stmt *stmt, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(stmt, col);
	unsigned char *copy;

	*len = (size_t)sqlite3_column_bytes(stmt, col);
	copy = xmalloc(*len ? *len : 1);
	if (*len > 0)
		memcpy(copy, p, *len);
	return copy;
}

static void
vault_rows_free(struct vault_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].kind);
		free(rows[i].nonce);
		free(rows[i].ct);
	}
	free(rows);
}

/* Append the rows of T to *OUT (*N of them, room for *CAP). */
static int
vault_rows_load(struct store *st, const struct vault_table *t,
    struct vault_row **out, size_t *n, size_t *cap, char **cause)
{
	struct vault_row *rows = *out, *r;
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, t->load, &stmt, cause) != 0)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			rows = xreallocarray(rows, *cap, sizeof *rows);
		}
		r = &rows[(*n)++];
		r->table = t;
		r->id = sqlite3_column_int64(stmt, 0);
		r->name = xstrdup((const char *)sqlite3_column_text(stmt, 1));
		r->kind = xstrdup((const char *)sqlite3_column_text(stmt, 2));
		r->nonce = vault_blob(stmt, 3, &r->noncelen);
		r->ct = vault_blob(stmt, 4, &r->ctlen);
	}
	sqlite3_reset(stmt);
	*out = rows;
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "load sealed rows");
		return -1;
	}
	return 0;
}

/* Open ROW with OLD, seal it again with NEW and write it back. */
static int
vault_reseal_row(struct store *st, const struct vault *old,
    const struct vault *new, const struct vault_row *row, char **cause)
{
	unsigned char nonce[VAULT_NONCE_LEN], *pt, *ct;
	size_t ptlen, ctlen;
	sqlite3_stmt *stmt;
	int rc;

	if (vault_unseal(old, row->name, row->kind, row->nonce, row->noncelen,
	    row->ct, row->ctlen, &pt, &ptlen, cause) != 0)
		return -1;
	rc = vault_seal(new, row->name, row->kind, pt, ptlen, nonce, &ct,
	    &ctlen, cause);
	vault_wipe_free(pt, ptlen + 1);
	if (rc != 0)
		return -1;
	if (store_prepare(st, row->table->update, &stmt, cause) != 0) {
		free(ct);
		return -1;
	}
	sqlite3_bind_blob(stmt, 1, nonce, sizeof nonce, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 2, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, row->id);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	free(ct);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, row->name);
		return -1;
	}
	return 0;
}

static int
vault_reseal_all(struct store *st, const struct vault *old,
    const struct vault *new, size_t *count, char **cause)
{
	struct vault_row *rows = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	for (i = 0; rc == 0 && i < sizeof vault_tables /
	    sizeof vault_tables[0]; i++)
		rc = vault_rows_load(st, &vault_tables[i], &rows, &n, &cap,
		    cause);
	for (i = 0; rc == 0 && i < n; i++)
		rc = vault_reseal_row(st, old, new, &rows[i], cause);
	vault_rows_free(rows, n);
	*count = n;
	return rc;
}

/* The vault to change to: from PASS, or the key file of SRC. */
static int
vault_change_target(const char *pass, const struct vault_source *src,
    struct vault **out, char **cause)
{
	struct vault *v;
	char *path;
	int rc;

	if (pass != NULL) {
		if (strlen(pass) < VAULT_PASSPHRASE_MIN) {
			*cause = xasprintf("the vault passphrase must have at "
			    "least %d characters", VAULT_PASSPHRASE_MIN);
			return -1;
		}
		return vault_new_passphrase(pass, out, cause);
	}
	v = xcalloc(1, sizeof *v);
	v->mode = VAULT_KEYFILE;
	path = vault_key_path(src);
	if ((rc = vault_key_read(path, v->key, cause)) == -2)
		rc = vault_key_create(path, v->key, cause);
	free(path);
	if (rc != 0) {
		vault_free(&v);
		return -1;
	}
	*out = v;
	return 0;
}

int
vault_change(struct store *st, struct vault **vp, const char *pass,
    const struct vault_source *src, char **cause)
{
	struct vault *old = *vp, *new = NULL;
	const char *what;
	char *detail;
	size_t n = 0;

	if (vault_change_target(pass, src, &new, cause) != 0)
		return -1;
	what = pass == NULL ? "removed" : old->mode == VAULT_PASSPHRASE ?
	    "changed" : "set";
	if (store_begin(st, cause) != 0)
		goto fail;
	if (vault_reseal_all(st, old, new, &n, cause) != 0 ||
	    vault_bind_write(st, new, cause) != 0) {
		store_rollback(st);
		goto fail;
	}
	detail = xasprintf("passphrase %s, %zu credential(s) sealed again",
	    what, n);
	if (store_audit(st, store_whoami(), "vault passphrase", detail, NULL,
	    0, cause) != 0 || store_commit(st, cause) != 0) {
		free(detail);
		store_rollback(st);
		goto fail;
	}
	log_info("vault %s", detail);
	free(detail);
	vault_free(vp);
	*vp = new;
	return 0;
fail:
	vault_free(&new);
	return -1;
}
