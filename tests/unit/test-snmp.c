/*
 * The SNMP transport against a real net-snmp snmpd, started by this test on
 * free loopback ports from a generated configuration and stopped by PID.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "snmp.h"
#include "test-snmp-agent.h"
#include "text.h"
#include "xmalloc.h"

#define TEST_SNMP_NAME		"quire-test-printer"
/* ESC [2J, BEL, a C1 CSI (U+009B) and a byte that is never UTF-8. */
#define TEST_SNMP_HOSTILE	"evil\033[2J\033]0;pwned\007\302\2331m\377end"
/* Printer-MIB objects that snmpd lacks, given with its "override". */
#define TEST_SNMP_PRINTER_INDEX	327681
#define TEST_SNMP_PRINTER_DESCR	"Quire \033[31mLaser\033[0m 9000"
#define TEST_SNMP_PRINTER_SN	"SN-\007-42"
#define TEST_SNMP_THREADS	8
#define TEST_SNMP_V3_NAME	"quire-v3-printer"
#define TEST_SNMP_V3_PLAIN	"quire-plain-agent"
#define TEST_SNMP_V3_FIRMWARE	"4.2.3"
#define TEST_SNMP_V3_SERIAL	"QSN-0001"
#define TEST_SNMP_V3_MODEL	"Quire Laser 9000"
#define TEST_SNMP_V3_NUSERS	7
#define TEST_SNMP_V3_SN		TEST_SNMP_V3_SERIAL
#define TEST_SNMP_V3_FW		TEST_SNMP_V3_FIRMWARE
#define TEST_SNMP_ROUNDS	5

/* The shared agent of the group (set up before any thread starts). */
static struct test_snmpd test_snmp_agent;

static void
test_snmp_target(struct snmp_target *t, const char *host, unsigned port,
    const char *community)
{
	memset(t, 0, sizeof *t);
	t->host = host;
	t->port = port;
	t->community = community;
	t->timeout_ms = 2000;
	t->retries = 2;
}

static int
test_snmp_group_setup(void **state)
{
	snmp_transport_init();
	snmp_transport_init();	/* idempotent */
	return test_snmpd_start(&test_snmp_agent, TEST_SNMP_NAME, NULL, 0);
}

static int
test_snmp_group_teardown(void **state)
{
	test_snmpd_stop(&test_snmp_agent);
	snmp_transport_shutdown();
	return 0;
}

static void
test_snmp_assert_identity(const struct snmp_identity *id)
{
	assert_non_null(id->sys_descr);
	assert_string_equal(id->sys_descr, TEST_SNMP_DESCR);
	assert_non_null(id->sys_name);
	assert_string_equal(id->sys_name, TEST_SNMP_NAME);
	assert_non_null(id->sys_object_id);
	assert_true(strncmp(id->sys_object_id, "1.3.6.1.4.1.8072.",
	    strlen("1.3.6.1.4.1.8072.")) == 0);
	/* snmpd has no printer among its devices. */
	assert_null(id->hr_device_descr);
	assert_null(id->serial);
}

static void
test_snmp_identify_ipv4(void **state)
{
	struct snmp_target t;
	struct snmp_identity id;
	char *cause = NULL;

	test_snmp_target(&t, "127.0.0.1", test_snmp_agent.port, "public");
	if (snmp_identify(&t, &id, &cause) != 0)
		fail_msg("identify: %s", cause);
	assert_null(cause);
	test_snmp_assert_identity(&id);
	snmp_identity_clear(&id);
	assert_null(id.sys_descr);
	assert_null(id.sys_object_id);
	assert_null(id.sys_name);
}

static void
test_snmp_identify_ipv6(void **state)
{
	struct snmp_target t;
	struct snmp_identity id;
	char *cause = NULL;

	if (test_snmp_agent.port6 == 0)
		skip();
	test_snmp_target(&t, "::1", test_snmp_agent.port6, "public");
	if (snmp_identify(&t, &id, &cause) != 0)
		fail_msg("identify [::1]: %s", cause);
	test_snmp_assert_identity(&id);
	snmp_identity_clear(&id);
}

static void
test_snmp_identify_hostname(void **state)
{
	struct snmp_target t;
	struct snmp_identity id;
	char *cause = NULL;

	/* /etc/hosts may give 127.0.0.1 or ::1: the agent listens on both. */
	if (test_snmp_agent.port6 == 0)
		skip();
	test_snmp_target(&t, "localhost", test_snmp_agent.port, "public");
	if (snmp_identify(&t, &id, &cause) != 0)
		fail_msg("identify localhost: %s", cause);
	test_snmp_assert_identity(&id);
	snmp_identity_clear(&id);
}

static void
test_snmp_wrong_community(void **state)
{
	struct snmp_target t;
	struct snmp_identity id;
	char *cause = NULL;

	test_snmp_target(&t, "127.0.0.1", test_snmp_agent.port,
	    "not-the-community");
	t.timeout_ms = 300;
	t.retries = 1;
	assert_int_equal(snmp_identify(&t, &id, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "wrong community"));
	assert_non_null(strstr(cause, "2 attempts of 300 ms"));
	assert_null(strstr(cause, "not-the-community"));
	assert_null(id.sys_descr);
	assert_null(id.sys_name);
	free(cause);
}

/* A bound socket that never answers: a dead printer. */
static void
test_snmp_blackhole(void **state)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	struct snmp_target t;
	struct snmp_identity id;
	char *cause = NULL;
	int fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(fd = socket(AF_INET, SOCK_DGRAM, 0), -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	test_snmp_target(&t, "127.0.0.1", ntohs(sin.sin_port), "public");
	t.timeout_ms = 200;
	t.retries = 1;
	assert_int_equal(snmp_identify(&t, &id, &cause), -1);
	close(fd);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "timeout after 2 attempts of 200 ms"));
	assert_null(id.sys_descr);
	free(cause);
}

static void
test_snmp_bad_targets(void **state)
{
	struct snmp_target t;
	struct snmp_identity id;
	char *cause = NULL;

	test_snmp_target(&t, "", 161, "public");
	assert_int_equal(snmp_identify(&t, &id, &cause), -1);
	assert_string_equal(cause, "no host given");
	xfree(&cause);
	test_snmp_target(&t, "127.0.0.1", 70000, "public");
	assert_int_equal(snmp_identify(&t, &id, &cause), -1);
	assert_string_equal(cause, "invalid port 70000");
	xfree(&cause);
	test_snmp_target(&t, "127.0.0.1", 161, NULL);
	assert_int_equal(snmp_identify(&t, &id, &cause), -1);
	assert_string_equal(cause, "no SNMP community given");
	xfree(&cause);
}

/*
 * A printer for snmpd: 20 other devices first (the walk takes more than one
 * GETBULK), then an hrDevicePrinter row with hostile Printer-MIB text.
 */
static char *
test_snmp_printer_conf(void)
{
	char *conf = xstrdup(""), *more;
	int i;

	for (i = 100; i < 120; i++) {
		more = xasprintf("%soverride .1.3.6.1.2.1.25.3.2.1.2.%d "
		    "object_id .1.3.6.1.2.1.25.3.1.1\n", conf, i);
		free(conf);
		conf = more;
	}
	more = xasprintf("%s"
	    "override .1.3.6.1.2.1.25.3.2.1.2.%d object_id "
	    ".1.3.6.1.2.1.25.3.1.5\n"
	    "override .1.3.6.1.2.1.25.3.2.1.3.%d octet_str \"%s\"\n"
	    "override .1.3.6.1.2.1.43.5.1.1.17.%d octet_str \"%s\"\n", conf,
	    TEST_SNMP_PRINTER_INDEX, TEST_SNMP_PRINTER_INDEX,
	    TEST_SNMP_PRINTER_DESCR, TEST_SNMP_PRINTER_INDEX,
	    TEST_SNMP_PRINTER_SN);
	free(conf);
	return more;
}

static int
test_snmp_hostile_setup(void **state)
{
	struct test_snmpd *d = xcalloc(1, sizeof *d);
	char *extra = test_snmp_printer_conf();
	int rc;

	rc = test_snmpd_start(d, TEST_SNMP_HOSTILE, extra, 0);
	free(extra);
	if (rc != 0) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int
test_snmp_hostile_teardown(void **state)
{
	struct test_snmpd *d = *state;

	test_snmpd_stop(d);
	free(d);
	return 0;
}

static void
test_snmp_assert_clean(const char *s)
{
	const unsigned char *p;

	assert_non_null(s);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
	assert_true(text_is_clean(s));
}

/* Hostile text comes back sanitised; the printer device is found. */
static void
test_snmp_hostile_printer(void **state)
{
	struct test_snmpd *d = *state;
	struct snmp_target t;
	struct snmp_identity id;
	char *cause = NULL;

	test_snmp_target(&t, "127.0.0.1", d->port, "public");
	if (snmp_identify(&t, &id, &cause) != 0)
		fail_msg("identify: %s", cause);
	test_snmp_assert_clean(id.sys_name);
	assert_string_equal(id.sys_name, "evil\\x1b[2J\\x1b]0;pwned\\x07"
	    "\\xc2\\x9b1m\\xffend");
	test_snmp_assert_clean(id.hr_device_descr);
	assert_string_equal(id.hr_device_descr,
	    "Quire \\x1b[31mLaser\\x1b[0m 9000");
	test_snmp_assert_clean(id.serial);
	assert_string_equal(id.serial, "SN-\\x07-42");
	snmp_identity_clear(&id);
}

static void *
test_snmp_thread(void *arg)
{
	struct snmp_target t;
	struct snmp_identity id;
	char *cause = NULL;
	intptr_t ok = 0;
	int i;

	test_snmp_target(&t, "127.0.0.1", test_snmp_agent.port, "public");
	t.timeout_ms = 3000;
	for (i = 0; i < TEST_SNMP_ROUNDS; i++) {
		if (snmp_identify(&t, &id, &cause) != 0) {
			print_error("thread: %s\n", cause);
			xfree(&cause);
			continue;
		}
		if (id.sys_name != NULL &&
		    strcmp(id.sys_name, TEST_SNMP_NAME) == 0 &&
		    id.sys_descr != NULL &&
		    strcmp(id.sys_descr, TEST_SNMP_DESCR) == 0)
			ok++;
		snmp_identity_clear(&id);
	}
	return (void *)ok;
}

static void
test_snmp_concurrent(void **state)
{
	pthread_t threads[TEST_SNMP_THREADS];
	void *ok;
	int i;

	for (i = 0; i < TEST_SNMP_THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL,
		    test_snmp_thread, NULL), 0);
	for (i = 0; i < TEST_SNMP_THREADS; i++) {
		assert_int_equal(pthread_join(threads[i], &ok), 0);
		assert_int_equal((intptr_t)ok, TEST_SNMP_ROUNDS);
	}
}

/* The rule that decides between text and hex for an OCTET STRING. */
static void
test_snmp_octets_rule(void **state)
{
	static const struct {
		const char	*bytes;
		size_t		 len;
		int		 text;
	} cases[] = {
		{ "hello", 5, 1 },
		{ "hello\0\0", 7, 1 },		/* C-style padding */
		{ "", 0, 1 },
		{ "tab\there\r\n", 11, 1 },
		{ "caf\303\251", 5, 1 },		/* UTF-8 */
		{ "\0\033,:K\\", 6, 0 },		/* a MAC address */
		{ "a\0b", 3, 0 },
		{ "\377", 1, 0 },			/* never UTF-8 */
		{ "SN-\007-42", 7, 0 },		/* BEL */
		{ "evil\033[2J", 8, 0 },		/* ESC */
		{ "\302\2331m", 4, 0 },		/* C1 CSI */
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (snmp_octets_are_text((const unsigned char *)cases[i].bytes,
		    cases[i].len) != cases[i].text)
			fail_msg("case %zu: expected %s", i, cases[i].text ?
			    "text" : "binary");
	}
}

/* The second group: SNMPv3 users and identification by the pool. */
static struct test_snmpd test_snmp_v3_main, test_snmp_v3_plain;
static struct snmp_key *test_snmp_v3_public, *test_snmp_v3_v1;

/* The v3 users of the main agent: name, auth, pass, priv, pass. */
static const struct snmp_cred test_snmp_v3_users[] = {
	{ SNMP_V3, NULL, "qnoauth", SNMP_AUTH_NONE, NULL, SNMP_PRIV_NONE,
	  NULL },
	{ SNMP_V3, NULL, "qmd5", SNMP_AUTH_MD5, "md5-passphrase",
	  SNMP_PRIV_NONE, NULL },
	{ SNMP_V3, NULL, "qsha", SNMP_AUTH_SHA, "sha-passphrase",
	  SNMP_PRIV_NONE, NULL },
	{ SNMP_V3, NULL, "qsha256", SNMP_AUTH_SHA256, "sha256-passphrase",
	  SNMP_PRIV_NONE, NULL },
	{ SNMP_V3, NULL, "qshaaes", SNMP_AUTH_SHA, "shaaes-auth-pass",
	  SNMP_PRIV_AES, "shaaes-priv-pass" },
	{ SNMP_V3, NULL, "qmd5des", SNMP_AUTH_MD5, "md5des-auth-pass",
	  SNMP_PRIV_DES, "md5des-priv-pass" },
	{ SNMP_V3, NULL, "qs256aes", SNMP_AUTH_SHA256, "s256aes-auth-pass",
	  SNMP_PRIV_AES, "s256aes-priv-pass" },
};

static const char test_snmp_v3_main_conf[] =
    "createUser qnoauth\n"
    "createUser qmd5 MD5 md5-passphrase\n"
    "createUser qsha SHA sha-passphrase\n"
    "createUser qsha256 SHA-256 sha256-passphrase\n"
    "createUser qshaaes SHA shaaes-auth-pass AES shaaes-priv-pass\n"
    "createUser qmd5des MD5 md5des-auth-pass DES md5des-priv-pass\n"
    "createUser qs256aes SHA-256 s256aes-auth-pass AES s256aes-priv-pass\n"
    "rouser qnoauth noauth\nrouser qmd5 auth\nrouser qsha auth\n"
    "rouser qsha256 auth\nrwuser qshaaes priv\nrouser qmd5des priv\n"
    "rouser qs256aes priv\n"
    "override .1.3.6.1.2.1.25.3.2.1.2.1 object_id .1.3.6.1.2.1.25.3.1.5\n"
    "override .1.3.6.1.2.1.25.3.2.1.3.1 octet_str \"" TEST_SNMP_V3_MODEL "\"\n"
    "override .1.3.6.1.2.1.43.5.1.1.17.1 octet_str \"" TEST_SNMP_V3_SN "\"\n"
    "override .1.3.6.1.2.1.47.1.1.1.1.9.1 octet_str \"\"\n"
    "override .1.3.6.1.2.1.47.1.1.1.1.9.2 octet_str \"" TEST_SNMP_V3_FW "\"\n"
    "override .1.3.6.1.4.1.32473.1.1.0 integer 7\n";

/* Each security level and protocol pair of the main agent's users. */
static void
test_snmp_v3_levels(void **state)
{
	size_t i, n = TEST_SNMP_V3_NUSERS;
	struct snmp_key *keys[TEST_SNMP_V3_NUSERS];

	for (i = 0; i < n; i++) {
		keys[i] = test_snmp_key(&test_snmp_v3_users[i]);
		test_snmp_get_name(test_snmp_v3_main.port, keys[i],
		    TEST_SNMP_V3_NAME);
	}
	for (i = 0; i < n; i++)
		snmp_key_free(&keys[i]);
}

static void
test_snmp_v3_target(struct snmp_identify_target *t, unsigned port,
    struct snmp_key **keys, size_t n)
{
	memset(t, 0, sizeof *t);
	t->host = "127.0.0.1";
	t->port = port;
	t->keys = keys;
	t->nkeys = n;
	t->timeout_ms = 1000;
	t->retries = 1;
}

/* All the users at once, in one pool: every one of them works. */
static void
test_snmp_v3_identify_all(void **state)
{
	size_t i, n = TEST_SNMP_V3_NUSERS;
	struct snmp_key *keys[TEST_SNMP_V3_NUSERS];
	struct snmp_identify_target t[TEST_SNMP_V3_NUSERS];
	struct snmp_identify_result r[TEST_SNMP_V3_NUSERS];
	struct snmp_pool *pool = snmp_pool_new(0);

	for (i = 0; i < n; i++) {
		keys[i] = test_snmp_key(&test_snmp_v3_users[i]);
		test_snmp_v3_target(&t[i], test_snmp_v3_main.port, &keys[i], 1);
	}
	snmp_identify_many(pool, t, n, r);
	for (i = 0; i < n; i++) {
		if (r[i].fail != SNMP_FAIL_NONE)
			fail_msg("%s: %s", test_snmp_v3_users[i].user,
			    r[i].cause);
		assert_string_equal(r[i].id.sys_name, TEST_SNMP_V3_NAME);
		assert_int_equal(r[i].id.version, SNMP_V3);
		assert_int_equal(r[i].id.key_index, 0);
		assert_string_equal(r[i].id.hr_device_descr,
		    TEST_SNMP_V3_MODEL);
		assert_string_equal(r[i].id.serial, TEST_SNMP_V3_SERIAL);
		assert_string_equal(r[i].id.firmware, TEST_SNMP_V3_FIRMWARE);
		assert_true(r[i].id.vendor_subtree);
		assert_true(r[i].id.has_uptime);
		snmp_identify_result_clear(&r[i]);
		snmp_key_free(&keys[i]);
	}
	snmp_pool_free(&pool);
}

/* Identify with KEYS on PORT; the result is the caller's to clear. */
static void
test_snmp_v3_identify(unsigned port, struct snmp_key **keys, size_t n,
    struct snmp_identify_result *r)
{
	struct snmp_identify_target t;
	struct snmp_pool *pool = snmp_pool_new(0);

	test_snmp_v3_target(&t, port, keys, n);
	t.timeout_ms = 300;
	snmp_identify_many(pool, &t, 1, r);
	snmp_pool_free(&pool);
}

static void
test_snmp_v3_assert_no_secret(const char *cause)
{
	size_t i;

	for (i = 0; i < TEST_SNMP_V3_NUSERS; i++) {
		if (test_snmp_v3_users[i].auth_pass != NULL)
			assert_null(strstr(cause,
			    test_snmp_v3_users[i].auth_pass));
		if (test_snmp_v3_users[i].priv_pass != NULL)
			assert_null(strstr(cause,
			    test_snmp_v3_users[i].priv_pass));
	}
	assert_null(strstr(cause, "wrong-passphrase"));
	assert_null(strstr(cause, "not-the-community"));
}

/* A wrong passphrase says so, and the next key in the list is tried. */
static void
test_snmp_v3_wrong_passphrase(void **state)
{
	struct snmp_cred bad = test_snmp_v3_users[2];
	struct snmp_key *keys[3];
	struct snmp_identify_result r;

	bad.auth_pass = "wrong-passphrase";
	keys[0] = test_snmp_key(&bad);
	keys[1] = test_snmp_key(&test_snmp_v3_users[2]);
	test_snmp_v3_identify(test_snmp_v3_main.port, keys, 1, &r);
	assert_int_equal(r.fail, SNMP_FAIL_AUTH);
	assert_string_equal(r.cause, "authentication failed for SNMPv3 user "
	    "'qsha' (wrong passphrase?)");
	assert_null(r.id.sys_name);
	snmp_identify_result_clear(&r);

	test_snmp_v3_identify(test_snmp_v3_main.port, keys, 2, &r);
	if (r.fail != SNMP_FAIL_NONE)
		fail_msg("%s", r.cause);
	assert_int_equal(r.id.key_index, 1);
	assert_string_equal(r.id.sys_name, TEST_SNMP_V3_NAME);
	snmp_identify_result_clear(&r);

	/* A wrong community (timeout), a wrong passphrase, then right. */
	keys[2] = keys[1];
	keys[1] = keys[0];
	keys[0] = test_snmp_community(SNMP_V2C, "not-the-community");
	test_snmp_v3_identify(test_snmp_v3_main.port, keys, 3, &r);
	if (r.fail != SNMP_FAIL_NONE)
		fail_msg("%s", r.cause);
	assert_int_equal(r.id.key_index, 2);
	assert_int_equal(r.id.version, SNMP_V3);
	snmp_identify_result_clear(&r);

	/* Both wrong: the authentication failure is the verdict. */
	test_snmp_v3_identify(test_snmp_v3_main.port, keys, 2, &r);
	assert_int_equal(r.fail, SNMP_FAIL_AUTH);
	assert_non_null(strstr(r.cause, "key 1 (SNMPv2c community): no answer "
	    "(wrong community or unreachable): timeout after 2 attempts of "
	    "300 ms"));
	assert_non_null(strstr(r.cause, "key 2 (SNMPv3 user 'qsha' "
	    "(authNoPriv, SHA)): authentication failed"));
	test_snmp_v3_assert_no_secret(r.cause);
	snmp_identify_result_clear(&r);
	snmp_key_free(&keys[0]);
	snmp_key_free(&keys[1]);
	snmp_key_free(&keys[2]);
}

static void
test_snmp_v3_unknown_user(void **state)
{
	struct snmp_cred c = test_snmp_v3_users[2];
	struct snmp_key *key;
	struct snmp_identify_result r;

	c.user = "nobody";
	key = test_snmp_key(&c);
	test_snmp_v3_identify(test_snmp_v3_main.port, &key, 1, &r);
	assert_int_equal(r.fail, SNMP_FAIL_AUTH);
	assert_string_equal(r.cause, "unknown user name: the printer has no "
	    "SNMPv3 user 'nobody'");
	snmp_identify_result_clear(&r);
	snmp_key_free(&key);
}

/* A wrong privacy passphrase: the agent cannot decrypt, says or not. */
static void
test_snmp_v3_wrong_priv(void **state)
{
	struct snmp_cred c = test_snmp_v3_users[4];
	struct snmp_key *key;
	struct snmp_identify_result r;

	c.priv_pass = "wrong-passphrase";
	key = test_snmp_key(&c);
	test_snmp_v3_identify(test_snmp_v3_main.port, &key, 1, &r);
	assert_int_not_equal(r.fail, SNMP_FAIL_NONE);
	assert_non_null(r.cause);
	print_message("wrong privacy passphrase: %s\n", r.cause);
	assert_non_null(strstr(r.cause, "privacy passphrase"));
	test_snmp_v3_assert_no_secret(r.cause);
	snmp_identify_result_clear(&r);
	snmp_key_free(&key);
}

/* snmpd without the vendor subtree, the printer or ENTITY-MIB. */
static void
test_snmp_v3_identify_plain(void **state)
{
	struct snmp_identify_result r;

	test_snmp_v3_identify(test_snmp_v3_plain.port, &test_snmp_v3_public,
	    1, &r);
	if (r.fail != SNMP_FAIL_NONE)
		fail_msg("%s", r.cause);
	assert_string_equal(r.id.sys_name, TEST_SNMP_V3_PLAIN);
	assert_false(r.id.vendor_subtree);
	assert_null(r.id.firmware);
	assert_null(r.id.hr_device_descr);
	assert_int_equal(r.id.version, SNMP_V2C);
	snmp_identify_result_clear(&r);
	test_snmp_v3_identify(test_snmp_v3_main.port, &test_snmp_v3_v1, 1, &r);
	if (r.fail != SNMP_FAIL_NONE)
		fail_msg("%s", r.cause);
	assert_int_equal(r.id.version, SNMP_V1);
	assert_true(r.id.vendor_subtree);
	assert_string_equal(r.id.firmware, TEST_SNMP_V3_FIRMWARE);
	assert_string_equal(r.id.serial, TEST_SNMP_V3_SERIAL);
	snmp_identify_result_clear(&r);
}

static void
test_snmp_v3_bad_keys(void **state)
{
	struct snmp_cred c = test_snmp_v3_users[4];
	struct snmp_key *k = NULL;
	char *cause = NULL;

	c.priv_pass = "short";
	assert_int_equal(snmp_key_new(&c, &k, &cause), -1);
	assert_string_equal(cause, "an SNMPv3 passphrase must have at least "
	    "8 characters");
	assert_null(strstr(cause, "short"));
	xfree(&cause);
	c = test_snmp_v3_users[4];
	c.auth = SNMP_AUTH_NONE;
	assert_int_equal(snmp_key_new(&c, &k, &cause), -1);
	assert_string_equal(cause, "SNMPv3 privacy needs authentication");
	xfree(&cause);
	k = test_snmp_key(&test_snmp_v3_users[6]);
	cause = snmp_key_describe(k);
	assert_string_equal(cause, "SNMPv3 user 'qs256aes' (authPriv, "
	    "SHA-256/AES)");
	xfree(&cause);
	snmp_key_free(&k);
	assert_null(k);
}

/* A thread: identify with KEY a few times; counts the expected outcomes. */
struct test_snmp_v3_thread {
	struct snmp_key	*key;
	enum snmp_fail	 expect;
	int		 good;
};

static void *
test_snmp_v3_thread_main(void *arg)
{
	struct test_snmp_v3_thread *th = arg;
	struct snmp_identify_target t;
	struct snmp_identify_result r;
	struct snmp_pool *pool = snmp_pool_new(0);
	int i;

	memset(&t, 0, sizeof t);
	t.host = "127.0.0.1";
	t.port = test_snmp_v3_main.port;
	t.keys = &th->key;
	t.nkeys = 1;
	t.timeout_ms = 2000;
	for (i = 0; i < TEST_SNMP_ROUNDS; i++) {
		snmp_identify_many(pool, &t, 1, &r);
		if (r.fail == th->expect)
			th->good++;
		else
			print_error("thread: %s\n", r.cause ? r.cause : "ok");
		snmp_identify_result_clear(&r);
	}
	snmp_pool_free(&pool);
	return NULL;
}

/*
 * Pools on several threads with one v3 user: the same secrets share its USM
 * entry; a wrong passphrase for the same user waits its turn and fails
 * without disturbing the others.
 */
static void
test_snmp_v3_threads(void **state)
{
	struct snmp_cred bad = test_snmp_v3_users[6];
	struct test_snmp_v3_thread th[5];
	pthread_t threads[5];
	int i;

	bad.auth_pass = "wrong-passphrase";
	for (i = 0; i < 5; i++) {
		th[i].key = test_snmp_key(i < 4 ?
		    &test_snmp_v3_users[6] : &bad);
		th[i].expect = i < 4 ? SNMP_FAIL_NONE : SNMP_FAIL_AUTH;
		th[i].good = 0;
		assert_int_equal(pthread_create(&threads[i], NULL,
		    test_snmp_v3_thread_main, &th[i]), 0);
	}
	for (i = 0; i < 5; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(th[i].good, TEST_SNMP_ROUNDS);
		snmp_key_free(&th[i].key);
	}
}

static int
test_snmp_v3_setup(void **state)
{
	snmp_transport_init();
	if (test_snmpd_start(&test_snmp_v3_main, TEST_SNMP_V3_NAME,
	    test_snmp_v3_main_conf, 0) != 0 ||
	    test_snmpd_start(&test_snmp_v3_plain, TEST_SNMP_V3_PLAIN, NULL,
	    0) != 0) {
		test_snmpd_stop(&test_snmp_v3_main);	/* no teardown */
		return -1;
	}
	test_snmp_v3_public = test_snmp_community(SNMP_V2C, "public");
	test_snmp_v3_v1 = test_snmp_community(SNMP_V1, "public");
	return 0;
}

/* net-snmp stays up: the other group runs after this one. */
static int
test_snmp_v3_teardown(void **state)
{
	snmp_key_free(&test_snmp_v3_public);
	snmp_key_free(&test_snmp_v3_v1);
	test_snmpd_stop(&test_snmp_v3_main);
	test_snmpd_stop(&test_snmp_v3_plain);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest v3[] = {
		cmocka_unit_test(test_snmp_octets_rule),
		cmocka_unit_test(test_snmp_v3_levels),
		cmocka_unit_test(test_snmp_v3_identify_all),
		cmocka_unit_test(test_snmp_v3_wrong_passphrase),
		cmocka_unit_test(test_snmp_v3_unknown_user),
		cmocka_unit_test(test_snmp_v3_wrong_priv),
		cmocka_unit_test(test_snmp_v3_identify_plain),
		cmocka_unit_test(test_snmp_v3_bad_keys),
		cmocka_unit_test(test_snmp_v3_threads),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snmp_identify_ipv4),
		cmocka_unit_test(test_snmp_identify_ipv6),
		cmocka_unit_test(test_snmp_identify_hostname),
		cmocka_unit_test(test_snmp_wrong_community),
		cmocka_unit_test(test_snmp_blackhole),
		cmocka_unit_test(test_snmp_bad_targets),
		cmocka_unit_test(test_snmp_concurrent),
		cmocka_unit_test_setup_teardown(test_snmp_hostile_printer,
		    test_snmp_hostile_setup, test_snmp_hostile_teardown),
	};

	int failed;

	failed = cmocka_run_group_tests_name("snmp-v3", v3, test_snmp_v3_setup,
	    test_snmp_v3_teardown);
	return failed + cmocka_run_group_tests_name("snmp", tests,
	    test_snmp_group_setup, test_snmp_group_teardown);
}
