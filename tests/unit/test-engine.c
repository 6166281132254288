/*
 * The engine against a real SQLite file, with engines in separate processes
 * the way operators run them: no target runs twice, a killed engine's
 * targets are taken over once its lease ends, cancel stops pending targets.
 */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine.h"
#include "job.h"
#include "store.h"
#include "testutil.h"
#include "xmalloc.h"

struct fixture {
	char		*dir;
	char		*path;
	struct store	*st;
};

/* How long each target of the test kinds takes, in ms. */
static unsigned test_engine_work_ms;

/* The test kind: record that this engine ran the target, then finish. */
static void
test_engine_count(struct engine_run *run, const struct engine_target *t,
    size_t n, void *arg)
{
	struct store *st = engine_run_store(run);
	sqlite3_stmt *stmt;
	size_t i;

	for (i = 0; i < n && !engine_run_cancelled(run, &t[i]); i++) {
		assert_int_equal(sqlite3_prepare_v2(store_db(st),
		    "INSERT INTO runs (target_id, owner, at) VALUES (?, ?, ?)",
		    -1, &stmt, NULL), SQLITE_OK);
		sqlite3_bind_int64(stmt, 1, t[i].target_id);
		sqlite3_bind_text(stmt, 2, (const char *)arg, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, store_now_ms());
		assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
		sqlite3_finalize(stmt);
		if (test_engine_work_ms > 0)
			testutil_sleep_ms(test_engine_work_ms);
		engine_run_finish(run, &t[i], true, "counted", NULL);
	}
}

/* A kind whose targets never finish: its engine is about to be killed. */
static void
test_engine_hang(struct engine_run *run, const struct engine_target *t,
    size_t n, void *arg)
{
	for (;;)
		pause();
}

static int
test_engine_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	char *cause = NULL;

	fx->dir = testutil_tmpdir();
	fx->path = xasprintf("%s/quire.db", fx->dir);
	fx->st = testutil_store(fx->dir, "quire.db");
	assert_int_equal(store_exec(fx->st, "CREATE TABLE runs (target_id "
	    "INTEGER, owner TEXT, at INTEGER)", &cause), 0);
	*state = fx;
	return 0;
}

static int
test_engine_teardown(void **state)
{
	struct fixture *fx = *state;

	store_free(&fx->st);
	testutil_rmrf(fx->dir);
	free(fx->dir);
	free(fx->path);
	free(fx);
	return 0;
}

static int64_t
test_engine_submit(struct fixture *fx, const char *kind, size_t n)
{
	int64_t *ids = xcalloc(n, sizeof *ids), job;
	char *cause = NULL;

	testutil_printers(fx->st, "p", n, 161, ids);
	if (job_submit(fx->st, kind, NULL, ids, n, "tester", &job, &cause) != 0)
		fail_msg("job_submit: %s", cause);
	free(ids);
	return job;
}

/* Wait (bounded, a hang guard) until JOB has finished. */
static void
test_engine_wait(struct store *st, int64_t job)
{
	char *cause = NULL;
	int finished = 0, i;

	for (i = 0; i < 6000 && !finished; i++) {
		assert_int_equal(job_is_finished(st, job, &finished, &cause), 0);
		if (!finished)
			testutil_sleep_ms(10);
	}
	assert_true(finished);
}

static struct engine *
test_engine_start(struct fixture *fx, const struct engine_kind *kind,
    unsigned workers, unsigned batch, unsigned lease_ms, const char *owner)
{
	struct engine_config cfg = { .db_path = fx->path, .workers = workers,
	    .batch = batch, .lease_ms = lease_ms, .poll_ms = 20,
	    .owner = owner };
	struct engine *eng = NULL;
	char *cause = NULL;

	if (engine_start(&cfg, &kind, 1, &eng, &cause) != 0)
		fail_msg("engine_start: %s", cause);
	return eng;
}

/* In a child process: run an engine until JOB finishes, then exit. */
static pid_t
test_engine_child(struct fixture *fx, int64_t job, const char *owner,
    unsigned lease_ms)
{
	struct engine_kind kind = { "count", test_engine_count, NULL };
	struct engine *eng;
	struct store *st;
	pid_t pid = fork();

	assert_true(pid != -1);
	if (pid != 0)
		return pid;
	kind.arg = (void *)owner;
	st = testutil_store(fx->dir, "quire.db");
	eng = test_engine_start(fx, &kind, 3, 4, lease_ms, owner);
	test_engine_wait(st, job);
	engine_stop(&eng);
	store_free(&st);
	_exit(0);
}

static void
test_engine_reap(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_engine_no_double_run(void **state)
{
	struct fixture *fx = *state;
	int64_t job = test_engine_submit(fx, "count", 400);
	pid_t a, b;

	test_engine_work_ms = 1;
	a = test_engine_child(fx, job, "engine-a", 30000);
	b = test_engine_child(fx, job, "engine-b", 30000);
	test_engine_reap(a);
	test_engine_reap(b);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM runs"), 400);
	assert_int_equal(testutil_int(fx->st,
	    "SELECT count(DISTINCT target_id) FROM runs"), 400);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM "
	    "job_targets WHERE state = 'done' AND attempts = 1"), 400);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM runs r "
	    "JOIN job_targets t ON t.id = r.target_id WHERE t.owner != r.owner"),
	    0);
	assert_int_equal(testutil_int(fx->st, "SELECT state = 'done' FROM jobs"),
	    1);
	print_message("runs by engine-a: %lld, engine-b: %lld\n",
	    (long long)testutil_int(fx->st, "SELECT count(*) FROM runs "
	    "WHERE owner = 'engine-a'"), (long long)testutil_int(fx->st,
	    "SELECT count(*) FROM runs WHERE owner = 'engine-b'"));
}

/* Targets slower than the lease: renewal must stop the other taking them. */
static void
test_engine_lease_renewed(void **state)
{
	struct fixture *fx = *state;
	int64_t job = test_engine_submit(fx, "count", 6);
	pid_t a, b;

	test_engine_work_ms = 700;
	a = test_engine_child(fx, job, "engine-a", 300);
	b = test_engine_child(fx, job, "engine-b", 300);
	test_engine_reap(a);
	test_engine_reap(b);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM runs"), 6);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM "
	    "job_targets WHERE state = 'done' AND attempts = 1"), 6);
}

static void
test_engine_killed_taken_over(void **state)
{
	struct fixture *fx = *state;
	struct engine_kind hang = { "work", test_engine_hang, NULL };
	struct engine_kind count = { "work", test_engine_count, "survivor" };
	int64_t job = test_engine_submit(fx, "work", 10);
	struct engine *eng;
	pid_t pid;
	int i, status;

	if ((pid = fork()) == 0) {
		eng = test_engine_start(fx, &hang, 1, 100, 500, "doomed");
		for (;;)
			pause();
	}
	for (i = 0; i < 500 && testutil_int(fx->st, "SELECT count(*) FROM "
	    "job_targets WHERE state = 'running' AND owner = 'doomed'") < 10;
	    i++)
		testutil_sleep_ms(10);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM "
	    "job_targets WHERE owner = 'doomed'"), 10);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);

	test_engine_work_ms = 0;
	eng = test_engine_start(fx, &count, 2, 4, 500, "survivor");
	test_engine_wait(fx->st, job);
	engine_stop(&eng);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM "
	    "job_targets WHERE state = 'done' AND owner = 'survivor' AND "
	    "attempts = 2"), 10);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM runs"), 10);
}

static void
test_engine_cancel(void **state)
{
	struct fixture *fx = *state;
	struct engine_kind count = { "count", test_engine_count, "solo" };
	int64_t job = test_engine_submit(fx, "count", 50);
	struct engine *eng;
	struct job_info ji;
	char *cause = NULL;
	int i;

	test_engine_work_ms = 20;
	eng = test_engine_start(fx, &count, 1, 1, 30000, "solo");
	for (i = 0; i < 500 && testutil_int(fx->st,
	    "SELECT count(*) FROM runs") == 0; i++)
		testutil_sleep_ms(5);
	assert_int_equal(job_cancel(fx->st, job, "tester", &cause), 0);
	test_engine_wait(fx->st, job);
	engine_stop(&eng);
	assert_int_equal(job_get(fx->st, job, &ji, &cause), 0);
	assert_int_equal(ji.state, JOB_CANCELLED);
	assert_true(ji.count[TARGET_CANCELLED] >= 40);
	assert_int_equal(ji.count[TARGET_DONE] + ji.count[TARGET_CANCELLED] +
	    ji.count[TARGET_FAILED], 50);
	/* Nothing that ended cancelled ever ran. */
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM runs r "
	    "JOIN job_targets t ON t.id = r.target_id WHERE t.state = "
	    "'cancelled'"), 0);
	assert_int_equal((size_t)testutil_int(fx->st,
	    "SELECT count(*) FROM runs"), ji.count[TARGET_DONE]);
	job_info_clear(&ji);
}

/* A target whose engines keep dying ends failed, not running forever. */
static void
test_engine_gives_up(void **state)
{
	struct fixture *fx = *state;
	struct engine_kind count = { "count", test_engine_count, "late" };
	int64_t job = test_engine_submit(fx, "count", 3);
	struct engine *eng;
	char *cause = NULL;

	assert_int_equal(store_exec(fx->st, "UPDATE job_targets SET state = "
	    "'running', owner = 'gone', attempts = 3, lease_until = 1 "
	    "WHERE printer_name = 'p-0001'", &cause), 0);
	eng = test_engine_start(fx, &count, 1, 8, 30000, "late");
	test_engine_wait(fx->st, job);
	engine_stop(&eng);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM job_targets "
	    "WHERE state = 'failed' AND reason LIKE 'abandoned%gone%'"), 1);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM job_targets "
	    "WHERE state = 'done'"), 2);
	assert_int_equal(testutil_int(fx->st, "SELECT state FROM jobs") ==
	    0, 1);
	assert_int_equal(testutil_int(fx->st, "SELECT state = 'failed' FROM "
	    "jobs"), 1);
}

/* The wake fd becomes readable when a target finishes. */
static void
test_engine_wakes(void **state)
{
	struct fixture *fx = *state;
	struct engine_kind count = { "count", test_engine_count, "w" };
	struct engine *eng;
	char c;
	int64_t job;

	test_engine_work_ms = 0;
	eng = test_engine_start(fx, &count, 1, 1, 30000, "w");
	assert_int_equal(read(engine_wake_fd(eng), &c, 1), -1);
	job = test_engine_submit(fx, "count", 1);
	engine_kick(eng);
	test_engine_wait(fx->st, job);
	assert_int_equal(read(engine_wake_fd(eng), &c, 1), 1);
	engine_stop(&eng);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_engine_no_double_run,
		    test_engine_setup, test_engine_teardown),
		cmocka_unit_test_setup_teardown(test_engine_lease_renewed,
		    test_engine_setup, test_engine_teardown),
		cmocka_unit_test_setup_teardown(test_engine_killed_taken_over,
		    test_engine_setup, test_engine_teardown),
		cmocka_unit_test_setup_teardown(test_engine_cancel,
		    test_engine_setup, test_engine_teardown),
		cmocka_unit_test_setup_teardown(test_engine_gives_up,
		    test_engine_setup, test_engine_teardown),
		cmocka_unit_test_setup_teardown(test_engine_wakes,
		    test_engine_setup, test_engine_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
