#include "config.h"

#include "hostkey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* A key on record. */
struct hostkey_row {
	bool		 found;
	char		*key_type;
	char		*fingerprint;
	unsigned char	*blob;
	size_t		 len;
};

static void
hostkey_row_clear(struct hostkey_row *row)
{
	free(row->key_type);
	free(row->fingerprint);
	free(row->blob);
	memset(row, 0, sizeof *row);
}

/* The config key of a pending accept. */
static char *
hostkey_pending_name(const char *host, unsigned port)
{
	return xasprintf("hostkey.accept/%s/%u", host, port);
}

static int
hostkey_lookup(struct store *st, const char *host, unsigned port,
    struct hostkey_row *row, char **cause)
{
	static const char sql[] = "SELECT key_type, fingerprint, key "
	    "FROM known_hosts WHERE host = ? AND port = ?";
	sqlite3_stmt *stmt;
	const void *blob;
	int rc;

	memset(row, 0, sizeof *row);
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, (int)port);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		row->found = true;
		row->key_type = xstrdup((const char *)
		    sqlite3_column_text(stmt, 0));
		row->fingerprint = xstrdup((const char *)
		    sqlite3_column_text(stmt, 1));
		row->len = (size_t)sqlite3_column_bytes(stmt, 2);
		blob = sqlite3_column_blob(stmt, 2);
		row->blob = xmalloc(row->len + 1);
		if (row->len > 0)
			memcpy(row->blob, blob, row->len);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = store_cause(st, "known hosts");
		return -1;
	}
	return 0;
}

static int
hostkey_pending(struct store *st, const char *host, unsigned port,
    bool *pending, char **cause)
{
	char *name = hostkey_pending_name(host, port), *value = NULL;
	int rc;

	rc = store_config_get(st, name, &value, cause);
	*pending = value != NULL;
	free(value);
	free(name);
	return rc;
}

/* Run one write statement: text A, B (if not NULL), and KEY's columns. */
static int
hostkey_write(struct store *st, const char *sql, const char *a,
    const char *b, const struct sshc_hostkey *key, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(stmt, 2, b, -1, SQLITE_STATIC);
	if (key != NULL) {
		sqlite3_bind_text(stmt, 3, key->type, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, key->fingerprint, -1,
		    SQLITE_STATIC);
		sqlite3_bind_blob(stmt, 5, key->blob, (int)key->len,
		    SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 6, store_now_ms());
	}
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "known hosts");
		return -1;
	}
	return 0;
}

static int
hostkey_clear_pending(struct store *st, const char *host, unsigned port,
    char **cause)
{
	char *name = hostkey_pending_name(host, port);
	int rc;

	rc = store_config_set(st, name, NULL, cause);
	free(name);
	return rc;
}

/* Insert or replace the key of HOST:PORT (port bound as text). */
static int
hostkey_record(struct store *st, const char *host, unsigned port,
    const struct sshc_hostkey *key, char **cause)
{
	static const char sql[] = "INSERT INTO known_hosts (host, port, "
	    "key_type, fingerprint, key, first_seen) "
	    "VALUES (?1, CAST(?2 AS INTEGER), ?3, ?4, ?5, ?6) "
	    "ON CONFLICT (host, port) DO UPDATE SET key_type = ?3, "
	    "fingerprint = ?4, key = ?5, first_seen = ?6";
	char portstr[16];

	snprintf(portstr, sizeof portstr, "%u", port);
	return hostkey_write(st, sql, host, portstr, key, cause);
}

static bool
hostkey_same(const struct hostkey_row *row, const struct sshc_hostkey *key)
{
	return row->found && row->len == key->len &&
	    memcmp(row->blob, key->blob, key->len) == 0;
}

/* Record (first use or accepted change) and audit, in a transaction. */
static int
hostkey_learn(struct store *st, const char *host, unsigned port,
    const struct sshc_hostkey *key, const struct hostkey_row *old,
    char **cause)
{
	char *detail;
	int rc;

	if (old->found)
		detail = xasprintf("%s:%u %s %s replaces %s %s", host, port,
		    key->type, key->fingerprint, old->key_type,
		    old->fingerprint);
	else
		detail = xasprintf("%s:%u %s %s", host, port, key->type,
		    key->fingerprint);
	rc = hostkey_record(st, host, port, key, cause);
	if (rc == 0)
		rc = hostkey_clear_pending(st, host, port, cause);
	if (rc == 0)
		rc = store_audit(st, store_whoami(), old->found ?
		    "hostkey replaced" : "hostkey learnt", detail, NULL, 0,
		    cause);
	if (rc == 0)
		log_info("host key %s", detail);
	free(detail);
	return rc;
}

static int
hostkey_refuse(const char *host, unsigned port, const struct hostkey_row *old,
    const struct sshc_hostkey *key, char **cause)
{
	*cause = xasprintf("host key changed: %s:%u had %s %s, now offers "
	    "%s %s (refused until the operator accepts it: quire hostkey "
	    "accept)", host, port, old->key_type, old->fingerprint, key->type,
	    key->fingerprint);
	log_warn("%s", *cause);
	return -1;
}

/* The slow path: decide and write under a write lock. */
static int
hostkey_decide(struct store *st, const char *host, unsigned port,
    const struct sshc_hostkey *key, enum hostkey_outcome *out, char **cause)
{
	struct hostkey_row row;
	bool pending = false;
	int rc = -1;

	if (store_begin(st, cause) != 0)
		return -1;
	if (hostkey_lookup(st, host, port, &row, cause) != 0 ||
	    hostkey_pending(st, host, port, &pending, cause) != 0)
		goto out;
	if (hostkey_same(&row, key)) {
		*out = HOSTKEY_KNOWN;
		rc = pending ? hostkey_clear_pending(st, host, port, cause) : 0;
	} else if (row.found && !pending)
		rc = hostkey_refuse(host, port, &row, key, cause);
	else {
		*out = row.found ? HOSTKEY_REPLACED : HOSTKEY_LEARNT;
		rc = hostkey_learn(st, host, port, key, &row, cause);
	}
out:
	if (rc == 0)
		rc = store_commit(st, cause);
	else
		store_rollback(st);
	hostkey_row_clear(&row);
	return rc;
}

int
hostkey_check(struct store *st, const char *host, unsigned port,
    const struct sshc_hostkey *key, enum hostkey_outcome *out, char **cause)
{
	struct hostkey_row row;
	bool pending = true, same;

	/* The common case reads only: the key on record, nothing pending. */
	if (hostkey_lookup(st, host, port, &row, cause) != 0)
		return -1;
	same = hostkey_same(&row, key);
	hostkey_row_clear(&row);
	if (same && hostkey_pending(st, host, port, &pending, cause) != 0)
		return -1;
	if (same && !pending) {
		*out = HOSTKEY_KNOWN;
		return 0;
	}
	return hostkey_decide(st, host, port, key, out, cause);
}

int
hostkey_verify(void *arg, const char *host, unsigned port,
    const struct sshc_hostkey *key, char **cause)
{
	enum hostkey_outcome out;

	if (hostkey_check(arg, host, port, key, &out, cause) != 0)
		return -1;
	return out == HOSTKEY_KNOWN ? SSH_HOSTKEY_KNOWN : SSH_HOSTKEY_LEARNT;
}

int
hostkey_accept(struct store *st, const char *host, unsigned port,
    bool *found, char **cause)
{
	struct hostkey_row row;
	char *name, *value;
	int rc;

	if (hostkey_lookup(st, host, port, &row, cause) != 0)
		return -1;
	*found = row.found;
	hostkey_row_clear(&row);
	if (!*found)
		return 0;
	name = hostkey_pending_name(host, port);
	value = xasprintf("%lld %s", (long long)store_now_ms(),
	    store_whoami());
	rc = store_config_set(st, name, value, cause);
	free(value);
	free(name);
	return rc;
}

int
hostkey_forget(struct store *st, const char *host, unsigned port,
    bool *found, char **cause)
{
	static const char sql[] = "DELETE FROM known_hosts "
	    "WHERE host = ? AND port = CAST(? AS INTEGER)";
	char portstr[16];

	snprintf(portstr, sizeof portstr, "%u", port);
	if (hostkey_write(st, sql, host, portstr, NULL, cause) != 0)
		return -1;
	*found = sqlite3_changes(store_db(st)) > 0;
	return hostkey_clear_pending(st, host, port, cause);
}

static char *
hostkey_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static void
hostkey_entry_read(sqlite3_stmt *stmt, struct hostkey_entry *e)
{
	e->host = hostkey_text(stmt, 0);
	e->port = (unsigned)sqlite3_column_int(stmt, 1);
	e->key_type = hostkey_text(stmt, 2);
	e->fingerprint = hostkey_text(stmt, 3);
	e->first_seen = sqlite3_column_int64(stmt, 4);
	e->printers = hostkey_text(stmt, 5);
	e->accept_pending = sqlite3_column_int(stmt, 6) != 0;
}

int
hostkey_list(struct store *st, struct hostkey_set **out, char **cause)
{
	static const char sql[] = "SELECT k.host, k.port, k.key_type, "
	    "k.fingerprint, k.first_seen, (SELECT group_concat(name, ',') "
	    "FROM (SELECT p.name FROM printers p WHERE p.address = k.host "
	    "AND COALESCE(p.ssh_port, 22) = k.port ORDER BY p.name)), "
	    "EXISTS (SELECT 1 FROM config c WHERE c.key = 'hostkey.accept/' "
	    "|| k.host || '/' || k.port) "
	    "FROM known_hosts k ORDER BY k.host, k.port";
	struct hostkey_set *set = xcalloc(1, sizeof *set);
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc;

	*out = NULL;
	if (store_prepare(st, sql, &stmt, cause) != 0) {
		free(set);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (set->n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			set->v = xreallocarray(set->v, cap, sizeof *set->v);
		}
		hostkey_entry_read(stmt, &set->v[set->n++]);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "known hosts");
		hostkey_set_free(&set);
		return -1;
	}
	*out = set;
	return 0;
}

void
hostkey_set_free(struct hostkey_set **sp)
{
	struct hostkey_set *set = *sp;
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		free(set->v[i].host);
		free(set->v[i].key_type);
		free(set->v[i].fingerprint);
		free(set->v[i].printers);
	}
	free(set->v);
	free(set);
	*sp = NULL;
}

int
hostkey_targets(struct store *st, const int64_t *ids, size_t n,
    struct hostkey_target **out, size_t *nout, char **cause)
{
	static const char sql[] = "SELECT name, address, "
	    "COALESCE(ssh_port, 22) FROM printers WHERE id = ?";
	struct hostkey_target *v = xcalloc(n ? n : 1, sizeof *v);
	sqlite3_stmt *stmt;
	size_t i, k = 0;
	int rc = SQLITE_DONE;

	for (i = 0; i < n && (rc == SQLITE_DONE || rc == SQLITE_ROW); i++) {
		if (store_prepare(st, sql, &stmt, cause) != 0) {
			hostkey_targets_free(&v, k);
			return -1;
		}
		sqlite3_bind_int64(stmt, 1, ids[i]);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			v[k].name = hostkey_text(stmt, 0);
			v[k].host = hostkey_text(stmt, 1);
			v[k++].port = (unsigned)sqlite3_column_int(stmt, 2);
		}
		sqlite3_reset(stmt);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		*cause = store_cause(st, "printers");
		hostkey_targets_free(&v, k);
		return -1;
	}
	*out = v;
	*nout = k;
	return 0;
}

void
hostkey_targets_free(struct hostkey_target **vp, size_t n)
{
	size_t i;

	if (*vp == NULL)
		return;
	for (i = 0; i < n; i++) {
		free((*vp)[i].name);
		free((*vp)[i].host);
	}
	xfree(vp);
}
