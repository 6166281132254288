#include "config.h"

#include "sim-ssh.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "sim-ssh-int.h"
#include "xmalloc.h"

#define SIM_SSH_BACKLOG		64
#define SIM_SSH_STACK		(512 * 1024)

time_t
sim_ssh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Write TEXT to PATH, 0600, atomically; -1 with errno. */
static int
sim_ssh_write_file(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.tmp", path);
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd, e;

	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		free(tmp);
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off == len && fsync(fd) == 0 && close(fd) == 0 &&
	    rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	e = errno;
	if (off < len)
		close(fd);
	(void)unlink(tmp);
	free(tmp);
	errno = e != 0 ? e : EIO;
	return -1;
}

/* Write the OpenSSH text of KEY to PATH. */
static int
sim_ssh_key_save(ssh_key key, const char *path, char **cause)
{
	char *b64 = NULL;
	int rc = -1;

	if (ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &b64) !=
	    SSH_OK)
		*cause = xasprintf("%s: cannot encode the host key", path);
	else if (sim_ssh_write_file(path, b64) != 0)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	else
		rc = 0;
	ssh_string_free_char(b64);
	return rc;
}

/*
 * Whether KEY is ed25519: its public blob starts with the string
 * "ssh-ed25519". (Not ssh_key_type(): libquire has a symbol of that name,
 * and referring to it would link libquire's SSH client in over libssh's.)
 */
static bool
sim_ssh_key_ed25519(ssh_key key)
{
	char *b64 = NULL;
	bool ok;

	if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		return false;
	ok = strncmp(b64, "AAAAC3NzaC1lZDI1NTE5", 20) == 0;
	ssh_string_free_char(b64);
	return ok;
}

/* The printer's host key: DIR/NAME, made on first start. */
static int
sim_ssh_hostkey(const char *dir, struct sim_printer *p, ssh_key *out,
    char **cause)
{
	const char *name = sim_printer_name(p);
	char *path = xasprintf("%s/%s", dir, name);
	ssh_key key = NULL;
	int rc = -1;

	*cause = NULL;
	if (strchr(name, '/') != NULL || *name == '.')
		*cause = xasprintf("%s: not usable as a file name", name);
	else if (access(path, F_OK) == 0) {
		if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) !=
		    SSH_OK || !sim_ssh_key_ed25519(key))
			*cause = xasprintf("%s: not an ed25519 host key", path);
		else
			rc = 0;
	} else if (errno != ENOENT)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	else if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK)
		*cause = xasprintf("%s: cannot make a host key", name);
	else
		rc = sim_ssh_key_save(key, path, cause);
	free(path);
	if (rc != 0) {
		ssh_key_free(key);
		return -1;
	}
	*out = key;
	return 0;
}

/* A non-blocking listening socket on HOST:*PORT (0: the kernel's). */
static int
sim_ssh_listen(const char *host, unsigned *port, char **cause)
{
	struct addrinfo hints, *ai;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof ss;
	char service[16];
	int fd, one = 1, e;

	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof service, "%u", *port);
	if ((e = getaddrinfo(host, service, &hints, &ai)) != 0) {
		*cause = xasprintf("%s: %s", host, gai_strerror(e));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof one) != 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, SIM_SSH_BACKLOG) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0) {
		*cause = xasprintf("%s port %u: %s", host, *port,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	*port = ntohs(ss.ss_family == AF_INET6 ?
	    ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* The methods the printer's logins need. */
static int
sim_ssh_methods(const struct sim_printer *p)
{
	const struct sim_login *logins;
	size_t i, n = 0;
	int methods = 0;

	logins = sim_printer_logins(p, &n);
	for (i = 0; i < n; i++) {
		if (logins[i].kind == SIM_LOGIN_SYSMGR)
			methods |= SSH_AUTH_METHOD_INTERACTIVE;
		else
			methods |= SSH_AUTH_METHOD_PASSWORD;
	}
	return methods;
}

static int
sim_ssh_listener_open(struct sim_ssh_listener *l, const char *dir,
    char **cause)
{
	struct sim_printer *p = l->printer;
	unsigned port = sim_printer_ssh_port(p);
	bool no = false;
	ssh_key key;

	if (sim_ssh_hostkey(dir, p, &key, cause) != 0)
		return -1;
	if ((l->bind = ssh_bind_new()) == NULL)
		abort();
	ssh_bind_options_set(l->bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no);
	if (ssh_bind_options_set(l->bind, SSH_BIND_OPTIONS_IMPORT_KEY,
	    key) != SSH_OK) {
		*cause = xasprintf("%s: host key refused: %s",
		    sim_printer_name(p), ssh_get_error(l->bind));
		ssh_key_free(key);
		return -1;
	}
	if ((l->fd = sim_ssh_listen(sim_printer_host(p), &port, cause)) == -1)
		return -1;
	sim_printer_set_port(p, SIM_SSH, port);
	l->methods = sim_ssh_methods(p);
	return 0;
}

/* Listeners for every printer with a shell. */
static int
sim_ssh_open_all(struct sim_ssh *ssh, char **cause)
{
	size_t i, count = sim_fleet_count(ssh->fleet);
	const char *state = sim_fleet_state_dir(ssh->fleet);
	struct sim_printer *p;
	char *dir;
	int rc = 0;

	if (state == NULL) {
		*cause = xstrdup("the state is not open");
		return -1;
	}
	dir = xasprintf("%s/hostkeys", state);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	ssh->listeners = xcalloc(count, sizeof *ssh->listeners);
	for (i = 0; rc == 0 && i < count; i++) {
		p = sim_fleet_printer(ssh->fleet, i);
		if (!sim_printer_model(p)->shell)
			continue;
		ssh->listeners[ssh->n].printer = p;
		ssh->listeners[ssh->n].fd = -1;
		rc = sim_ssh_listener_open(&ssh->listeners[ssh->n++], dir,
		    cause);
	}
	free(dir);
	return rc;
}

/* A libssh server session on FD for L, or NULL (FD closed). */
static struct sim_ssh_session *
sim_ssh_session_new(struct sim_ssh *ssh, struct sim_ssh_listener *l, int fd)
{
	struct sim_ssh_session *s = xcalloc(1, sizeof *s);

	s->ssh = ssh;
	s->listener = l;
	s->fd = fd;
	if ((s->session = ssh_new()) == NULL)
		abort();
	/* Under ssh->lock: the bind's key is copied, one thread at a time. */
	if (ssh_bind_accept_fd(l->bind, s->session, fd) == SSH_OK)
		return s;
	log_warn("%s: %s", sim_printer_name(l->printer),
	    ssh_get_error(l->bind));
	if (ssh_get_fd(s->session) != fd)
		close(fd);
	ssh_free(s->session);
	free(s);
	return NULL;
}

/* Hand FD, a connection to L, to a new session thread. */
static void
sim_ssh_session_start(struct sim_ssh *ssh, struct sim_ssh_listener *l,
    int fd)
{
	struct sim_ssh_session *s;
	pthread_attr_t attr;
	pthread_t thread;
	int e;

	pthread_mutex_lock(&ssh->lock);
	if (ssh->nsessions >= SIM_SSH_SESSIONS_MAX) {
		pthread_mutex_unlock(&ssh->lock);
		log_warn("%s: too many sessions", sim_printer_name(l->printer));
		close(fd);
		return;
	}
	if ((s = sim_ssh_session_new(ssh, l, fd)) == NULL) {
		pthread_mutex_unlock(&ssh->lock);
		return;
	}
	if ((s->next = ssh->sessions) != NULL)
		s->next->prev = s;
	ssh->sessions = s;
	ssh->nsessions++;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, SIM_SSH_STACK);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	e = pthread_create(&thread, &attr, sim_ssh_session_main, s);
	pthread_attr_destroy(&attr);
	pthread_mutex_unlock(&ssh->lock);
	if (e != 0) {
		log_warn("pthread_create: %s", strerror(e));
		sim_ssh_session_finish(s);
	}
}

static void
sim_ssh_accept(struct sim_ssh *ssh, struct sim_ssh_listener *l)
{
	struct timespec pause = { 0, 100000000L };
	int fd;

	for (;;) {
		fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd == -1 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE) {
				log_warn("accept: %s", strerror(errno));
				nanosleep(&pause, NULL);
			}
			return;
		}
		/* Rebooting: unreachable. */
		if (atomic_load(&ssh->stopping) ||
		    sim_printer_is_down(l->printer))
			close(fd);
		else
			sim_ssh_session_start(ssh, l, fd);
	}
}

static void *
sim_ssh_acceptor(void *arg)
{
	struct sim_ssh *ssh = arg;
	struct pollfd *pfds = xcalloc(ssh->n + 1, sizeof *pfds);
	size_t i;
	int n;

	pfds[0].fd = ssh->wake[0];
	pfds[0].events = POLLIN;
	for (i = 0; i < ssh->n; i++) {
		pfds[i + 1].fd = ssh->listeners[i].fd;
		pfds[i + 1].events = POLLIN;
	}
	for (;;) {
		n = poll(pfds, ssh->n + 1, -1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		if (pfds[0].revents != 0)
			break;
		for (i = 0; i < ssh->n; i++) {
			if (pfds[i + 1].revents != 0)
				sim_ssh_accept(ssh, &ssh->listeners[i]);
		}
	}
	free(pfds);
	return NULL;
}

int
sim_ssh_start(struct sim_fleet *fleet, struct sim_ssh **out, char **cause)
{
	struct sim_ssh *ssh = xcalloc(1, sizeof *ssh);
	int e;

	ssh->fleet = fleet;
	ssh->wake[0] = ssh->wake[1] = -1;
	atomic_init(&ssh->stopping, false);
	pthread_mutex_init(&ssh->lock, NULL);
	pthread_cond_init(&ssh->idle, NULL);
	if (ssh_init() != SSH_OK) {
		*cause = xstrdup("libssh: cannot initialise");
		goto fail;
	}
	if (pipe2(ssh->wake, O_CLOEXEC) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		goto fail;
	}
	if (sim_ssh_open_all(ssh, cause) != 0)
		goto fail;
	if ((e = pthread_create(&ssh->acceptor, NULL, sim_ssh_acceptor,
	    ssh)) != 0) {
		*cause = xasprintf("pthread_create: %s", strerror(e));
		goto fail;
	}
	ssh->accepting = true;
	*out = ssh;
	return 0;
fail:
	sim_ssh_stop(&ssh);
	return -1;
}

/* End every session and wait until their threads are done. */
static void
sim_ssh_end_sessions(struct sim_ssh *ssh)
{
	struct sim_ssh_session *s;

	pthread_mutex_lock(&ssh->lock);
	for (s = ssh->sessions; s != NULL; s = s->next)
		shutdown(s->fd, SHUT_RDWR);
	while (ssh->nsessions > 0)
		pthread_cond_wait(&ssh->idle, &ssh->lock);
	pthread_mutex_unlock(&ssh->lock);
}

void
sim_ssh_stop(struct sim_ssh **sshp)
{
	struct sim_ssh *ssh = *sshp;
	ssize_t n;
	size_t i;

	if (ssh == NULL)
		return;
	atomic_store(&ssh->stopping, true);
	if (ssh->accepting) {
		do
			n = write(ssh->wake[1], "", 1);
		while (n == -1 && errno == EINTR);
		pthread_join(ssh->acceptor, NULL);
	}
	sim_ssh_end_sessions(ssh);
	for (i = 0; i < ssh->n; i++) {
		if (ssh->listeners[i].fd != -1)
			close(ssh->listeners[i].fd);
		ssh_bind_free(ssh->listeners[i].bind);
	}
	free(ssh->listeners);
	if (ssh->wake[0] != -1) {
		close(ssh->wake[0]);
		close(ssh->wake[1]);
	}
	pthread_cond_destroy(&ssh->idle);
	pthread_mutex_destroy(&ssh->lock);
	free(ssh);
	*sshp = NULL;
}
