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
#include "text.h"
#include "xmalloc.h"

#define TEST_SNMP_DESCR		"quire test agent 1.0 (net-snmp)"
#define TEST_SNMP_NAME		"quire-test-printer"
/* ESC [2J, BEL, a C1 CSI (U+009B) and a byte that is never UTF-8. */
#define TEST_SNMP_HOSTILE	"evil\033[2J\033]0;pwned\007\302\2331m\377end"
/* Printer-MIB objects that snmpd lacks, given with its "override". */
#define TEST_SNMP_PRINTER_INDEX	327681
#define TEST_SNMP_PRINTER_DESCR	"Quire \033[31mLaser\033[0m 9000"
#define TEST_SNMP_PRINTER_SN	"SN-\007-42"
#define TEST_SNMP_THREADS	8
#define TEST_SNMP_ROUNDS	5

/* One snmpd this test started. */
struct test_snmpd {
	char		 dir[PATH_MAX];
	pid_t		 pid;
	unsigned	 port;
	unsigned	 port6;		/* 0 when ::1 cannot be bound */
};

/* The shared agent of the group (set up before any thread starts). */
static struct test_snmpd test_snmp_agent;

/* Bind a UDP socket on the loopback of FAMILY at PORT (0: any); or -1. */
static int
test_snmp_bind(int family, unsigned port, unsigned *bound)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = sizeof ss;
	int fd;

	memset(&ss, 0, sizeof ss);
	ss.ss_family = family;
	if (family == AF_INET) {
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin->sin_port = htons(port);
	} else {
		sin6->sin6_addr = in6addr_loopback;
		sin6->sin6_port = htons(port);
	}
	if ((fd = socket(family, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
	    sizeof *sin : sizeof *sin6) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		close(fd);
		return -1;
	}
	*bound = ntohs(family == AF_INET ? sin->sin_port : sin6->sin6_port);
	return fd;
}

/* Free UDP ports for D: one on 127.0.0.1, the same on ::1 if it can be. */
static int
test_snmp_free_ports(struct test_snmpd *d)
{
	unsigned port, port6;
	int i, fd, fd6;

	for (i = 0; i < 20; i++) {
		if ((fd = test_snmp_bind(AF_INET, 0, &port)) == -1)
			return -1;
		fd6 = test_snmp_bind(AF_INET6, port, &port6);
		close(fd);
		if (fd6 != -1) {
			close(fd6);
			d->port = d->port6 = port;
			return 0;
		}
	}
	/* No IPv6 loopback here: IPv4 only. */
	d->port = port;
	d->port6 = 0;
	return 0;
}

static char *
test_snmp_path(const struct test_snmpd *d, const char *name)
{
	return xasprintf("%s/%s", d->dir, name);
}

/* snmpd.conf for D: SYS_NAME and EXTRA lines (or NULL). */
static int
test_snmp_write_conf(const struct test_snmpd *d, const char *sys_name,
    const char *extra)
{
	char *path = test_snmp_path(d, "snmpd.conf");
	FILE *f;
	int rc;

	if ((f = fopen(path, "w")) == NULL) {
		free(path);
		return -1;
	}
	fprintf(f, "agentAddress udp:127.0.0.1:%u", d->port);
	if (d->port6 != 0)
		fprintf(f, ",udp6:[::1]:%u", d->port6);
	fprintf(f, "\nrocommunity public 127.0.0.1\n"
	    "rwcommunity private 127.0.0.1\n"
	    "rocommunity6 public ::1\n"
	    "sysLocation quire test lab\n"
	    "sysContact tester@example.invalid\n"
	    "sysName %s\nsysDescr %s\n%s", sys_name, TEST_SNMP_DESCR,
	    extra != NULL ? extra : "");
	rc = ferror(f) ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	free(path);
	return rc;
}

/* In the child: stdio to DIR/snmpd.out, then exec snmpd in the foreground. */
static void
test_snmp_exec(const char *snmpd, char **argv, char **envp, const char *out)
{
	int fd;

	if ((fd = open("/dev/null", O_RDONLY)) == -1 || dup2(fd, 0) == -1)
		_exit(126);
	if ((fd = open(out, O_WRONLY|O_CREAT|O_TRUNC, 0600)) == -1 ||
	    dup2(fd, 1) == -1 || dup2(fd, 2) == -1)
		_exit(126);
	execve(snmpd, argv, envp);
	_exit(127);
}

static int
test_snmp_spawn(struct test_snmpd *d)
{
	const char *snmpd = getenv("SNMPD");
	char *conf = test_snmp_path(d, "snmpd.conf");
	char *pidf = test_snmp_path(d, "snmpd.pid");
	char *log = test_snmp_path(d, "snmpd.log");
	char *out = test_snmp_path(d, "snmpd.out");
	char *pdir = xasprintf("SNMP_PERSISTENT_DIR=%s/persist", d->dir);
	char *home = xasprintf("HOME=%s", d->dir);
	char *argv[] = { "snmpd", "-f", "-C", "-c", conf, "-p", pidf,
	    "-Lf", log, NULL };
	char *envp[] = { pdir, home, "MIBS=", "MIBDIRS=",
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

	if (snmpd == NULL || *snmpd == '\0')
		snmpd = "/usr/sbin/snmpd";
	if (access(snmpd, X_OK) != 0)
		print_error("snmpd not found at %s (install snmpd or set "
		    "SNMPD)\n", snmpd);
	else if ((d->pid = fork()) == 0)
		test_snmp_exec(snmpd, argv, envp, out);
	free(conf);
	free(pidf);
	free(log);
	free(out);
	free(pdir);
	free(home);
	return d->pid > 0 ? 0 : -1;
}

static void
test_snmp_show_file(const struct test_snmpd *d, const char *name)
{
	char *path = test_snmp_path(d, name), line[512];
	FILE *f;

	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			print_error("%s: %s", name, line);
		fclose(f);
	}
	free(path);
}

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

/* Wait (at most ~15 s, a hang guard) until the agent answers. */
static int
test_snmp_wait(struct test_snmpd *d)
{
	struct snmp_target t;
	struct snmp_identity id;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	char *cause = NULL;
	int i, status;

	test_snmp_target(&t, "127.0.0.1", d->port, "public");
	t.timeout_ms = 200;
	t.retries = 0;
	for (i = 0; i < 50; i++) {
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = 0;
			print_error("snmpd exited (status 0x%x)\n", status);
			break;
		}
		if (snmp_identify(&t, &id, &cause) == 0) {
			snmp_identity_clear(&id);
			return 0;
		}
		xfree(&cause);
		nanosleep(&ts, NULL);
	}
	test_snmp_show_file(d, "snmpd.out");
	test_snmp_show_file(d, "snmpd.log");
	return -1;
}

static int
test_snmp_rm(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	if (remove(path) != 0)
		print_error("remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* Stop the agent by PID (TERM, then KILL after ~5 s) and remove its files. */
static void
test_snmp_stop(struct test_snmpd *d)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	int i, status;
	pid_t r;

	if (d->pid > 0 && kill(d->pid, SIGTERM) == 0) {
		for (i = 0; i < 100; i++) {
			r = waitpid(d->pid, &status, WNOHANG);
			if (r == d->pid || (r == -1 && errno != EINTR))
				break;
			nanosleep(&ts, NULL);
		}
		if (i == 100) {
			kill(d->pid, SIGKILL);
			while (waitpid(d->pid, &status, 0) == -1 &&
			    errno == EINTR)
				;
		}
	}
	d->pid = 0;
	if (d->dir[0] != '\0' && getenv("KEEP_TEST_DIR") == NULL)
		nftw(d->dir, test_snmp_rm, 16, FTW_DEPTH|FTW_PHYS);
	d->dir[0] = '\0';
}

static int
test_snmp_start_once(struct test_snmpd *d, const char *sys_name,
    const char *extra)
{
	const char *tmp = getenv("TMPDIR");

	memset(d, 0, sizeof *d);
	snprintf(d->dir, sizeof d->dir, "%s/quire-test-snmp.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(d->dir) == NULL) {
		print_error("mkdtemp %s: %s\n", d->dir, strerror(errno));
		d->dir[0] = '\0';
		return -1;
	}
	if (test_snmp_free_ports(d) != 0 ||
	    test_snmp_write_conf(d, sys_name, extra) != 0 ||
	    test_snmp_spawn(d) != 0 || test_snmp_wait(d) != 0) {
		test_snmp_stop(d);
		return -1;
	}
	return 0;
}

/* Start an agent; a port taken by someone else meanwhile is retried. */
static int
test_snmp_start(struct test_snmpd *d, const char *sys_name, const char *extra)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (test_snmp_start_once(d, sys_name, extra) == 0)
			return 0;
	}
	return -1;
}

static int
test_snmp_group_setup(void **state)
{
	snmp_transport_init();
	snmp_transport_init();	/* idempotent */
	return test_snmp_start(&test_snmp_agent, TEST_SNMP_NAME, NULL);
}

static int
test_snmp_group_teardown(void **state)
{
	test_snmp_stop(&test_snmp_agent);
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

	rc = test_snmp_start(d, TEST_SNMP_HOSTILE, extra);
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

	test_snmp_stop(d);
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

int
main(void)
{
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

	return cmocka_run_group_tests_name("snmp", tests,
	    test_snmp_group_setup, test_snmp_group_teardown);
}
