#include "config.h"

#include "secret.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "i18n.h"
#include "vault.h"
#include "xmalloc.h"

/* The longest secret line, and the largest --secret-file. */
#define SECRET_LINE_MAX		65536
#define SECRET_FILE_MAX		(1024 * 1024)

struct secret_source {
	bool		 tty;
	char		*file;		/* --secret-file contents, or NULL */
	size_t		 filelen;
	size_t		 off;		/* next unread byte of file */
};

/* The signal that interrupted a prompt (echo is restored first). */
static volatile sig_atomic_t secret_signal;

int
secret_source_open(const char *file, struct secret_source **out,
    char **cause)
{
	struct secret_source *src = xcalloc(1, sizeof *src);

	if (file != NULL && vault_read_private_file(file, SECRET_FILE_MAX,
	    &src->file, &src->filelen, cause) != 0) {
		free(src);
		return -1;
	}
	src->tty = file == NULL && isatty(STDIN_FILENO);
	*out = src;
	return 0;
}

void
secret_source_free(struct secret_source **srcp)
{
	struct secret_source *src = *srcp;

	if (src == NULL)
		return;
	if (src->file != NULL)
		vault_wipe_free(src->file, src->filelen + 1);
	free(src);
	*srcp = NULL;
}

bool
secret_source_is_tty(const struct secret_source *src)
{
	return src->tty;
}

bool
secret_source_has_more(const struct secret_source *src)
{
	size_t i;

	for (i = src->off; src->file != NULL && i < src->filelen; i++) {
		if (strchr("\r\n", src->file[i]) == NULL)
			return true;
	}
	return false;
}

/* Grow *BUF (capacity *CAP) without leaving a copy of it behind. */
static void
secret_grow(char **buf, size_t *cap)
{
	size_t ncap = *cap ? *cap * 2 : 128;
	char *nbuf = xmalloc(ncap);

	if (*buf != NULL) {
		memcpy(nbuf, *buf, *cap);
		vault_wipe_free(*buf, *cap);
	}
	*buf = nbuf;
	*cap = ncap;
}

/*
 * One line from FD, a byte at a time so nothing is buffered beyond it.
 * 1: a line in *OUT; 0: end of input; -1: error (or a signal, *SIG set).
 */
static int
secret_read_fd(int fd, char **out, char **cause)
{
	char *buf = NULL, ch;
	size_t cap = 0, len = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, &ch, 1);
		if (n == -1 && errno == EINTR && secret_signal == 0)
			continue;
		if (n == -1) {
			*cause = secret_signal ? xstrdup(_("interrupted")) :
			    xasprintf("stdin: %s", strerror(errno));
			vault_wipe_free(buf, cap);
			return -1;
		}
		if (n == 0 || ch == '\n')
			break;
		if (len + 1 >= cap)
			secret_grow(&buf, &cap);
		if (len >= SECRET_LINE_MAX) {
			vault_wipe_free(buf, cap);
			*cause = xasprintf(_("a secret line is longer than %d "
			    "bytes"), SECRET_LINE_MAX);
			return -1;
		}
		buf[len++] = ch;
	}
	if (n == 0 && len == 0 && buf == NULL)
		return 0;
	if (buf == NULL)
		secret_grow(&buf, &cap);
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	*out = xstrdup(buf);
	vault_wipe_free(buf, cap);
	return 1;
}

static int
secret_set_tty(const struct termios *t)
{
	int rc;

	while ((rc = tcsetattr(STDIN_FILENO, TCSAFLUSH, t)) == -1 &&
	    errno == EINTR)
		;
	return rc;
}

static void
secret_on_signal(int sig)
{
	secret_signal = sig;
}

/* Catch the signals that would leave the terminal without echo. */
static void
secret_catch(struct sigaction *old, bool on)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = secret_on_signal;	/* no SA_RESTART: read() stops */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		if (on)
			sigaction(sigs[i], &sa, &old[i]);
		else
			sigaction(sigs[i], &old[i], NULL);
	}
}

int
secret_prompt(const char *prompt, char **out, char **cause)
{
	struct termios saved, quiet;
	struct sigaction old[5];
	int rc, sig;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0) {
		*cause = xasprintf(_("%s: stdin is not a terminal"), prompt);
		return -1;
	}
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	secret_signal = 0;
	secret_catch(old, true);
	/* Never read a secret with echo on. */
	if (secret_set_tty(&quiet) != 0) {
		secret_catch(old, false);
		*cause = xasprintf(_("%s: cannot turn echo off: %s"), prompt,
		    strerror(errno));
		return -1;
	}
	fprintf(stderr, "%s: ", prompt);
	fflush(stderr);
	rc = secret_read_fd(STDIN_FILENO, out, cause);
	if (secret_set_tty(&saved) != 0)
		fprintf(stderr, _("quire: cannot turn echo back on: %s\n"),
		    strerror(errno));
	fputc('\n', stderr);
	secret_catch(old, false);
	if ((sig = secret_signal) != 0)
		raise(sig);	/* the default action, now echo is back */
	if (rc == 0) {
		*cause = xasprintf(_("%s: end of input"), prompt);
		return -1;
	}
	return rc == 1 ? 0 : -1;
}

/* The next line of the secret file: 1, or 0 at its end. */
static int
secret_file_line(struct secret_source *src, char **out)
{
	size_t start = src->off, len;

	if (start >= src->filelen)
		return 0;
	len = strcspn(src->file + start, "\n");
	src->off = start + len + (start + len < src->filelen ? 1 : 0);
	if (len > 0 && src->file[start + len - 1] == '\r')
		len--;
	*out = xstrndup(src->file + start, len);
	return 1;
}

/* Ask twice on the terminal; the entries must agree. */
static int
secret_prompt_twice(const char *label, char **out, char **cause)
{
	char *again = NULL, *prompt;
	int rc;

	if (secret_prompt(label, out, cause) != 0)
		return -1;
	prompt = xasprintf(_("%s (again)"), label);
	rc = secret_prompt(prompt, &again, cause);
	free(prompt);
	if (rc == 0 && strcmp(*out, again) != 0) {
		*cause = xasprintf(_("%s: the two entries differ"), label);
		rc = -1;
	}
	vault_wipe_str(again);
	if (rc != 0) {
		vault_wipe_str(*out);
		*out = NULL;
	}
	return rc;
}

int
secret_next(struct secret_source *src, const char *label, bool confirm,
    bool optional, char **out, char **cause)
{
	int rc;

	*out = NULL;
	if (src->tty)
		rc = (confirm ? secret_prompt_twice(label, out, cause) :
		    secret_prompt(label, out, cause)) == 0 ? 1 : -1;
	else if (src->file != NULL)
		rc = secret_file_line(src, out);
	else
		rc = secret_read_fd(STDIN_FILENO, out, cause);
	if (rc == -1)
		return -1;
	if (rc == 1 && **out != '\0')
		return 0;
	vault_wipe_str(*out);
	*out = NULL;
	if (optional)
		return 0;
	*cause = xasprintf(rc == 0 ? _("%s: missing (end of input)") :
	    _("%s: empty"), label);
	return -1;
}
