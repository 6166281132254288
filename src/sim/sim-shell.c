#include "config.h"

#include "sim-shell.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim-shell-int.h"
#include "text.h"
#include "xmalloc.h"

#define SIM_SHELL_LINE_MAX	4096
#define SIM_SHELL_ARGS_MAX	32
/* A client that sends nothing for this long has gone away. */
#define SIM_SHELL_READ_TIMEOUT_MS 60000
#define SIM_SHELL_PASSWORD_MAX	1024

static const struct sim_shell_cmd *const sim_shell_table[] = {
	&sim_shell_cmd_settings_export,
	&sim_shell_cmd_settings_import,
	&sim_shell_cmd_settings_get,
	&sim_shell_cmd_cert_list,
	&sim_shell_cmd_cert_show,
	&sim_shell_cmd_cert_import,
	&sim_shell_cmd_cert_csr,
	&sim_shell_cmd_cert_use,
	&sim_shell_cmd_cert_delete,
	&sim_shell_cmd_policy_show,
	&sim_shell_cmd_policy_apply,
	&sim_shell_cmd_policy_passwd,
	&sim_shell_cmd_device_info,
	&sim_shell_cmd_device_reboot,
};
#define SIM_SHELL_NCMDS (sizeof sim_shell_table / sizeof sim_shell_table[0])

int
sim_shell_error(struct sim_shell *sh, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", sh->err);
	va_start(ap, fmt);
	vfprintf(sh->err, fmt, ap);
	va_end(ap);
	fputc('\n', sh->err);
	return 1;
}

/* Add the byte C to the word being built. */
static void
sim_shell_putc(char **word, size_t *len, char c)
{
	*word = xreallocarray(*word, 1, *len + 2);
	(*word)[(*len)++] = c;
	(*word)[*len] = '\0';
}

/* One word at *P: quotes '...' and "..." (with \" and \\), \ escapes. */
static int
sim_shell_word(const char **pp, char **word, const char **cause)
{
	const char *p = *pp;
	size_t len = 0;
	char quote = '\0';

	*word = xstrdup("");
	for (; *p != '\0'; p++) {
		if (quote == '\0' && (*p == ' ' || *p == '\t'))
			break;
		if (*p == quote) {
			quote = '\0';
		} else if (quote == '\0' && (*p == '\'' || *p == '"')) {
			quote = *p;
		} else if (*p == '\\' && quote != '\'' && p[1] != '\0') {
			sim_shell_putc(word, &len, *++p);
		} else
			sim_shell_putc(word, &len, *p);
	}
	*pp = p;
	if (quote == '\0')
		return 0;
	*cause = "unterminated quote";
	xfree(word);
	return -1;
}

static void
sim_shell_free_argv(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* Split LINE into words as a POSIX shell would, bounded. */
static int
sim_shell_split(const char *line, int *argcp, char ***argvp,
    const char **cause)
{
	const char *p;
	char **argv = NULL;
	int argc = 0;

	if (strlen(line) > SIM_SHELL_LINE_MAX) {
		*cause = "command line too long";
		return -1;
	}
	for (p = line; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			*cause = "control characters in the command line";
			return -1;
		}
	}
	for (p = line;;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		if (argc == SIM_SHELL_ARGS_MAX) {
			*cause = "too many arguments";
			sim_shell_free_argv(argc, argv);
			return -1;
		}
		argv = xreallocarray(argv, argc + 1, sizeof *argv);
		if (sim_shell_word(&p, &argv[argc], cause) != 0) {
			sim_shell_free_argv(argc, argv);
			return -1;
		}
		argc++;
	}
	*argcp = argc;
	*argvp = argv;
	return 0;
}

static int
sim_shell_help(struct sim_shell *sh)
{
	const struct sim_shell_cmd *cmd;
	char *usage;
	size_t i;

	fputs("commands:\n", sh->out);
	for (i = 0; i < SIM_SHELL_NCMDS; i++) {
		cmd = sim_shell_table[i];
		usage = xasprintf("%s%s%s", cmd->name, *cmd->args != '\0' ?
		    " " : "", cmd->args);
		fputs("  - ", sh->out);
		sim_shell_yaml_scalar(sh->out, usage);
		fputc('\n', sh->out);
		free(usage);
	}
	fputs("  - help\n", sh->out);
	return 0;
}

static const struct sim_shell_cmd *
sim_shell_find(int argc, char **argv, bool *group)
{
	const struct sim_shell_cmd *cmd;
	size_t i, len = strlen(argv[0]);

	*group = false;
	for (i = 0; i < SIM_SHELL_NCMDS; i++) {
		cmd = sim_shell_table[i];
		if (strncmp(cmd->name, argv[0], len) != 0 ||
		    cmd->name[len] != ' ')
			continue;
		*group = true;
		if (argc > 1 && strcmp(cmd->name + len + 1, argv[1]) == 0)
			return cmd;
	}
	return NULL;
}

static int
sim_shell_unknown(struct sim_shell *sh, int argc, char **argv, bool group)
{
	char *what = text_sanitize(argv[group && argc > 1 ? 1 : 0],
	    strlen(argv[group && argc > 1 ? 1 : 0]));

	if (group && argc == 1)
		sim_shell_error(sh, "%s: a subcommand is missing (try help)",
		    what);
	else if (group)
		sim_shell_error(sh, "%s: unknown subcommand of %s (try help)",
		    what, argv[0]);
	else
		sim_shell_error(sh, "%s: unknown command (try help)", what);
	free(what);
	return 2;
}

static int
sim_shell_dispatch(struct sim_shell *sh, int argc, char **argv)
{
	const struct sim_shell_cmd *cmd;
	bool group;
	int n;

	if (argc == 1 && strcmp(argv[0], "help") == 0)
		return sim_shell_help(sh);
	if ((cmd = sim_shell_find(argc, argv, &group)) == NULL)
		return sim_shell_unknown(sh, argc, argv, group);
	n = argc - 2;
	if (n < cmd->min || (cmd->max >= 0 && n > cmd->max)) {
		fprintf(sh->err, "usage: %s %s\n", cmd->name, cmd->args);
		return 2;
	}
	return cmd->exec(sh, n, argv + 2);
}

static int
sim_shell_command(struct sim_shell *sh, const char *command)
{
	const char *cause;
	char **argv;
	int argc, rc;

	if (sim_shell_split(command, &argc, &argv, &cause) != 0) {
		sim_shell_error(sh, "%s", cause);
		return 2;
	}
	if (argc == 0) {
		sim_shell_error(sh, "no command (try help)");
		rc = 2;
	} else if (sim_printer_is_down(sh->printer))
		rc = sim_shell_error(sh, "the printer is rebooting");
	else
		rc = sim_shell_dispatch(sh, argc, argv);
	sim_shell_free_argv(argc, argv);
	return rc;
}

/* Wait for FD to be ready for EVENTS; -1 with errno (ETIMEDOUT) if not. */
static int
sim_shell_wait(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&pfd, 1, timeout_ms);
	while (n == -1 && errno == EINTR);
	if (n == 0)
		errno = ETIMEDOUT;
	return n > 0 ? 0 : -1;
}

/* Write all of BUF; never raises SIGPIPE on a socket. */
static void
sim_shell_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == ENOTSOCK)
			n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    sim_shell_wait(fd, POLLOUT, SIM_SHELL_READ_TIMEOUT_MS) == 0)
			continue;
		if (n <= 0)
			return;		/* the reader went away */
		buf += n;
		len -= (size_t)n;
	}
}

int
sim_shell_payload(struct sim_shell *sh, char **bufp, size_t *lenp)
{
	size_t len = 0, size = 65536;
	char *buf = xmalloc(size + 1);
	ssize_t n;

	for (;;) {
		if (len == size)
			buf = xreallocarray(buf, 1, (size *= 2) + 1);
		if (sim_shell_wait(sh->in_fd, POLLIN,
		    SIM_SHELL_READ_TIMEOUT_MS) != 0) {
			free(buf);
			sim_shell_error(sh, "reading stdin: %s",
			    strerror(errno));
			return -1;
		}
		n = read(sh->in_fd, buf + len, size - len);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n == -1) {
			free(buf);
			sim_shell_error(sh, "reading stdin: %s",
			    strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		if ((len += (size_t)n) > SIM_SHELL_PAYLOAD_MAX) {
			free(buf);
			sim_shell_error(sh, "the payload is larger than %d "
			    "bytes", SIM_SHELL_PAYLOAD_MAX);
			return -1;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int
sim_shell_take_line(struct sim_shell *sh, char **bufp, size_t *lenp,
    char **line)
{
	char *nl = memchr(*bufp, '\n', *lenp);
	size_t n;

	if (nl == NULL) {
		sim_shell_error(sh, "stdin: expected a password line");
		return -1;
	}
	n = (size_t)(nl - *bufp);
	if (n > SIM_SHELL_PASSWORD_MAX) {
		sim_shell_error(sh, "stdin: the password line is too long");
		return -1;
	}
	*line = xstrndup(*bufp, n > 0 && nl[-1] == '\r' ? n - 1 : n);
	*lenp -= n + 1;
	*bufp = nl + 1;
	return 0;
}

static void
sim_shell_latency(struct sim_printer *p)
{
	unsigned ms = sim_printer_faults(p)->latency_ms;
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

static FILE *
sim_shell_stream(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (f == NULL)
		abort();	/* out of memory, as xmalloc does */
	return f;
}

int
sim_shell_run(struct sim_fleet *fleet, struct sim_printer *p,
    const char *command, int in_fd, int out_fd, int err_fd)
{
	struct sim_shell sh;
	char *out, *err;
	size_t outlen, errlen;
	int rc;

	memset(&sh, 0, sizeof sh);
	sh.fleet = fleet;
	sh.printer = p;
	sh.catalog = sim_fleet_catalog(fleet);
	sh.in_fd = in_fd;
	sh.out = sim_shell_stream(&out, &outlen);
	sh.err = sim_shell_stream(&err, &errlen);
	rc = sim_shell_command(&sh, command);
	if (fclose(sh.out) != 0 || fclose(sh.err) != 0)
		abort();
	sim_shell_latency(p);
	sim_shell_write_all(out_fd, out, outlen);
	sim_shell_write_all(err_fd, err, errlen);
	free(out);
	free(err);
	if (sh.reboot)
		sim_printer_reboot(p);
	return rc;
}
