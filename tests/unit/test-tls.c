/*
 * The TLS transport against OpenSSL's own s_server on a free loopback port:
 * the chain is read as `openssl x509` sees it; refusals, silence and
 * non-TLS peers end with a clear cause.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"
#include "tls.h"
#include "xmalloc.h"

struct fixture {
	char	*dir;
	pid_t	 server;
	unsigned port;
};

static const char *
test_tls_openssl(void)
{
	const char *o = getenv("OPENSSL");

	return o != NULL && *o != '\0' ? o : "openssl";
}

/* Run a shell command, failing the test if it fails. */
static void
test_tls_sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;

	va_start(ap, fmt);
	cmd = xvasprintf(fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
	free(cmd);
}

/* Bind a TCP socket on 127.0.0.1:0 (listening when LISTEN) and say where. */
static int
test_tls_socket(unsigned *port, int listen_too)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(fd, -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	if (listen_too)
		assert_int_equal(listen(fd, 4), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Start s_server with DIR/KEY.key and DIR/KEY.crt; wait until it answers. */
static void
test_tls_server(struct fixture *fx, const char *key)
{
	struct tls_chain *chain = NULL;
	char *cert, *keyf, port[16], *cause = NULL;
	int fd, i;

	fd = test_tls_socket(&fx->port, 0);
	close(fd);
	snprintf(port, sizeof port, "%u", fx->port);
	cert = xasprintf("%s/%s.crt", fx->dir, key);
	keyf = xasprintf("%s/%s.key", fx->dir, key);
	if ((fx->server = fork()) == 0) {
		freopen("/dev/null", "r", stdin);
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execlp(test_tls_openssl(), "openssl", "s_server", "-quiet",
		    "-accept", port, "-naccept", "50", "-cert", cert, "-key",
		    keyf, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
		if (tls_fetch_chain("127.0.0.1", fx->port, 500, &chain,
		    &cause) == 0)
			break;
		free(cause);
		cause = NULL;
		testutil_sleep_ms(25);
	}
	assert_non_null(chain);
	tls_chain_free(&chain);
	free(cert);
	free(keyf);
}

static int
test_tls_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);

	fx->dir = testutil_tmpdir();
	test_tls_sh("cd '%s' && %s req -x509 -newkey rsa:2048 -nodes -days 30 "
	    "-subj '/CN=printer-01.example/O=Quire Test' -keyout rsa.key "
	    "-out rsa.crt 2>/dev/null && %s req -x509 -newkey ec "
	    "-pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 "
	    "-subj '/CN=ec-printer' -keyout ec.key -out ec.crt 2>/dev/null",
	    fx->dir, test_tls_openssl(), test_tls_openssl());
	*state = fx;
	return 0;
}

static int
test_tls_teardown(void **state)
{
	struct fixture *fx = *state;
	int status;

	if (fx->server > 0) {
		kill(fx->server, SIGTERM);
		waitpid(fx->server, &status, 0);
	}
	testutil_rmrf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* The fingerprint `openssl x509` computes for DIR/NAME.crt. */
static char *
test_tls_expected_fingerprint(struct fixture *fx, const char *name)
{
	char *cmd, line[256], *eq;
	FILE *p;

	cmd = xasprintf("%s x509 -in '%s/%s.crt' -noout -fingerprint -sha256",
	    test_tls_openssl(), fx->dir, name);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(line, sizeof line, p));
	pclose(p);
	free(cmd);
	line[strcspn(line, "\n")] = '\0';
	assert_non_null(eq = strchr(line, '='));
	return xstrdup(eq + 1);
}

static void
test_tls_rsa_chain(void **state)
{
	struct fixture *fx = *state;
	struct tls_chain *chain = NULL;
	char *cause = NULL, *want;

	test_tls_server(fx, "rsa");
	if (tls_fetch_chain("127.0.0.1", fx->port, 3000, &chain, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(chain->n, 1);
	assert_string_equal(chain->v[0].subject,
	    "O=Quire Test,CN=printer-01.example");
	assert_string_equal(chain->v[0].issuer, chain->v[0].subject);
	assert_string_equal(chain->v[0].key_type, "RSA");
	assert_int_equal(chain->v[0].key_bits, 2048);
	assert_true(chain->v[0].not_after - chain->v[0].not_before ==
	    30 * 86400);
	want = test_tls_expected_fingerprint(fx, "rsa");
	assert_string_equal(chain->v[0].fingerprint, want);
	assert_non_null(strstr(chain->v[0].pem, "BEGIN CERTIFICATE"));
	assert_non_null(strstr(chain->protocol, "TLSv1."));
	free(want);
	tls_chain_free(&chain);
	assert_null(chain);
}

static void
test_tls_ec_chain(void **state)
{
	struct fixture *fx = *state;
	struct tls_chain *chain = NULL;
	char *cause = NULL;

	test_tls_server(fx, "ec");
	if (tls_fetch_chain("localhost", fx->port, 3000, &chain, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(chain->v[0].subject, "CN=ec-printer");
	assert_string_equal(chain->v[0].key_type, "EC");
	assert_int_equal(chain->v[0].key_bits, 256);
	tls_chain_free(&chain);
}

static void
test_tls_refused(void **state)
{
	struct tls_chain *chain = NULL;
	char *cause = NULL;
	unsigned port;
	int fd = test_tls_socket(&port, 0);

	/* Bound but not listening: the connection is refused. */
	assert_int_equal(tls_fetch_chain("127.0.0.1", port, 2000, &chain,
	    &cause), -1);
	assert_null(chain);
	assert_string_equal(cause, "connect: Connection refused");
	free(cause);
	close(fd);
}

static void
test_tls_silent(void **state)
{
	struct tls_chain *chain = NULL;
	char *cause = NULL;
	unsigned port;
	int fd = test_tls_socket(&port, 1);

	/* Listening but never speaking: the handshake times out. */
	assert_int_equal(tls_fetch_chain("127.0.0.1", port, 300, &chain,
	    &cause), -1);
	assert_string_equal(cause,
	    "no answer: timeout after 300 ms during the TLS handshake");
	free(cause);
	close(fd);
}

static void
test_tls_not_tls(void **state)
{
	struct tls_chain *chain = NULL;
	char *cause = NULL;
	unsigned port;
	int fd = test_tls_socket(&port, 1), c;
	pid_t pid;

	if ((pid = fork()) == 0) {
		c = accept(fd, NULL, NULL);
		if (write(c, "SSH-2.0-NotTLS\r\n", 16) != 16)
			_exit(1);
		testutil_sleep_ms(200);
		_exit(0);
	}
	assert_int_equal(tls_fetch_chain("127.0.0.1", port, 2000, &chain,
	    &cause), -1);
	assert_non_null(strstr(cause, "TLS handshake failed"));
	free(cause);
	waitpid(pid, NULL, 0);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tls_rsa_chain,
		    test_tls_setup, test_tls_teardown),
		cmocka_unit_test_setup_teardown(test_tls_ec_chain,
		    test_tls_setup, test_tls_teardown),
		cmocka_unit_test(test_tls_refused),
		cmocka_unit_test(test_tls_silent),
		cmocka_unit_test(test_tls_not_tls),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
