#include "config.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"

/* log_fd and log_level are set once at start-up, before threads exist. */
static int log_fd = -1;
static enum log_level log_max = LOG_LEVEL_ERROR;

int
log_open(const char *path, enum log_level level, char **cause)
{
	int fd;

	if (strcmp(path, "-") == 0)
		fd = dup(STDERR_FILENO);
	else
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	log_close();
	log_fd = fd;
	log_max = level;
	return 0;
}

void
log_close(void)
{
	if (log_fd != -1)
		close(log_fd);
	log_fd = -1;
}

void
log_mute_stderr(void)
{
	if (log_fd != -1 && isatty(log_fd))
		log_close();
}

void
log_emit(enum log_level level, const char *func, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	char line[2048], stamp[32];
	struct timeval tv;
	struct tm tm;
	va_list ap;
	int n, m;
	ssize_t w;

	if (log_fd == -1 || level > log_max)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof line, "%s.%03ldZ %d %s %s: ", stamp,
	    (long)tv.tv_usec / 1000, (int)getpid(), names[level], func);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	do
		w = write(log_fd, line, n);
	while (w == -1 && errno == EINTR);
}
