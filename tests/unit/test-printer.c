/* Printers: names, addresses, add/remove, import and TARGETS resolution. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "printer-import.h"
#include "printer.h"
#include "targets.h"
#include "testutil.h"
#include "xmalloc.h"

struct fixture {
	char		*dir;
	struct store	*st;
};

static int
test_printer_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);

	fx->dir = testutil_tmpdir();
	fx->st = testutil_store(fx->dir, "q.db");
	*state = fx;
	return 0;
}

static int
test_printer_teardown(void **state)
{
	struct fixture *fx = *state;

	store_free(&fx->st);
	testutil_rmrf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

static void
test_printer_address_ok(const char *in, const char *host, unsigned port)
{
	char *h = NULL, *cause = NULL;
	unsigned p;

	if (printer_parse_address(in, &h, &p, &cause) != 0)
		fail_msg("%s: %s", in, cause);
	assert_string_equal(h, host);
	assert_int_equal(p, port);
	free(h);
}

static void
test_printer_address_bad(const char *in, const char *want)
{
	char *h = NULL, *cause = NULL;
	unsigned p;

	assert_int_equal(printer_parse_address(in, &h, &p, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
}

static void
test_printer_addresses(void **state)
{
	test_printer_address_ok("127.0.0.1", "127.0.0.1", 161);
	test_printer_address_ok("127.0.0.5:1161", "127.0.0.5", 1161);
	test_printer_address_ok("::1", "::1", 161);
	test_printer_address_ok("[::1]:1162", "::1", 1162);
	test_printer_address_ok("printer-3.lab.example", "printer-3.lab.example",
	    161);
	test_printer_address_bad("127.0.0.1:0", "invalid port '0': 1 to 65535");
	test_printer_address_bad("127.0.0.1:70000",
	    "invalid port '70000': 1 to 65535");
	test_printer_address_bad("[::1", "invalid address '[::1': no ']'");
	test_printer_address_bad("bad host", "invalid address 'bad host'");
	test_printer_address_bad("", "invalid address ''");
}

static void
test_printer_names(void **state)
{
	char *cause = NULL;

	assert_int_equal(printer_check_name("lab-01.a_b", &cause), 0);
	assert_int_equal(printer_check_name("-x", &cause), -1);
	free(cause);
	assert_int_equal(printer_check_name("a/b", &cause), -1);
	assert_string_equal(cause, "invalid printer name 'a/b': only letters, "
	    "digits, '.', '_' and '-'");
	free(cause);
}

static void
test_printer_add_remove(void **state)
{
	struct fixture *fx = *state;
	struct printer_set *set;
	char *cause = NULL;
	int64_t id, id2;

	assert_int_equal(printer_add(fx->st, "b-1", "127.0.0.1", 1161, "lab",
	    &id, &cause), 0);
	assert_int_equal(printer_add(fx->st, "a-1", "::1", 161, NULL, &id2,
	    &cause), 0);
	assert_int_equal(printer_add(fx->st, "b-1", "127.0.0.2", 161, NULL,
	    NULL, &cause), -1);
	assert_string_equal(cause, "a printer named 'b-1' already exists");
	free(cause);
	assert_int_equal(printer_load_all(fx->st, &set, &cause), 0);
	assert_int_equal(set->n, 2);
	assert_string_equal(set->v[0].name, "a-1");
	assert_null(set->v[0].group);
	assert_string_equal(set->v[1].group, "lab");
	assert_int_equal(set->v[1].port, 1161);
	assert_int_equal(set->v[1].state, PRINTER_UNKNOWN);
	printer_set_free(&set);
	assert_int_equal(printer_remove(fx->st, &id, 1, &cause), 0);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM printers"),
	    1);
}

static char *
test_printer_file(struct fixture *fx, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", fx->dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
test_printer_import(void **state)
{
	struct fixture *fx = *state;
	struct printer_import_result res;
	char *csv, *yaml, *cause = NULL;

	csv = test_printer_file(fx, "fleet.csv", "name,address,group\n"
	    "lab-01,127.0.0.1:1161,lab\n\"lab-02\",\"127.0.0.2\",\n");
	assert_int_equal(printer_import_file(fx->st, csv, false, &res, &cause),
	    0);
	assert_int_equal(res.added, 2);
	/* The ids of the printers added, for the check they get. */
	assert_int_equal(res.nchanged, 2);
	assert_int_equal(res.changed[0], testutil_int(fx->st,
	    "SELECT id FROM printers WHERE name = 'lab-01'"));
	printer_import_result_clear(&res);
	yaml = test_printer_file(fx, "fleet.yaml", "printers:\n"
	    "  - name: lab-01\n    address: 127.0.0.1:1161\n    group: lab\n"
	    "  - name: lab-02\n    address: 127.0.0.9\n"
	    "  - name: lab-03\n    address: '[::1]:1163'\n    group: lab\n");
	assert_int_equal(printer_import_file(fx->st, yaml, true, &res, &cause),
	    0);
	assert_int_equal(res.added, 1);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.unchanged, 1);
	/* A dry run wrote nothing, and names no printer to check. */
	assert_int_equal(res.nchanged, 0);
	assert_null(res.changed);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM printers"),
	    2);
	assert_int_equal(printer_import_file(fx->st, yaml, false, &res, &cause),
	    0);
	assert_int_equal(testutil_int(fx->st, "SELECT port FROM printers "
	    "WHERE name = 'lab-03'"), 1163);
	/* lab-02 moved and lab-03 is new; lab-01 is unchanged. */
	assert_int_equal(res.nchanged, 2);
	assert_int_equal(res.changed[0], testutil_int(fx->st,
	    "SELECT id FROM printers WHERE name = 'lab-02'"));
	assert_int_equal(res.changed[1], testutil_int(fx->st,
	    "SELECT id FROM printers WHERE name = 'lab-03'"));
	printer_import_result_clear(&res);
	free(csv);
	free(yaml);
}

static void
test_printer_import_errors(void **state)
{
	struct fixture *fx = *state;
	struct printer_import_result res;
	char *csv, *yaml, *cause = NULL, *want;

	csv = test_printer_file(fx, "bad.csv", "ok-1,127.0.0.1\n"
	    "bad/name,127.0.0.1\nok-2\nok-3,127.0.0.1:99999\nok-1,127.0.0.3\n");
	assert_int_equal(printer_import_file(fx->st, csv, false, &res, &cause),
	    -1);
	want = xasprintf("%s:3: expected name,address[,group] but found 1 "
	    "field(s)", csv);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	/* Every row error at once, each with its line. */
	free(csv);
	csv = test_printer_file(fx, "bad2.csv", "ok-1,127.0.0.1\n"
	    "bad/name,127.0.0.1\nok-3,127.0.0.1:99999\nok-1,127.0.0.3\n");
	assert_int_equal(printer_import_file(fx->st, csv, false, &res, &cause),
	    -1);
	assert_non_null(strstr(cause, "bad2.csv:2: invalid printer name"));
	assert_non_null(strstr(cause, "bad2.csv:3: invalid port '99999'"));
	assert_non_null(strstr(cause, "bad2.csv:4: printer 'ok-1' is already "
	    "on line 1"));
	free(cause);
	yaml = test_printer_file(fx, "bad.yaml", "printers:\n  - name: x\n"
	    "    address: [1, 2\n");
	assert_int_equal(printer_import_file(fx->st, yaml, false, &res, &cause),
	    -1);
	assert_non_null(strstr(cause, "bad.yaml:4: "));
	free(cause);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM printers"),
	    0);
	free(csv);
	free(yaml);
}

static void
test_printer_resolve(struct fixture *fx, const char *const *args, size_t n,
    size_t want)
{
	int64_t *ids = NULL;
	size_t nids;
	char *cause = NULL;

	if (targets_resolve(fx->st, (char *const *)args, n, &ids, &nids,
	    &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(nids, want);
	free(ids);
}

static void
test_printer_targets(void **state)
{
	struct fixture *fx = *state;
	const char *a1[] = { "all" }, *a2[] = { "lab-*" },
	    *a3[] = { "group:site-b" }, *a4[] = { "lab-01", "lab-0?", "all" },
	    *a5[] = { "model:Laser*" }, *a6[] = { "nope-*" }, *a7[2];
	char *cause = NULL, *file;
	int64_t *ids, id;
	size_t n;

	assert_int_equal(printer_add(fx->st, "lab-01", "127.0.0.1", 161, "site-a",
	    &id, &cause), 0);
	assert_int_equal(printer_add(fx->st, "lab-02", "127.0.0.1", 161, "site-b",
	    NULL, &cause), 0);
	assert_int_equal(printer_add(fx->st, "hall-1", "127.0.0.1", 161,
	    "site-b", NULL, &cause), 0);
	assert_int_equal(store_exec(fx->st, "UPDATE printers SET model = "
	    "'LaserJet 4' WHERE name = 'hall-1'", &cause), 0);
	test_printer_resolve(fx, a1, 1, 3);
	test_printer_resolve(fx, a2, 1, 2);
	test_printer_resolve(fx, a3, 1, 2);
	test_printer_resolve(fx, a4, 3, 3);
	test_printer_resolve(fx, a5, 1, 1);
	assert_int_equal(targets_resolve(fx->st, (char *const *)a6, 1, &ids, &n,
	    &cause), -1);
	assert_string_equal(cause, "no printer matches 'nope-*'");
	free(cause);
	file = test_printer_file(fx, "t.txt", "# targets\nlab-01\n\n"
	    "group:site-b  # two\nghost\n");
	a7[0] = xasprintf("@%s", file);
	assert_int_equal(targets_resolve(fx->st, (char *const *)a7, 1, &ids, &n,
	    &cause), -1);
	assert_non_null(strstr(cause, "t.txt:5: no printer matches 'ghost'"));
	free(cause);
	free((char *)a7[0]);
	free(file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printer_addresses),
		cmocka_unit_test(test_printer_names),
		cmocka_unit_test_setup_teardown(test_printer_add_remove,
		    test_printer_setup, test_printer_teardown),
		cmocka_unit_test_setup_teardown(test_printer_import,
		    test_printer_setup, test_printer_teardown),
		cmocka_unit_test_setup_teardown(test_printer_import_errors,
		    test_printer_setup, test_printer_teardown),
		cmocka_unit_test_setup_teardown(test_printer_targets,
		    test_printer_setup, test_printer_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
