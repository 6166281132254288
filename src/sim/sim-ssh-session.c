/*
 * One SSH session, on its own thread: key exchange, the login the printer
 * accepts, a session channel with one exec request, then the end. Every
 * step is bounded (SIM_SSH_GRACE_S, SIM_SSH_AUTH_TRIES and libssh's own
 * timeout), so a client that stalls only costs a thread for a while.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim-ssh-int.h"
#include "xmalloc.h"

enum sim_ssh_auth {
	SIM_SSH_AUTH_AGAIN,	/* not a login attempt */
	SIM_SSH_AUTH_FAILED,
	SIM_SSH_AUTH_OK,
};

/*
 * libssh 0.10 deprecates the password accessor in favour of its callback
 * API, which has no keyboard-interactive; the message API does both.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static const char *
sim_ssh_password_of(ssh_message msg)
{
	return ssh_message_auth_password(msg);
}
#pragma GCC diagnostic pop

static enum sim_ssh_auth
sim_ssh_auth_password(struct sim_ssh_session *s, ssh_message msg)
{
	struct sim_printer *p = s->listener->printer;
	const char *user = ssh_message_auth_user(msg);
	const char *password = sim_ssh_password_of(msg);

	if ((s->listener->methods & SSH_AUTH_METHOD_PASSWORD) == 0)
		return SIM_SSH_AUTH_AGAIN;
	if (user != NULL && password != NULL &&
	    sim_login_password(p, user, password))
		return SIM_SSH_AUTH_OK;
	return SIM_SSH_AUTH_FAILED;
}

/* System Manager ID: ask for the ID and the PIN, then check them. */
static enum sim_ssh_auth
sim_ssh_auth_kbdint(struct sim_ssh_session *s, ssh_message msg)
{
	const char *prompts[] = { "System Manager ID: ", "PIN: " };
	char echo[] = { 1, 0 };
	const char *id, *pin;

	if ((s->listener->methods & SSH_AUTH_METHOD_INTERACTIVE) == 0)
		return SIM_SSH_AUTH_AGAIN;
	if (!ssh_message_auth_kbdint_is_response(msg)) {
		ssh_message_auth_interactive_request(msg, "", "", 2, prompts,
		    echo);
		return SIM_SSH_AUTH_AGAIN;
	}
	if (ssh_userauth_kbdint_getnanswers(s->session) != 2)
		return SIM_SSH_AUTH_FAILED;
	id = ssh_userauth_kbdint_getanswer(s->session, 0);
	pin = ssh_userauth_kbdint_getanswer(s->session, 1);
	if (id != NULL && pin != NULL &&
	    sim_login_sysmgr(s->listener->printer, id, pin))
		return SIM_SSH_AUTH_OK;
	return SIM_SSH_AUTH_FAILED;
}

/* Answer one message of the login phase; -1 when the session is over. */
static enum sim_ssh_auth
sim_ssh_auth_message(struct sim_ssh_session *s, ssh_message msg)
{
	enum sim_ssh_auth r = SIM_SSH_AUTH_AGAIN;
	bool replied = false;

	if (ssh_message_type(msg) == SSH_REQUEST_AUTH) {
		switch (ssh_message_subtype(msg)) {
		case SSH_AUTH_METHOD_PASSWORD:
			r = sim_ssh_auth_password(s, msg);
			break;
		case SSH_AUTH_METHOD_INTERACTIVE:
			r = sim_ssh_auth_kbdint(s, msg);
			replied = r == SIM_SSH_AUTH_AGAIN &&
			    (s->listener->methods &
			    SSH_AUTH_METHOD_INTERACTIVE) != 0;
			break;
		}
		ssh_message_auth_set_methods(msg, s->listener->methods);
	}
	if (r == SIM_SSH_AUTH_OK)
		ssh_message_auth_reply_success(msg, 0);
	else if (!replied)
		ssh_message_reply_default(msg);
	return r;
}

static bool
sim_ssh_auth(struct sim_ssh_session *s)
{
	time_t deadline = sim_ssh_now() + SIM_SSH_GRACE_S;
	enum sim_ssh_auth r = SIM_SSH_AUTH_AGAIN;
	unsigned failures = 0;
	ssh_message msg;

	ssh_set_auth_methods(s->session, s->listener->methods);
	while (r != SIM_SSH_AUTH_OK && failures < SIM_SSH_AUTH_TRIES &&
	    sim_ssh_now() < deadline && !atomic_load(&s->ssh->stopping)) {
		if ((msg = ssh_message_get(s->session)) == NULL)
			return false;
		r = sim_ssh_auth_message(s, msg);
		ssh_message_free(msg);
		if (r == SIM_SSH_AUTH_FAILED)
			failures++;
	}
	if (r != SIM_SSH_AUTH_OK)
		log_debug("%s: login refused", sim_printer_name(
		    s->listener->printer));
	return r == SIM_SSH_AUTH_OK;
}

/* A session channel and its exec request; NULL if none comes in time. */
static ssh_channel
sim_ssh_channel(struct sim_ssh_session *s, char **command)
{
	time_t deadline = sim_ssh_now() + SIM_SSH_GRACE_S;
	ssh_channel channel = NULL;
	ssh_message msg;
	int type, sub;

	while (sim_ssh_now() < deadline && !atomic_load(&s->ssh->stopping)) {
		if ((msg = ssh_message_get(s->session)) == NULL)
			break;
		type = ssh_message_type(msg);
		sub = ssh_message_subtype(msg);
		if (type == SSH_REQUEST_CHANNEL_OPEN && channel == NULL &&
		    sub == SSH_CHANNEL_SESSION)
			channel = ssh_message_channel_request_open_reply_accept(
			    msg);
		else if (type == SSH_REQUEST_CHANNEL && channel != NULL &&
		    ssh_message_channel_request_channel(msg) == channel &&
		    sub == SSH_CHANNEL_REQUEST_EXEC &&
		    ssh_message_channel_request_command(msg) != NULL) {
			*command = xstrdup(
			    ssh_message_channel_request_command(msg));
			ssh_message_channel_request_reply_success(msg);
			ssh_message_free(msg);
			return channel;
		} else	/* pty, shell, subsystem, env, forwarding: no */
			ssh_message_reply_default(msg);
		ssh_message_free(msg);
	}
	if (channel != NULL)
		ssh_channel_free(channel);
	return NULL;
}

static void
sim_ssh_session_run(struct sim_ssh_session *s)
{
	long timeout = SIM_SSH_IO_TIMEOUT_S;
	ssh_channel channel;
	char *command = NULL;

	ssh_options_set(s->session, SSH_OPTIONS_TIMEOUT, &timeout);
	if (ssh_handle_key_exchange(s->session) != SSH_OK) {
		log_debug("%s: key exchange: %s", sim_printer_name(
		    s->listener->printer), ssh_get_error(s->session));
		return;
	}
	if (!sim_ssh_auth(s))
		return;
	if ((channel = sim_ssh_channel(s, &command)) == NULL)
		return;
	sim_ssh_exec(s, channel, command);
	free(command);
	ssh_channel_free(channel);
}

void
sim_ssh_session_finish(struct sim_ssh_session *s)
{
	struct sim_ssh *ssh = s->ssh;

	/* Off the list first: sim_ssh_stop must not shut a reused fd. */
	pthread_mutex_lock(&ssh->lock);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		ssh->sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	pthread_mutex_unlock(&ssh->lock);
	ssh_disconnect(s->session);
	ssh_free(s->session);
	free(s);
	pthread_mutex_lock(&ssh->lock);
	if (--ssh->nsessions == 0)
		pthread_cond_broadcast(&ssh->idle);
	pthread_mutex_unlock(&ssh->lock);
}

void *
sim_ssh_session_main(void *arg)
{
	struct sim_ssh_session *s = arg;

	sim_ssh_session_run(s);
	sim_ssh_session_finish(s);
	return NULL;
}
