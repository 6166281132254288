/*
 * The settings catalog: the real data/catalog loads and has what operators
 * and the standard MIBs expect; broken files are refused with the exact
 * file:line:column of the offending node; values are checked by type.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "catalog.h"
#include "xmalloc.h"

struct test_catalog_fixture {
	struct catalog	*real;
	char		*dir;		/* scratch directory */
};

static char *
test_catalog_write(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	return path;
}

static int
test_catalog_setup(void **state)
{
	struct test_catalog_fixture *fx = xcalloc(1, sizeof *fx);
	const char *data = getenv("QUIRE_DATADIR");
	const char *tmp = getenv("TMPDIR");
	char *dir, *cause = NULL;

	if (data == NULL)
		fail_msg("QUIRE_DATADIR is not set (run through make check)");
	dir = xasprintf("%s/catalog", data);
	if (catalog_load_dir(dir, &fx->real, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
	fx->dir = xasprintf("%s/quire-test-catalog.XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	*state = fx;
	return 0;
}

static int
test_catalog_teardown(void **state)
{
	struct test_catalog_fixture *fx = *state;
	char *cmd = xasprintf("rm -rf '%s'", fx->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	catalog_free(&fx->real);
	assert_null(fx->real);
	free(fx->dir);
	free(fx);
	return 0;
}

static void
test_catalog_categories(void **state)
{
	static const char *const want[] = { "device", "network", "protocols",
	    "snmp", "tls", "security", "power", "printer" };
	struct test_catalog_fixture *fx = *state;
	const struct catalog_category *cat;
	size_t i, n;

	assert_int_equal(catalog_ncategories(fx->real), 8);
	for (i = 0; i < 8; i++) {
		cat = catalog_category_at(fx->real, i);
		assert_string_equal(catalog_category_name(cat), want[i]);
		assert_int_equal(catalog_category_number(cat), i + 1);
		assert_ptr_equal(catalog_category_find(fx->real, want[i]), cat);
		n = catalog_category_nsettings(cat);
		if (n < 5 || n > 15)
			fail_msg("%s has %zu settings", want[i], n);
		assert_null(catalog_category_setting_at(cat, n));
	}
	assert_null(catalog_category_at(fx->real, 8));
	assert_null(catalog_category_find(fx->real, "nope"));
}

static void
test_catalog_standard_oids(void **state)
{
	static const struct {
		const char	*oid;
		const char	*key;
	} want[] = {
		{ "1.3.6.1.2.1.1.4.0", "device.contact" },
		{ "1.3.6.1.2.1.1.5.0", "device.name" },
		{ "1.3.6.1.2.1.1.6.0", "device.location" },
		{ "1.3.6.1.2.1.43.5.1.1.4.1", "device.operator" },
		{ "1.3.6.1.2.1.43.5.1.1.5.1", "device.service_person" },
		{ "1.3.6.1.2.1.43.5.1.1.13.1", "device.panel.input" },
		{ "1.3.6.1.2.1.43.5.1.1.14.1", "printer.startup_page" },
		{ "1.3.6.1.2.1.43.5.1.1.15.1", "printer.banner_page" },
		{ "1.3.6.1.2.1.43.5.1.1.16.1", "device.printer_name" },
	};
	struct test_catalog_fixture *fx = *state;
	const struct catalog_setting *s;
	size_t i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		s = catalog_setting_find_oid(fx->real, want[i].oid);
		if (s == NULL)
			fail_msg("no setting at %s", want[i].oid);
		assert_string_equal(catalog_setting_key(s), want[i].key);
		assert_ptr_equal(catalog_setting_find(fx->real, want[i].key), s);
	}
	/* PresentOnOff and PrtConsoleDisableTC are on(3)/off(4). */
	s = catalog_setting_find(fx->real, "printer.startup_page");
	assert_int_equal(catalog_setting_nvalues(s), 2);
	assert_string_equal(catalog_setting_value_at(s, 0), "on");
	assert_int_equal(catalog_setting_code_at(s, 0), 3);
	assert_int_equal(catalog_setting_code_at(s, 1), 4);
	assert_null(catalog_setting_find_oid(fx->real, "1.3.6.1.2.1.1.1.0"));
}

/* Every vendor OID is 1.3.6.1.4.1.32473.1.<category>.<n>.0. */
static void
test_catalog_check_setting(const struct catalog_category *cat,
    const struct catalog_setting *s)
{
	const char *key = catalog_setting_key(s), *oid, *def;
	char *prefix, *rest, *cause = NULL;
	unsigned n;
	int end;

	assert_ptr_equal(catalog_setting_category(s), cat);
	prefix = xasprintf("%s.", catalog_category_name(cat));
	assert_true(strncmp(key, prefix, strlen(prefix)) == 0);
	free(prefix);
	assert_true(catalog_setting_oid(s) != NULL ||
	    catalog_setting_shell(s) != NULL);
	def = catalog_setting_default(s);
	if (catalog_setting_type(s) == CATALOG_SECRET) {
		assert_null(def);
		assert_true(catalog_setting_secret(s));
	} else if (catalog_check_value(s, def, &cause) != 0)
		fail_msg("%s: default: %s", key, cause);
	oid = catalog_setting_oid(s);
	if (oid == NULL || strncmp(oid, "1.3.6.1.4.1.", 12) != 0)
		return;
	prefix = xasprintf("1.3.6.1.4.1.32473.1.%u.",
	    catalog_category_number(cat));
	end = strncmp(oid, prefix, strlen(prefix)) == 0;
	oid += end ? strlen(prefix) : 0;
	n = (unsigned)strtoul(oid, &rest, 10);
	if (!end || n == 0 || *oid == '0' || strcmp(rest, ".0") != 0)
		fail_msg("%s: vendor OID %s is off the layout", key,
		    catalog_setting_oid(s));
	free(prefix);
}

static void
test_catalog_unique(void **state)
{
	struct test_catalog_fixture *fx = *state;
	const struct catalog_setting *all[256], *s;
	const struct catalog_category *cat;
	size_t i, j, n = 0;

	for (i = 0; i < catalog_ncategories(fx->real); i++) {
		cat = catalog_category_at(fx->real, i);
		for (j = 0; j < catalog_category_nsettings(cat); j++) {
			s = catalog_category_setting_at(cat, j);
			test_catalog_check_setting(cat, s);
			assert_true(n < 256);
			all[n++] = s;
		}
	}
	for (i = 0; i < n; i++) {
		assert_ptr_equal(catalog_setting_find(fx->real,
		    catalog_setting_key(all[i])), all[i]);
		for (j = i + 1; j < n; j++) {
			assert_string_not_equal(catalog_setting_key(all[i]),
			    catalog_setting_key(all[j]));
			if (catalog_setting_oid(all[i]) != NULL &&
			    catalog_setting_oid(all[j]) != NULL)
				assert_string_not_equal(
				    catalog_setting_oid(all[i]),
				    catalog_setting_oid(all[j]));
		}
	}
	assert_null(catalog_setting_find(fx->real, "network.nope"));
}

/* Settings an operator's standard will name, with their exact shape. */
static const struct {
	const char	*key;
	const char	*syntax;
	const char	*def;
} test_catalog_known[] = {
	{ "security.password.min_length", "int 0..32", "8" },
	{ "tls.min_version", "enum 1.0|1.1|1.2|1.3", "1.2" },
	{ "snmp.v1.enable", "bool", "true" },
	{ "protocols.ipp.enable", "bool", "true" },
	{ "network.ipv4.mode", "enum static|dhcp|bootp", "dhcp" },
	{ "network.ipv4.address", "ipv4", "0.0.0.0" },
	{ "network.ipv6.address", "ipv6[/len]", "::" },
	{ "network.dns.servers", "list of ip, max 3", "" },
	{ "security.ipfilter.allow", "list of ip[/len], max 16", "" },
	{ "power.sleep.timer_min", "int 1..240", "15" },
	{ "printer.default.duplex", "enum off|long-edge|short-edge",
	    "off" },
	{ "device.name", "string <=255", "" },
	{ "snmp.v3.auth_password", "secret 8..64", NULL },
};

static void
test_catalog_known_settings(void **state)
{
	struct test_catalog_fixture *fx = *state;
	size_t i, n = sizeof test_catalog_known / sizeof test_catalog_known[0];
	const struct catalog_setting *s;
	const char *def;
	char *syntax;

	for (i = 0; i < n; i++) {
		s = catalog_setting_find(fx->real, test_catalog_known[i].key);
		if (s == NULL)
			fail_msg("no %s", test_catalog_known[i].key);
		syntax = catalog_setting_syntax(s);
		assert_string_equal(syntax, test_catalog_known[i].syntax);
		free(syntax);
		if ((def = test_catalog_known[i].def) == NULL)
			assert_null(catalog_setting_default(s));
		else
			assert_string_equal(catalog_setting_default(s), def);
	}
	s = catalog_setting_find(fx->real, "snmp.community.read");
	assert_true(catalog_setting_secret(s));
	assert_null(catalog_setting_oid(s));
	assert_string_equal(catalog_setting_shell(s), "snmp.community.read");
	s = catalog_setting_find(fx->real, "network.ipv4.mode");
	assert_true(catalog_setting_restart(s));
	assert_int_equal(catalog_setting_code_at(s, 2), 3);
	assert_string_equal(catalog_type_name(CATALOG_LIST), "list");
	assert_string_equal(catalog_type_name((enum catalog_type)99), "?");
}

/* Values against real settings; CAUSE is NULL when the value is valid. */
static const struct {
	const char	*key;
	const char	*value;
	const char	*cause;
} test_catalog_cases[] = {
	{ "snmp.v1.enable", "false", NULL },
	{ "snmp.v1.enable", "yes", "expected true or false" },
	{ "security.password.min_length", "0", NULL },
	{ "security.password.min_length", "32", NULL },
	{ "security.password.min_length", "33", "out of range 0..32" },
	{ "security.password.min_length", "-1", "out of range 0..32" },
	{ "security.password.min_length", "08", "not an integer" },
	{ "security.password.min_length", "+8", "not an integer" },
	{ "security.password.min_length", "8 ", "not an integer" },
	{ "security.password.min_length", "", "not an integer" },
	{ "security.password.min_length", "99999999999999999999",
	    "not an integer" },
	{ "network.ipv4.mode", "static", NULL },
	{ "network.ipv4.mode", "Static",
	    "expected one of static|dhcp|bootp" },
	{ "device.name", "lab-printer-01", NULL },
	{ "device.name", "bad\x1b[2Jname",
	    "control characters or invalid UTF-8" },
	{ "device.name", "caf\xc3\xa9", NULL },
	{ "device.name", "caf\xe9", "control characters or invalid UTF-8" },
	{ "protocols.smb.workgroup", "0123456789abcdef",
	    "longer than 15 bytes" },
	{ "tls.certificate", "", "shorter than 1 bytes" },
	{ "snmp.v3.auth_password", "short", "shorter than 8 bytes" },
	{ "snmp.v3.auth_password", "long enough", NULL },
	{ "network.ipv4.address", "192.0.2.10", NULL },
	{ "network.ipv4.address", "2001:db8::1", "not an IPv4 address" },
	{ "network.ipv4.address", "192.0.2.256", "not an IPv4 address" },
	{ "network.ipv4.address", "192.0.2.1/24", "no /length allowed" },
	{ "network.ipv6.address", "2001:db8::10/64", NULL },
	{ "network.ipv6.address", "2001:db8::10/129",
	    "bad prefix length" },
	{ "network.ipv6.address", "192.0.2.1", "not an IPv6 address" },
	{ "network.hostname", "", NULL },
	{ "network.hostname", "prn-3f.example.com", NULL },
	{ "network.hostname", "192.0.2.7", NULL },
	{ "network.hostname", "-bad.example.com",
	    "not a host name or IP address" },
	{ "network.hostname", "a..b", "not a host name or IP address" },
	{ "network.hostname", "192.0.2.300",
	    "not a host name or IP address" },
	{ "network.dns.servers", "", NULL },
	{ "network.dns.servers", "192.0.2.53,2001:db8::53", NULL },
	{ "network.dns.servers", "192.0.2.53,,192.0.2.54",
	    "item 2: empty" },
	{ "network.dns.servers", "192.0.2.53,dns.example.com",
	    "item 2: not an IP address" },
	{ "network.dns.servers", "192.0.2.1,192.0.2.2,192.0.2.3,"
	    "192.0.2.4", "more than 3 items" },
	{ "security.ipfilter.allow", "192.0.2.0/24,2001:db8::/32", NULL },
	{ "security.ipfilter.allow", "192.0.2.0/33",
	    "item 1: bad prefix length" },
	{ "snmp.trap.destinations", "nms.example.com,192.0.2.162", NULL },
};

static void
test_catalog_values(void **state)
{
	struct test_catalog_fixture *fx = *state;
	const struct catalog_setting *s;
	size_t i, n = sizeof test_catalog_cases / sizeof test_catalog_cases[0];
	const char *key, *value, *want;
	char *cause;
	int rc;

	for (i = 0; i < n; i++) {
		key = test_catalog_cases[i].key;
		value = test_catalog_cases[i].value;
		want = test_catalog_cases[i].cause;
		s = catalog_setting_find(fx->real, key);
		assert_non_null(s);
		cause = NULL;
		rc = catalog_check_value(s, value, &cause);
		if (want == NULL && rc != 0)
			fail_msg("%s=%s: %s", key, value, cause);
		if (want != NULL && rc == 0)
			fail_msg("%s=%s accepted", key, value);
		if (want != NULL)
			assert_string_equal(cause, want);
		free(cause);
	}
}

/* A category with one good setting; lines 1-12. */
#define T_HEAD "name: network\ntitle: Network\nnumber: 2\nsettings:\n"
#define T_KEY "  - key: network.mtu\n"
#define T_TITLE "    title: MTU\n"
#define T_INT "    type: int\n    min: 576\n    max: 1500\n"
#define T_DEF "    default: 1500\n"
#define T_RESTART "    restart: true\n"
#define T_OID "    oid: 1.3.6.1.4.1.32473.1.2.13.0\n"
#define T_GOOD T_HEAD T_KEY T_TITLE T_INT T_DEF T_RESTART T_OID

/* In WANT, '@' stands for the file's path. */
static const struct {
	const char	*yaml;
	const char	*want;
} test_catalog_bad[] = {
	{ "", "@:1:1: empty file" },
	{ "# only a comment\n", "@:1:1: empty file" },
	{ "name: network\ntitle: [Network\nnumber: 2\n",
	    "@:3:7: did not find expected ',' or ']' (while parsing a flow "
	    "sequence at 2:8)" },
	{ "name: network\n  title: Network\n",
	    "@:2:8: mapping values are not allowed in this context" },
	{ "name: network\ntitle: \xff\n",
	    "@:2:8: invalid leading UTF-8 octet" },
	{ "- a\n- b\n",
	    "@:1:1: expected a mapping of name, title, number and settings" },
	{ "name: network\ntitle: Network\nsettings: []\n",
	    "@:1:1: missing field 'number'" },
	{ "name: network\ntitle: Network\nnumber: 2\nsettings: []\ncolor: x\n",
	    "@:5:1: unknown field 'color'" },
	{ "name: Net work\ntitle: Network\nnumber: 2\nsettings: []\n",
	    "@:1:7: malformed category name 'Net work'" },
	{ "name: network\ntitle: Network\nnumber: 0\nsettings: []\n",
	    "@:3:9: number: expected an integer from 1 to 255" },
	{ "name: network\ntitle: Network\nnumber: 2\nsettings: []\n",
	    "@:4:11: settings: empty" },
	{ "name: network\ntitle: Network\nnumber: 2\nsettings: x\n",
	    "@:4:11: settings: expected a list" },
	{ T_HEAD "  - just a string\n",
	    "@:5:5: expected a setting (a mapping)" },
	{ T_GOOD "    colour: red\n", "@:13:5: unknown field 'colour'" },
	{ T_GOOD "    title: Again\n", "@:13:5: duplicate field 'title'" },
	{ T_HEAD T_KEY T_TITLE T_DEF T_RESTART T_OID,
	    "@:5:5: missing field 'type'" },
	{ T_HEAD T_KEY "    title: {a: b}\n" T_INT T_DEF T_RESTART T_OID,
	    "@:6:12: title: expected a string" },
	{ T_HEAD T_KEY T_TITLE T_INT T_DEF "    restart: maybe\n" T_OID,
	    "@:11:14: restart: expected true or false" },
	{ T_HEAD T_KEY T_TITLE T_INT T_DEF T_OID,
	    "@:5:5: missing field 'restart'" },
	{ T_HEAD T_KEY T_TITLE "    type: integer\n" T_DEF T_RESTART T_OID,
	    "@:7:11: unknown type 'integer'" },
	{ T_HEAD T_KEY T_TITLE "    type: int\n    min: 10\n    max: 5\n" T_DEF
	    T_RESTART T_OID, "@:8:10: min 10 is greater than max 5" },
	{ T_HEAD T_KEY T_TITLE "    type: int\n    min: low\n    max: 5\n" T_DEF
	    T_RESTART T_OID,
	    "@:8:10: min: expected an integer from -2147483648 to 2147483647" },
	{ T_HEAD T_KEY T_TITLE "    type: int\n    max: 5\n" T_DEF T_RESTART
	    T_OID, "@:5:5: missing field 'min'" },
	{ T_HEAD T_KEY T_TITLE "    type: int\n    min: 0\n    max: 32\n"
	    "    default: 40\n" T_RESTART T_OID,
	    "@:10:14: bad default '40': out of range 0..32" },
	{ T_HEAD T_KEY T_TITLE T_INT T_DEF T_RESTART T_OID "    maxlen: 8\n",
	    "@:13:5: field 'maxlen' does not apply to type int" },
	{ T_HEAD T_KEY T_TITLE "    type: enum\n    values: []\n"
	    "    default: a\n" T_RESTART T_OID, "@:8:13: enum has no values" },
	{ T_HEAD T_KEY T_TITLE "    type: enum\n    values: [a, b, a]\n"
	    "    default: a\n" T_RESTART T_OID,
	    "@:8:20: duplicate enum value 'a'" },
	{ T_HEAD T_KEY T_TITLE "    type: enum\n    values: {on: 3, off: 3}\n"
	    "    default: \"on\"\n" T_RESTART T_OID,
	    "@:8:26: duplicate enum code 3" },
	{ T_HEAD T_KEY T_TITLE "    type: enum\n    values: [static, dhcp]\n"
	    "    default: auto\n" T_RESTART T_OID,
	    "@:9:14: bad default 'auto': expected one of static|dhcp" },
	{ T_HEAD T_KEY T_TITLE "    type: string\n" T_DEF T_RESTART T_OID,
	    "@:5:5: missing field 'maxlen'" },
	{ T_HEAD T_KEY T_TITLE "    type: secret\n    maxlen: 8\n" T_DEF
	    T_RESTART T_OID, "@:9:14: a secret has no default" },
	{ T_HEAD T_KEY T_TITLE "    type: secret\n    maxlen: 8\n"
	    "    secret: false\n" T_RESTART T_OID,
	    "@:9:13: type secret is always secret" },
	{ T_HEAD T_KEY T_TITLE "    type: list\n    max_items: 3\n"
	    "    default: []\n" T_RESTART T_OID, "@:5:5: missing field 'items'" },
	{ T_HEAD T_KEY T_TITLE "    type: list\n    items: ip\n    max_items: 3\n"
	    "    default: [192.0.2.1, bogus]\n" T_RESTART T_OID,
	    "@:10:14: bad default '192.0.2.1,bogus': item 2: not an IP "
	    "address" },
	{ T_HEAD T_KEY T_TITLE "    type: list\n    items: host\n"
	    "    max_items: 3\n    family: ipv4\n    default: []\n" T_RESTART
	    T_OID, "@:10:5: field 'family' does not apply to a list of host" },
	{ T_HEAD "  - key: net.mtu\n" T_TITLE T_INT T_DEF T_RESTART T_OID,
	    "@:5:10: key 'net.mtu' does not start with 'network.'" },
	{ T_HEAD "  - key: network\n" T_TITLE T_INT T_DEF T_RESTART T_OID,
	    "@:5:10: malformed key 'network'" },
	{ T_HEAD T_KEY T_TITLE T_INT T_DEF T_RESTART "    oid: 1.3.6..1.0\n",
	    "@:12:10: malformed OID '1.3.6..1.0'" },
	{ T_HEAD T_KEY T_TITLE T_INT T_DEF T_RESTART "    oid: .1.3.6.1\n",
	    "@:12:10: malformed OID '.1.3.6.1'" },
	{ T_HEAD T_KEY T_TITLE T_INT T_DEF T_RESTART
	    "    oid: 1.3.6.1.4.1.32473.1.3.1.0\n",
	    "@:12:10: OID 1.3.6.1.4.1.32473.1.3.1.0 is outside the category's "
	    "arc 1.3.6.1.4.1.32473.1.2" },
	{ T_HEAD T_KEY T_TITLE T_INT T_DEF T_RESTART,
	    "@:5:5: setting network.mtu has neither oid nor shell" },
	{ T_HEAD T_KEY T_TITLE T_INT T_DEF T_RESTART "    shell: \"a b\"\n",
	    "@:12:12: malformed shell key 'a b'" },
	{ T_GOOD T_KEY T_TITLE T_INT T_DEF T_RESTART
	    "    oid: 1.3.6.1.4.1.32473.1.2.14.0\n",
	    "@:13:10: duplicate setting key 'network.mtu' (first at @:5:10)" },
	{ T_GOOD "  - key: network.mtu2\n" T_TITLE T_INT T_DEF T_RESTART T_OID,
	    "@:20:10: duplicate OID 1.3.6.1.4.1.32473.1.2.13.0 (first used by "
	    "network.mtu at @:12:10)" },
	{ T_HEAD "  - &a\n    key: network.mtu\n  - *a\n",
	    "@:7:5: aliases are not supported" },
	{ T_GOOD "---\n" T_GOOD, "@:13:1: more than one document" },
	{ "name: [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]\n",
	    "@:1:22: nested more than 16 levels deep" },
	{ "name: \"net\\0work\"\n", "@:1:7: NUL character in a scalar" },
};

static void
test_catalog_refused(void **state)
{
	struct test_catalog_fixture *fx = *state;
	struct catalog *c;
	const char *paths[1], *p;
	char *path, *cause, *want;
	size_t i, j, n;

	for (i = 0; i < sizeof test_catalog_bad / sizeof test_catalog_bad[0];
	    i++) {
		path = test_catalog_write(fx->dir, "bad.yaml",
		    test_catalog_bad[i].yaml);
		/* Expand each '@' of the expected text into the path. */
		n = strlen(test_catalog_bad[i].want) + 1;
		want = xcalloc(1, n * (strlen(path) + 1));
		for (p = test_catalog_bad[i].want, j = 0; *p != '\0'; p++) {
			if (*p == '@') {
				strcpy(want + j, path);
				j += strlen(path);
			} else
				want[j++] = *p;
		}
		paths[0] = path;
		c = NULL;
		cause = NULL;
		if (catalog_load_files(paths, 1, &c, &cause) == 0)
			fail_msg("case %zu loaded", i);
		assert_null(c);
		if (strcmp(cause, want) != 0)
			fail_msg("case %zu:\n got: %s\nwant: %s", i, cause, want);
		free(cause);
		free(want);
		free(path);
	}
}

static void
test_catalog_good_snippet(void **state)
{
	struct test_catalog_fixture *fx = *state;
	char *path = test_catalog_write(fx->dir, "good.yaml", T_GOOD), *cause;
	const char *paths[1] = { path };
	const struct catalog_setting *s;
	struct catalog *c = NULL;

	if (catalog_load_files(paths, 1, &c, &cause) != 0)
		fail_msg("%s", cause);
	s = catalog_setting_find(c, "network.mtu");
	assert_non_null(s);
	assert_int_equal(catalog_setting_min(s), 576);
	assert_int_equal(catalog_setting_max(s), 1500);
	assert_false(catalog_setting_secret(s));
	assert_null(catalog_setting_shell(s));
	catalog_free(&c);
	catalog_free(&c);
	free(path);
}

/* Clashes between files name both places. */
static void
test_catalog_across_files(void **state)
{
	struct test_catalog_fixture *fx = *state;
	char *a, *b, *cause, *want;
	const char *paths[2];
	struct catalog *c = NULL;

	a = test_catalog_write(fx->dir, "a.yaml", T_GOOD);
	b = test_catalog_write(fx->dir, "b.yaml", T_GOOD);
	paths[0] = a;
	paths[1] = b;
	assert_int_equal(catalog_load_files(paths, 2, &c, &cause), -1);
	want = xasprintf("%s:1:7: duplicate category name 'network' (first in "
	    "%s:1:7)", b, a);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(b);
	b = test_catalog_write(fx->dir, "b.yaml", "name: snmp\ntitle: SNMP\n"
	    "number: 2\nsettings:\n  - key: snmp.x\n    title: X\n"
	    "    type: bool\n    default: true\n    restart: false\n"
	    "    shell: snmp.x\n");
	paths[1] = b;
	assert_int_equal(catalog_load_files(paths, 2, &c, &cause), -1);
	want = xasprintf("%s:3:9: duplicate category number 2 (first used by "
	    "network)", b);
	assert_string_equal(cause, want);
	assert_null(c);
	free(want);
	free(cause);
	free(a);
	free(b);
}

static void
test_catalog_dir(void **state)
{
	struct test_catalog_fixture *fx = *state;
	struct catalog *c = NULL;
	char *sub, *path, *cause, *want;

	sub = xasprintf("%s/d", fx->dir);
	assert_int_equal(catalog_load_dir(sub, &c, &cause), -1);
	want = xasprintf("%s: No such file or directory", sub);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	assert_int_equal(mkdir(sub, 0700), 0);
	free(test_catalog_write(sub, "README", "not yaml"));
	free(test_catalog_write(sub, ".hidden.yaml", "- broken"));
	assert_int_equal(catalog_load_dir(sub, &c, &cause), -1);
	want = xasprintf("%s: no *.yaml files", sub);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(test_catalog_write(sub, "2.yaml", "name: snmp\ntitle: SNMP\n"
	    "number: 4\nsettings:\n  - key: snmp.x\n    title: X\n"
	    "    type: bool\n    default: true\n    restart: false\n"
	    "    shell: snmp.x\n"));
	path = test_catalog_write(sub, "1.yaml", T_GOOD);
	if (catalog_load_dir(sub, &c, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(catalog_ncategories(c), 2);
	assert_string_equal(catalog_category_name(catalog_category_at(c, 0)),
	    "network");
	assert_non_null(catalog_setting_find(c, "snmp.x"));
	catalog_free(&c);
	free(path);
	free(sub);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_categories),
		cmocka_unit_test(test_catalog_standard_oids),
		cmocka_unit_test(test_catalog_unique),
		cmocka_unit_test(test_catalog_known_settings),
		cmocka_unit_test(test_catalog_values),
		cmocka_unit_test(test_catalog_good_snippet),
		cmocka_unit_test(test_catalog_refused),
		cmocka_unit_test(test_catalog_across_files),
		cmocka_unit_test(test_catalog_dir),
	};

	return cmocka_run_group_tests(tests, test_catalog_setup,
	    test_catalog_teardown);
}
