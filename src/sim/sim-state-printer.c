/*
 * A printer's counters, reboots and security policy, persisted in its row
 * so that another process on the same state sees them.
 */
#include "config.h"

#include "sim.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim-int.h"
#include "text.h"
#include "xmalloc.h"

/*
 * Run SQL on P's row in its own transaction: the integers ARGS bound first,
 * then TEXT if not NULL, then P's id. P's lock held.
 */
static int
sim_state_update_row(struct sim_printer *p, const char *sql,
    const int64_t *args, size_t nargs, const char *text, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	sqlite3_stmt *stmt;
	int i = 1, rc = -1;
	size_t j;

	sim_state_lock(fleet);
	if (sim_state_begin(fleet, cause) != 0)
		goto out;
	if ((stmt = sim_state_stmt(fleet, sql, cause)) == NULL)
		goto fail;
	for (j = 0; j < nargs; j++)
		sqlite3_bind_int64(stmt, i++, args[j]);
	if (text != NULL)
		sqlite3_bind_text(stmt, i++, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, i, p->db_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = sim_state_cause(fleet, "state: write");
		sqlite3_reset(stmt);
		goto fail;
	}
	sqlite3_reset(stmt);
	if (sim_state_touch(fleet, p, cause) != 0)
		goto fail;
	rc = sim_state_commit(fleet, cause);
	goto out;
fail:
	sim_state_rollback(fleet);
out:
	sim_state_unlock(fleet);
	return rc;
}

static void
sim_state_enter(struct sim_printer *p)
{
	char *cause = NULL;

	pthread_mutex_lock(&p->lock);
	if (sim_state_sync(p, &cause) != 0) {
		log_warn("%s: %s", p->name, cause);
		free(cause);
	}
}

static void
sim_state_leave(struct sim_printer *p)
{
	pthread_mutex_unlock(&p->lock);
}

bool
sim_state_is_down(const struct sim_printer *p)
{
	return p->down_until_ms != 0 && sim_state_now_ms() < p->down_until_ms;
}

uint32_t
sim_printer_config_changes(struct sim_printer *p)
{
	uint32_t v;

	sim_state_enter(p);
	v = p->config_changes;
	sim_state_leave(p);
	return v;
}

uint32_t
sim_printer_uptime(struct sim_printer *p)
{
	int64_t now = sim_state_now_ms(), up;

	sim_state_enter(p);
	up = p->booted_ms != 0 && now > p->booted_ms ? now - p->booted_ms : 0;
	sim_state_leave(p);
	return (uint32_t)(up / 10);
}

bool
sim_printer_is_down(struct sim_printer *p)
{
	bool down;

	sim_state_enter(p);
	down = sim_state_is_down(p);
	sim_state_leave(p);
	return down;
}

uint32_t
sim_printer_engine_boots(struct sim_printer *p)
{
	uint32_t v;

	sim_state_enter(p);
	v = p->boots;
	sim_state_leave(p);
	return v;
}

/* Go down now; back (booted) after reboot_ms. P's lock held. */
static void
sim_state_reboot(struct sim_printer *p)
{
	int64_t args[2], now = sim_state_now_ms();
	char *cause = NULL;

	args[0] = now + p->faults.reboot_ms;	/* booted_ms */
	args[1] = args[0];			/* down_until_ms */
	if (sim_state_update_row(p, "UPDATE printer SET boots = boots + 1, "
	    "booted_ms = ?, down_until_ms = ? WHERE id = ?", args, 2, NULL,
	    &cause) != 0) {
		/* It reboots anyway; only the count is lost. */
		log_warn("%s: %s", p->name, cause);
		free(cause);
	}
	p->boots++;
	p->booted_ms = args[0];
	p->down_until_ms = args[1];
	log_info("%s: rebooting for %u ms", p->name, p->faults.reboot_ms);
}

void
sim_printer_reboot(struct sim_printer *p)
{
	sim_state_enter(p);
	sim_state_reboot(p);
	sim_state_leave(p);
}

void
sim_printer_count_set(struct sim_printer *p)
{
	char *cause = NULL;

	sim_state_enter(p);
	if (sim_state_update_row(p, "UPDATE printer SET sets = sets + 1 "
	    "WHERE id = ?", NULL, 0, NULL, &cause) != 0) {
		log_warn("%s: %s", p->name, cause);
		free(cause);
	}
	p->sets++;
	if (p->faults.reboot_after_sets != 0 &&
	    p->sets % p->faults.reboot_after_sets == 0 &&
	    !sim_state_is_down(p))
		sim_state_reboot(p);
	sim_state_leave(p);
}

bool
sim_policy_check(struct sim_printer *p, const char *password)
{
	bool ok;

	if (password == NULL)
		return false;
	sim_state_enter(p);
	ok = strcmp(password, p->policy_current != NULL ? p->policy_current :
	    p->policy_password) == 0;
	sim_state_leave(p);
	return ok;
}

static int
sim_policy_check_new(const char *pw, char **cause)
{
	size_t len = pw != NULL ? strlen(pw) : 0;

	if (len == 0 || len > 64 || !text_is_clean(pw) ||
	    strpbrk(pw, " \t") != NULL) {
		*cause = xstrdup("a policy password is 1-64 characters "
		    "without spaces or control characters");
		return -1;
	}
	return 0;
}

int
sim_policy_passwd(struct sim_printer *p, const char *old_password,
    const char *new_password, char **cause)
{
	int rc = -1;

	if (sim_policy_check_new(new_password, cause) != 0)
		return -1;
	sim_state_enter(p);
	if (old_password == NULL || strcmp(old_password,
	    p->policy_current != NULL ? p->policy_current :
	    p->policy_password) != 0)
		*cause = xstrdup("wrong policy password");
	else if (sim_state_update_row(p, "UPDATE printer SET "
	    "policy_password = ? WHERE id = ?", NULL, 0, new_password,
	    cause) == 0) {
		free(p->policy_current);
		p->policy_current = xstrdup(new_password);
		rc = 0;
	}
	sim_state_leave(p);
	return rc;
}

uint32_t
sim_policy_applied(struct sim_printer *p)
{
	uint32_t v;

	sim_state_enter(p);
	v = p->policy_applied;
	sim_state_leave(p);
	return v;
}

void
sim_policy_count_apply(struct sim_printer *p)
{
	char *cause = NULL;

	sim_state_enter(p);
	if (sim_state_update_row(p, "UPDATE printer SET policy_applied = "
	    "policy_applied + 1 WHERE id = ?", NULL, 0, NULL, &cause) == 0)
		p->policy_applied++;
	else {
		log_warn("%s: %s", p->name, cause);
		free(cause);
	}
	sim_state_leave(p);
}
