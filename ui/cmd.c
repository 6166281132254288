#include "config.h"

#include "cmd.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "job-kinds.h"
#include "job.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

void
cmd_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("quire: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cmd_usage(const struct cmd_entry *entry)
{
	fprintf(stderr, _("usage: quire %s %s\n"), entry->name,
	    _(entry->usage));
	return CMD_USAGE;
}

int
cmd_open_store(struct cmd_ctx *ctx, struct store **st)
{
	char *cause = NULL;

	if (store_open(ctx->db_path, st, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* A one-line progress bar on stderr, redrawn in place. */
static void
cmd_draw_progress(const struct job_info *ji, bool tty)
{
	size_t finished = ji->count[TARGET_DONE] + ji->count[TARGET_FAILED] +
	    ji->count[TARGET_CANCELLED], width = 30, filled, i;

	if (!tty)
		return;
	filled = ji->total ? finished * width / ji->total : width;
	fprintf(stderr, "\r%s %lld [", ji->kind, (long long)ji->id);
	for (i = 0; i < width; i++)
		fputc(i < filled ? '#' : '-', stderr);
	fprintf(stderr, _("] %zu/%zu  %zu failed "), finished, ji->total,
	    ji->count[TARGET_FAILED]);
	fflush(stderr);
}

/* Name every target that did not end done, with its reason. */
static void
cmd_report_failures(struct store *st, int64_t job_id)
{
	struct job_target_info *v = NULL;
	char *cause = NULL, *name, *reason;
	size_t n = 0, i;

	if (job_targets(st, job_id, &v, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (v[i].state == TARGET_DONE)
			continue;
		name = text_sanitize(v[i].printer_name, strlen(v[i].printer_name));
		reason = v[i].reason ? text_sanitize(v[i].reason,
		    strlen(v[i].reason)) : xstrdup("");
		fprintf(stderr, "%s: %s: %s\n", name,
		    target_state_name(v[i].state), reason);
		free(name);
		free(reason);
	}
	job_targets_free(&v, n);
}

static int
cmd_poll_job(struct store *st, int64_t job_id, struct engine *eng, bool tty)
{
	struct job_info ji;
	struct pollfd pfd = { .fd = engine_wake_fd(eng), .events = POLLIN };
	char *cause = NULL;
	int finished = 0, rc;

	for (;;) {
		if (job_get(st, job_id, &ji, &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			return CMD_FAILED;
		}
		cmd_draw_progress(&ji, tty);
		finished = ji.finished_at != 0;
		rc = ji.state == JOB_DONE ? CMD_OK : CMD_FAILED;
		job_info_clear(&ji);
		if (finished)
			break;
		/* The wake fd says one of ours finished; the timeout catches
		 * targets finished by other engines on the same database. */
		if (poll(&pfd, 1, 250) > 0)
			engine_drain_wake(eng);
	}
	if (tty)
		fputc('\n', stderr);
	return rc;
}

int
cmd_wait_job(struct cmd_ctx *ctx, struct store *st, int64_t job_id)
{
	struct engine_config cfg = { .db_path = ctx->db_path };
	const struct engine_kind *const *kinds;
	struct engine *eng;
	char *cause = NULL;
	size_t nkinds;
	int rc;

	if (ctx->no_wait) {
		printf("%lld\n", (long long)job_id);
		return CMD_OK;
	}
	kinds = job_kinds(&nkinds);
	if (engine_start(&cfg, kinds, nkinds, &eng, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_FAILED;
	}
	rc = cmd_poll_job(st, job_id, eng, isatty(STDERR_FILENO));
	engine_stop(&eng);
	if (rc != CMD_OK)
		cmd_report_failures(st, job_id);
	return rc;
}

/* "2h", "3d", "30m", "45s", "2w": that long before NOW (ms); -1 if not. */
static int64_t
cmd_parse_relative(const char *s, int64_t now)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	int64_t unit;

	if (end == s || v < 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (*end) {
	case 's': unit = 1000; break;
	case 'm': unit = 60 * 1000; break;
	case 'h': unit = 3600 * 1000; break;
	case 'd': unit = 86400 * 1000; break;
	case 'w': unit = 7 * 86400 * 1000; break;
	default: return -1;
	}
	return now - (int64_t)v * unit;
}

int64_t
cmd_parse_when(const char *when)
{
	static const char *const fmts[] = { "%Y-%m-%d %H:%M:%S",
	    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
	    "%Y-%m-%d" };
	struct tm tm;
	const char *end;
	size_t i;
	time_t t;

	if (cmd_parse_relative(when, store_now_ms()) >= 0)
		return cmd_parse_relative(when, store_now_ms());
	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		memset(&tm, 0, sizeof tm);
		if ((end = strptime(when, fmts[i], &tm)) == NULL || *end != '\0')
			continue;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) != (time_t)-1)
			return (int64_t)t * 1000;
	}
	return -1;
}

/* A positive decimal id, else -1 (nothing said). */
static int
cmd_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v <= 0 || errno != 0)
		return -1;
	*id = v;
	return 0;
}

int
cmd_job_id(const char *s, int64_t *id)
{
	if (cmd_parse_id(s, id) == 0)
		return 0;
	cmd_error(_("not a job id: %s"), s);
	return -1;
}

int
cmd_backup_id(const char *s, int64_t *id)
{
	if (cmd_parse_id(s, id) == 0)
		return 0;
	cmd_error(_("not a backup id: %s"), s);
	return -1;
}

void
cmd_time(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "-");
}
