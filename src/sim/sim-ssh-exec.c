/*
 * One exec request: the shell command runs on a worker thread with three
 * socketpairs for stdin, stdout and stderr, and the session's thread moves
 * bytes between them and the channel (libssh's event loop), then sends the
 * exit status, EOF and close. What the client sends before the worker reads
 * it waits in a bounded buffer, so neither side can block the other.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "log.h"
#include "sim-shell.h"
#include "sim-ssh-int.h"
#include "xmalloc.h"

/* Held for the worker beyond what the socket takes: enough for it to see
 * a payload that is too large. */
#define SIM_SSH_PENDING_MAX	(SIM_SHELL_PAYLOAD_MAX + 1)
#define SIM_SSH_CHUNK		16384

struct sim_ssh_exec {
	struct sim_ssh_session	*s;
	ssh_channel		 channel;
	const char		*command;
	int			 fds[3][2];	/* [i][0] ours, [i][1] worker's */
	int			 status;
	char			*pending;	/* for stdin, not yet written */
	size_t			 npending;
	bool			 client_eof;
	bool			 closed;	/* by the client, or broken */
	bool			 eof[3];	/* stdout, stderr read to EOF */
	time_t			 last;		/* something moved */
};

static void *
sim_ssh_exec_worker(void *arg)
{
	struct sim_ssh_exec *x = arg;
	struct sim_ssh_listener *l = x->s->listener;
	int i;

	x->status = sim_shell_run(x->s->ssh->fleet, l->printer, x->command,
	    x->fds[0][1], x->fds[1][1], x->fds[2][1]);
	for (i = 0; i < 3; i++) {
		close(x->fds[i][1]);
		x->fds[i][1] = -1;
	}
	return NULL;
}

static void
sim_ssh_exec_close_stdin(struct sim_ssh_exec *x)
{
	if (x->fds[0][0] != -1)
		close(x->fds[0][0]);
	x->fds[0][0] = -1;
	x->npending = 0;
}

/* Write what is pending for stdin as far as the socket takes it. */
static void
sim_ssh_exec_flush(struct sim_ssh_exec *x)
{
	ssize_t n;

	while (x->fds[0][0] != -1 && x->npending > 0) {
		n = send(x->fds[0][0], x->pending, x->npending,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {	/* the command no longer reads */
			sim_ssh_exec_close_stdin(x);
			return;
		}
		memmove(x->pending, x->pending + n, x->npending - (size_t)n);
		x->npending -= (size_t)n;
	}
	if (x->client_eof && x->npending == 0)
		sim_ssh_exec_close_stdin(x);
}

static int
sim_ssh_exec_data(ssh_session session, ssh_channel channel, void *data,
    uint32_t len, int is_stderr, void *userdata)
{
	struct sim_ssh_exec *x = userdata;
	size_t take;

	x->last = sim_ssh_now();
	if (is_stderr || x->fds[0][0] == -1)
		return (int)len;
	take = SIM_SSH_PENDING_MAX - x->npending;
	if (take > len)
		take = len;
	x->pending = xreallocarray(x->pending, 1, x->npending + take + 1);
	memcpy(x->pending + x->npending, data, take);
	x->npending += take;
	sim_ssh_exec_flush(x);
	return (int)len;
}

static void
sim_ssh_exec_eof(ssh_session session, ssh_channel channel, void *userdata)
{
	struct sim_ssh_exec *x = userdata;

	x->client_eof = true;
	sim_ssh_exec_flush(x);
}

static void
sim_ssh_exec_closed(ssh_session session, ssh_channel channel,
    void *userdata)
{
	struct sim_ssh_exec *x = userdata;

	x->closed = true;
}

/* Move what the command wrote on FD (stdout 1, stderr 2) to the channel. */
static int
sim_ssh_exec_output(socket_t fd, int revents, void *userdata)
{
	struct sim_ssh_exec *x = userdata;
	int which = fd == x->fds[1][0] ? 1 : 2, rc;
	char buf[SIM_SSH_CHUNK];
	ssize_t n;

	if (x->eof[which])
		return 0;
	do
		n = read(fd, buf, sizeof buf);
	while (n == -1 && errno == EINTR);
	if (n == -1 && errno == EAGAIN)
		return 0;
	if (n <= 0) {
		x->eof[which] = true;
		return 0;
	}
	x->last = sim_ssh_now();
	if (which == 1)
		rc = ssh_channel_write(x->channel, buf, (uint32_t)n);
	else
		rc = ssh_channel_write_stderr(x->channel, buf, (uint32_t)n);
	if (rc == SSH_ERROR)
		x->closed = true;
	return 0;
}

/* Data that came in before the callbacks were set. */
static void
sim_ssh_exec_early(struct sim_ssh_exec *x)
{
	char buf[SIM_SSH_CHUNK];
	int n;

	while ((n = ssh_channel_read_nonblocking(x->channel, buf, sizeof buf,
	    0)) > 0)
		sim_ssh_exec_data(NULL, x->channel, buf, (uint32_t)n, 0, x);
	if (ssh_channel_is_eof(x->channel))
		sim_ssh_exec_eof(NULL, x->channel, x);
}

/* Whether the loop goes on: output to move, time left, nobody gone. */
static bool
sim_ssh_exec_going(struct sim_ssh_exec *x, time_t start)
{
	time_t now = sim_ssh_now();

	return !(x->eof[1] && x->eof[2]) && !x->closed &&
	    !atomic_load(&x->s->ssh->stopping) &&
	    now - x->last < SIM_SSH_IDLE_S && now - start < SIM_SSH_EXEC_MAX_S;
}

static void
sim_ssh_exec_loop(struct sim_ssh_exec *x, ssh_event event)
{
	time_t start = sim_ssh_now();
	bool added[3] = { false, false, false };
	int i;

	for (i = 1; i < 3; i++)
		added[i] = ssh_event_add_fd(event, x->fds[i][0], POLLIN,
		    sim_ssh_exec_output, x) == SSH_OK;
	if (!added[1] || !added[2])
		x->closed = true;
	while (sim_ssh_exec_going(x, start)) {
		if (ssh_event_dopoll(event, x->npending > 0 ? 50 : 1000) ==
		    SSH_ERROR && !ssh_is_connected(x->s->session))
			x->closed = true;
		sim_ssh_exec_flush(x);
		for (i = 1; i < 3; i++) {
			if (x->eof[i] && added[i]) {
				ssh_event_remove_fd(event, x->fds[i][0]);
				added[i] = false;
			}
		}
	}
	for (i = 1; i < 3; i++) {
		if (added[i])
			ssh_event_remove_fd(event, x->fds[i][0]);
	}
}

/* Tell the client how it ended, and give it a moment to close. */
static void
sim_ssh_exec_finish(struct sim_ssh_exec *x, ssh_event event)
{
	time_t until = sim_ssh_now() + 2;

	if (x->closed || !x->eof[1] || !x->eof[2])
		return;
	ssh_channel_request_send_exit_status(x->channel, x->status);
	ssh_channel_send_eof(x->channel);
	ssh_channel_close(x->channel);
	while (!x->closed && sim_ssh_now() < until &&
	    ssh_event_dopoll(event, 100) != SSH_ERROR)
		continue;
}

static int
sim_ssh_exec_pipes(struct sim_ssh_exec *x)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
		    x->fds[i]) != 0) {
			log_warn("socketpair: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void
sim_ssh_exec_close_all(struct sim_ssh_exec *x)
{
	int i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < 2; j++) {
			if (x->fds[i][j] != -1)
				close(x->fds[i][j]);
			x->fds[i][j] = -1;
		}
	}
}

/* Bridge the running worker and the channel until it is done. */
static void
sim_ssh_exec_bridge(struct sim_ssh_exec *x, pthread_t worker)
{
	struct ssh_channel_callbacks_struct cb;
	ssh_event event;
	int i;

	memset(&cb, 0, sizeof cb);
	cb.userdata = x;
	cb.channel_data_function = sim_ssh_exec_data;
	cb.channel_eof_function = sim_ssh_exec_eof;
	cb.channel_close_function = sim_ssh_exec_closed;
	ssh_callbacks_init(&cb);
	sim_ssh_exec_early(x);
	ssh_set_channel_callbacks(x->channel, &cb);
	if ((event = ssh_event_new()) == NULL ||
	    ssh_event_add_session(event, x->s->session) != SSH_OK)
		x->closed = true;
	else
		sim_ssh_exec_loop(x, event);
	/* Unblock the worker wherever it is, then wait for it. */
	for (i = 0; i < 3; i++) {
		if (x->fds[i][0] != -1 && (i == 0 || !x->eof[i]))
			shutdown(x->fds[i][0], SHUT_RDWR);
	}
	pthread_join(worker, NULL);
	if (event != NULL) {
		sim_ssh_exec_finish(x, event);
		ssh_event_remove_session(event, x->s->session);
		ssh_event_free(event);
	}
	ssh_remove_channel_callbacks(x->channel, &cb);
}

void
sim_ssh_exec(struct sim_ssh_session *s, ssh_channel channel,
    const char *command)
{
	struct sim_ssh_exec x;
	pthread_t worker;
	int e;

	memset(&x, 0, sizeof x);
	x.s = s;
	x.channel = channel;
	x.command = command;
	x.last = sim_ssh_now();
	memset(x.fds, -1, sizeof x.fds);
	if (sim_ssh_exec_pipes(&x) != 0) {
		sim_ssh_exec_close_all(&x);
		return;
	}
	if ((e = pthread_create(&worker, NULL, sim_ssh_exec_worker, &x)) != 0) {
		log_warn("pthread_create: %s", strerror(e));
		sim_ssh_exec_close_all(&x);
		return;
	}
	sim_ssh_exec_bridge(&x, worker);
	sim_ssh_exec_close_all(&x);
	free(x.pending);
}
