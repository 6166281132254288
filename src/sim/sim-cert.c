/*
 * A printer's certificates and keys, in the state database: the default
 * self-signed one made on first need (and kept), those imported, keys made
 * for a CSR waiting for their certificate, and which one HTTPS presents.
 * The one in use is also the value of the setting tls.certificate.
 */
#include "config.h"

#include "sim.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim-cert.h"
#include "sim-int.h"
#include "xmalloc.h"

#define SIM_CERT_DEFAULT "default"
#define SIM_CERT_SETTING "tls.certificate"

static int
sim_cert_check_name(const char *name, char **cause)
{
	size_t len = name != NULL ? strlen(name) : 0;

	if (len > 0 && len <= 64 && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len)
		return 0;
	*cause = xstrdup("a certificate name is 1-64 characters of A-Z a-z "
	    "0-9 . _ -");
	return -1;
}

/* Step a write statement to its end and reset it. */
static int
sim_cert_done(struct sim_fleet *fleet, sqlite3_stmt *stmt, char **cause)
{
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE)
		*cause = sim_state_cause(fleet, "state: certificates");
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Store the default certificate; state lock held, in a write. */
static int
sim_cert_store_default(struct sim_printer *p, const char *cert,
    const char *key, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	sqlite3_stmt *stmt;

	if ((stmt = sim_state_stmt(fleet, "INSERT OR IGNORE INTO cert "
	    "(printer, name, cert_pem, key_pem, in_use) SELECT ?1, ?2, ?3, "
	    "?4, NOT EXISTS (SELECT 1 FROM cert WHERE printer = ?1 AND "
	    "in_use) FROM printer WHERE id = ?1 AND NOT cert_made",
	    cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, p->db_id);
	sqlite3_bind_text(stmt, 2, SIM_CERT_DEFAULT, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, cert, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, key, -1, SQLITE_STATIC);
	if (sim_cert_done(fleet, stmt, cause) != 0)
		return -1;
	if ((stmt = sim_state_stmt(fleet, "UPDATE printer SET cert_made = 1 "
	    "WHERE id = ?", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, p->db_id);
	if (sim_cert_done(fleet, stmt, cause) != 0)
		return -1;
	return sim_state_touch(fleet, p, cause);
}

/* Make the default certificate unless done before; P's lock held. */
static int
sim_cert_ensure(struct sim_printer *p, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	char *cert = NULL, *key = NULL;
	int rc = -1;

	if (p->cert_made || !p->model->https)
		return 0;
	if (sim_cert_self_signed(p->name, p->host, &cert, &key, cause) != 0)
		return -1;
	sim_state_lock(fleet);
	if (sim_state_begin(fleet, cause) == 0) {
		if (sim_cert_store_default(p, cert, key, cause) == 0)
			rc = sim_state_commit(fleet, cause);
		else
			sim_state_rollback(fleet);
	}
	sim_state_unlock(fleet);
	if (rc == 0)
		p->cert_made = true;
	free(cert);
	free(key);
	return rc;
}

/* Lock P, bring it up to date and make its default certificate. */
static int
sim_cert_enter(struct sim_printer *p, char **cause)
{
	pthread_mutex_lock(&p->lock);
	if (sim_state_sync(p, cause) == 0 && sim_cert_ensure(p, cause) == 0)
		return 0;
	pthread_mutex_unlock(&p->lock);
	return -1;
}

bool
sim_cert_usable(struct sim_printer *p, const char *name)
{
	struct sim_fleet *fleet = p->fleet;
	sqlite3_stmt *stmt;
	char *cause = NULL;
	bool ok = false;

	if (sim_cert_ensure(p, &cause) != 0) {
		log_warn("%s: %s", p->name, cause);
		xfree(&cause);
	}
	sim_state_lock(fleet);
	if ((stmt = sim_state_stmt(fleet, "SELECT 1 FROM cert WHERE printer "
	    "= ? AND name = ? AND cert_pem IS NOT NULL AND key_pem IS NOT "
	    "NULL", &cause)) != NULL) {
		sqlite3_bind_int64(stmt, 1, p->db_id);
		sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
		ok = sqlite3_step(stmt) == SQLITE_ROW;
		sqlite3_reset(stmt);
	}
	sim_state_unlock(fleet);
	free(cause);
	return ok;
}

int
sim_cert_mark_in_use(struct sim_printer *p, const char *name, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sim_state_stmt(p->fleet, "UPDATE cert SET in_use = "
	    "(name = ?) WHERE printer = ?", cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, p->db_id);
	return sim_cert_done(p->fleet, stmt, cause);
}

static char *
sim_cert_column(sqlite3_stmt *stmt, int i)
{
	const char *s = (const char *)sqlite3_column_text(stmt, i);

	return s != NULL ? xstrdup(s) : NULL;
}

int
sim_cert_list(struct sim_printer *p, struct sim_cert **out, size_t *n)
{
	struct sim_fleet *fleet = p->fleet;
	struct sim_cert *v = NULL;
	sqlite3_stmt *stmt;
	char *cause = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (sim_cert_enter(p, &cause) != 0) {
		log_warn("%s: %s", p->name, cause);
		free(cause);
		return -1;
	}
	sim_state_lock(fleet);
	if ((stmt = sim_state_stmt(fleet, "SELECT name, cert_pem, key_pem, "
	    "in_use FROM cert WHERE printer = ? AND cert_pem IS NOT NULL "
	    "ORDER BY name", &cause)) == NULL)
		rc = SQLITE_ERROR;
	else {
		sqlite3_bind_int64(stmt, 1, p->db_id);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[*n].name = sim_cert_column(stmt, 0);
			v[*n].cert_pem = sim_cert_column(stmt, 1);
			v[*n].key_pem = sim_cert_column(stmt, 2);
			v[(*n)++].in_use = sqlite3_column_int(stmt, 3) != 0;
		}
		sqlite3_reset(stmt);
	}
	sim_state_unlock(fleet);
	pthread_mutex_unlock(&p->lock);
	free(cause);
	*out = v;
	if (rc == SQLITE_DONE)
		return 0;
	sim_cert_list_free(out, *n);
	*n = 0;
	return -1;
}

void
sim_cert_list_free(struct sim_cert **vp, size_t n)
{
	struct sim_cert *v = *vp;
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].cert_pem);
		free(v[i].key_pem);
	}
	free(v);
	*vp = NULL;
}

/* The key stored under NAME (from a CSR), owned; NULL if none. */
static char *
sim_cert_stored_key(struct sim_printer *p, const char *name)
{
	sqlite3_stmt *stmt;
	char *key = NULL, *cause = NULL;

	sim_state_lock(p->fleet);
	if ((stmt = sim_state_stmt(p->fleet, "SELECT key_pem FROM cert "
	    "WHERE printer = ? AND name = ?", &cause)) != NULL) {
		sqlite3_bind_int64(stmt, 1, p->db_id);
		sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			key = sim_cert_column(stmt, 0);
		sqlite3_reset(stmt);
	}
	sim_state_unlock(p->fleet);
	free(cause);
	return key;
}

/* Write NAME's row (CERT may be NULL: a key waiting for it). */
static int
sim_cert_store(struct sim_printer *p, const char *name, const char *cert,
    const char *key, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	sqlite3_stmt *stmt;
	int rc = -1;

	sim_state_lock(fleet);
	if (sim_state_begin(fleet, cause) != 0)
		goto out;
	if ((stmt = sim_state_stmt(fleet, "INSERT INTO cert (printer, name, "
	    "cert_pem, key_pem) VALUES (?, ?, ?, ?) ON CONFLICT (printer, "
	    "name) DO UPDATE SET cert_pem = excluded.cert_pem, key_pem = "
	    "excluded.key_pem", cause)) == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, p->db_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, cert, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, key, -1, SQLITE_STATIC);
	if (sim_cert_done(fleet, stmt, cause) != 0 ||
	    sim_state_touch(fleet, p, cause) != 0)
		goto fail;
	rc = sim_state_commit(fleet, cause);
	goto out;
fail:
	sim_state_rollback(fleet);
out:
	sim_state_unlock(fleet);
	return rc;
}

int
sim_cert_put(struct sim_printer *p, const char *name, const char *cert_pem,
    const char *key_pem, char **cause)
{
	char *key;
	int rc = -1;

	if (sim_cert_check_name(name, cause) != 0)
		return -1;
	if (cert_pem == NULL) {
		*cause = xstrdup("no certificate");
		return -1;
	}
	if (sim_cert_enter(p, cause) != 0)
		return -1;
	key = key_pem != NULL ? xstrdup(key_pem) : sim_cert_stored_key(p,
	    name);
	if (key == NULL)
		*cause = xasprintf("no key %s on the printer (make one with a "
		    "CSR, or give the key)", name);
	else if (sim_cert_check_pair(cert_pem, key, cause) == 0)
		rc = sim_cert_store(p, name, cert_pem, key, cause);
	pthread_mutex_unlock(&p->lock);
	free(key);
	return rc;
}

/* 1 if NAME is in use, 0 if not, -1 if there is no NAME. */
static int
sim_cert_in_use(struct sim_printer *p, const char *name)
{
	sqlite3_stmt *stmt;
	char *cause = NULL;
	int rc = -1;

	sim_state_lock(p->fleet);
	if ((stmt = sim_state_stmt(p->fleet, "SELECT in_use FROM cert WHERE "
	    "printer = ? AND name = ?", &cause)) != NULL) {
		sqlite3_bind_int64(stmt, 1, p->db_id);
		sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			rc = sqlite3_column_int(stmt, 0) != 0;
		sqlite3_reset(stmt);
	}
	sim_state_unlock(p->fleet);
	free(cause);
	return rc;
}

int
sim_cert_csr(struct sim_printer *p, const char *name, const char *subject,
    char **csr_pem, char **cause)
{
	char *key = NULL;
	int rc = -1;

	if (sim_cert_check_name(name, cause) != 0 ||
	    sim_cert_make_csr(subject, csr_pem, &key, cause) != 0)
		return -1;
	if (sim_cert_enter(p, cause) != 0) {
		xfree(csr_pem);
		free(key);
		return -1;
	}
	if (sim_cert_in_use(p, name) == 1)
		*cause = xasprintf("%s is in use; use another first", name);
	else
		rc = sim_cert_store(p, name, NULL, key, cause);
	pthread_mutex_unlock(&p->lock);
	free(key);
	if (rc != 0)
		xfree(csr_pem);
	return rc;
}

/* Without the setting (no vendor subtree): mark it in use directly. */
static int
sim_cert_use_direct(struct sim_printer *p, const char *name, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	int rc = -1;

	if (sim_cert_enter(p, cause) != 0)
		return -1;
	if (!sim_cert_usable(p, name))
		*cause = xasprintf("no certificate %s with its key", name);
	else {
		sim_state_lock(fleet);
		if (sim_state_begin(fleet, cause) == 0) {
			if (sim_cert_mark_in_use(p, name, cause) == 0 &&
			    sim_state_touch(fleet, p, cause) == 0)
				rc = sim_state_commit(fleet, cause);
			else
				sim_state_rollback(fleet);
		}
		sim_state_unlock(fleet);
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

int
sim_cert_use(struct sim_printer *p, const char *name, char **cause)
{
	const struct catalog_setting *s;
	struct sim_change c;

	if (sim_cert_check_name(name, cause) != 0)
		return -1;
	s = catalog_setting_find(p->fleet->catalog, SIM_CERT_SETTING);
	if (s == NULL || !sim_printer_supports(p, s))
		return sim_cert_use_direct(p, name, cause);
	/* Through the setting, so that SNMP and exports agree. */
	c.setting = s;
	c.value = name;
	return sim_values_set(p, &c, 1, NULL, cause) == SIM_SET_OK ? 0 : -1;
}

int
sim_cert_delete(struct sim_printer *p, const char *name, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	sqlite3_stmt *stmt;
	int rc = -1, used;

	if (sim_cert_check_name(name, cause) != 0 ||
	    sim_cert_enter(p, cause) != 0)
		return -1;
	if ((used = sim_cert_in_use(p, name)) != 0) {
		*cause = used == 1 ? xasprintf("%s is in use; use another "
		    "first", name) : xasprintf("no certificate %s", name);
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	sim_state_lock(fleet);
	if (sim_state_begin(fleet, cause) == 0) {
		if ((stmt = sim_state_stmt(fleet, "DELETE FROM cert WHERE "
		    "printer = ? AND name = ?", cause)) != NULL) {
			sqlite3_bind_int64(stmt, 1, p->db_id);
			sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
		}
		if (stmt != NULL && sim_cert_done(fleet, stmt, cause) == 0 &&
		    sim_state_touch(fleet, p, cause) == 0)
			rc = sim_state_commit(fleet, cause);
		else
			sim_state_rollback(fleet);
	}
	sim_state_unlock(fleet);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

int
sim_cert_current(struct sim_printer *p, char **cert_pem, char **key_pem,
    char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	sqlite3_stmt *stmt;
	int rc = -1;

	if (sim_cert_enter(p, cause) != 0)
		return -1;
	sim_state_lock(fleet);
	if ((stmt = sim_state_stmt(fleet, "SELECT cert_pem, key_pem FROM "
	    "cert WHERE printer = ? AND in_use AND cert_pem IS NOT NULL AND "
	    "key_pem IS NOT NULL", cause)) != NULL) {
		sqlite3_bind_int64(stmt, 1, p->db_id);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			*cert_pem = sim_cert_column(stmt, 0);
			*key_pem = sim_cert_column(stmt, 1);
			rc = 0;
		} else
			*cause = xstrdup("no certificate in use");
		sqlite3_reset(stmt);
	}
	sim_state_unlock(fleet);
	pthread_mutex_unlock(&p->lock);
	return rc;
}
