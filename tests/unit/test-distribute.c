/*
 * Distribution bookkeeping in a real SQLite file: queueing (an unknown data
 * name refused before anything is queued; a rollback of a preview
 * refused), the job's parameters, results recorded and replaced (a
 * secret's values never stored), their order, filter and counts, retrying
 * what failed, and the bounds of concurrency and rate.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "distribute.h"
#include "job.h"
#include "setdata.h"
#include "store.h"
#include "testutil.h"

struct fixture {
	char		*dir;
	struct store	*st;
	int64_t		 ids[3];
};

static int
test_distribute_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct setdata *sd = setdata_new("office", NULL);
	char *cause = NULL;

	f->dir = testutil_tmpdir();
	f->st = testutil_store(f->dir, "quire.db");
	testutil_printers(f->st, "p", 3, 161, f->ids);
	setdata_add(sd, "device.location", "Floor 3", false);
	if (setdata_store_add(f->st, NULL, sd, "office", "test", "tester",
	    false, &cause) != 0)
		fail_msg("setdata_store_add: %s", cause);
	setdata_free(&sd);
	*state = f;
	return 0;
}

static int
test_distribute_teardown(void **state)
{
	struct fixture *f = *state;

	store_free(&f->st);
	testutil_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int64_t
test_distribute_queue(struct fixture *f, bool dry_run, int64_t of)
{
	struct distribute_options o = { dry_run, false, of };
	char *cause = NULL;
	int64_t job = 0;

	if (distribute_queue(f->st, "office", f->ids, 3, &o, "tester", &job,
	    &cause) != 0)
		fail_msg("distribute_queue: %s", cause);
	assert_true(job > 0);
	return job;
}

static void
test_distribute_put(struct fixture *f, int64_t job, size_t p, const char *key,
    enum distribute_outcome o, const char *old, const char *new, bool secret)
{
	struct distribute_result r = { 0 };
	char name[16], *cause = NULL;

	snprintf(name, sizeof name, "p-%04zu", p + 1);
	r.printer_id = f->ids[p];
	r.printer_name = name;
	r.key = (char *)key;
	r.outcome = o;
	r.old_value = (char *)old;
	r.new_value = (char *)new;
	r.reason = o == DISTRIBUTE_REJECTED ? (char *)"noAccess" : NULL;
	r.secret = secret;
	if (distribute_record(f->st, job, &r, &cause) != 0)
		fail_msg("distribute_record: %s", cause);
}

/* An unknown data name is refused and nothing is queued. */
static void
test_distribute_unknown(void **state)
{
	struct fixture *f = *state;
	struct distribute_options o = { false, false, 0 };
	char *cause = NULL;
	int64_t job = 7;

	assert_int_equal(distribute_queue(f->st, "nope", f->ids, 3, &o,
	    "tester", &job, &cause), -1);
	assert_string_equal(cause, "no setting data nope");
	free(cause);
	assert_int_equal(job, 0);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM jobs"), 0);
	/* No printer: nothing queued, no error. */
	assert_int_equal(distribute_queue(f->st, "office", f->ids, 0, &o,
	    "tester", &job, &cause), 0);
	assert_int_equal(job, 0);
}

/* The job's parameters come back as queued. */
static void
test_distribute_params(void **state)
{
	struct fixture *f = *state;
	struct distribute_options o = { false, true, 0 };
	struct distribute_job j;
	char *cause = NULL;
	int64_t job, preview;

	preview = test_distribute_queue(f, true, 0);
	assert_int_equal(distribute_job_get(f->st, preview, &j, &cause), 0);
	assert_string_equal(j.data, "office");
	assert_true(j.opts.dry_run);
	assert_false(j.opts.reboot);
	distribute_job_clear(&j);
	assert_int_equal(distribute_submit(f->st, "office", f->ids, 2, &o,
	    250, 0, "tester", &job, &cause), 0);
	assert_int_equal(distribute_job_get(f->st, job, &j, &cause), 0);
	assert_false(j.opts.dry_run);
	assert_true(j.opts.reboot);
	assert_int_equal(j.timeout_ms, 250);
	assert_int_equal(j.retries, 0);
	distribute_job_clear(&j);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM job_targets "
	    "WHERE job_id = (SELECT max(id) FROM jobs)"), 2);
	/* A rollback names a write job, never a preview. */
	o.rollback_of = preview;
	assert_int_equal(distribute_queue(f->st, NULL, f->ids, 2, &o,
	    "tester", &job, &cause), -1);
	assert_non_null(strstr(cause, "is a preview"));
	free(cause);
	o.rollback_of = 9999;
	assert_int_equal(distribute_queue(f->st, NULL, f->ids, 2, &o,
	    "tester", &job, &cause), -1);
	free(cause);
	o.rollback_of = test_distribute_queue(f, false, 0);
	assert_int_equal(distribute_queue(f->st, NULL, f->ids, 2, &o,
	    "tester", &job, &cause), 0);
	assert_int_equal(distribute_job_get(f->st, job, &j, &cause), 0);
	assert_null(j.data);
	assert_int_equal(j.opts.rollback_of, o.rollback_of);
	distribute_job_clear(&j);
}

/* Results: sorted by printer then key, filtered, replaced, counted. */
static void
test_distribute_results(void **state)
{
	struct fixture *f = *state;
	struct distribute_result *v;
	size_t n, counts[DISTRIBUTE_NOUTCOMES];
	char *cause = NULL;
	int64_t job = test_distribute_queue(f, false, 0);

	test_distribute_put(f, job, 1, "device.location",
	    DISTRIBUTE_WOULD_CHANGE, "a", "b", false);
	test_distribute_put(f, job, 0, "power.sleep.timer_min",
	    DISTRIBUTE_REJECTED, "15", "42", false);
	test_distribute_put(f, job, 0, "device.location", DISTRIBUTE_APPLIED,
	    "a", "b", false);
	test_distribute_put(f, job, 0, "snmp.v3.auth_password",
	    DISTRIBUTE_APPLIED, "old-secret", "new-secret", true);
	/* Recorded again: replaced, not added. */
	test_distribute_put(f, job, 1, "device.location", DISTRIBUTE_APPLIED,
	    "a", "b", false);
	assert_int_equal(distribute_results(f->st, job, NULL, &v, &n, &cause),
	    0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].printer_name, "p-0001");
	assert_string_equal(v[0].key, "device.location");
	assert_string_equal(v[1].key, "power.sleep.timer_min");
	assert_int_equal(v[1].outcome, DISTRIBUTE_REJECTED);
	assert_string_equal(v[1].reason, "noAccess");
	assert_string_equal(v[2].key, "snmp.v3.auth_password");
	assert_true(v[2].secret);
	assert_null(v[2].old_value);
	assert_null(v[2].new_value);
	assert_string_equal(v[3].printer_name, "p-0002");
	assert_int_equal(v[3].outcome, DISTRIBUTE_APPLIED);
	assert_int_equal(v[3].printer_id, f->ids[1]);
	distribute_results_free(&v, n);
	assert_null(v);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "distribute_results WHERE old_value LIKE '%secret%' OR new_value "
	    "LIKE '%secret%'"), 0);
	assert_int_equal(distribute_results(f->st, job, "p-0002", &v, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	distribute_results_free(&v, n);
	assert_int_equal(distribute_counts(f->st, job, counts, &cause), 0);
	assert_int_equal(counts[DISTRIBUTE_APPLIED], 3);
	assert_int_equal(counts[DISTRIBUTE_REJECTED], 1);
	assert_int_equal(counts[DISTRIBUTE_WOULD_CHANGE], 0);
	assert_int_equal(counts[DISTRIBUTE_FAILED], 0);
}

/* Retry: the printers that failed or had a setting rejected or failed. */
static void
test_distribute_retry(void **state)
{
	struct fixture *f = *state;
	struct job_info ji;
	char *cause = NULL, sql[160];
	int64_t job = test_distribute_queue(f, false, 0), again;

	snprintf(sql, sizeof sql, "UPDATE job_targets SET state = 'done' "
	    "WHERE job_id = %lld", (long long)job);
	assert_int_equal(store_exec(f->st, sql, &cause), 0);
	test_distribute_put(f, job, 0, "device.location", DISTRIBUTE_APPLIED,
	    "a", "b", false);
	test_distribute_put(f, job, 1, "device.location", DISTRIBUTE_UNCHANGED,
	    "b", "b", false);
	test_distribute_put(f, job, 2, "device.location", DISTRIBUTE_APPLIED,
	    "a", "b", false);
	assert_int_equal(distribute_retry(f->st, job, "tester", &again,
	    &cause), 0);
	assert_int_equal(again, 0);
	test_distribute_put(f, job, 0, "power.sleep.timer_min",
	    DISTRIBUTE_REJECTED, "15", "42", false);
	snprintf(sql, sizeof sql, "UPDATE job_targets SET state = 'failed' "
	    "WHERE job_id = %lld AND printer_name = 'p-0003'", (long long)job);
	assert_int_equal(store_exec(f->st, sql, &cause), 0);
	assert_int_equal(distribute_retry(f->st, job, "tester", &again,
	    &cause), 0);
	assert_true(again > job);
	assert_int_equal(job_get(f->st, again, &ji, &cause), 0);
	assert_string_equal(ji.kind, JOB_KIND_DISTRIBUTE);
	assert_int_equal(ji.total, 2);
	job_info_clear(&ji);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM job_targets WHERE "
	    "job_id = %lld AND printer_name IN ('p-0001', 'p-0003')",
	    (long long)again);
	assert_int_equal(testutil_int(f->st, sql), 2);
	/* Not a distribution: refused. */
	assert_int_equal(job_submit(f->st, "check", NULL, f->ids, 1, "tester",
	    &job, &cause), 0);
	assert_int_equal(distribute_retry(f->st, job, "tester", &again,
	    &cause), -1);
	assert_non_null(strstr(cause, "not a distribution"));
	free(cause);
}

/* Bounds: defaults, set, refused out of range; outcome names. */
static void
test_distribute_limits(void **state)
{
	struct fixture *f = *state;
	unsigned conc, rate, c = 4, r = 10, zero = 0;
	enum distribute_outcome o;
	char *cause = NULL;
	int i;

	assert_int_equal(distribute_limits_get(f->st, &conc, &rate, &cause), 0);
	assert_int_equal(conc, DISTRIBUTE_CONCURRENCY_DEFAULT);
	assert_int_equal(rate, 0);
	assert_int_equal(distribute_limits_set(f->st, &c, &r, "tester",
	    &cause), 0);
	assert_int_equal(distribute_limits_get(f->st, &conc, &rate, &cause), 0);
	assert_int_equal(conc, 4);
	assert_int_equal(rate, 10);
	assert_int_equal(distribute_limits_set(f->st, &zero, NULL, "tester",
	    &cause), -1);
	free(cause);
	assert_int_equal(distribute_limits_get(f->st, &conc, &rate, &cause), 0);
	assert_int_equal(conc, 4);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM audit "
	    "WHERE action = 'config set'"), 2);
	for (i = 0; i < DISTRIBUTE_NOUTCOMES; i++) {
		assert_int_equal(distribute_outcome_parse(
		    distribute_outcome_name((enum distribute_outcome)i), &o), 0);
		assert_int_equal(o, i);
	}
	assert_int_equal(distribute_outcome_parse("bogus", &o), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_distribute_unknown,
		    test_distribute_setup, test_distribute_teardown),
		cmocka_unit_test_setup_teardown(test_distribute_params,
		    test_distribute_setup, test_distribute_teardown),
		cmocka_unit_test_setup_teardown(test_distribute_results,
		    test_distribute_setup, test_distribute_teardown),
		cmocka_unit_test_setup_teardown(test_distribute_retry,
		    test_distribute_setup, test_distribute_teardown),
		cmocka_unit_test_setup_teardown(test_distribute_limits,
		    test_distribute_setup, test_distribute_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
