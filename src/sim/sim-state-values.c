/*
 * Setting values: read from the cache (kept in step with the database),
 * written all or none in one transaction.
 */
#include "config.h"

#include "sim.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim-int.h"
#include "xmalloc.h"

/* The counters of P's row. */
static int
sim_state_load_row(struct sim_printer *p, char **cause)
{
	sqlite3_stmt *row;
	const char *pw;

	if ((row = sim_state_stmt(p->fleet, "SELECT config_changes, boots, "
	    "sets, policy_password, policy_applied, booted_ms, "
	    "down_until_ms, cert_made FROM printer WHERE id = ?",
	    cause)) == NULL)
		return -1;
	sqlite3_bind_int64(row, 1, p->db_id);
	if (sqlite3_step(row) != SQLITE_ROW) {
		*cause = sim_state_cause(p->fleet, "state: printer row");
		sqlite3_reset(row);
		return -1;
	}
	p->config_changes = (uint32_t)sqlite3_column_int64(row, 0);
	p->boots = (uint32_t)sqlite3_column_int64(row, 1);
	p->sets = (uint32_t)sqlite3_column_int64(row, 2);
	free(p->policy_current);
	pw = (const char *)sqlite3_column_text(row, 3);
	p->policy_current = pw != NULL ? xstrdup(pw) : NULL;
	p->policy_applied = (uint32_t)sqlite3_column_int64(row, 4);
	p->booted_ms = sqlite3_column_int64(row, 5);
	p->down_until_ms = sqlite3_column_int64(row, 6);
	p->cert_made = sqlite3_column_int(row, 7) != 0;
	sqlite3_reset(row);
	return 0;
}

static void
sim_state_free_values(struct sim_fleet *fleet, char ***values)
{
	size_t i;

	if (*values == NULL)
		return;
	for (i = 0; i < fleet->nsettings; i++)
		free((*values)[i]);
	free(*values);
	*values = NULL;
}

int
sim_state_load_printer(struct sim_printer *p, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	const struct catalog_setting *s;
	sqlite3_stmt *vals;
	char **values;
	long idx;
	int rc;

	if (sim_state_load_row(p, cause) != 0 || (vals = sim_state_stmt(fleet,
	    "SELECT key, value FROM value WHERE printer = ?", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(vals, 1, p->db_id);
	values = xcalloc(fleet->nsettings, sizeof *values);
	while ((rc = sqlite3_step(vals)) == SQLITE_ROW) {
		s = catalog_setting_find(fleet->catalog,
		    (const char *)sqlite3_column_text(vals, 0));
		if (s == NULL || (idx = sim_fleet_setting_index(fleet, s)) < 0)
			continue;	/* a setting the catalog dropped */
		free(values[idx]);
		values[idx] = xstrdup((const char *)sqlite3_column_text(vals,
		    1));
	}
	sqlite3_reset(vals);
	if (rc != SQLITE_DONE) {
		*cause = sim_state_cause(fleet, "state: values");
		sim_state_free_values(fleet, &values);
		return -1;
	}
	sim_state_free_values(fleet, &p->values);
	p->values = values;
	p->loaded = true;
	return 0;
}

/* Sync P (its lock held); a failure is logged and the cache used. */
static int
sim_state_sync_or_log(struct sim_printer *p)
{
	char *cause = NULL;

	if (sim_state_sync(p, &cause) == 0)
		return 0;
	log_warn("%s: %s", p->name, cause);
	free(cause);
	return p->loaded ? 0 : -1;
}

/* The value now, owned; P's lock held and P loaded. */
static char *
sim_state_current(struct sim_printer *p, const struct catalog_setting *s,
    long idx)
{
	if (p->values[idx] != NULL)
		return xstrdup(p->values[idx]);
	return sim_state_seed(p, s);
}

int
sim_value_get(struct sim_printer *p, const struct catalog_setting *s,
    char **value)
{
	long idx = sim_fleet_setting_index(p->fleet, s);
	int rc = -1;

	if (idx < 0 || !sim_printer_supports(p, s))
		return -1;
	pthread_mutex_lock(&p->lock);
	if (sim_state_sync_or_log(p) == 0) {
		*value = sim_state_current(p, s, idx);
		rc = 0;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

static bool
sim_state_locked(const struct sim_printer *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->faults.nlocked; i++) {
		if (fnmatch(p->faults.locked[i], key, 0) == 0)
			return true;
	}
	return false;
}

/* tls.certificate names a certificate with its key, or stays as it is. */
static bool
sim_state_cert_ok(struct sim_printer *p, const struct sim_change *c)
{
	char *now = sim_state_current(p, c->setting,
	    sim_fleet_setting_index(p->fleet, c->setting));
	bool same = strcmp(now, c->value) == 0;

	free(now);
	return same || sim_cert_usable(p, c->value);
}

/* Check one change; P's lock held. */
static enum sim_set_status
sim_state_check(struct sim_printer *p, const struct sim_change *c,
    char **cause)
{
	const char *key;

	if (c->setting == NULL || sim_fleet_setting_index(p->fleet,
	    c->setting) < 0 || !sim_printer_supports(p, c->setting)) {
		*cause = xstrdup("the printer has no such setting");
		return SIM_SET_UNSUPPORTED;
	}
	key = catalog_setting_key(c->setting);
	if (sim_state_locked(p, key)) {
		*cause = xasprintf("%s is locked by policy", key);
		return SIM_SET_LOCKED;
	}
	if (c->value == NULL || catalog_check_value(c->setting, c->value,
	    cause) != 0) {
		if (*cause == NULL)
			*cause = xstrdup("no value");
		return SIM_SET_WRONG_VALUE;
	}
	if (strcmp(key, "tls.certificate") == 0 &&
	    !sim_state_cert_ok(p, c)) {
		*cause = xasprintf("no certificate %s with its key", c->value);
		return SIM_SET_WRONG_VALUE;
	}
	return SIM_SET_OK;
}

/* Write one change inside the transaction; counts it if it changes. */
static int
sim_state_write(struct sim_printer *p, const struct sim_change *c,
    uint32_t *changed, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	const char *key = catalog_setting_key(c->setting);
	sqlite3_stmt *stmt;
	char *now;

	now = sim_state_current(p, c->setting,
	    sim_fleet_setting_index(fleet, c->setting));
	if (strcmp(now, c->value) != 0)
		(*changed)++;
	free(now);
	if ((stmt = sim_state_stmt(fleet, "INSERT OR REPLACE INTO value "
	    "(printer, key, value) VALUES (?, ?, ?)", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, p->db_id);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, c->value, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = sim_state_cause(fleet, "state: write");
		sqlite3_reset(stmt);
		return -1;
	}
	sqlite3_reset(stmt);
	if (strcmp(key, "tls.certificate") == 0)
		return sim_cert_mark_in_use(p, c->value, cause);
	return 0;
}

static int
sim_state_add_changes(struct sim_printer *p, uint32_t k, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = sim_state_stmt(p->fleet, "UPDATE printer SET "
	    "config_changes = config_changes + ? WHERE id = ?",
	    cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, k);
	sqlite3_bind_int64(stmt, 2, p->db_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = sim_state_cause(p->fleet, "state: write");
		sqlite3_reset(stmt);
		return -1;
	}
	sqlite3_reset(stmt);
	return sim_state_touch(p->fleet, p, cause);
}

/* Persist all of CHANGES in one transaction; P's lock held. */
static int
sim_state_persist(struct sim_printer *p, const struct sim_change *changes,
    size_t n, uint32_t *changed, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	size_t i;
	int rc = -1;

	*changed = 0;
	sim_state_lock(fleet);
	if (sim_state_begin(fleet, cause) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (sim_state_write(p, &changes[i], changed, cause) != 0)
			goto fail;
	}
	if (sim_state_add_changes(p, *changed, cause) != 0)
		goto fail;
	rc = sim_state_commit(fleet, cause);
	goto out;
fail:
	sim_state_rollback(fleet);
out:
	sim_state_unlock(fleet);
	return rc;
}

static enum sim_set_status
sim_state_set_locked(struct sim_printer *p, const struct sim_change *changes,
    size_t n, size_t *bad, char **cause)
{
	enum sim_set_status st;
	uint32_t changed;
	size_t i;
	long idx;

	if (sim_state_sync(p, cause) != 0)
		return SIM_SET_FAILED;
	if (sim_state_is_down(p)) {
		*cause = xstrdup("the printer is rebooting");
		return SIM_SET_DOWN;
	}
	for (i = 0; i < n; i++) {
		*bad = i;
		if ((st = sim_state_check(p, &changes[i], cause)) != SIM_SET_OK)
			return st;
	}
	*bad = 0;
	if (sim_state_persist(p, changes, n, &changed, cause) != 0)
		return SIM_SET_FAILED;
	for (i = 0; i < n; i++) {
		idx = sim_fleet_setting_index(p->fleet, changes[i].setting);
		free(p->values[idx]);
		p->values[idx] = xstrdup(changes[i].value);
	}
	p->config_changes += changed;
	return SIM_SET_OK;
}

enum sim_set_status
sim_values_set(struct sim_printer *p, const struct sim_change *changes,
    size_t n, size_t *bad, char **cause)
{
	enum sim_set_status st;
	size_t where = 0;

	pthread_mutex_lock(&p->lock);
	st = sim_state_set_locked(p, changes, n, &where, cause);
	pthread_mutex_unlock(&p->lock);
	if (bad != NULL)
		*bad = where;
	return st;
}
