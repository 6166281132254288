/*
 * The SNMP request pool against real net-snmp agents (three snmpd on free
 * loopback ports, one with SNMPv3 users), a bound socket that never
 * answers, and a small in-test agent that answers tooBig to large requests.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "snmp.h"
#include "test-snmp-agent.h"
#include "text.h"
#include "xmalloc.h"

#define TP_NAME_MAIN	"quire-pool-main"
#define TP_NAME_B	"quire-pool-b"
#define TP_NAME_C	"quire-pool-c"
#define TP_MANY		300
#define TP_FDS		1100

/* The main agent: a vendor subtree and two SNMPv3 users. */
static const char tp_main_conf[] =
    "createUser qshaaes SHA shaaes-auth-pass AES shaaes-priv-pass\n"
    "createUser qs256aes SHA-256 s256aes-auth-pass AES s256aes-priv-pass\n"
    "rwuser qshaaes priv\nrouser qs256aes priv\n"
    "override .1.3.6.1.4.1.32473.1.1.0 integer 7\n";
static const struct snmp_cred tp_shaaes = { SNMP_V3, NULL, "qshaaes",
    SNMP_AUTH_SHA, "shaaes-auth-pass", SNMP_PRIV_AES, "shaaes-priv-pass" };
static const struct snmp_cred tp_s256aes = { SNMP_V3, NULL, "qs256aes",
    SNMP_AUTH_SHA256, "s256aes-auth-pass", SNMP_PRIV_AES,
    "s256aes-priv-pass" };

static struct test_snmpd tp_main, tp_b, tp_c;
static struct snmp_key *tp_public, *tp_private, *tp_v1;

static int
tp_setup(void **state)
{
	snmp_transport_init();
	if (test_snmpd_start(&tp_main, TP_NAME_MAIN, tp_main_conf,
	    TEST_SNMPD_WRITABLE) != 0 ||
	    test_snmpd_start(&tp_b, TP_NAME_B, NULL, 0) != 0 ||
	    test_snmpd_start(&tp_c, TP_NAME_C, NULL, 0) != 0) {
		/* cmocka runs no teardown after a failed setup. */
		test_snmpd_stop(&tp_main);
		test_snmpd_stop(&tp_b);
		test_snmpd_stop(&tp_c);
		return -1;
	}
	tp_public = test_snmp_community(SNMP_V2C, "public");
	tp_private = test_snmp_community(SNMP_V2C, "private");
	tp_v1 = test_snmp_community(SNMP_V1, "public");
	return 0;
}

static int
tp_teardown(void **state)
{
	snmp_key_free(&tp_public);
	snmp_key_free(&tp_private);
	snmp_key_free(&tp_v1);
	test_snmpd_stop(&tp_main);
	test_snmpd_stop(&tp_b);
	test_snmpd_stop(&tp_c);
	snmp_transport_shutdown();
	return 0;
}

static void
tp_v1_v2c(void **state)
{
	test_snmp_get_name(tp_main.port, tp_v1, TP_NAME_MAIN);
	test_snmp_get_name(tp_main.port, tp_public, TP_NAME_MAIN);
	test_snmp_get_name(tp_b.port, tp_public, TP_NAME_B);
}

/* 40 names: the system group, the snmp group and a few that do not exist. */
static size_t
tp_forty(char **oids)
{
	static const int snmp_group[] = { 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12,
	    13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29,
	    30, 31, 32 };
	size_t n = 0, i;

	for (i = 1; i <= 7; i++)
		oids[n++] = xasprintf("1.3.6.1.2.1.1.%zu.0", i);
	for (i = 0; i < sizeof snmp_group / sizeof snmp_group[0]; i++)
		oids[n++] = xasprintf("1.3.6.1.2.1.11.%d.0", snmp_group[i]);
	oids[n++] = xstrdup("1.3.6.1.2.1.1.99.0");
	oids[n++] = xstrdup("1.3.6.1.4.1.32473.99.0");
	oids[n++] = xstrdup("1.3.6.1.2.1.11.7.0");
	return n;
}

static void
tp_get_forty(struct snmp_key *key)
{
	char *oids[40];
	struct snmp_request r;
	struct test_snmp_seen s = { 0 };
	struct snmp_pool *pool = snmp_pool_new(0);
	struct snmp_pool_stats st;
	char *cause = NULL;
	size_t i, n = tp_forty(oids), missing = 0;

	assert_int_equal(n, 40);
	test_snmp_request(&r, tp_main.port, key, SNMP_OP_GET,
	    (const char * const *)oids, n, &s);
	if (snmp_pool_submit(pool, &r, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(snmp_pool_run(pool, 30000), 0);
	snmp_pool_get_stats(pool, &st);
	snmp_pool_free(&pool);
	if (s.fail != SNMP_FAIL_NONE)
		fail_msg("GET 40: %s", s.cause);
	assert_int_equal(s.nvbs, 40);
	for (i = 0; i < 40; i++)
		assert_string_equal(s.oids[i], oids[i]);
	assert_string_equal(s.texts[4], TP_NAME_MAIN);
	assert_int_equal(s.types[2], SNMP_TYPE_TIMETICKS);
	assert_int_equal(s.types[7], SNMP_TYPE_COUNTER32);	/* snmpInPkts */
	for (i = 37; i < 40; i++) {
		assert_true(s.types[i] == SNMP_TYPE_NO_SUCH_OBJECT ||
		    s.types[i] == SNMP_TYPE_NO_SUCH_INSTANCE);
		assert_null(s.texts[i]);
	}
	for (i = 0; i < 40; i++) {
		if (s.types[i] == SNMP_TYPE_NO_SUCH_OBJECT ||
		    s.types[i] == SNMP_TYPE_NO_SUCH_INSTANCE)
			missing++;
	}
	/* Packed: 32 names, then 8 (SNMPv1: again without each missing one). */
	if (snmp_key_version(key) == SNMP_V1)
		assert_int_equal(st.pdus_sent, 2 + missing);
	else
		assert_int_equal(st.pdus_sent, 2);
	test_snmp_seen_clear(&s);
	for (i = 0; i < n; i++)
		free(oids[i]);
}

static void
tp_get_packing(void **state)
{
	tp_get_forty(tp_public);
	tp_get_forty(tp_v1);
}

/* An in-test agent: answers tooBig to a datagram over 200 bytes. */
struct tp_toobig {
	int		 fd;
	unsigned	 port;
	int		 stop;
	unsigned	 toobig;
	unsigned	 answered;
	pthread_t	 thread;
};

/* The end of the BER tag+length at P (LEN left); the length in *N. */
static size_t
tp_ber_head(const unsigned char *p, size_t len, size_t *n)
{
	size_t i, k;

	if (len < 2)
		return 0;
	if (p[1] < 0x80) {
		*n = p[1];
		return 2;
	}
	k = p[1] & 0x7f;
	if (k > 2 || len < 2 + k)
		return 0;
	for (*n = 0, i = 0; i < k; i++)
		*n = (*n << 8) | p[2 + i];
	return 2 + k;
}

/*
 * Turn the v2c request in BUF into its answer in place: PDU tag GetResponse,
 * error-status tooBig or noError. Varbinds keep their NULL values.
 */
static int
tp_toobig_answer(unsigned char *buf, size_t len, int toobig)
{
	size_t off, h, n;

	if ((h = tp_ber_head(buf, len, &n)) == 0)
		return -1;
	off = h;
	/* version, community */
	if ((h = tp_ber_head(buf + off, len - off, &n)) == 0)
		return -1;
	off += h + n;
	if ((h = tp_ber_head(buf + off, len - off, &n)) == 0)
		return -1;
	off += h + n;
	if (off >= len || buf[off] != 0xa0)
		return -1;
	buf[off] = 0xa2;
	if ((h = tp_ber_head(buf + off, len - off, &n)) == 0)
		return -1;
	off += h;
	/* request-id, then error-status INTEGER of one byte */
	if ((h = tp_ber_head(buf + off, len - off, &n)) == 0)
		return -1;
	off += h + n;
	if (off + 2 >= len || buf[off] != 0x02 || buf[off + 1] != 1)
		return -1;
	buf[off + 2] = toobig ? 1 : 0;
	return 0;
}

static void *
tp_toobig_main(void *arg)
{
	struct tp_toobig *a = arg;
	struct sockaddr_storage from;
	socklen_t flen;
	unsigned char buf[4096];
	ssize_t len;
	int big;

	while (!__atomic_load_n(&a->stop, __ATOMIC_RELAXED)) {
		flen = sizeof from;
		len = recvfrom(a->fd, buf, sizeof buf, 0,
		    (struct sockaddr *)&from, &flen);
		if (len <= 0)
			continue;
		big = len > 200;
		if (tp_toobig_answer(buf, (size_t)len, big) != 0)
			continue;
		if (big)
			a->toobig++;
		else
			a->answered++;
		sendto(a->fd, buf, (size_t)len, 0, (struct sockaddr *)&from,
		    flen);
	}
	return NULL;
}

static void
tp_toobig_start(struct tp_toobig *a)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	struct timeval tv = { 0, 100 * 1000 };

	memset(a, 0, sizeof *a);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(a->fd = socket(AF_INET, SOCK_DGRAM, 0), -1);
	assert_int_equal(bind(a->fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(a->fd, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(setsockopt(a->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof tv), 0);
	a->port = ntohs(sin.sin_port);
	assert_int_equal(pthread_create(&a->thread, NULL, tp_toobig_main, a),
	    0);
}

static void
tp_toobig_stop(struct tp_toobig *a)
{
	__atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
	pthread_join(a->thread, NULL);
	close(a->fd);
}

/* tooBig: the GET is split until the pieces fit, the order kept. */
static void
tp_get_toobig(void **state)
{
	struct tp_toobig a;
	char *oids[40];
	struct snmp_request r;
	struct test_snmp_seen s = { 0 };
	size_t i, n = tp_forty(oids);

	tp_toobig_start(&a);
	test_snmp_request(&r, a.port, tp_public, SNMP_OP_GET,
	    (const char * const *)oids, n, &s);
	test_snmp_run_one(&r);
	tp_toobig_stop(&a);
	if (s.fail != SNMP_FAIL_NONE)
		fail_msg("GET 40: %s", s.cause);
	assert_int_equal(s.nvbs, 40);
	for (i = 0; i < 40; i++) {
		assert_string_equal(s.oids[i], oids[i]);
		assert_int_equal(s.types[i], SNMP_TYPE_NULL);
	}
	assert_true(a.toobig >= 2);
	assert_true(a.answered >= 5);
	test_snmp_seen_clear(&s);
	for (i = 0; i < n; i++)
		free(oids[i]);
}

static void
tp_walk_one(struct snmp_key *key, const char *root, unsigned max,
    struct test_snmp_seen *s)
{
	const char *oids[] = { root };
	struct snmp_request r;

	test_snmp_request(&r, tp_main.port, key, SNMP_OP_WALK, oids, 1, s);
	r.max_rows = max;
	test_snmp_run_one(&r);
	if (s->fail != SNMP_FAIL_NONE)
		fail_msg("walk %s: %s", root, s->cause);
}

static void
tp_walk(void **state)
{
	struct test_snmp_seen s = { 0 };
	size_t i, plen = strlen("1.3.6.1.2.1.1.");

	tp_walk_one(tp_public, "1.3.6.1.2.1.1", 60, &s);
	assert_true(s.nvbs > 7);
	assert_true(s.nvbs <= 60);
	assert_string_equal(s.oids[0], "1.3.6.1.2.1.1.1.0");
	assert_string_equal(s.texts[0], TEST_SNMP_DESCR);
	for (i = 0; i < s.nvbs && i < 64; i++)
		assert_int_equal(strncmp(s.oids[i], "1.3.6.1.2.1.1.", plen), 0);
	test_snmp_seen_clear(&s);
	/* SNMPv1 walks with GETNEXT; the same first rows. */
	tp_walk_one(tp_v1, "1.3.6.1.2.1.1", 7, &s);
	assert_int_equal(s.nvbs, 7);
	assert_string_equal(s.oids[4], "1.3.6.1.2.1.1.5.0");
	assert_string_equal(s.texts[4], TP_NAME_MAIN);
	test_snmp_seen_clear(&s);
	/* hrDevice, bounded. */
	tp_walk_one(tp_public, "1.3.6.1.2.1.25.3.2", 5, &s);
	assert_int_equal(s.nvbs, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(strncmp(s.oids[i], "1.3.6.1.2.1.25.3.2.1.1.",
		    strlen("1.3.6.1.2.1.25.3.2.1.1.")), 0);
		assert_int_equal(s.types[i], SNMP_TYPE_INTEGER);
	}
	test_snmp_seen_clear(&s);
	/* The end of the MIB view. */
	tp_walk_one(tp_public, "1.3.6.1.4.1.32473", 0, &s);
	assert_int_equal(s.nvbs, 1);
	assert_string_equal(s.oids[0], "1.3.6.1.4.1.32473.1.1.0");
	assert_string_equal(s.texts[0], "7");
	test_snmp_seen_clear(&s);
}

static void
tp_set_run(struct snmp_key *key, const struct snmp_setvar *vars, size_t n,
    struct test_snmp_seen *s)
{
	struct snmp_request r;

	test_snmp_request(&r, tp_main.port, key, SNMP_OP_SET, NULL, 0, s);
	r.vars = vars;
	r.nvars = n;
	test_snmp_run_one(&r);
}

static void
tp_get_contact(struct snmp_key *key, const char *contact,
    const char *location)
{
	static const char *oids[] = {
	    "1.3.6.1.2.1.1.4.0", "1.3.6.1.2.1.1.6.0" };
	struct snmp_request r;
	struct test_snmp_seen s = { 0 };

	test_snmp_request(&r, tp_main.port, key, SNMP_OP_GET, oids, 2, &s);
	test_snmp_run_one(&r);
	if (s.fail != SNMP_FAIL_NONE)
		fail_msg("%s", s.cause);
	assert_string_equal(s.texts[0], contact);
	assert_string_equal(s.texts[1], location);
	test_snmp_seen_clear(&s);
}

static struct snmp_setvar tp_set_ok[] = {
	{ "1.3.6.1.2.1.1.4.0", SNMP_TYPE_OCTETS, 0, "ops@example.invalid", 0 },
	{ "1.3.6.1.2.1.1.6.0", SNMP_TYPE_OCTETS, 0, "room 42", 0 },
};

static void
tp_set(void **state)
{
	struct snmp_key *v3 = test_snmp_key(&tp_shaaes);
	struct test_snmp_seen s = { 0 };

	tp_set_run(tp_private, tp_set_ok, 2, &s);
	if (s.fail != SNMP_FAIL_NONE)
		fail_msg("SET: %s", s.cause);
	assert_int_equal(s.nvbs, 2);
	assert_string_equal(s.texts[1], "room 42");
	test_snmp_seen_clear(&s);
	tp_get_contact(tp_public, "ops@example.invalid", "room 42");
	/* The read-only community, then SNMPv3 authPriv (an rwuser). */
	tp_set_run(tp_public, tp_set_ok, 2, &s);
	assert_int_equal(s.fail, SNMP_FAIL_REFUSED);
	assert_int_equal(s.error_status, 6);	/* noAccess */
	test_snmp_seen_clear(&s);
	tp_set_ok[1].string = "room 43";
	tp_set_run(v3, tp_set_ok, 2, &s);
	tp_set_ok[1].string = "room 42";
	if (s.fail != SNMP_FAIL_NONE)
		fail_msg("SET v3: %s", s.cause);
	test_snmp_seen_clear(&s);
	tp_get_contact(v3, "ops@example.invalid", "room 43");
	snmp_key_free(&v3);
}

/* One bad varbind: the SET fails as a whole, nothing is written. */
static void
tp_set_refused(void **state)
{
	struct snmp_setvar ro[] = {
		{ "1.3.6.1.2.1.1.4.0", SNMP_TYPE_OCTETS, 0, "never", 0 },
		{ "1.3.6.1.2.1.1.7.0", SNMP_TYPE_INTEGER, 72, NULL, 0 },
	};
	struct snmp_setvar type[] = {
		{ "1.3.6.1.2.1.1.4.0", SNMP_TYPE_OCTETS, 0, "never", 0 },
		{ "1.3.6.1.2.1.1.6.0", SNMP_TYPE_INTEGER, 5, NULL, 0 },
	};
	struct test_snmp_seen s = { 0 };

	tp_set_run(tp_private, tp_set_ok, 2, &s);
	test_snmp_seen_clear(&s);
	tp_set_run(tp_private, ro, 2, &s);
	assert_int_equal(s.fail, SNMP_FAIL_REFUSED);
	assert_int_equal(s.error_status, 17);	/* notWritable */
	assert_int_equal(s.error_index, 2);
	assert_string_equal(s.cause, "the SET request was refused: "
	    "notWritable (That object does not support modification) "
	    "(error-index 2)");
	test_snmp_seen_clear(&s);
	tp_set_run(tp_private, type, 2, &s);
	assert_int_equal(s.fail, SNMP_FAIL_REFUSED);
	assert_int_equal(s.error_status, 7);	/* wrongType */
	assert_int_equal(s.error_index, 2);
	test_snmp_seen_clear(&s);
	tp_get_contact(tp_public, "ops@example.invalid", "room 42");
}

/* A bound UDP socket nobody reads: a printer that never answers. */
static int
tp_blackhole(unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(fd = socket(AF_INET, SOCK_DGRAM, 0), -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

struct tp_count {
	unsigned	 ok[3];
	unsigned	 timeouts;
	unsigned	 other;
};

struct tp_many_arg {
	struct tp_count	*count;
	int		 which;		/* 0-2 an agent, 3 the blackhole */
};

static void
tp_many_done(const struct snmp_result *r, void *arg)
{
	static const char *names[] = { TP_NAME_MAIN, TP_NAME_B, TP_NAME_C };
	struct tp_many_arg *a = arg;

	if (a->which == 3 && r->fail == SNMP_FAIL_TIMEOUT &&
	    strcmp(r->cause, "no answer (wrong community or unreachable): "
	    "timeout after 2 attempts of 400 ms") == 0)
		a->count->timeouts++;
	else if (a->which < 3 && r->fail == SNMP_FAIL_NONE && r->nvbs == 1 &&
	    strcmp(r->vbs[0].text, names[a->which]) == 0)
		a->count->ok[a->which]++;
	else
		a->count->other++;
}

/* 300 requests in one pool: three agents and a blackhole, all at once. */
static void
tp_many(void **state)
{
	static const char *oids[] = { "1.3.6.1.2.1.1.5.0" };
	struct tp_many_arg args[TP_MANY];
	struct tp_count count = { { 0 }, 0, 0 };
	struct snmp_pool *pool = snmp_pool_new(0);
	struct snmp_pool_stats st;
	struct snmp_request r;
	unsigned ports[4], i;
	char *cause = NULL;
	int bh;

	ports[0] = tp_main.port;
	ports[1] = tp_b.port;
	ports[2] = tp_c.port;
	bh = tp_blackhole(&ports[3]);
	for (i = 0; i < TP_MANY; i++) {
		args[i].count = &count;
		args[i].which = (int)(i % 4);
		test_snmp_request(&r, ports[i % 4], tp_public, SNMP_OP_GET,
		    oids, 1,
		    NULL);
		r.timeout_ms = 400;
		r.done = tp_many_done;
		r.arg = &args[i];
		if (snmp_pool_submit(pool, &r, &cause) != 0)
			fail_msg("%s", cause);
	}
	assert_int_equal(snmp_pool_run(pool, 60000), 0);
	snmp_pool_get_stats(pool, &st);
	snmp_pool_free(&pool);
	close(bh);
	assert_int_equal(count.other, 0);
	assert_int_equal(count.ok[0] + count.ok[1] + count.ok[2], 225);
	assert_int_equal(count.ok[1], 75);
	assert_int_equal(count.timeouts, 75);
	assert_int_equal(st.requests_done, TP_MANY);
	assert_true(st.max_in_flight <= 256);
	assert_true(st.max_in_flight >= 100);
}

/* Sockets this process has open now. */
static unsigned
tp_sockets(void)
{
	char path[300], link[128];
	struct dirent *de;
	unsigned n = 0;
	ssize_t len;
	DIR *d;

	assert_non_null(d = opendir("/proc/self/fd"));
	while ((de = readdir(d)) != NULL) {
		snprintf(path, sizeof path, "/proc/self/fd/%s", de->d_name);
		if ((len = readlink(path, link, sizeof link - 1)) <= 0)
			continue;
		link[len] = '\0';
		if (strncmp(link, "socket:", 7) == 0)
			n++;
	}
	closedir(d);
	return n;
}

struct tp_window {
	unsigned	base;
	unsigned	most;
	unsigned	ok;
};

static void
tp_window_done(const struct snmp_result *r, void *arg)
{
	struct tp_window *w = arg;
	unsigned n = tp_sockets() - w->base;

	if (n > w->most)
		w->most = n;
	if (r->fail == SNMP_FAIL_NONE)
		w->ok++;
}

/* 60 requests that each need a session of their own, through 8 slots. */
static void
tp_window(void **state)
{
	static const char *oids[] = { "1.3.6.1.2.1.1.5.0" };
	struct tp_window w = { 0, 0, 0 };
	struct snmp_pool *pool = snmp_pool_new(8);
	struct snmp_pool_stats st;
	struct snmp_request r;
	char *cause = NULL;
	unsigned i;

	w.base = tp_sockets();
	for (i = 0; i < 60; i++) {
		test_snmp_request(&r, tp_b.port, tp_public, SNMP_OP_GET,
		    oids, 1,
		    NULL);
		r.timeout_ms = 2000 + i;	/* a session each */
		r.done = tp_window_done;
		r.arg = &w;
		if (snmp_pool_submit(pool, &r, &cause) != 0)
			fail_msg("%s", cause);
	}
	assert_int_equal(snmp_pool_run(pool, 60000), 0);
	snmp_pool_get_stats(pool, &st);
	assert_int_equal(tp_sockets(), w.base);
	snmp_pool_free(&pool);
	assert_int_equal(w.ok, 60);
	assert_int_equal(st.max_open_sessions, 8);
	assert_int_equal(st.max_in_flight, 8);
	assert_true(w.most <= 8);
	assert_true(w.most >= 1);
}

/* No select() ceiling: everything works above FD_SETSIZE descriptors. */
static void
tp_many_fds(void **state)
{
	struct snmp_identify_target t[2];
	struct snmp_identify_result r[2];
	struct snmp_key *keys[2];
	struct snmp_pool *pool = snmp_pool_new(0);	/* raises the limit */
	struct rlimit rl;
	int fds[TP_FDS], i;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < TP_FDS + 64)
		skip();
	for (i = 0; i < TP_FDS; i++)
		assert_int_not_equal(fds[i] = open("/dev/null", O_RDONLY), -1);
	assert_true(fds[TP_FDS - 1] >= FD_SETSIZE);
	keys[0] = tp_public;
	keys[1] = test_snmp_key(&tp_s256aes);
	memset(t, 0, sizeof t);
	for (i = 0; i < 2; i++) {
		t[i].host = "127.0.0.1";
		t[i].port = tp_main.port;
		t[i].keys = &keys[i];
		t[i].nkeys = 1;
		t[i].timeout_ms = 1000;
	}
	snmp_identify_many(pool, t, 2, r);
	for (i = 0; i < 2; i++) {
		if (r[i].fail != SNMP_FAIL_NONE)
			fail_msg("%s", r[i].cause);
		assert_string_equal(r[i].id.sys_name, TP_NAME_MAIN);
		snmp_identify_result_clear(&r[i]);
	}
	test_snmp_get_name(tp_b.port, tp_public, TP_NAME_B);
	snmp_pool_free(&pool);
	snmp_key_free(&keys[1]);
	for (i = 0; i < TP_FDS; i++)
		close(fds[i]);
}

static void
tp_cancel(void **state)
{
	static const char *oids[] = { "1.3.6.1.2.1.1.5.0" };
	struct test_snmp_seen s[10];
	struct snmp_pool *pool = snmp_pool_new(4);
	struct snmp_request r;
	char *cause = NULL;
	unsigned port;
	int bh = tp_blackhole(&port), i;

	memset(s, 0, sizeof s);
	for (i = 0; i < 10; i++) {
		test_snmp_request(&r, port, tp_public, SNMP_OP_GET, oids, 1,
		    &s[i]);
		r.timeout_ms = 5000;
		if (snmp_pool_submit(pool, &r, &cause) != 0)
			fail_msg("%s", cause);
	}
	assert_int_equal(snmp_pool_run(pool, 100), 1);
	snmp_pool_cancel(pool);
	for (i = 0; i < 10; i++) {
		assert_int_equal(s[i].calls, 1);
		assert_int_equal(s[i].fail, SNMP_FAIL_CANCELLED);
		test_snmp_seen_clear(&s[i]);
	}
	assert_int_equal(snmp_pool_run(pool, 0), 0);
	snmp_pool_free(&pool);
	close(bh);
}

static void
tp_submit_errors(void **state)
{
	static const char *bad[] = { "1.3.6.1.2.1.1.5.0", "1.3.x.1" };
	static const char *two[] = { "1.3.6.1.2.1.1", "1.3.6.1.2.1.2" };
	struct snmp_pool *pool = snmp_pool_new(0);
	struct snmp_request r;
	char *cause = NULL;

	test_snmp_request(&r, 161, tp_public, SNMP_OP_GET, bad, 2, NULL);
	assert_int_equal(snmp_pool_submit(pool, &r, &cause), -1);
	assert_string_equal(cause, "invalid OID '1.3.x.1'");
	xfree(&cause);
	test_snmp_request(&r, 161, tp_public, SNMP_OP_WALK, two, 2, NULL);
	assert_int_equal(snmp_pool_submit(pool, &r, &cause), -1);
	assert_string_equal(cause, "a walk has one root OID");
	xfree(&cause);
	test_snmp_request(&r, 161, tp_public, SNMP_OP_GET, bad, 1, NULL);
	r.host = "";
	assert_int_equal(snmp_pool_submit(pool, &r, &cause), -1);
	assert_string_equal(cause, "no host given");
	xfree(&cause);
	assert_int_equal(snmp_pool_run(pool, 0), 0);
	snmp_pool_free(&pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tp_v1_v2c),
		cmocka_unit_test(tp_get_packing),
		cmocka_unit_test(tp_get_toobig),
		cmocka_unit_test(tp_walk),
		cmocka_unit_test(tp_set),
		cmocka_unit_test(tp_set_refused),
		cmocka_unit_test(tp_many),
		cmocka_unit_test(tp_window),
		cmocka_unit_test(tp_many_fds),
		cmocka_unit_test(tp_cancel),
		cmocka_unit_test(tp_submit_errors),
	};

	return cmocka_run_group_tests_name("snmp-pool", tests, tp_setup,
	    tp_teardown);
}
