#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sshc-int.h"
#include "text.h"
#include "xmalloc.h"

#define SSH_AUTH_PASSWORD	"password"
#define SSH_AUTH_KBDINT		"keyboard-interactive"
#define SSH_AUTH_PUBLICKEY	"publickey"

/* The kind as the credential commands name it (--kind). */
const char *
sshc_auth_kind_name(enum sshc_login_kind kind)
{
	switch (kind) {
	case SSH_LOGIN_USER:
		return "user";
	case SSH_LOGIN_DOMAIN:
		return "domain";
	case SSH_LOGIN_SYSMGR:
		return "sysmgr";
	case SSH_LOGIN_PASSWORD:
		return "password";
	case SSH_LOGIN_KEY:
		return "ssh-key";
	}
	return "?";
}

/* The kind as printers' manuals name it. */
static const char *
sshc_auth_kind_title(enum sshc_login_kind kind)
{
	switch (kind) {
	case SSH_LOGIN_USER:
		return "User Authentication";
	case SSH_LOGIN_DOMAIN:
		return "Domain Authentication";
	case SSH_LOGIN_SYSMGR:
		return "System Manager ID";
	case SSH_LOGIN_PASSWORD:
		return "Password Authentication";
	case SSH_LOGIN_KEY:
		return "SSH key";
	}
	return "?";
}

/* Whether the comma-separated LIST holds METHOD. */
static int
sshc_auth_offers(const char *list, const char *method)
{
	size_t n = strlen(method);
	const char *p = list;

	while ((p = strstr(p, method)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* The method for this login among those offered, or NULL. */
static const char *
sshc_auth_choose(const struct sshc_session *s, const char *list)
{
	switch (s->kind) {
	case SSH_LOGIN_KEY:
		return sshc_auth_offers(list, SSH_AUTH_PUBLICKEY) ?
		    SSH_AUTH_PUBLICKEY : NULL;
	case SSH_LOGIN_SYSMGR:
		return sshc_auth_offers(list, SSH_AUTH_KBDINT) ?
		    SSH_AUTH_KBDINT : NULL;
	default:
		/* Passwords may also be asked for in a dialogue (PAM). */
		if (sshc_auth_offers(list, SSH_AUTH_PASSWORD))
			return SSH_AUTH_PASSWORD;
		return sshc_auth_offers(list, SSH_AUTH_KBDINT) ?
		    SSH_AUTH_KBDINT : NULL;
	}
}

enum sshc_step
sshc_auth_list(struct sshc_session *s)
{
	char *list, *safe;
	int rc;

	list = libssh2_userauth_list(s->ssh, s->user, strlen(s->user));
	if (list == NULL) {
		if (libssh2_userauth_authenticated(s->ssh)) {
			/* The printer let us in with "none". */
			sshc_session_phase(s, SSH_ST_OPEN, s->command_ms);
			return SSH_STEP_NEXT;
		}
		rc = libssh2_session_last_errno(s->ssh);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return sshc_session_again(s);
		return sshc_session_lib_fail(s, SSH_FAIL_PROTOCOL,
		    "cannot ask for the login methods", rc);
	}
	if ((s->method = sshc_auth_choose(s, list)) == NULL) {
		safe = text_sanitize(list, strlen(list));
		sshc_session_fail(s, SSH_FAIL_AUTH, "the printer offers no "
		    "method for %s login (it offers: %s)",
		    sshc_auth_kind_title(s->kind), safe);
		free(safe);
		return SSH_STEP_DONE;
	}
	log_debug("%s:%u: %s login by %s", s->host, s->port,
	    sshc_auth_kind_name(s->kind), s->method);
	s->state = SSH_ST_AUTH;
	return SSH_STEP_NEXT;
}

/* The answer to PROMPT for this login, matched by text; NULL if unknown. */
static const char *
sshc_auth_answer(struct sshc_session *s, const char *prompt)
{
	if (s->kind == SSH_LOGIN_SYSMGR) {
		if (strcasestr(prompt, "manager id") != NULL ||
		    strcasestr(prompt, "user id") != NULL)
			return s->id;
		if (strcasestr(prompt, "pin") != NULL)
			return s->secret;
		return NULL;
	}
	if (strcasestr(prompt, "password") != NULL)
		return s->secret;
	return NULL;
}

static void
sshc_auth_respond(LIBSSH2_USERAUTH_KBDINT_RESPONSE *r, const char *answer)
{
	size_t n = strlen(answer);

	/* libssh2 frees (and our allocator wipes) it with free(). */
	if ((r->text = malloc(n + 1)) == NULL) {
		r->length = 0;
		return;
	}
	memcpy(r->text, answer, n + 1);
	r->length = (unsigned int)n;
}

static LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC(sshc_auth_kbdint)
{
	struct sshc_session *s = *abstract;
	const char *answer;
	char *prompt, *safe;
	int i;

	for (i = 0; i < num_prompts; i++) {
		prompt = xstrndup(prompts[i].text, prompts[i].length);
		if ((answer = sshc_auth_answer(s, prompt)) == NULL) {
			answer = "";
			if (s->kbd_cause == NULL) {
				safe = text_sanitize(prompt, strlen(prompt));
				s->kbd_cause = xasprintf("authentication failed "
				    "(%s): the printer asked an unexpected "
				    "question: '%s'", sshc_auth_kind_name(s->kind),
				    safe);
				free(safe);
			}
		}
		sshc_auth_respond(&responses[i], answer);
		free(prompt);
	}
}

static int
sshc_auth_try(struct sshc_session *s)
{
	unsigned ulen = (unsigned)strlen(s->user);

	if (strcmp(s->method, SSH_AUTH_PUBLICKEY) == 0)
		return libssh2_userauth_publickey_frommemory(s->ssh, s->user,
		    ulen, NULL, 0, s->secret, strlen(s->secret), s->passphrase);
	if (strcmp(s->method, SSH_AUTH_PASSWORD) == 0)
		return libssh2_userauth_password_ex(s->ssh, s->user, ulen,
		    s->secret, (unsigned)strlen(s->secret), NULL);
	return libssh2_userauth_keyboard_interactive_ex(s->ssh, s->user, ulen,
	    sshc_auth_kbdint);
}

enum sshc_step
sshc_auth_login(struct sshc_session *s)
{
	int rc = sshc_auth_try(s);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return sshc_session_again(s);
	if (rc == 0) {
		sshc_session_phase(s, SSH_ST_OPEN, s->command_ms);
		return SSH_STEP_NEXT;
	}
	if (s->kbd_cause != NULL)
		return sshc_session_fail(s, SSH_FAIL_AUTH, "%s", s->kbd_cause);
	switch (rc) {
	case LIBSSH2_ERROR_AUTHENTICATION_FAILED:
	case LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED:
		return sshc_session_fail(s, SSH_FAIL_AUTH, "authentication "
		    "failed (%s)", sshc_auth_kind_name(s->kind));
	case LIBSSH2_ERROR_PASSWORD_EXPIRED:
		return sshc_session_fail(s, SSH_FAIL_AUTH, "authentication "
		    "failed (%s): the password has expired",
		    sshc_auth_kind_name(s->kind));
	case LIBSSH2_ERROR_SOCKET_SEND:
	case LIBSSH2_ERROR_SOCKET_RECV:
	case LIBSSH2_ERROR_SOCKET_DISCONNECT:
		return sshc_session_lib_fail(s, SSH_FAIL_PROTOCOL,
		    "authentication failed", rc);
	}
	/* Anything else from publickey is about the key itself. */
	return sshc_session_lib_fail(s, SSH_FAIL_AUTH,
	    strcmp(s->method, SSH_AUTH_PUBLICKEY) == 0 ?
	    "the SSH key cannot be used" : "authentication failed", rc);
}
