/*
 * The SSH transport against OpenSSH's sshd, started by
 * tests/integration/ssh-sshd.sh, which passes (environment):
 *   SSH_TEST_PORT_A, SSH_TEST_PORT_B  two sshds on 127.0.0.1 whose
 *                                     ForceCommand echoes command and stdin
 *   SSH_TEST_FP_A                     sshd A's host key, per ssh-keygen -lf
 *   SSH_TEST_USER                     the user the key logs in as
 *   SSH_TEST_KEY, SSH_TEST_WRONG_KEY  an authorised and a stranger ed25519
 *                                     private key (files)
 * Without them the sshd tests are skipped (77).
 *
 * `test-ssh run ...` is a small client for the shell tests (see
 * test_ssh_run_main): the host key is checked against a quire database.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostkey.h"
#include "log.h"
#include "sshc.h"
#include "store.h"
#include "testutil.h"
#include "xmalloc.h"

#define TEST_SSH_POOL_N		50
#define TEST_SSH_BIG		(1024 * 1024)
#define TEST_SSH_FDS		1100

struct test_ssh {
	char		*dir;
	struct store	*st;
	unsigned	 port_a;
	unsigned	 port_b;
	const char	*fp_a;
	const char	*user;
	char		*key;
	char		*wrong_key;
	int		 silent_fd;
	unsigned	 silent_port;
};

static struct test_ssh test_ssh_env;

/* A whole file as a C string; the test fails if it cannot be read. */
static char *
test_ssh_slurp(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	for (;;) {
		if (cap - n < 4097) {
			cap = cap == 0 ? 8192 : cap * 2;
			buf = xreallocarray(buf, 1, cap);
		}
		if ((r = read(fd, buf + n, cap - n - 1)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

/* A TCP port on 127.0.0.1 that accepts connections and never speaks. */
static int
test_ssh_silent(unsigned *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, 16) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	*port = ntohs(sin.sin_port);
	return fd;
}

static int
test_ssh_group_setup(void **state)
{
	struct test_ssh *t = &test_ssh_env;
	const char *a = getenv("SSH_TEST_PORT_A"), *b = getenv("SSH_TEST_PORT_B");

	if (a == NULL || b == NULL)
		return -1;
	t->port_a = (unsigned)atoi(a);
	t->port_b = (unsigned)atoi(b);
	t->fp_a = getenv("SSH_TEST_FP_A");
	t->user = getenv("SSH_TEST_USER");
	t->key = test_ssh_slurp(getenv("SSH_TEST_KEY"), NULL);
	t->wrong_key = test_ssh_slurp(getenv("SSH_TEST_WRONG_KEY"), NULL);
	if (t->fp_a == NULL || t->user == NULL || t->key == NULL ||
	    t->wrong_key == NULL)
		return -1;
	if ((t->silent_fd = test_ssh_silent(&t->silent_port)) == -1)
		return -1;
	t->dir = testutil_tmpdir();
	t->st = testutil_store(t->dir, "hosts.db");
	*state = t;
	return 0;
}

static int
test_ssh_group_teardown(void **state)
{
	struct test_ssh *t = &test_ssh_env;

	store_free(&t->st);
	testutil_rmrf(t->dir);
	free(t->dir);
	free(t->key);
	free(t->wrong_key);
	close(t->silent_fd);
	sshc_transport_shutdown();
	return 0;
}

/* A key login to PORT running COMMAND, the host key checked in the store. */
static void
test_ssh_request(struct test_ssh *t, struct sshc_request *req,
    struct sshc_login *login, unsigned port, const char *command)
{
	memset(login, 0, sizeof *login);
	login->kind = SSH_LOGIN_KEY;
	login->user = t->user;
	login->secret = t->key;
	memset(req, 0, sizeof *req);
	req->host = "127.0.0.1";
	req->port = port;
	req->login = login;
	req->hostkey_cb = hostkey_verify;
	req->hostkey_arg = t->st;
	req->command = command;
}

static void
test_ssh_assert_ok(const struct sshc_result *res)
{
	if (res->failure != SSH_FAIL_NONE)
		fail_msg("failure %d: %s", res->failure, res->cause);
	assert_null(res->cause);
}

static void
test_ssh_exec_output(void **state)
{
	struct test_ssh *t = *state;
	struct sshc_request req;
	struct sshc_login login;
	struct sshc_result res;
	int i;

	test_ssh_request(t, &req, &login, t->port_a, "hello world");
	req.input = "payload\n";
	req.input_len = 8;
	for (i = 0; i < 2; i++) {
		assert_int_equal(sshc_exec(&req, &res), 0);
		test_ssh_assert_ok(&res);
		assert_string_equal(res.out,
		    "command: hello world\nstdin: payload\n");
		assert_int_equal(res.out_len, strlen(res.out));
		assert_string_equal(res.err, "stderr: hello world\n");
		assert_int_equal(res.exit_status, 3);
		assert_null(res.exit_signal);
		assert_string_equal(res.key_type, "ssh-ed25519");
		/* The same fingerprint as OpenSSH's, learnt only once. */
		assert_string_equal(res.fingerprint, t->fp_a);
		assert_int_equal(res.hostkey_learnt, i == 0);
		sshc_result_clear(&res);
	}
	test_ssh_request(t, &req, &login, t->port_a, "status 0");
	assert_int_equal(sshc_exec(&req, &res), 0);
	assert_string_equal(res.out, "out:0\n");
	assert_string_equal(res.err, "err:0\n");
	assert_int_equal(res.exit_status, 0);
	sshc_result_clear(&res);
	test_ssh_request(t, &req, &login, t->port_a, "signal");
	assert_int_equal(sshc_exec(&req, &res), 0);
	assert_string_equal(res.exit_signal, "TERM");
	assert_int_equal(res.exit_status, -1);
	sshc_result_clear(&res);
}

static unsigned char *
test_ssh_random(size_t n)
{
	unsigned char *buf = xmalloc(n);
	uint32_t x = 2463534242u;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	return buf;
}

static void
test_ssh_big_payload(void **state)
{
	struct test_ssh *t = *state;
	unsigned char *big = test_ssh_random(4 * TEST_SSH_BIG);
	struct sshc_request req;
	struct sshc_login login;
	struct sshc_result res;

	/* 1 MiB through stdin and back through stdout, byte for byte. */
	test_ssh_request(t, &req, &login, t->port_b, "echo-stdin");
	req.input = big;
	req.input_len = TEST_SSH_BIG;
	assert_int_equal(sshc_exec(&req, &res), 0);
	test_ssh_assert_ok(&res);
	assert_int_equal(res.out_len, TEST_SSH_BIG);
	assert_memory_equal(res.out, big, TEST_SSH_BIG);
	assert_int_equal(res.err_len, 0);
	assert_int_equal(res.exit_status, 0);
	sshc_result_clear(&res);
	/* More output than allowed is an error, not a truncation. */
	req.output_max = 1000;
	assert_int_equal(sshc_exec(&req, &res), -1);
	assert_int_equal(res.failure, SSH_FAIL_CHANNEL);
	assert_string_equal(res.cause, "the printer's output exceeds 1000 "
	    "bytes");
	sshc_result_clear(&res);
	/* A command that reads none of 4 MiB (more than the window) ends. */
	test_ssh_request(t, &req, &login, t->port_b, "status 7");
	req.input = big;
	req.input_len = 4 * TEST_SSH_BIG;
	(void)sshc_exec(&req, &res);
	test_ssh_assert_ok(&res);
	assert_int_equal(res.exit_status, 7);
	assert_string_equal(res.out, "out:7\n");
	sshc_result_clear(&res);
	free(big);
}

static void
test_ssh_expect(struct sshc_request *req, enum sshc_failure failure,
    const char *cause)
{
	struct sshc_result res;

	assert_int_equal(sshc_exec(req, &res), -1);
	if (res.failure != failure || res.cause == NULL ||
	    strstr(res.cause, cause) == NULL)
		fail_msg("want failure %d '%s', got %d '%s'", failure, cause,
		    res.failure, res.cause);
	sshc_result_clear(&res);
}

static void
test_ssh_refusals(void **state)
{
	struct test_ssh *t = *state;
	struct sshc_request req;
	struct sshc_login login;

	test_ssh_request(t, &req, &login, t->port_a, "hello");
	login.secret = t->wrong_key;
	test_ssh_expect(&req, SSH_FAIL_AUTH, "authentication failed (ssh-key)");
	login.secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm9uc2Vuc2U=\n"
	    "-----END OPENSSH PRIVATE KEY-----\n";
	test_ssh_expect(&req, SSH_FAIL_AUTH, "the SSH key cannot be used");
	/* sshd offers publickey only. */
	login.kind = SSH_LOGIN_SYSMGR;
	login.id = "4711";
	login.secret = "0815";
	test_ssh_expect(&req, SSH_FAIL_AUTH, "the printer offers no method "
	    "for System Manager ID login (it offers: publickey)");
	login.kind = SSH_LOGIN_DOMAIN;
	login.domain = "CORP";
	test_ssh_expect(&req, SSH_FAIL_AUTH, "the printer offers no method "
	    "for Domain Authentication login (it offers: publickey)");
	/* A login without what its kind needs never reaches the network. */
	login.domain = NULL;
	test_ssh_expect(&req, SSH_FAIL_REQUEST, "lacks its domain or user");
}

/* Refuse every key, as a changed key is refused. */
static int
test_ssh_refuse_key(void *arg, const char *host, unsigned port,
    const struct sshc_hostkey *key, char **cause)
{
	*cause = xasprintf("refused %s by test", key->fingerprint);
	return -1;
}

static void
test_ssh_network(void **state)
{
	struct test_ssh *t = *state;
	struct sshc_request req;
	struct sshc_login login;
	unsigned closed;
	int fd;

	test_ssh_request(t, &req, &login, t->port_a, "hello");
	req.hostkey_cb = test_ssh_refuse_key;
	test_ssh_expect(&req, SSH_FAIL_HOSTKEY, t->fp_a);
	/* A port nobody listens on (closed right after it was bound). */
	fd = test_ssh_silent(&closed);
	assert_true(fd >= 0);
	close(fd);
	test_ssh_request(t, &req, &login, closed, "hello");
	test_ssh_expect(&req, SSH_FAIL_CONNECT, "connection refused");
	test_ssh_request(t, &req, &login, t->silent_port, "hello");
	req.kex_timeout_ms = 300;
	test_ssh_expect(&req, SSH_FAIL_TIMEOUT, "no answer: timeout after "
	    "300 ms during key exchange");
	test_ssh_request(t, &req, &login, t->port_a, "sleep 5");
	req.command_timeout_ms = 300;
	test_ssh_expect(&req, SSH_FAIL_TIMEOUT, "the command did not finish: "
	    "timeout after 300 ms");
}

struct test_ssh_done {
	int			 calls;
	struct sshc_result	 res;
};

static void
test_ssh_done(void *arg, struct sshc_result *res)
{
	struct test_ssh_done *d = arg;

	d->calls++;
	d->res = *res;
	memset(res, 0, sizeof *res);
}

/* Session I of the pool ran once and echoed its own command and stdin. */
static void
test_ssh_pool_check(struct test_ssh_done *d, int i)
{
	char *want = xasprintf("command: job %d\nstdin: payload %d\n", i, i);

	assert_int_equal(d->calls, 1);
	test_ssh_assert_ok(&d->res);
	assert_string_equal(d->res.out, want);
	assert_int_equal(d->res.exit_status, 3);
	free(want);
	sshc_result_clear(&d->res);
}

/* 50 sessions on two sshds and one silent listener in one pool. */
static void
test_ssh_pool(void **state)
{
	struct test_ssh *t = *state;
	struct test_ssh_done done[TEST_SSH_POOL_N + 1];
	char *cmd[TEST_SSH_POOL_N], *in[TEST_SSH_POOL_N], *cause = NULL;
	struct sshc_pool *pool = sshc_pool_new(0);
	struct sshc_request req;
	struct sshc_login login;
	int i;

	memset(done, 0, sizeof done);
	test_ssh_request(t, &req, &login, t->silent_port, "silent");
	req.kex_timeout_ms = 1500;
	assert_int_equal(sshc_pool_submit(pool, &req, test_ssh_done,
	    &done[TEST_SSH_POOL_N], &cause), 0);
	for (i = 0; i < TEST_SSH_POOL_N; i++) {
		cmd[i] = xasprintf("job %d", i);
		in[i] = xasprintf("payload %d\n", i);
		test_ssh_request(t, &req, &login, i % 2 ? t->port_b : t->port_a,
		    cmd[i]);
		req.input = in[i];
		req.input_len = strlen(in[i]);
		assert_int_equal(sshc_pool_submit(pool, &req, test_ssh_done,
		    &done[i], &cause), 0);
	}
	assert_int_equal(sshc_pool_pending(pool), TEST_SSH_POOL_N + 1);
	if (sshc_pool_run(pool, &cause) != 0)
		fail_msg("pool: %s", cause);
	assert_int_equal(sshc_pool_pending(pool), 0);
	for (i = 0; i < TEST_SSH_POOL_N; i++) {
		test_ssh_pool_check(&done[i], i);
		free(cmd[i]);
		free(in[i]);
	}
	assert_int_equal(done[TEST_SSH_POOL_N].calls, 1);
	assert_int_equal(done[TEST_SSH_POOL_N].res.failure, SSH_FAIL_TIMEOUT);
	assert_string_equal(done[TEST_SSH_POOL_N].res.cause, "no answer: "
	    "timeout after 1500 ms during key exchange");
	sshc_result_clear(&done[TEST_SSH_POOL_N].res);
	sshc_pool_free(&pool);
}

/* With more than FD_SETSIZE descriptors open the sockets are > 1024. */
static void
test_ssh_many_fds(void **state)
{
	struct test_ssh *t = *state;
	struct rlimit old, rl;
	struct sshc_request req;
	struct sshc_login login;
	struct sshc_result res;
	int fds[TEST_SSH_FDS], i, n = 0;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = old;
	if (rl.rlim_cur < TEST_SSH_FDS + 64) {
		if (rl.rlim_max < TEST_SSH_FDS + 64)
			skip();
		rl.rlim_cur = TEST_SSH_FDS + 64;
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	for (n = 0; n < TEST_SSH_FDS; n++) {
		if ((fds[n] = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			fail_msg("open: %s", strerror(errno));
	}
	assert_true(fds[TEST_SSH_FDS - 1] > 1024);
	test_ssh_request(t, &req, &login, t->port_a, "fds");
	req.input = "x";
	req.input_len = 1;
	assert_int_equal(sshc_exec(&req, &res), 0);
	assert_string_equal(res.out, "command: fds\nstdin: x");
	sshc_result_clear(&res);
	for (i = 0; i < n; i++)
		close(fds[i]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
}

/* Options of `test-ssh run`. */
struct test_ssh_opts {
	const char	*db;
	const char	*host;
	unsigned	 port;
	const char	*secret_file;
	unsigned	 timeout_ms;
	struct sshc_login login;
};

static int
test_ssh_kind(const char *s, enum sshc_login_kind *kind)
{
	static const char *const names[] = { "user", "domain", "sysmgr",
	    "password", "key" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*kind = (enum sshc_login_kind)i;
			return 0;
		}
	}
	return -1;
}

static int
test_ssh_parse(int argc, char **argv, struct test_ssh_opts *o)
{
	int ch;

	memset(o, 0, sizeof *o);
	optind = 2;
	while ((ch = getopt(argc, argv, "+d:h:p:k:u:D:i:s:t:")) != -1) {
		switch (ch) {
		case 'd': o->db = optarg; break;
		case 'h': o->host = optarg; break;
		case 'p': o->port = (unsigned)atoi(optarg); break;
		case 'k':
			if (test_ssh_kind(optarg, &o->login.kind) != 0)
				return -1;
			break;
		case 'u': o->login.user = optarg; break;
		case 'D': o->login.domain = optarg; break;
		case 'i': o->login.id = optarg; break;
		case 's': o->secret_file = optarg; break;
		case 't': o->timeout_ms = (unsigned)atoi(optarg); break;
		default: return -1;
		}
	}
	if (o->db == NULL || o->host == NULL || o->secret_file == NULL ||
	    optind != argc - 1)
		return -1;
	return 0;
}

/* Print the result the way the shell tests read it. */
static int
test_ssh_report(struct sshc_result *res)
{
	fwrite(res->out != NULL ? res->out : "", 1, res->out_len, stdout);
	fwrite(res->err != NULL ? res->err : "", 1, res->err_len, stderr);
	if (res->failure != SSH_FAIL_NONE) {
		fprintf(stderr, "ssh: failed (%d): %s\n", res->failure,
		    res->cause);
		return 255;
	}
	fprintf(stderr, "ssh: exit=%d learnt=%d fp=%s\n", res->exit_status,
	    res->hostkey_learnt ? 1 : 0, res->fingerprint);
	return res->exit_status >= 0 ? res->exit_status : 254;
}

static void
test_ssh_run_request(struct test_ssh_opts *o, struct sshc_request *req,
    struct store *st, const char *command)
{
	req->host = o->host;
	req->port = o->port;
	req->login = &o->login;
	req->hostkey_cb = hostkey_verify;
	req->hostkey_arg = st;
	req->command = command;
	req->connect_timeout_ms = req->kex_timeout_ms = req->auth_timeout_ms =
	    o->timeout_ms;
}

/*
 * test-ssh run -d DB -h HOST [-p PORT] -k KIND [-u USER] [-D DOMAIN]
 * [-i ID] -s SECRET-FILE [-t TIMEOUT-MS] COMMAND: stdin is the payload,
 * the secret is the file's first line (a whole key file for -k key).
 */
static int
test_ssh_run_main(int argc, char **argv)
{
	struct test_ssh_opts o;
	struct sshc_request req = { 0 };
	struct sshc_result res;
	struct store *st;
	char *secret, *input, *cause = NULL;
	size_t input_len;
	int rc;

	/* TEST_SSH_LOG: debug log on stderr (the tests check it for secrets). */
	if (getenv("TEST_SSH_LOG") != NULL && log_open("-", LOG_LEVEL_DEBUG,
	    &cause) != 0)
		return 2;
	if (test_ssh_parse(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: test-ssh run -d DB -h HOST -p PORT "
		    "-k KIND [-u U] [-D D] [-i ID] -s FILE COMMAND\n");
		return 2;
	}
	if ((secret = test_ssh_slurp(o.secret_file, NULL)) == NULL ||
	    (input = test_ssh_slurp("/dev/stdin", &input_len)) == NULL ||
	    store_open(o.db, &st, &cause) != 0) {
		fprintf(stderr, "test-ssh: cannot read input or open the "
		    "store: %s\n", cause != NULL ? cause : strerror(errno));
		return 2;
	}
	if (o.login.kind != SSH_LOGIN_KEY)
		secret[strcspn(secret, "\n")] = '\0';
	o.login.secret = secret;
	test_ssh_run_request(&o, &req, st, argv[argc - 1]);
	req.input = input;
	req.input_len = input_len;
	(void)sshc_exec(&req, &res);
	rc = test_ssh_report(&res);
	sshc_result_clear(&res);
	store_free(&st);
	free(secret);
	free(input);
	sshc_transport_shutdown();
	return rc;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh_exec_output),
		cmocka_unit_test(test_ssh_big_payload),
		cmocka_unit_test(test_ssh_refusals),
		cmocka_unit_test(test_ssh_network),
		cmocka_unit_test(test_ssh_pool),
		cmocka_unit_test(test_ssh_many_fds),
	};

	if (argc > 1 && strcmp(argv[1], "run") == 0)
		return test_ssh_run_main(argc, argv);
	if (getenv("SSH_TEST_PORT_A") == NULL) {
		fprintf(stderr, "SKIP: run by tests/integration/ssh-sshd.sh\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, test_ssh_group_setup,
	    test_ssh_group_teardown);
}
