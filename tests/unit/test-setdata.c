/*
 * Setting data: parsing with every problem at its line and column, the
 * writer's round trip (lists, hostile strings), secrets left out or
 * encrypted with a passphrase, the store, and malformed YAML that must
 * never crash (run under ASan by the asan build).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "catalog.h"
#include "setdata.h"
#include "store.h"
#include "testutil.h"
#include "vault.h"
#include "xmalloc.h"

struct fixture {
	struct catalog	*cat;
	char		*dir;
};

static int
test_setdata_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	const char *src = getenv("top_srcdir");
	char *dir, *cause = NULL;

	dir = xasprintf("%s/data/catalog", src != NULL ? src : QUIRE_SRCDIR);
	if (catalog_load_dir(dir, &fx->cat, &cause) != 0)
		fail_msg("catalog: %s", cause);
	free(dir);
	fx->dir = testutil_tmpdir();
	*state = fx;
	return 0;
}

static int
test_setdata_teardown(void **state)
{
	struct fixture *fx = *state;

	catalog_free(&fx->cat);
	testutil_rmrf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* Parse TEXT as "t.yaml"; the errors joined with newlines into *ERRS. */
static int
test_setdata_parse(struct fixture *fx, const char *text, const char *pass,
    struct setdata **out, char **errs)
{
	struct setdata_errors e = { NULL, 0 };
	size_t i, len = 1;
	int rc;

	rc = setdata_parse(fx->cat, "t.yaml", text, strlen(text), pass, out,
	    &e);
	for (i = 0; i < e.n; i++)
		len += strlen(e.msgs[i]) + 1;
	*errs = xcalloc(1, len);
	for (i = 0; i < e.n; i++) {
		strcat(*errs, e.msgs[i]);
		strcat(*errs, "\n");
	}
	assert_int_equal(rc, e.n == 0 ? 0 : -1);
	setdata_errors_clear(&e);
	return rc;
}

static const char *
test_setdata_get(const struct setdata *sd, const char *key)
{
	size_t i;

	for (i = 0; i < setdata_count(sd); i++) {
		if (strcmp(setdata_key_at(sd, i), key) == 0)
			return setdata_value_at(sd, i);
	}
	return NULL;
}

static void
test_setdata_good(void **state)
{
	static const char text[] =
	    "quire: setting-data/1\n"
	    "name: office\n"
	    "model: QX-*\n"
	    "settings:\n"
	    "  device.location: \"Floor 3, east\"\n"
	    "  snmp.v1.enable: false\n"
	    "  tls.min_version: \"1.2\"\n"
	    "  device.panel.timeout_s: 120\n"
	    "  network.dns.servers:\n"
	    "    - 192.0.2.1\n"
	    "    - \"192.0.2.2\"\n"
	    "  network.ipv4.mode: dhcp\n"
	    "  device.contact:\n"
	    "  snmp.community.read: public-ro\n";
	struct setdata *sd = NULL;
	char *errs;

	assert_int_equal(test_setdata_parse(*state, text, NULL, &sd, &errs),
	    0);
	assert_string_equal(errs, "");
	assert_non_null(sd);
	assert_string_equal(setdata_name(sd), "office");
	assert_string_equal(setdata_model(sd), "QX-*");
	assert_int_equal(setdata_count(sd), 8);
	assert_string_equal(setdata_key_at(sd, 0), "device.location");
	assert_string_equal(setdata_value_at(sd, 0), "Floor 3, east");
	assert_string_equal(test_setdata_get(sd, "snmp.v1.enable"), "false");
	assert_string_equal(test_setdata_get(sd, "network.dns.servers"),
	    "192.0.2.1,192.0.2.2");
	assert_string_equal(test_setdata_get(sd, "device.contact"), "");
	/* A secret in clear is taken on import, and marked secret. */
	assert_true(setdata_secret_at(sd, 7));
	assert_false(setdata_secret_at(sd, 0));
	assert_int_equal(setdata_nsecrets(sd), 1);
	free(errs);
	setdata_free(&sd);
	assert_null(sd);
}

/* Every problem at once, each at its line and column. */
static void
test_setdata_errors(void **state)
{
	static const char text[] =
	    "quire: setting-data/1\n"			/* 1 */
	    "settings:\n"				/* 2 */
	    "  device.location: ok\n"			/* 3 */
	    "  no.such.key: 1\n"			/* 4 */
	    "  snmp.v1.enable: maybe\n"			/* 5 */
	    "  device.panel.timeout_s: 5\n"		/* 6 */
	    "  device.location: again\n"		/* 7 */
	    "  network.dns.servers: 192.0.2.1\n"	/* 8 */
	    "  device.contact: [a, b]\n"		/* 9 */
	    "  device.name: {a: b}\n"			/* 10 */
	    "  network.ipv4.mode: static\n"		/* 11 */
	    "  network.dns.servers:\n"			/* 12 */
	    "    - 192.0.2.1\n"				/* 13 */
	    "owner: me\n"				/* 14 */
	    "  \n";
	static const char want[] =
	    "t.yaml:4:3: unknown setting no.such.key\n"
	    "t.yaml:5:19: snmp.v1.enable: expected true or false\n"
	    "t.yaml:6:27: device.panel.timeout_s: out of range 10..900\n"
	    "t.yaml:7:3: duplicate key device.location (first on line 3)\n"
	    "t.yaml:8:24: network.dns.servers: wrong type: expected a list "
	    "(a YAML sequence, [] when empty)\n"
	    "t.yaml:9:19: device.contact: wrong type: expected a single "
	    "value, not a list\n"
	    "t.yaml:10:16: device.name: wrong type: expected a value, not a "
	    "mapping\n"
	    "t.yaml:12:3: duplicate key network.dns.servers (first on line "
	    "8)\n"
	    "t.yaml:14:1: unknown key owner (setting data has quire, name, "
	    "model and settings)\n";
	struct setdata *sd = NULL;
	char *errs;

	assert_int_equal(test_setdata_parse(*state, text, NULL, &sd, &errs),
	    -1);
	assert_string_equal(errs, want);
	/* The good entries are kept. */
	assert_non_null(sd);
	assert_int_equal(setdata_count(sd), 2);
	assert_string_equal(test_setdata_get(sd, "device.location"), "ok");
	assert_string_equal(test_setdata_get(sd, "network.ipv4.mode"),
	    "static");
	free(errs);
	setdata_free(&sd);
}

/* Text that is not setting data: no set at all, and why. */
static void
test_setdata_not_setdata(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "", "t.yaml:1:1: empty" },
		{ "- a\n- b\n", "t.yaml:1:1: not a mapping" },
		{ "name: x\nsettings: {}\n", "t.yaml:1:1: not setting data: "
		  "no 'quire: setting-data/1'" },
		{ "quire: setting-data/2\nsettings: {}\n", "t.yaml:1:8: wrong "
		  "format tag 'quire: setting-data/2'" },
		{ "quire: setting-data/1\nsettings:\n  a: \"open\n",
		  "t.yaml:4:1: not valid YAML" },
		{ "quire: setting-data/1\n---\nquire: setting-data/1\n",
		  "t.yaml:2:1: more than one document" },
		{ "quire: setting-data/1\nsettings: {}\n\tx: 1\n",
		  "not valid YAML" },
	};
	struct setdata *sd;
	char *errs;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sd = (struct setdata *)1;
		assert_int_equal(test_setdata_parse(*state, cases[i].text,
		    NULL, &sd, &errs), -1);
		if (strstr(errs, cases[i].want) == NULL)
			fail_msg("case %zu: %s lacks %s", i, errs,
			    cases[i].want);
		assert_null(sd);
		free(errs);
	}
}

/* Aliases, anchors, tags and NUL bytes are refused, not followed. */
static void
test_setdata_refused(void **state)
{
	static const char text[] =
	    "quire: setting-data/1\n"
	    "settings:\n"
	    "  device.location: &a here\n"
	    "  device.contact: *a\n"
	    "  device.name: !!str tagged\n"
	    "  device.asset_number: \"nul\\0byte\"\n"
	    "  device.operator: fine\n";
	struct setdata *sd = NULL;
	char *errs;

	assert_int_equal(test_setdata_parse(*state, text, NULL, &sd, &errs),
	    -1);
	assert_string_equal(errs,
	    "t.yaml:3:20: anchors are not allowed in setting data\n"
	    "t.yaml:4:19: aliases are not allowed in setting data\n"
	    "t.yaml:5:16: unexpected tag (only !encrypted is known)\n"
	    "t.yaml:6:24: a NUL character is not allowed in a value\n");
	assert_int_equal(setdata_count(sd), 1);
	free(errs);
	setdata_free(&sd);
}

/* Write SD to DIR/NAME with PASS and read the file back into *TEXT. */
static char *
test_setdata_write(struct fixture *fx, const struct setdata *sd,
    const char *name, const char *pass)
{
	char *path = xasprintf("%s/%s", fx->dir, name), *cause = NULL, *text;
	struct stat sb;
	FILE *f;
	long len;

	if (setdata_write_file(sd, fx->cat, path, pass, &cause) != 0)
		fail_msg("write: %s", cause);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_non_null(f = fopen(path, "r"));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = xcalloc(1, (size_t)len + 1);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	free(path);
	return text;
}

/* Strings that must stay strings and stay whole through the writer. */
static const char *const test_setdata_hostile[] = {
	"a \"quoted\" word", "back\\slash", "key: value", "# not a comment",
	"x # y", "- item", "[a, b]", "{a: b}", "&anchor", "*alias", "!tag",
	"%YAML", "@x", "`x`", "true", "null", "~", "0x1F", "1e3", "  lead",
	"trail  ", "'single'", "|", ">", "\xc3\xa9t\xc3\xa9 \xe2\x82\xac",
	"a,b", "", "---", "...",
};

static void
test_setdata_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct setdata *sd = setdata_new("trip", "QX-4200"), *back = NULL;
	const struct catalog_setting *s;
	char *text, *errs, *again;
	size_t i, n = sizeof test_setdata_hostile /
	    sizeof test_setdata_hostile[0];
	char key[64];

	/* The printer defaults category has enough strings? Use device.*,
	 * and the list with items of every shape. */
	setdata_add(sd, "network.dns.servers", "192.0.2.1,2001:db8::1", false);
	setdata_add(sd, "snmp.trap.enable", "true", false);
	setdata_add(sd, "device.panel.timeout_s", "900", false);
	setdata_add(sd, "tls.min_version", "1.3", false);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "device.%s", i % 2 ? "location" :
		    "contact");
		setdata_add(sd, key, test_setdata_hostile[i], false);
		text = test_setdata_write(fx, sd, "trip.yaml", NULL);
		if (test_setdata_parse(fx, text, NULL, &back, &errs) != 0)
			fail_msg("'%s': %s\n%s", test_setdata_hostile[i], errs,
			    text);
		assert_string_equal(test_setdata_get(back, key),
		    test_setdata_hostile[i]);
		assert_int_equal(setdata_count(back), 6 - (i == 0));
		free(errs);
		setdata_free(&back);
		free(text);
	}
	assert_int_equal(test_setdata_parse(fx, text = test_setdata_write(fx,
	    sd, "a.yaml", NULL), NULL, &back, &errs), 0);
	assert_string_equal(test_setdata_get(back, "network.dns.servers"),
	    "192.0.2.1,2001:db8::1");
	assert_string_equal(setdata_name(back), "trip");
	assert_string_equal(setdata_model(back), "QX-4200");
	/* Written again, the file is the same byte for byte. */
	again = test_setdata_write(fx, back, "b.yaml", NULL);
	assert_string_equal(text, again);
	/* Each setting has its comment: title, type and default. */
	s = catalog_setting_find(fx->cat, "device.panel.timeout_s");
	assert_non_null(strstr(text, catalog_setting_title(s)));
	assert_non_null(strstr(text, "int 10..900; default 60\n"));
	free(text);
	free(again);
	free(errs);
	setdata_free(&back);
	setdata_free(&sd);
}

/* Bytes that are not UTF-8 cannot be YAML: left out, saying so. */
static void
test_setdata_invalid_utf8(void **state)
{
	struct fixture *fx = *state;
	struct setdata *sd = setdata_new("bad", NULL), *back;
	char *text, *errs;

	setdata_add(sd, "device.location", "\xff\xfe invalid", false);
	setdata_add(sd, "device.contact", "fine", false);
	text = test_setdata_write(fx, sd, "bad.yaml", NULL);
	assert_non_null(strstr(text, "# device.location: left out: not "
	    "valid UTF-8\n"));
	assert_int_equal(test_setdata_parse(fx, text, NULL, &back, &errs), 0);
	assert_int_equal(setdata_count(back), 1);
	free(errs);
	free(text);
	setdata_free(&back);
	setdata_free(&sd);
}

/* Control bytes cannot pass the catalog, but never break the file. */
static void
test_setdata_control_bytes(void **state)
{
	static const char *const bad[] = {
		"line\nbreak", "cr\rhere", "esc \x1b[2J", "tab\tx", "del\x7f",
		"c1 \xc2\x85", "bell\a", "\xe2\x80\xa8",
	};
	struct fixture *fx = *state;
	struct setdata *sd, *back;
	char *text, *errs;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sd = setdata_new("ctl", NULL);
		setdata_add(sd, "device.name", "before", false);
		setdata_add(sd, "device.location", bad[i], false);
		setdata_add(sd, "device.contact", "after", false);
		text = test_setdata_write(fx, sd, "ctl.yaml", NULL);
		assert_null(strchr(text, '\x1b'));
		assert_null(strchr(text, '\r'));
		test_setdata_parse(fx, text, NULL, &back, &errs);
		/* At most the one value is refused; its neighbours read back. */
		assert_non_null(back);
		assert_string_equal(test_setdata_get(back, "device.name"),
		    "before");
		assert_string_equal(test_setdata_get(back, "device.contact"),
		    "after");
		if (*errs != '\0') {
			assert_non_null(strstr(errs, "device.location: "));
			assert_null(strchr(strchr(errs, '\n') + 1, '\n'));
		} else
			assert_string_equal(test_setdata_get(back,
			    "device.location"), bad[i]);
		free(errs);
		free(text);
		setdata_free(&back);
		setdata_free(&sd);
	}
}

static void
test_setdata_secrets(void **state)
{
	static const char clear[] = "Pl41n-Community";
	struct fixture *fx = *state;
	struct setdata *sd = setdata_new("sec", NULL), *back;
	char *text, *errs, *moved, *p;

	setdata_add(sd, "device.location", "here", false);
	setdata_add(sd, "snmp.community.read", clear, true);
	setdata_add(sd, "snmp.v3.auth_password", "auth-pass-123", true);
	/* No passphrase: left out, a comment names each. */
	text = test_setdata_write(fx, sd, "out.yaml", NULL);
	assert_null(strstr(text, clear));
	assert_non_null(strstr(text, "# snmp.community.read: left out"));
	assert_int_equal(test_setdata_parse(fx, text, NULL, &back, &errs), 0);
	assert_int_equal(setdata_count(back), 1);
	free(errs);
	free(text);
	setdata_free(&back);
	/* A passphrase: encrypted, and back with the same one. */
	text = test_setdata_write(fx, sd, "enc.yaml", "export-pass-1");
	assert_null(strstr(text, clear));
	assert_non_null(strstr(text, "snmp.community.read: !encrypted "
	    "\"scrypt:N="));
	assert_int_equal(test_setdata_parse(fx, text, "export-pass-1", &back,
	    &errs), 0);
	assert_string_equal(test_setdata_get(back, "snmp.community.read"),
	    clear);
	assert_string_equal(test_setdata_get(back, "snmp.v3.auth_password"),
	    "auth-pass-123");
	assert_true(setdata_secret_at(back, 1));
	free(errs);
	setdata_free(&back);
	/* A wrong passphrase, and none: clear errors, the rest is kept. */
	assert_int_equal(test_setdata_parse(fx, text, "wrong-pass", &back,
	    &errs), -1);
	assert_non_null(strstr(errs, "snmp.community.read: cannot decrypt: "
	    "wrong passphrase"));
	assert_int_equal(setdata_count(back), 1);
	free(errs);
	setdata_free(&back);
	assert_int_equal(test_setdata_parse(fx, text, NULL, &back, &errs), -1);
	assert_non_null(strstr(errs, "no passphrase was given"));
	free(errs);
	setdata_free(&back);
	/* A blob moved to another secret's key does not open. */
	p = strstr(text, "snmp.community.read: !");
	moved = xasprintf("%.*ssnmp.community.write%s", (int)(p - text), text,
	    p + strlen("snmp.community.read"));
	assert_int_equal(test_setdata_parse(fx, moved, "export-pass-1", &back,
	    &errs), -1);
	if (strstr(errs, "snmp.community.write: cannot decrypt") == NULL)
		fail_msg("%s", errs);
	free(errs);
	free(moved);
	setdata_free(&back);
	free(text);
	setdata_free(&sd);
}

/* The bytes of PATH contain NEEDLE (a file that does not exist: no). */
static bool
test_setdata_file_has(const char *path, const char *needle)
{
	size_t n = strlen(needle), len = 0, got;
	char *buf = NULL;
	bool found = false;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return false;
	buf = xmalloc(1 << 20);
	while ((got = fread(buf + len, 1, (1 << 20) - len, f)) > 0)
		len += got;
	fclose(f);
	for (got = 0; !found && got + n <= len; got++)
		found = memcmp(buf + got, needle, n) == 0;
	free(buf);
	return found;
}

static void
test_setdata_store(void **state)
{
	struct fixture *fx = *state;
	struct vault_source src = { NULL, NULL, NULL };
	struct setdata *sd = setdata_new(NULL, "QX-*"), *back = NULL;
	struct setdata_info *list = NULL, in;
	struct store *st = testutil_store(fx->dir, "q.db");
	struct vault *v = NULL;
	char *cause = NULL, *db, *wal, *keypath;
	size_t n = 0;

	keypath = xasprintf("%s/vault.key", fx->dir);
	src.key_path = keypath;
	db = xasprintf("%s/q.db", fx->dir);
	wal = xasprintf("%s/q.db-wal", fx->dir);
	assert_int_equal(vault_open(st, &src, &v, &cause), 0);
	setdata_add(sd, "device.location", "Clear-Location-Marker", false);
	setdata_add(sd, "snmp.community.read", "Sealed-Secret-Marker", true);
	setdata_add(sd, "snmp.community.write", NULL, true);
	assert_int_equal(setdata_store_add(st, v, sd, "office", "t.yaml",
	    "tester", false, &cause), 0);
	/* The positive control finds the clear value; never the secret. */
	assert_true(test_setdata_file_has(db, "Clear-Location-Marker") ||
	    test_setdata_file_has(wal, "Clear-Location-Marker"));
	assert_false(test_setdata_file_has(db, "Sealed-Secret-Marker"));
	assert_false(test_setdata_file_has(wal, "Sealed-Secret-Marker"));
	/* A name is registered once, unless replaced. */
	assert_int_equal(setdata_store_add(st, v, sd, "office", NULL, "tester",
	    false, &cause), -1);
	assert_string_equal(cause, "setting data office exists already");
	free(cause);
	assert_int_equal(setdata_store_add(st, v, sd, "office", "backup 7",
	    "tester", true, &cause), 0);
	assert_int_equal(setdata_store_list(st, &list, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "office");
	assert_string_equal(list[0].source, "backup 7");
	assert_int_equal(list[0].nsettings, 2);
	assert_int_equal(list[0].nsecrets, 1);
	setdata_infos_free(&list, n);
	/* Without the vault the secret stays sealed; with it, it opens. */
	assert_int_equal(setdata_store_get(st, NULL, "office", &back, &cause),
	    0);
	assert_true(setdata_secret_at(back, 1));
	assert_null(setdata_value_at(back, 1));
	setdata_free(&back);
	assert_int_equal(setdata_store_get(st, v, "office", &back, &cause), 0);
	assert_string_equal(setdata_value_at(back, 1), "Sealed-Secret-Marker");
	assert_string_equal(setdata_model(back), "QX-*");
	setdata_free(&back);
	/* A new vault passphrase re-seals it with the credentials. */
	assert_int_equal(vault_change(st, &v, "new-vault-pass", &src, &cause),
	    0);
	assert_int_equal(setdata_store_get(st, v, "office", &back, &cause), 0);
	assert_string_equal(setdata_value_at(back, 1), "Sealed-Secret-Marker");
	setdata_free(&back);
	assert_int_equal(setdata_store_remove(st, "office", "tester", &cause),
	    0);
	assert_int_equal(setdata_store_find(st, "office", &in, &cause), -1);
	assert_string_equal(cause, "no setting data office");
	free(cause);
	assert_int_equal(testutil_int(st, "SELECT count(*) FROM "
	    "setting_data_entries"), 0);
	assert_int_equal(setdata_store_add(st, v, sd, "bad name!", NULL,
	    "tester", false, &cause), -1);
	free(cause);
	vault_free(&v);
	store_free(&st);
	setdata_free(&sd);
	free(keypath);
	free(db);
	free(wal);
}

/* Malformed YAML of every kind: errors, never a crash or a leak. */
static void
test_setdata_fuzz(void **state)
{
	static const char seed[] =
	    "quire: setting-data/1\nname: \"x\"\nmodel: any\nsettings:\n"
	    "  device.location: \"a \\\"b\\\" \\x1b\"\n"
	    "  network.dns.servers:\n    - 192.0.2.1\n    - \"::1\"\n"
	    "  snmp.v1.enable: false\n  device.panel.timeout_s: 60\n"
	    "  snmp.community.read: !encrypted \"scrypt:N=16,r=1,p=1:"
	    "00112233445566778899aabbccddeeff:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAA\"\n";
	static const char noise[] = ":-[]{}#&*!|>'\"%@`,? \n\t\\~.0\x00\xff";
	static const char *const nasty[] = {
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		"quire: setting-data/1\nsettings: &a {x: *a}\n",
		"quire: setting-data/1\nsettings:\n  ? [a, b]\n  : c\n",
		"%YAML 1.1\n%TAG ! tag:x,2000:\n---\nquire: setting-data/1\n",
		"\xef\xbb\xbfquire: setting-data/1\n", "quire: !encrypted x\n",
		"quire: setting-data/1\nsettings:\n  snmp.community.read: "
		"!encrypted \"scrypt:N=1099511627776,r=32,p=16:00:AAAA\"\n",
		"quire: setting-data/1\nsettings:\n  snmp.community.read: "
		"!encrypted \"::::\"\n", "{", "\"", "*", "&", "!", "---\n---\n",
	};
	struct setdata *sd;
	char *buf, *errs;
	size_t i, j, len, at;

	for (i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
		test_setdata_parse(*state, nasty[i], "pass", &sd, &errs);
		free(errs);
		setdata_free(&sd);
	}
	srand(4711);
	buf = xmalloc(sizeof seed + 64);
	for (i = 0; i < 3000; i++) {
		len = sizeof seed - 1;
		memcpy(buf, seed, len);
		for (j = 0; j < 1 + (size_t)rand() % 4; j++) {
			at = (size_t)rand() % len;
			if (rand() % 3 == 0 && len < sizeof seed + 60) {
				memmove(buf + at + 1, buf + at, len - at);
				len++;
			}
			buf[at] = noise[(size_t)rand() % (sizeof noise - 1)];
		}
		if (rand() % 8 == 0)
			len = (size_t)rand() % len;
		buf[len] = '\0';
		test_setdata_parse(*state, buf, i % 2 ? "pass" : NULL, &sd,
		    &errs);
		free(errs);
		setdata_free(&sd);
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setdata_good),
		cmocka_unit_test(test_setdata_errors),
		cmocka_unit_test(test_setdata_not_setdata),
		cmocka_unit_test(test_setdata_refused),
		cmocka_unit_test(test_setdata_round_trip),
		cmocka_unit_test(test_setdata_control_bytes),
		cmocka_unit_test(test_setdata_invalid_utf8),
		cmocka_unit_test(test_setdata_secrets),
		cmocka_unit_test(test_setdata_store),
		cmocka_unit_test(test_setdata_fuzz),
	};

	return cmocka_run_group_tests(tests, test_setdata_setup,
	    test_setdata_teardown);
}
