/*
 * The automatic capability check against a real SQLite file: the schedule
 * (default daily, configurable, 0 disables) with a fake clock, and the
 * printers a credential change concerns.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "check-auto.h"
#include "job.h"
#include "store.h"
#include "testutil.h"

#define T0	((int64_t)1700000000000)	/* a fake "now", in ms */

struct fixture {
	char		*dir;
	struct store	*st;
	int64_t		 ids[3];
};

static int
test_check_auto_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	f->dir = testutil_tmpdir();
	f->st = testutil_store(f->dir, "quire.db");
	testutil_printers(f->st, "p", 3, 161, f->ids);
	*state = f;
	return 0;
}

static int
test_check_auto_teardown(void **state)
{
	struct fixture *f = *state;

	store_free(&f->st);
	testutil_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static bool
test_check_auto_due(struct store *st, int64_t now)
{
	char *cause = NULL;
	bool due;

	assert_int_equal(check_schedule_due(st, now, &due, &cause), 0);
	return due;
}

/* Default daily: due at once, then not until a day has passed. */
static void
test_check_auto_default(void **state)
{
	struct fixture *f = *state;
	struct job_info ji;
	int64_t job, every, last;
	char *cause = NULL;

	assert_int_equal(check_schedule_get(f->st, &every, &last, &cause), 0);
	assert_int_equal(every, CHECK_INTERVAL_DEFAULT);
	assert_int_equal(last, 0);
	assert_true(test_check_auto_due(f->st, T0));
	assert_int_equal(check_schedule_run(f->st, T0, "sched", &job,
	    &cause), 0);
	assert_true(job > 0);
	assert_int_equal(job_get(f->st, job, &ji, &cause), 0);
	assert_string_equal(ji.kind, "check");
	assert_int_equal(ji.total, 3);
	assert_string_equal(ji.created_by, "sched");
	job_info_clear(&ji);
	assert_int_equal(check_schedule_get(f->st, &every, &last, &cause), 0);
	assert_int_equal(last, T0);
	assert_false(test_check_auto_due(f->st, T0 + 86399999));
	assert_int_equal(check_schedule_run(f->st, T0 + 3600000, "sched",
	    &job, &cause), 0);
	assert_int_equal(job, 0);
	assert_true(test_check_auto_due(f->st, T0 + 86400000));
	/* A clock set back does not stop the schedule for good. */
	assert_true(test_check_auto_due(f->st, T0 - 1000));
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM jobs"), 1);
}

/* A set interval counts from the last run; 0 disables. */
static void
test_check_auto_interval(void **state)
{
	struct fixture *f = *state;
	int64_t job, every, last;
	char *cause = NULL;

	assert_int_equal(check_schedule_set(f->st, 60, "op", &cause), 0);
	assert_int_equal(check_schedule_run(f->st, T0, "s", &job, &cause), 0);
	assert_true(job > 0);
	assert_false(test_check_auto_due(f->st, T0 + 59999));
	assert_true(test_check_auto_due(f->st, T0 + 60000));
	assert_int_equal(check_schedule_set(f->st, 0, "op", &cause), 0);
	assert_false(test_check_auto_due(f->st, T0 + 86400000 * 10LL));
	assert_int_equal(check_schedule_run(f->st, T0 + 86400000 * 10LL, "s",
	    &job, &cause), 0);
	assert_int_equal(job, 0);
	assert_int_equal(check_schedule_get(f->st, &every, &last, &cause), 0);
	assert_int_equal(every, 0);
	assert_int_equal(last, T0);
	assert_int_equal(check_schedule_set(f->st, -1, "op", &cause), -1);
	assert_non_null(cause);
	free(cause);
	/* A value that is no number falls back to the default. */
	assert_int_equal(store_exec(f->st, "UPDATE config SET value = 'x' "
	    "WHERE key = 'check.interval'", &cause), 0);
	assert_int_equal(check_schedule_get(f->st, &every, &last, &cause), 0);
	assert_int_equal(every, CHECK_INTERVAL_DEFAULT);
}

/* No printer: nothing queued, but the run still counts. */
static void
test_check_auto_empty(void **state)
{
	struct fixture *f = *state;
	int64_t job;
	char *cause = NULL;

	assert_int_equal(store_exec(f->st, "DELETE FROM printers", &cause), 0);
	assert_int_equal(check_schedule_run(f->st, T0, "s", &job, &cause), 0);
	assert_int_equal(job, 0);
	assert_false(test_check_auto_due(f->st, T0 + 1000));
	assert_int_equal(check_queue(f->st, NULL, 0, NULL, "s", &job,
	    &cause), 0);
	assert_int_equal(job, 0);
}

/* A credential concerns the printers listing it and its groups' members. */
static void
test_check_auto_credential(void **state)
{
	struct fixture *f = *state;
	int64_t *ids;
	size_t n;
	char *cause = NULL;

	assert_int_equal(store_exec(f->st,
	    "INSERT INTO credentials (id, name, kind, attrs, nonce, "
	    "ciphertext, created_at) VALUES (7, 'c', 'password', '', x'00', "
	    "x'00', 0), (8, 'd', 'password', '', x'00', x'00', 0);"
	    "INSERT INTO groups (id, name, created_at) VALUES (5, 'lab', 0);"
	    "INSERT INTO printer_credentials VALUES (1, 7, 0);"
	    "UPDATE printers SET group_id = 5 WHERE id IN (1, 3);"
	    "INSERT INTO group_credentials VALUES (5, 7, 0);", &cause), 0);
	assert_int_equal(check_credential_printers(f->st, "c", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 3);
	free(ids);
	assert_int_equal(check_credential_printers(f->st, "d", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	assert_null(ids);
	assert_int_equal(check_credential_printers(f->st, "none", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check_auto_default,
		    test_check_auto_setup, test_check_auto_teardown),
		cmocka_unit_test_setup_teardown(test_check_auto_interval,
		    test_check_auto_setup, test_check_auto_teardown),
		cmocka_unit_test_setup_teardown(test_check_auto_empty,
		    test_check_auto_setup, test_check_auto_teardown),
		cmocka_unit_test_setup_teardown(test_check_auto_credential,
		    test_check_auto_setup, test_check_auto_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
