/*
 * quire-sim's management shell on in-memory files, over the real core: a
 * small fleet and its state in a scratch directory. Usage errors, YAML
 * errors with line:column, payload bounds, per-setting import results,
 * policy, certificates (PEM and PKCS#12) and reboot.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "catalog.h"
#include "paths.h"
#include "sim-shell-yaml.h"
#include "sim-shell.h"
#include "sim.h"
#include "testutil.h"
#include "xmalloc.h"

struct test_sim {
	char			*dir;
	struct catalog		*catalog;
	struct sim_fleet	*fleet;
	struct sim_printer	*p;
};

static const char test_sim_fleet[] =
    "quire-sim: fleet/1\n"
    "models:\n"
    "  - name: QX-4200\n"
    "    descr: \"Quire QX-4200\"\n"
    "    sys_object_id: 1.3.6.1.4.1.32473.2.1\n"
    "    firmware: \"4.2.3\"\n"
    "printers:\n"
    "  - name: unit-1\n"
    "    model: QX-4200\n"
    "    site: lab\n"
    "    logins:\n"
    "      - { kind: user, user: admin, password: pw }\n"
    "    policy_password: pol-1\n"
    "    faults: { locked: [device.contact], reboot_ms: 60000 }\n";

static int
test_sim_setup(void **state)
{
	struct test_sim *t = xcalloc(1, sizeof *t);
	struct sim_options opts = { .addressing = SIM_ADDR_AUTO_PORTS,
	    .addressing_set = true };
	char *data = paths_data_dir(), *catdir, *path, *st, *cause = NULL;
	FILE *f;

	t->dir = testutil_tmpdir();
	catdir = xasprintf("%s/catalog", data);
	if (catalog_load_dir(catdir, &t->catalog, &cause) != 0)
		fail_msg("%s", cause);
	path = xasprintf("%s/fleet.yaml", t->dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(test_sim_fleet, f);
	assert_int_equal(fclose(f), 0);
	if (sim_fleet_load(path, t->catalog, &opts, &t->fleet, &cause) != 0)
		fail_msg("%s", cause);
	st = xasprintf("%s/state", t->dir);
	if (sim_fleet_open_state(t->fleet, st, &cause) != 0)
		fail_msg("%s", cause);
	assert_non_null(t->p = sim_fleet_find(t->fleet, "unit-1"));
	free(st);
	free(path);
	free(catdir);
	free(data);
	*state = t;
	return 0;
}

static int
test_sim_teardown(void **state)
{
	struct test_sim *t = *state;

	sim_fleet_free(&t->fleet);
	catalog_free(&t->catalog);
	testutil_rmrf(t->dir);
	free(t->dir);
	free(t);
	return 0;
}

/* An unlinked temporary file holding LEN bytes of DATA, at offset 0. */
static FILE *
test_sim_file(const char *data, size_t len)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fflush(f), 0);
	rewind(f);
	return f;
}

static char *
test_sim_slurp(FILE *f)
{
	long len;
	char *buf;

	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = xcalloc(1, (size_t)len + 1);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

/* Run COMMAND with IN (LEN bytes) on stdin; the output into *OUT, *ERR. */
static int
test_sim_runn(struct test_sim *t, const char *command, const char *in,
    size_t len, char **out, char **err)
{
	FILE *fi = test_sim_file(in, len), *fo = tmpfile(), *fe = tmpfile();
	int rc;

	assert_non_null(fo);
	assert_non_null(fe);
	rc = sim_shell_run(t->fleet, t->p, command, fileno(fi), fileno(fo),
	    fileno(fe));
	fclose(fi);
	*out = test_sim_slurp(fo);
	*err = test_sim_slurp(fe);
	return rc;
}

static int
test_sim_run(struct test_sim *t, const char *command, const char *in,
    char **out, char **err)
{
	return test_sim_runn(t, command, in, strlen(in), out, err);
}

/* Expect status RC, and NEEDLE in stdout (or stderr when RC != 0). */
static void
test_sim_expect(struct test_sim *t, const char *command, const char *in,
    int rc, const char *needle)
{
	char *out, *err;
	int got = test_sim_run(t, command, in, &out, &err);

	if (got != rc || strstr(rc == 0 ? out : err, needle) == NULL)
		fail_msg("%s: status %d (want %d)\nstdout:\n%s\nstderr:\n%s\n"
		    "want: %s", command, got, rc, out, err, needle);
	free(out);
	free(err);
}

static void
test_sim_shell_usage(void **state)
{
	struct test_sim *t = *state;

	test_sim_expect(t, "frobnicate", "", 2, "unknown command");
	test_sim_expect(t, "", "", 2, "no command");
	test_sim_expect(t, "settings", "", 2, "subcommand is missing");
	test_sim_expect(t, "settings frob", "", 2, "unknown subcommand");
	test_sim_expect(t, "settings get", "", 2, "usage: settings get");
	test_sim_expect(t, "device info extra", "", 2, "usage: device info");
	test_sim_expect(t, "cert csr 'a b", "", 2, "unterminated quote");
	test_sim_expect(t, "help\x1b[2J", "", 2, "control characters");
	test_sim_expect(t, "help", "", 0, "  - settings get KEY...\n");
}

static void
test_sim_shell_yaml_errors(void **state)
{
	struct test_sim *t = *state;

	test_sim_expect(t, "settings import",
	    "quire: setting-data/1\nsettings:\n  a: [b\n", 1, "stdin:4:1: ");
	test_sim_expect(t, "settings import",
	    "quire: setting-data/1\nsettings: [1]\n", 1,
	    "stdin:2:11: settings: expected a mapping");
	test_sim_expect(t, "settings import", "name: x\nsettings: {}\n", 1,
	    "stdin:1:1: not setting data");
	test_sim_expect(t, "settings import", "quire: other/2\n", 1,
	    "stdin:1:1: not setting-data/1");
	test_sim_expect(t, "settings import",
	    "quire: setting-data/1\nsettings:\n  a: &x 1\n  b: *x\n", 1,
	    "stdin:3:6: anchors and tags not allowed");
	test_sim_expect(t, "settings import",
	    "quire: setting-data/1\nsettings:\n  a: {b: 1}\n", 1,
	    "stdin:3:6: expected a value or a list");
	test_sim_expect(t, "settings import", "", 1, "empty payload");
	test_sim_expect(t, "settings import", "\xff\xfe", 1, "stdin:");
}

static void
test_sim_shell_payload_max(void **state)
{
	struct test_sim *t = *state;
	size_t len = SIM_SHELL_PAYLOAD_MAX + 1;
	char *big = xmalloc(len), *out, *err;

	memset(big, '#', len);
	assert_int_equal(test_sim_runn(t, "settings import", big, len, &out,
	    &err), 1);
	assert_non_null(strstr(err, "larger than 1048576 bytes"));
	free(out);
	free(err);
	/* At the bound it is read (a comment only: not setting data). */
	assert_int_equal(test_sim_runn(t, "settings import", big, len - 1,
	    &out, &err), 1);
	assert_non_null(strstr(err, "empty payload"));
	free(out);
	free(err);
	free(big);
}

static void
test_sim_shell_import(void **state)
{
	struct test_sim *t = *state;
	char *out, *err;

	assert_int_equal(test_sim_run(t, "settings import",
	    "quire: setting-data/1\n"
	    "settings:\n"
	    "  device.location: \"Floor 3: east # 2\"\n"
	    "  protocols.raw.port: 08\n"
	    "  protocols.ftp.enable: Yes\n"
	    "  network.ipv4.mode: DHCP\n"
	    "  network.dns.servers: [10.0.0.1, \" 10.0.0.2\"]\n"
	    "  network.mtu: 99999\n"
	    "  device.contact: someone\n"
	    "  protocols.lpd.enable: true\n"
	    "  no.such.key: 1\n"
	    "  power.sleep.enable: [true]\n"
	    "  network.mtu: 1400\n", &out, &err), 1);
	assert_string_equal(out, "results:\n"
	    "  - key: device.location\n    result: applied\n"
	    "  - key: protocols.raw.port\n    result: corrected\n"
	    "    value: 8\n"
	    "  - key: protocols.ftp.enable\n    result: corrected\n"
	    "    value: true\n"
	    "  - key: network.ipv4.mode\n    result: corrected\n"
	    "    value: dhcp\n"
	    "  - key: network.dns.servers\n    result: corrected\n"
	    "    value:\n      - \"10.0.0.1\"\n      - \"10.0.0.2\"\n"
	    "  - key: network.mtu\n    result: rejected\n"
	    "    reason: out of range 576..1500\n"
	    "  - key: device.contact\n    result: rejected\n"
	    "    reason: locked by policy\n"
	    "  - key: protocols.lpd.enable\n    result: unchanged\n"
	    "  - key: no.such.key\n    result: unsupported\n"
	    "    reason: unknown setting\n"
	    "  - key: power.sleep.enable\n    result: rejected\n"
	    "    reason: \"expected a single value, not a list\"\n"
	    "  - key: network.mtu\n    result: rejected\n"
	    "    reason: duplicate key\n");
	assert_non_null(strstr(err, "rejected"));
	free(out);
	free(err);
	test_sim_expect(t, "settings get device.location protocols.raw.port "
	    "network.dns.servers", "", 0,
	    "device.location: \"Floor 3: east # 2\"\nprotocols.raw.port: 8\n"
	    "network.dns.servers:\n  - \"10.0.0.1\"\n  - \"10.0.0.2\"\n");
	test_sim_expect(t, "settings import",
	    "quire: setting-data/1\nsettings:\n  device.location: x\n", 0,
	    "result: applied");
}

static void
test_sim_shell_export(void **state)
{
	struct test_sim *t = *state;
	const char *want;
	char *out, *err;

	assert_int_equal(test_sim_run(t, "settings export", "", &out, &err),
	    0);
	want = "quire: setting-data/1\nname: unit-1\nmodel: QX-4200\n"
	    "settings:\n  device.name: unit-1\n";
	assert_true(strncmp(out, want, strlen(want)) == 0);
	assert_non_null(strstr(out, "\n  protocols.raw.port: 9100\n"));
	assert_non_null(strstr(out, "\n  tls.min_version: \"1.2\"\n"));
	assert_null(strstr(out, "snmp.community"));
	free(out);
	free(err);
	assert_int_equal(test_sim_run(t, "settings export tls power tls", "",
	    &out, &err), 0);
	assert_null(strstr(out, "device.name"));
	assert_non_null(strstr(out, "tls.min_version"));
	assert_non_null(strstr(out, "power.sleep.enable"));
	free(out);
	free(err);
	test_sim_expect(t, "settings export nosuch", "", 1, "no such category");
	test_sim_expect(t, "settings get snmp.community.read", "", 1,
	    "a secret is never shown");
}

static void
test_sim_shell_policy(void **state)
{
	struct test_sim *t = *state;
	const char *data = "quire: setting-data/1\nsettings:\n"
	    "  security.usb.enable: false\n";

	test_sim_expect(t, "policy show", "", 0,
	    "policy:\n  password_set: true\n  applied: 0\nsettings:\n"
	    "  security.");
	test_sim_expect(t, "policy apply", "wrong\n", 1, "wrong policy password");
	/* All or nothing: a setting outside the policy spoils it. */
	test_sim_expect(t, "policy apply", "pol-1\nquire: setting-data/1\n"
	    "settings:\n  security.usb.enable: false\n  device.location: y\n",
	    1, "the policy was not applied");
	test_sim_expect(t, "settings get security.usb.enable", "", 0,
	    "security.usb.enable: true\n");
	test_sim_expect(t, "policy apply", "pol-1\nname: x\n", 1,
	    "stdin (after the password line):1:1: not setting data");
	test_sim_expect(t, "policy apply", "pol-1\n", 1, "empty payload");
	test_sim_expect(t, "policy passwd", "pol-1\npol-2", 0,
	    "password_set: true");
	test_sim_expect(t, "policy apply", "pol-2\n", 1, "empty payload");
	{
		char *in = xasprintf("pol-2\r\n%s", data);

		test_sim_expect(t, "policy apply", in, 0,
		    "  - key: security.usb.enable\n    result: applied\n"
		    "applied: 1\n");
		free(in);
	}
	test_sim_expect(t, "settings get security.usb.enable", "", 0,
	    "security.usb.enable: false\n");
	test_sim_expect(t, "policy show", "", 0, "  applied: 1\n");
}

/* The certificate and key in use, as PKCS#12 with password PASS. */
static char *
test_sim_p12(struct test_sim *t, const char *pass, size_t *len)
{
	char *cert_pem, *key_pem, *cause = NULL, *out;
	unsigned char *der = NULL;
	EVP_PKEY *key;
	PKCS12 *p12;
	X509 *x;
	BIO *b;
	int n;

	if (sim_cert_current(t->p, &cert_pem, &key_pem, &cause) != 0)
		fail_msg("%s", cause);
	assert_non_null(b = BIO_new_mem_buf(cert_pem, -1));
	assert_non_null(x = PEM_read_bio_X509(b, NULL, NULL, NULL));
	BIO_free(b);
	assert_non_null(b = BIO_new_mem_buf(key_pem, -1));
	assert_non_null(key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL));
	BIO_free(b);
	assert_non_null(p12 = PKCS12_create(pass, "unit", key, x, NULL, 0, 0,
	    0, 0, 0));
	assert_true((n = i2d_PKCS12(p12, &der)) > 0);
	out = xmalloc(strlen(pass) + 1 + (size_t)n);
	memcpy(out, pass, strlen(pass));
	out[strlen(pass)] = '\n';
	memcpy(out + strlen(pass) + 1, der, (size_t)n);
	*len = strlen(pass) + 1 + (size_t)n;
	OPENSSL_free(der);
	PKCS12_free(p12);
	EVP_PKEY_free(key);
	X509_free(x);
	free(cert_pem);
	free(key_pem);
	return out;
}

static void
test_sim_shell_cert(void **state)
{
	struct test_sim *t = *state;
	char *cert_pem, *key_pem, *cause = NULL, *pem, *p12, *out, *err;
	size_t len;

	test_sim_expect(t, "cert list", "", 0, "certificates:\n  -\n    name: ");
	test_sim_expect(t, "cert csr web \"/CN=unit-1.example/O=Lab\"", "", 0,
	    "-----BEGIN CERTIFICATE REQUEST-----");
	test_sim_expect(t, "cert show nosuch", "", 1, "no such certificate");
	test_sim_expect(t, "cert show ../x", "", 1, "a certificate name is");
	test_sim_expect(t, "cert import bad", "junk", 1, "no PEM certificate");
	if (sim_cert_current(t->p, &cert_pem, &key_pem, &cause) != 0)
		fail_msg("%s", cause);
	pem = xasprintf("%s%s", cert_pem, key_pem);
	test_sim_expect(t, "cert import copy", pem, 0, "sha256: \"");
	test_sim_expect(t, "cert show copy", "", 0, "private_key: true\n");
	test_sim_expect(t, "cert use copy", "", 0, "name: copy\nin_use: true\n");
	test_sim_expect(t, "cert delete copy", "", 1, "in use");
	p12 = test_sim_p12(t, "p12-pass", &len);
	assert_int_equal(test_sim_runn(t, "cert import fromp12 --p12", p12,
	    len, &out, &err), 0);
	assert_non_null(strstr(out, "name: fromp12\n"));
	free(out);
	free(err);
	p12[0] = 'X';	/* a wrong password */
	assert_int_equal(test_sim_runn(t, "cert import fromp12 --p12", p12,
	    len, &out, &err), 1);
	assert_non_null(strstr(err, "wrong password"));
	free(out);
	free(err);
	test_sim_expect(t, "cert import x --pem", "", 2, "usage: cert import");
	free(p12);
	free(pem);
	free(cert_pem);
	free(key_pem);
}

static void
test_sim_shell_device(void **state)
{
	struct test_sim *t = *state;

	test_sim_expect(t, "device info", "", 0,
	    "name: unit-1\nsite: lab\nmodel: QX-4200\nserial: ");
	test_sim_expect(t, "device info", "", 0, "firmware: \"4.2.3\"\n");
	test_sim_expect(t, "device reboot", "", 0,
	    "reboot: true\nunreachable_ms: 60000\n");
	assert_true(sim_printer_is_down(t->p));
	test_sim_expect(t, "device info", "", 1, "rebooting");
}

static void
test_sim_shell_scalars(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" }, { "", "\"\"" }, { "true", "\"true\"" },
		{ "Off", "\"Off\"" }, { "1.2", "\"1.2\"" }, { "0x1F", "\"0x1F\"" },
		{ "a: b", "\"a: b\"" }, { "#x", "\"#x\"" }, { "a #b", "\"a #b\"" },
		{ "Floor 3", "Floor 3" }, { "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "say \"hi\"", "say \"hi\"" }, { "\"q\"", "\"\\\"q\\\"\"" },
		{ "\x1b[2J", "\"\\u001b[2J\"" }, { "bad\xff", "\"bad\\xff\"" },
		{ "a\nb\\", "\"a\\nb\\\\\"" }, { "-1", "\"-1\"" },
		{ ".inf", "\".inf\"" }, { "x,y", "\"x,y\"" },
	};
	char *buf;
	size_t i, len;
	FILE *f;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_non_null(f = open_memstream(&buf, &len));
		sim_shell_yaml_scalar(f, cases[i].in);
		fclose(f);
		assert_string_equal(buf, cases[i].out);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_shell_scalars),
		cmocka_unit_test_setup_teardown(test_sim_shell_usage,
		    test_sim_setup, test_sim_teardown),
		cmocka_unit_test_setup_teardown(test_sim_shell_yaml_errors,
		    test_sim_setup, test_sim_teardown),
		cmocka_unit_test_setup_teardown(test_sim_shell_payload_max,
		    test_sim_setup, test_sim_teardown),
		cmocka_unit_test_setup_teardown(test_sim_shell_import,
		    test_sim_setup, test_sim_teardown),
		cmocka_unit_test_setup_teardown(test_sim_shell_export,
		    test_sim_setup, test_sim_teardown),
		cmocka_unit_test_setup_teardown(test_sim_shell_policy,
		    test_sim_setup, test_sim_teardown),
		cmocka_unit_test_setup_teardown(test_sim_shell_cert,
		    test_sim_setup, test_sim_teardown),
		cmocka_unit_test_setup_teardown(test_sim_shell_device,
		    test_sim_setup, test_sim_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
