#include "config.h"

#include "sshc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "log.h"
#include "sshc-int.h"
#include "xmalloc.h"

static pthread_once_t sshc_once = PTHREAD_ONCE_INIT;

static void
sshc_init_once(void)
{
	int rc;

	if ((rc = libssh2_init(0)) != 0)
		log_error("libssh2_init failed (%d)", rc);
}

void
sshc_transport_init(void)
{
	pthread_once(&sshc_once, sshc_init_once);
}

void
sshc_transport_shutdown(void)
{
	libssh2_exit();
}

int64_t
sshc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *
sshc_fingerprint(const unsigned char *blob, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	int n;

	if (EVP_Digest(blob, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		return xstrdup("SHA256:?");
	n = EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
	while (n > 0 && b64[n - 1] == '=')
		n--;
	b64[n] = '\0';
	return xasprintf("SHA256:%s", b64);
}

char *
sshc_key_type(const unsigned char *blob, size_t len)
{
	uint32_t n;
	size_t i;

	if (len < 4)
		return xstrdup("unknown");
	n = (uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 |
	    (uint32_t)blob[2] << 8 | blob[3];
	if (n == 0 || n > 64 || n > len - 4)
		return xstrdup("unknown");
	for (i = 0; i < n; i++) {
		if (blob[4 + i] <= ' ' || blob[4 + i] >= 0x7f)
			return xstrdup("unknown");
	}
	return xstrndup((const char *)blob + 4, n);
}

void
sshc_result_clear(struct sshc_result *res)
{
	free(res->cause);
	free(res->exit_signal);
	free(res->out);
	free(res->err);
	free(res->key_type);
	free(res->fingerprint);
	memset(res, 0, sizeof *res);
	res->exit_status = -1;
}

/* Wipe and free a secret string. */
void
sshc_wipe_free(char **p)
{
	if (*p != NULL)
		OPENSSL_cleanse(*p, strlen(*p));
	xfree(p);
}

static char *
sshc_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* The user name as sent on the wire for LOGIN; NULL if it lacks one. */
static char *
sshc_wire_user(const struct sshc_login *login)
{
	switch (login->kind) {
	case SSH_LOGIN_USER:
	case SSH_LOGIN_KEY:
		return login->user != NULL && *login->user != '\0' ?
		    xstrdup(login->user) : NULL;
	case SSH_LOGIN_DOMAIN:
		if (login->user == NULL || *login->user == '\0' ||
		    login->domain == NULL || *login->domain == '\0')
			return NULL;
		return xasprintf("%s\\%s", login->domain, login->user);
	case SSH_LOGIN_SYSMGR:
		/* Printers ask the ID in the dialogue; the name is a label. */
		return login->id != NULL && *login->id != '\0' ?
		    xstrdup(login->id) : NULL;
	case SSH_LOGIN_PASSWORD:
		return xstrdup(SSH_PASSWORD_USER);
	}
	return NULL;
}

static int
sshc_request_check(const struct sshc_request *req, char **cause)
{
	if (req->host == NULL || *req->host == '\0')
		*cause = xstrdup("no host given");
	else if (req->port > 65535)
		*cause = xasprintf("bad port %u", req->port);
	else if (req->hostkey_cb == NULL)
		*cause = xstrdup("no host-key policy given");
	else if (req->command == NULL || *req->command == '\0')
		*cause = xstrdup("no command given");
	else if (req->login == NULL)
		*cause = xstrdup("no login given");
	else if (req->login->secret == NULL)
		*cause = xasprintf("the %s login has no secret",
		    sshc_auth_kind_name(req->login->kind));
	else
		return 0;
	return -1;
}

static unsigned
sshc_or(unsigned v, unsigned dflt)
{
	return v != 0 ? v : dflt;
}

static void
sshc_session_copy_input(struct sshc_session *s, const struct sshc_request *req)
{
	if (req->input_len == 0)
		return;
	s->input = xmalloc(req->input_len);
	memcpy(s->input, req->input, req->input_len);
	s->input_len = req->input_len;
}

struct sshc_session *
sshc_session_new(const struct sshc_request *req, sshc_done_cb done, void *arg,
    char **cause)
{
	struct sshc_session *s;
	char *user;

	if (sshc_request_check(req, cause) != 0)
		return NULL;
	if ((user = sshc_wire_user(req->login)) == NULL) {
		*cause = xasprintf("the %s login lacks its %s",
		    sshc_auth_kind_name(req->login->kind),
		    req->login->kind == SSH_LOGIN_SYSMGR ? "ID" :
		    req->login->kind == SSH_LOGIN_DOMAIN ? "domain or user" :
		    "user name");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->host = xstrdup(req->host);
	s->port = sshc_or(req->port, SSH_PORT_DEFAULT);
	s->kind = req->login->kind;
	s->user = user;
	s->id = sshc_dup(req->login->id);
	s->secret = xstrdup(req->login->secret);
	s->passphrase = sshc_dup(req->login->passphrase);
	s->hostkey_cb = req->hostkey_cb;
	s->hostkey_arg = req->hostkey_arg;
	s->command = xstrdup(req->command);
	sshc_session_copy_input(s, req);
	s->connect_ms = sshc_or(req->connect_timeout_ms, SSH_CONNECT_TIMEOUT_MS);
	s->kex_ms = sshc_or(req->kex_timeout_ms, SSH_KEX_TIMEOUT_MS);
	s->auth_ms = sshc_or(req->auth_timeout_ms, SSH_AUTH_TIMEOUT_MS);
	s->command_ms = sshc_or(req->command_timeout_ms, SSH_COMMAND_TIMEOUT_MS);
	s->output_max = req->output_max != 0 ? req->output_max : SSH_OUTPUT_MAX;
	s->done = done;
	s->done_arg = arg;
	s->fd = -1;
	s->res.exit_status = -1;
	return s;
}

void
sshc_session_free(struct sshc_session **sp)
{
	struct sshc_session *s = *sp;

	if (s == NULL)
		return;
	free(s->host);
	sshc_wipe_free(&s->user);
	sshc_wipe_free(&s->id);
	sshc_wipe_free(&s->secret);
	sshc_wipe_free(&s->passphrase);
	free(s->command);
	if (s->input != NULL)
		OPENSSL_cleanse(s->input, s->input_len);
	free(s->input);
	free(s->kbd_cause);
	sshc_result_clear(&s->res);
	free(s);
	*sp = NULL;
}

/* The synchronous wrapper's completion: move the result out. */
static void
sshc_exec_done(void *arg, struct sshc_result *res)
{
	struct sshc_result *out = arg;

	*out = *res;
	memset(res, 0, sizeof *res);
}

int
sshc_exec(const struct sshc_request *req, struct sshc_result *res)
{
	struct sshc_pool *pool = sshc_pool_new(1);
	char *cause = NULL;

	memset(res, 0, sizeof *res);
	res->exit_status = -1;
	if (sshc_pool_submit(pool, req, sshc_exec_done, res, &cause) != 0 ||
	    sshc_pool_run(pool, &cause) != 0) {
		sshc_result_clear(res);
		res->failure = SSH_FAIL_REQUEST;
		res->cause = cause;
	}
	sshc_pool_free(&pool);
	return res->failure == SSH_FAIL_NONE ? 0 : -1;
}
