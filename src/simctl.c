/* quire-sim as a child process: start, read its printers, stop. */
#include "config.h"

#include "simctl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

#define SIMCTL_TIMEOUT_MS	30000
#define SIMCTL_GRACE_MS		5000
#define SIMCTL_MAXLINE		65536

struct simctl {
	pid_t			 pid;
	int			 out;		/* its stdout */
	struct simctl_printer	*printers;
	size_t			 nprinters;
};

char *
simctl_program(void)
{
	const char *env = getenv("QUIRE_SIM");
	char exe[PATH_MAX], *slash, *path;
	ssize_t n;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			path = xasprintf("%s/quire-sim", exe);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	return xstrdup(QUIRE_BINDIR "/quire-sim");
}

static int64_t
simctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
simctl_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

void
simctl_printer_clear(struct simctl_printer *p)
{
	size_t i;

	free(p->name);
	free(p->model);
	free(p->site);
	free(p->serial);
	free(p->snmp_host);
	free(p->ssh_host);
	free(p->https_host);
	free(p->community);
	free(p->write_community);
	free(p->v3_user);
	free(p->v3_auth);
	free(p->v3_auth_pass);
	free(p->v3_priv);
	free(p->v3_priv_pass);
	free(p->policy_password);
	for (i = 0; i < p->nlogins; i++)
		free(p->logins[i]);
	free(p->logins);
	free(p->faults);
	memset(p, 0, sizeof *p);
}

/* "HOST:PORT", "HOST:auto" (port 0) or "-" (none). */
static int
simctl_address(const char *v, char **host, unsigned *port)
{
	const char *colon = strrchr(v, ':');
	char *end;
	unsigned long n;

	if (strcmp(v, "-") == 0)
		return 0;
	if (colon == NULL || colon == v)
		return -1;
	if (strcmp(colon + 1, "auto") == 0)
		n = 0;
	else {
		errno = 0;
		n = strtoul(colon + 1, &end, 10);
		if (errno != 0 || *end != '\0' || end == colon + 1 ||
		    n > 65535)
			return -1;
	}
	free(*host);
	*host = xstrndup(v, (size_t)(colon - v));
	*port = (unsigned)n;
	return 0;
}

/* The plain text fields, by key. */
static char **
simctl_field(struct simctl_printer *p, const char *key)
{
	static const char *const keys[] = {
		"model", "site", "serial", "community", "write_community",
		"v3_user", "v3_auth", "v3_auth_pass", "v3_priv",
		"v3_priv_pass", "policy_password", "faults"
	};
	char **const fields[] = {
		&p->model, &p->site, &p->serial, &p->community,
		&p->write_community, &p->v3_user, &p->v3_auth,
		&p->v3_auth_pass, &p->v3_priv, &p->v3_priv_pass,
		&p->policy_password, &p->faults
	};
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(key, keys[i]) == 0)
			return fields[i];
	}
	return NULL;
}

static int
simctl_pair(struct simctl_printer *p, const char *word)
{
	const char *eq = strchr(word, '=');
	char *key, **field;
	int rc = 0;

	if (eq == NULL || eq == word)
		return -1;
	key = xstrndup(word, (size_t)(eq - word));
	if (strcmp(key, "snmp") == 0)
		rc = simctl_address(eq + 1, &p->snmp_host, &p->snmp_port);
	else if (strcmp(key, "ssh") == 0)
		rc = simctl_address(eq + 1, &p->ssh_host, &p->ssh_port);
	else if (strcmp(key, "https") == 0)
		rc = simctl_address(eq + 1, &p->https_host, &p->https_port);
	else if ((field = simctl_field(p, key)) != NULL) {
		free(*field);
		*field = xstrdup(eq + 1);
	} else if (strcmp(key, "user") == 0 || strcmp(key, "domain") == 0 ||
	    strcmp(key, "sysmgr") == 0 || strcmp(key, "password") == 0) {
		p->logins = xreallocarray(p->logins, p->nlogins + 1,
		    sizeof *p->logins);
		p->logins[p->nlogins++] = xstrdup(word);
	}
	/* Other keys are from a newer quire-sim: skipped. */
	free(key);
	return rc;
}

int
simctl_parse_line(const char *line, struct simctl_printer *p, char **cause)
{
	char *copy = xstrdup(line), *word, *save = NULL;
	int rc = 0;

	memset(p, 0, sizeof *p);
	copy[strcspn(copy, "\r\n")] = '\0';
	if ((word = strtok_r(copy, " ", &save)) == NULL ||
	    strchr(word, '=') != NULL)
		rc = -1;
	else
		p->name = xstrdup(word);
	while (rc == 0 && (word = strtok_r(NULL, " ", &save)) != NULL)
		rc = simctl_pair(p, word);
	if (rc == 0 && (p->model == NULL || p->snmp_host == NULL))
		rc = -1;
	free(copy);
	if (rc != 0) {
		*cause = xstrdup("quire-sim printed a line that is not a "
		    "printer");
		simctl_printer_clear(p);
	}
	return rc;
}

/* In the child, between fork and exec: async-signal-safe calls only. */
static void __attribute__((noreturn))
simctl_child(char *const *argv, int out, int in, int err, pid_t parent)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* The simulator goes when its parent does (a crashed demo). */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	if (dup2(out, STDOUT_FILENO) == -1 || dup2(in, STDIN_FILENO) == -1 ||
	    (err != -1 && dup2(err, STDERR_FILENO) == -1))
		_exit(127);
	execv(argv[0], argv);
	_exit(127);
}

static int
simctl_open(const char *path, int flags, char **cause)
{
	int fd;

	do
		fd = open(path, flags | O_CLOEXEC, 0600);
	while (fd == -1 && errno == EINTR);
	if (fd == -1)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	return fd;
}

static int
simctl_spawn(struct simctl *sc, const struct simctl_options *o,
    char *const *argv, char **cause)
{
	int fds[2], in, err = -1;
	pid_t parent = getpid();

	if ((in = simctl_open("/dev/null", O_RDONLY, cause)) == -1)
		return -1;
	if (o->stderr_path != NULL && (err = simctl_open(o->stderr_path,
	    O_WRONLY | O_CREAT | O_APPEND, cause)) == -1) {
		close(in);
		return -1;
	}
	if (pipe2(fds, O_CLOEXEC) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		close(in);
		if (err != -1)
			close(err);
		return -1;
	}
	if ((sc->pid = fork()) == 0)
		simctl_child(argv, fds[1], in, err, parent);
	if (sc->pid == -1)
		*cause = xasprintf("fork: %s", strerror(errno));
	close(fds[1]);
	close(in);
	if (err != -1)
		close(err);
	if (sc->pid == -1) {
		close(fds[0]);
		return -1;
	}
	sc->out = fds[0];
	return 0;
}

/* Handle one line; 1 when it is the ready line. */
static int
simctl_line(struct simctl *sc, const char *line, char **cause)
{
	struct simctl_printer p;

	if (strncmp(line, "# ready", 7) == 0)
		return 1;
	if (line[0] == '#' || line[0] == '\0')
		return 0;
	if (simctl_parse_line(line, &p, cause) != 0)
		return -1;
	sc->printers = xreallocarray(sc->printers, sc->nprinters + 1,
	    sizeof *sc->printers);
	sc->printers[sc->nprinters++] = p;
	return 0;
}

/* Split what BUF holds into lines; 1 once ready. */
static int
simctl_lines(struct simctl *sc, char *buf, size_t *have, char **cause)
{
	char *nl;
	size_t used;
	int rc;

	while ((nl = memchr(buf, '\n', *have)) != NULL) {
		*nl = '\0';
		rc = simctl_line(sc, buf, cause);
		used = (size_t)(nl - buf) + 1;
		memmove(buf, nl + 1, *have - used);
		*have -= used;
		if (rc != 0)
			return rc;
	}
	if (*have == SIMCTL_MAXLINE) {
		*cause = xstrdup("quire-sim printed an over-long line");
		return -1;
	}
	return 0;
}

/* Why it is gone, reaped; owned. */
static char *
simctl_exited(struct simctl *sc)
{
	int status;
	pid_t r;

	do
		r = waitpid(sc->pid, &status, 0);
	while (r == -1 && errno == EINTR);
	sc->pid = -1;
	if (r > 0 && WIFEXITED(status))
		return xasprintf("quire-sim exited with status %d before it "
		    "was ready", WEXITSTATUS(status));
	if (r > 0 && WIFSIGNALED(status))
		return xasprintf("quire-sim was killed by signal %d before it "
		    "was ready", WTERMSIG(status));
	return xstrdup("quire-sim ended before it was ready");
}

static int
simctl_read(struct simctl *sc, unsigned timeout_ms, char **cause)
{
	char *buf = xmalloc(SIMCTL_MAXLINE + 1);
	int64_t deadline = simctl_now_ms() + timeout_ms, left;
	struct pollfd pfd = { .fd = sc->out, .events = POLLIN };
	size_t have = 0;
	ssize_t n;
	int rc = 0;

	while (rc == 0) {
		if ((left = deadline - simctl_now_ms()) <= 0) {
			*cause = xasprintf("quire-sim was not ready after %u "
			    "ms", timeout_ms);
			rc = -1;
		} else if (poll(&pfd, 1, (int)left) > 0) {
			n = read(sc->out, buf + have, SIMCTL_MAXLINE - have);
			if (n == 0) {
				*cause = simctl_exited(sc);
				rc = -1;
			} else if (n > 0) {
				have += (size_t)n;
				rc = simctl_lines(sc, buf, &have, cause);
			} else if (errno != EINTR && errno != EAGAIN) {
				*cause = xasprintf("quire-sim: read: %s",
				    strerror(errno));
				rc = -1;
			}
		}
	}
	free(buf);
	return rc == 1 ? 0 : -1;
}

int
simctl_start(const struct simctl_options *o, struct simctl **out,
    char **cause)
{
	struct simctl *sc = xcalloc(1, sizeof *sc);
	char *prog = simctl_program();
	char *argv[12];
	size_t n = 0;

	sc->pid = -1;
	sc->out = -1;
	argv[n++] = prog;
	argv[n++] = (char *)"--fleet";
	argv[n++] = (char *)o->fleet;
	argv[n++] = (char *)"--state";
	argv[n++] = (char *)o->state_dir;
	argv[n++] = (char *)"--addressing";
	argv[n++] = (char *)(o->addressing != NULL ? o->addressing : "auto");
	if (o->log_path != NULL) {
		argv[n++] = (char *)"--log";
		argv[n++] = (char *)o->log_path;
	}
	argv[n] = NULL;
	log_info("starting %s on %s", prog, o->fleet);
	if (simctl_spawn(sc, o, argv, cause) != 0 || simctl_read(sc,
	    o->timeout_ms != 0 ? o->timeout_ms : SIMCTL_TIMEOUT_MS,
	    cause) != 0) {
		simctl_stop(&sc);
		free(prog);
		return -1;
	}
	free(prog);
	*out = sc;
	return 0;
}

/* Reap PID within MS milliseconds; its status, or -2 if still there. */
static int
simctl_reap(pid_t pid, unsigned ms)
{
	int64_t deadline = simctl_now_ms() + ms;
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, ms == 0 ? 0 : WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r == -1 && errno != EINTR)
			return -1;
		if (r == 0 && simctl_now_ms() >= deadline)
			return -2;
		if (r == 0)
			simctl_sleep_ms(10);
	}
}

int
simctl_stop(struct simctl **scp)
{
	struct simctl *sc = *scp;
	int rc = -1;
	size_t i;

	if (sc == NULL)
		return -1;
	if (sc->pid > 0) {
		kill(sc->pid, SIGTERM);
		if ((rc = simctl_reap(sc->pid, SIMCTL_GRACE_MS)) == -2) {
			log_warn("quire-sim %ld did not stop: killing it",
			    (long)sc->pid);
			kill(sc->pid, SIGKILL);
			simctl_reap(sc->pid, 0);
			rc = -1;
		}
	}
	if (sc->out != -1)
		close(sc->out);
	for (i = 0; i < sc->nprinters; i++)
		simctl_printer_clear(&sc->printers[i]);
	free(sc->printers);
	free(sc);
	*scp = NULL;
	return rc;
}

pid_t
simctl_pid(const struct simctl *sc)
{
	return sc->pid;
}

size_t
simctl_count(const struct simctl *sc)
{
	return sc->nprinters;
}

const struct simctl_printer *
simctl_printer(const struct simctl *sc, size_t i)
{
	return i < sc->nprinters ? &sc->printers[i] : NULL;
}

const struct simctl_printer *
simctl_find(const struct simctl *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->nprinters; i++) {
		if (strcmp(sc->printers[i].name, name) == 0)
			return &sc->printers[i];
	}
	return NULL;
}
