#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <malloc.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "log.h"
#include "sshc-int.h"
#include "text.h"
#include "xmalloc.h"

/*
 * A fixed host-key preference, so a printer with several host keys always
 * shows the same one to the known-hosts store.
 */
#define SSH_SESSION_HOSTKEYS \
	"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384," \
	"ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa"
/* How often a teardown call may say "again" before we give up on it. */
#define SSH_SESSION_FREE_TRIES	16

/*
 * libssh2's allocator: everything it frees (packets with passwords, PINs,
 * keyboard-interactive answers, key material) is wiped first.
 */
static LIBSSH2_ALLOC_FUNC(sshc_session_alloc)
{
	return malloc(count != 0 ? count : 1);
}

static LIBSSH2_FREE_FUNC(sshc_session_dealloc)
{
	if (ptr != NULL) {
		OPENSSL_cleanse(ptr, malloc_usable_size(ptr));
		free(ptr);
	}
}

static LIBSSH2_REALLOC_FUNC(sshc_session_realloc)
{
	size_t old = ptr != NULL ? malloc_usable_size(ptr) : 0;
	void *p;

	if ((p = malloc(count != 0 ? count : 1)) == NULL)
		return NULL;
	if (ptr != NULL) {
		memcpy(p, ptr, old < count ? old : count);
		sshc_session_dealloc(ptr, abstract);
	}
	return p;
}

enum sshc_step
sshc_session_fail(struct sshc_session *s, enum sshc_failure failure,
    const char *fmt, ...)
{
	va_list ap;

	if (s->res.cause == NULL) {
		va_start(ap, fmt);
		s->res.cause = xvasprintf(fmt, ap);
		va_end(ap);
		s->res.failure = failure;
	}
	return SSH_STEP_DONE;
}

/* Fail with libssh2's own words for RC (they never hold a secret). */
enum sshc_step
sshc_session_lib_fail(struct sshc_session *s, enum sshc_failure failure,
    const char *what, int rc)
{
	char *msg = NULL, *safe;
	int len = 0;

	if (s->ssh != NULL)
		libssh2_session_last_error(s->ssh, &msg, &len, 0);
	if (rc == LIBSSH2_ERROR_SOCKET_DISCONNECT ||
	    rc == LIBSSH2_ERROR_SOCKET_RECV)
		return sshc_session_fail(s, failure, "%s: the printer closed "
		    "the connection", what);
	safe = text_sanitize(msg != NULL ? msg : "", len > 0 ? (size_t)len : 0);
	sshc_session_fail(s, failure, "%s: %s (libssh2 error %d)", what,
	    *safe != '\0' ? safe : "unknown error", rc);
	free(safe);
	return SSH_STEP_DONE;
}

/* Would block: wait for the directions libssh2 is blocked in. */
enum sshc_step
sshc_session_again(struct sshc_session *s)
{
	int dirs = libssh2_session_block_directions(s->ssh);

	s->events = 0;
	if (dirs & LIBSSH2_SESSION_BLOCK_INBOUND)
		s->events |= POLLIN;
	if (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		s->events |= POLLOUT;
	if (s->events == 0)
		s->events = POLLIN;
	return SSH_STEP_AGAIN;
}

void
sshc_session_phase(struct sshc_session *s, enum sshc_state state, unsigned ms)
{
	s->state = state;
	s->deadline = sshc_now_ms() + ms;
}

static enum sshc_step
sshc_session_connect_error(struct sshc_session *s, int err)
{
	if (err == ECONNREFUSED)
		return sshc_session_fail(s, SSH_FAIL_CONNECT,
		    "connection refused");
	return sshc_session_fail(s, SSH_FAIL_CONNECT, "cannot connect: %s",
	    strerror(err));
}

/* Resolve and start a non-blocking connect to the first address. */
static enum sshc_step
sshc_session_connect(struct sshc_session *s)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	char service[8], *safe;
	int gai, rc;

	snprintf(service, sizeof service, "%u", s->port);
	if ((gai = getaddrinfo(s->host, service, &hints, &res)) != 0) {
		safe = text_sanitize(s->host, strlen(s->host));
		sshc_session_fail(s, SSH_FAIL_CONNECT, "cannot resolve host "
		    "'%s': %s", safe, gai_strerror(gai));
		free(safe);
		return SSH_STEP_DONE;
	}
	s->fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, res->ai_protocol);
	if (s->fd == -1) {
		freeaddrinfo(res);
		return sshc_session_fail(s, SSH_FAIL_CONNECT, "socket: %s",
		    strerror(errno));
	}
	rc = connect(s->fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	/* EINTR on a non-blocking connect: it goes on in the background. */
	if (rc == -1 && errno != EINPROGRESS && errno != EINTR)
		return sshc_session_connect_error(s, errno);
	sshc_session_phase(s, SSH_ST_CONNECT, s->connect_ms);
	s->events = POLLOUT;
	return rc == 0 ? SSH_STEP_NEXT : SSH_STEP_AGAIN;
}

/*
 * Prefer our host-key types, those libssh2 knows only: libssh2 1.10
 * drops unknown names with an overlapping memcpy.
 */
static void
sshc_session_hostkey_pref(struct sshc_session *s)
{
	const char **algs = NULL;
	char *want = xstrdup(SSH_SESSION_HOSTKEYS), *pref, *tok, *save, *next;
	int n, i;

	pref = xstrdup("");
	n = libssh2_session_supported_algs(s->ssh, LIBSSH2_METHOD_HOSTKEY,
	    &algs);
	for (tok = strtok_r(want, ",", &save); tok != NULL && n > 0;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < n && strcmp(algs[i], tok) != 0; i++)
			continue;
		if (i == n)
			continue;
		next = xasprintf("%s%s%s", pref, *pref != '\0' ? "," : "", tok);
		free(pref);
		pref = next;
	}
	if (n > 0)
		libssh2_free(s->ssh, algs);
	if (*pref != '\0' && libssh2_session_method_pref(s->ssh,
	    LIBSSH2_METHOD_HOSTKEY, pref) != 0)
		log_warn("libssh2 refused the host-key preference %s", pref);
	free(pref);
	free(want);
}

/* The connect finished: start libssh2 on the socket. */
static enum sshc_step
sshc_session_connected(struct sshc_session *s)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY) {
		s->events = POLLOUT;
		return SSH_STEP_AGAIN;
	}
	if (err != 0)
		return sshc_session_connect_error(s, err);
	s->ssh = libssh2_session_init_ex(sshc_session_alloc,
	    sshc_session_dealloc, sshc_session_realloc, s);
	if (s->ssh == NULL)
		return sshc_session_fail(s, SSH_FAIL_PROTOCOL,
		    "cannot create an SSH session");
	libssh2_session_set_blocking(s->ssh, 0);
	sshc_session_hostkey_pref(s);
	sshc_session_phase(s, SSH_ST_HANDSHAKE, s->kex_ms);
	return SSH_STEP_NEXT;
}

/* The key exchange is done: ask the callback about the host key. */
static enum sshc_step
sshc_session_hostkey(struct sshc_session *s)
{
	struct sshc_hostkey key;
	const char *blob;
	size_t len = 0;
	char *cause = NULL;
	int type, rc;

	blob = libssh2_session_hostkey(s->ssh, &len, &type);
	if (blob == NULL || len == 0)
		return sshc_session_fail(s, SSH_FAIL_PROTOCOL,
		    "the printer sent no host key");
	s->res.key_type = sshc_key_type((const unsigned char *)blob, len);
	s->res.fingerprint = sshc_fingerprint((const unsigned char *)blob, len);
	key.type = s->res.key_type;
	key.fingerprint = s->res.fingerprint;
	key.blob = (const unsigned char *)blob;
	key.len = len;
	rc = s->hostkey_cb(s->hostkey_arg, s->host, s->port, &key, &cause);
	if (rc < 0) {
		sshc_session_fail(s, SSH_FAIL_HOSTKEY, "%s", cause != NULL ?
		    cause : "host key refused");
		free(cause);
		return SSH_STEP_DONE;
	}
	free(cause);
	s->res.hostkey_learnt = rc == SSH_HOSTKEY_LEARNT;
	sshc_session_phase(s, SSH_ST_AUTHLIST, s->auth_ms);
	return SSH_STEP_NEXT;
}

static enum sshc_step
sshc_session_handshake(struct sshc_session *s)
{
	int rc = libssh2_session_handshake(s->ssh, s->fd);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return sshc_session_again(s);
	if (rc != 0)
		return sshc_session_lib_fail(s, SSH_FAIL_PROTOCOL,
		    "key exchange failed", rc);
	return sshc_session_hostkey(s);
}

/* Free libssh2's objects and the socket; never blocks. */
static void
sshc_session_teardown(struct sshc_session *s)
{
	int tries;

	if (s->res.failure == SSH_FAIL_NONE)
		log_debug("%s:%u: '%s' exited %d", s->host, s->port,
		    s->command, s->res.exit_status);
	else
		log_debug("%s:%u: %s", s->host, s->port, s->res.cause);
	if (s->ssh != NULL && s->res.failure == SSH_FAIL_NONE)
		(void)libssh2_session_disconnect(s->ssh, "done");
	/* With the socket shut, libssh2 can only fail at once, not wait. */
	if (s->fd != -1)
		(void)shutdown(s->fd, SHUT_RDWR);
	for (tries = 0; s->chan != NULL && tries < SSH_SESSION_FREE_TRIES;
	    tries++) {
		if (libssh2_channel_free(s->chan) != LIBSSH2_ERROR_EAGAIN)
			s->chan = NULL;
	}
	for (tries = 0; s->ssh != NULL && tries < SSH_SESSION_FREE_TRIES;
	    tries++) {
		if (libssh2_session_free(s->ssh) != LIBSSH2_ERROR_EAGAIN)
			s->ssh = NULL;
	}
	if (s->chan != NULL || s->ssh != NULL)
		log_error("libssh2 would not let go of a session to %s:%u",
		    s->host, s->port);
	if (s->fd != -1 && close(s->fd) == -1 && errno != EINTR)
		log_warn("close: %s", strerror(errno));
	s->fd = -1;
	s->state = SSH_ST_DONE;
}

static enum sshc_step
sshc_session_dispatch(struct sshc_session *s)
{
	switch (s->state) {
	case SSH_ST_QUEUED:
		return sshc_session_connect(s);
	case SSH_ST_CONNECT:
		return sshc_session_connected(s);
	case SSH_ST_HANDSHAKE:
		return sshc_session_handshake(s);
	case SSH_ST_AUTHLIST:
		return sshc_auth_list(s);
	case SSH_ST_AUTH:
		return sshc_auth_login(s);
	case SSH_ST_OPEN:
		return sshc_chan_open(s);
	case SSH_ST_EXEC:
		return sshc_chan_exec(s);
	case SSH_ST_IO:
		return sshc_chan_io(s);
	case SSH_ST_CLOSE:
		return sshc_chan_close(s);
	case SSH_ST_DONE:
		break;
	}
	return SSH_STEP_DONE;
}

void
sshc_session_advance(struct sshc_session *s)
{
	enum sshc_step step;

	do
		step = sshc_session_dispatch(s);
	while (step == SSH_STEP_NEXT);
	if (step == SSH_STEP_DONE)
		sshc_session_teardown(s);
}

void
sshc_session_abort(struct sshc_session *s)
{
	if (s->state == SSH_ST_DONE)
		return;
	sshc_session_fail(s, SSH_FAIL_REQUEST, "aborted");
	sshc_session_teardown(s);
}

void
sshc_session_start(struct sshc_session *s)
{
	s->state = SSH_ST_QUEUED;
	sshc_session_advance(s);
}

/* The phase's deadline passed: say where it stopped, then tear down. */
void
sshc_session_expire(struct sshc_session *s, int64_t now)
{
	if (s->state == SSH_ST_DONE || now < s->deadline)
		return;
	switch (s->state) {
	case SSH_ST_CONNECT:
		sshc_session_fail(s, SSH_FAIL_TIMEOUT, "no answer: timeout "
		    "after %u ms while connecting", s->connect_ms);
		break;
	case SSH_ST_HANDSHAKE:
		sshc_session_fail(s, SSH_FAIL_TIMEOUT, "no answer: timeout "
		    "after %u ms during key exchange", s->kex_ms);
		break;
	case SSH_ST_AUTHLIST:
	case SSH_ST_AUTH:
		sshc_session_fail(s, SSH_FAIL_TIMEOUT, "no answer: timeout "
		    "after %u ms during authentication (%s)", s->auth_ms,
		    sshc_auth_kind_name(s->kind));
		break;
	default:
		sshc_session_fail(s, SSH_FAIL_TIMEOUT, "the command did not "
		    "finish: timeout after %u ms", s->command_ms);
		break;
	}
	sshc_session_teardown(s);
}
