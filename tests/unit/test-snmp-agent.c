#include "config.h"

#include "test-snmp-agent.h"

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
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
#include "xmalloc.h"

/* Bind a UDP socket on the loopback of FAMILY at PORT (0: any); or -1. */
static int
test_snmpd_bind(int family, unsigned port, unsigned *bound)
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
test_snmpd_free_ports(struct test_snmpd *d)
{
	unsigned port, port6;
	int i, fd, fd6;

	for (i = 0; i < 20; i++) {
		if ((fd = test_snmpd_bind(AF_INET, 0, &port)) == -1)
			return -1;
		fd6 = test_snmpd_bind(AF_INET6, port, &port6);
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
test_snmpd_path(const struct test_snmpd *d, const char *name)
{
	return xasprintf("%s/%s", d->dir, name);
}

/* snmpd.conf for D: SYS_NAME and EXTRA lines (or NULL). */
static int
test_snmpd_write_conf(const struct test_snmpd *d, const char *sys_name,
    const char *extra, int flags)
{
	char *path = test_snmpd_path(d, "snmpd.conf");
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
	    "sysName %s\nsysDescr %s\n", sys_name, TEST_SNMP_DESCR);
	if (!(flags & TEST_SNMPD_WRITABLE))
		fprintf(f, "sysLocation quire test lab\n"
		    "sysContact tester@example.invalid\n");
	fputs(extra != NULL ? extra : "", f);
	rc = ferror(f) ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	free(path);
	return rc;
}

/* In the child: stdio to DIR/snmpd.out, then exec snmpd in the foreground. */
static void
test_snmpd_exec(const char *snmpd, char **argv, char **envp, const char *out,
    pid_t parent)
{
	int fd;

	/* A test that dies (a crash, a harness timeout) takes its agent along. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
		_exit(126);
	if ((fd = open("/dev/null", O_RDONLY)) == -1 || dup2(fd, 0) == -1)
		_exit(126);
	if ((fd = open(out, O_WRONLY|O_CREAT|O_TRUNC, 0600)) == -1 ||
	    dup2(fd, 1) == -1 || dup2(fd, 2) == -1)
		_exit(126);
	execve(snmpd, argv, envp);
	_exit(127);
}

static int
test_snmpd_spawn(struct test_snmpd *d)
{
	const char *snmpd = getenv("SNMPD");
	pid_t parent = getpid();
	char *conf = test_snmpd_path(d, "snmpd.conf");
	char *pidf = test_snmpd_path(d, "snmpd.pid");
	char *log = test_snmpd_path(d, "snmpd.log");
	char *out = test_snmpd_path(d, "snmpd.out");
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
		test_snmpd_exec(snmpd, argv, envp, out, parent);
	free(conf);
	free(pidf);
	free(log);
	free(out);
	free(pdir);
	free(home);
	return d->pid > 0 ? 0 : -1;
}

static void
test_snmpd_show_file(const struct test_snmpd *d, const char *name)
{
	char *path = test_snmpd_path(d, name), line[512];
	FILE *f;

	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			print_error("%s: %s", name, line);
		fclose(f);
	}
	free(path);
}

static void
test_snmpd_target(struct snmp_target *t, const char *host, unsigned port,
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
test_snmpd_wait(struct test_snmpd *d)
{
	struct snmp_target t;
	struct snmp_identity id;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	char *cause = NULL;
	int i, status;

	test_snmpd_target(&t, "127.0.0.1", d->port, "public");
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
	test_snmpd_show_file(d, "snmpd.out");
	test_snmpd_show_file(d, "snmpd.log");
	return -1;
}

static int
test_snmpd_rm(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	if (remove(path) != 0)
		print_error("remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* Stop the agent by PID (TERM, then KILL after ~5 s) and remove its files. */
void
test_snmpd_stop(struct test_snmpd *d)
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
		nftw(d->dir, test_snmpd_rm, 16, FTW_DEPTH|FTW_PHYS);
	d->dir[0] = '\0';
}

static int
test_snmpd_start_once(struct test_snmpd *d, const char *sys_name,
    const char *extra, int flags)
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
	if (test_snmpd_free_ports(d) != 0 ||
	    test_snmpd_write_conf(d, sys_name, extra, flags) != 0 ||
	    test_snmpd_spawn(d) != 0 || test_snmpd_wait(d) != 0) {
		test_snmpd_stop(d);
		return -1;
	}
	return 0;
}

/* Start an agent; a port taken by someone else meanwhile is retried. */
int
test_snmpd_start(struct test_snmpd *d, const char *sys_name, const char *extra,
    int flags)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (test_snmpd_start_once(d, sys_name, extra, flags) == 0)
			return 0;
	}
	return -1;
}

struct snmp_key *
test_snmp_key(const struct snmp_cred *c)
{
	struct snmp_key *k;
	char *cause = NULL;

	if (snmp_key_new(c, &k, &cause) != 0)
		fail_msg("snmp_key_new: %s", cause);
	return k;
}

struct snmp_key *
test_snmp_community(enum snmp_version v, const char *community)
{
	struct snmp_cred c = { .version = v, .community = community };

	return test_snmp_key(&c);
}

void
test_snmp_seen_clear(struct test_snmp_seen *s)
{
	size_t i;

	free(s->cause);
	for (i = 0; i < s->nvbs && i < 64; i++) {
		free(s->oids[i]);
		free(s->texts[i]);
	}
	memset(s, 0, sizeof *s);
}

void
test_snmp_record(const struct snmp_result *r, void *arg)
{
	struct test_snmp_seen *s = arg;
	size_t i;

	s->calls++;
	s->fail = r->fail;
	s->cause = r->cause != NULL ? xstrdup(r->cause) : NULL;
	s->error_status = r->error_status;
	s->error_index = r->error_index;
	s->nvbs = r->nvbs;
	for (i = 0; i < r->nvbs && i < 64; i++) {
		s->oids[i] = xstrdup(r->vbs[i].oid);
		s->texts[i] = r->vbs[i].text ? xstrdup(r->vbs[i].text) : NULL;
		s->types[i] = r->vbs[i].type;
		s->hex[i] = r->vbs[i].hex;
	}
}

void
test_snmp_request(struct snmp_request *r, unsigned port, struct snmp_key *key,
    enum snmp_op op, const char * const *oids, size_t n,
    struct test_snmp_seen *s)
{
	memset(r, 0, sizeof *r);
	r->host = "127.0.0.1";
	r->port = port;
	r->key = key;
	r->timeout_ms = 2000;
	r->retries = 1;
	r->op = op;
	r->oids = oids;
	r->noids = n;
	r->done = test_snmp_record;
	r->arg = s;
}

/* Submit R to a new pool, run it to the end, free the pool. */
void
test_snmp_run_one(struct snmp_request *r)
{
	struct snmp_pool *pool = snmp_pool_new(0);
	char *cause = NULL;

	if (snmp_pool_submit(pool, r, &cause) != 0)
		fail_msg("submit: %s", cause);
	assert_int_equal(snmp_pool_run(pool, 30000), 0);
	snmp_pool_free(&pool);
}

void
test_snmp_get_name(unsigned port, struct snmp_key *key, const char *name)
{
	static const char *oids[] = {
	    "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.1.0" };
	struct snmp_request r;
	struct test_snmp_seen s = { 0 };

	test_snmp_request(&r, port, key, SNMP_OP_GET, oids, 2, &s);
	test_snmp_run_one(&r);
	assert_int_equal(s.calls, 1);
	if (s.fail != SNMP_FAIL_NONE)
		fail_msg("GET: %s", s.cause);
	assert_int_equal(s.nvbs, 2);
	assert_string_equal(s.oids[0], oids[0]);
	assert_string_equal(s.texts[0], name);
	assert_int_equal(s.types[1], SNMP_TYPE_OCTETS);
	assert_string_equal(s.texts[1], TEST_SNMP_DESCR);
	test_snmp_seen_clear(&s);
}
