#include "config.h"

#include "status.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "i18n.h"
#include "job.h"
#include "screen.h"
#include "text.h"
#include "xmalloc.h"

#define STATUS_BAR_WIDTH 10

/* An active job as last seen. */
struct status_job {
	int64_t		 id;
	char		*kind;
	size_t		 finished;	/* done, failed or cancelled */
	size_t		 total;
};

struct status {
	char		*message;
	enum screen_role role;

	struct status_job *jobs;	/* active, newest first */
	size_t		 njobs;

	bool		 prompting;
	char		*prefix;
	char		*line;
	size_t		 len;
	size_t		 size;

	bool		 dirty;
};

struct status *
status_new(void)
{
	struct status *s = xcalloc(1, sizeof *s);

	s->size = 64;
	s->line = xcalloc(1, s->size);
	s->dirty = true;
	return s;
}

static void
status_jobs_clear(struct status *s)
{
	size_t i;

	for (i = 0; i < s->njobs; i++)
		free(s->jobs[i].kind);
	xfree(&s->jobs);
	s->njobs = 0;
}

void
status_free(struct status **sp)
{
	struct status *s = *sp;

	if (s == NULL)
		return;
	status_jobs_clear(s);
	free(s->message);
	free(s->prefix);
	free(s->line);
	free(s);
	*sp = NULL;
}

void
status_message(struct status *s, enum screen_role role, const char *fmt, ...)
{
	va_list ap;
	char *raw;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	/* Causes may quote what a printer or a file said. */
	free(s->message);
	s->message = text_sanitize(raw, strlen(raw));
	free(raw);
	s->role = role;
	s->dirty = true;
}

void
status_clear(struct status *s)
{
	if (s->message == NULL)
		return;
	xfree(&s->message);
	s->dirty = true;
}

/* ---- jobs ---- */

static bool
status_job_active(const struct job_info *j)
{
	return j->state == JOB_QUEUED || j->state == JOB_RUNNING;
}

static size_t
status_job_finished(const struct job_info *j)
{
	return j->count[TARGET_DONE] + j->count[TARGET_FAILED] +
	    j->count[TARGET_CANCELLED];
}

/* A message for a job that was active at the last look and is not now. */
static void
status_job_ended(struct status *s, const struct job_info *j)
{
	size_t failed = j->count[TARGET_FAILED];

	if (j->count[TARGET_CANCELLED] > 0) {
		status_message(s, SCREEN_WARN,
		    _("%s #%lld %s: %zu done, %zu failed, %zu cancelled"),
		    j->kind, (long long)j->id, job_state_name(j->state),
		    j->count[TARGET_DONE], failed, j->count[TARGET_CANCELLED]);
		return;
	}
	status_message(s, failed > 0 ? SCREEN_WARN : SCREEN_OK,
	    _("%s #%lld %s: %zu done, %zu failed"), j->kind, (long long)j->id,
	    job_state_name(j->state), j->count[TARGET_DONE], failed);
}

static bool
status_was_active(const struct status *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->njobs; i++) {
		if (s->jobs[i].id == id)
			return true;
	}
	return false;
}

bool
status_jobs(struct status *s, const struct job_info *jobs, size_t n)
{
	struct status_job *v = xcalloc(n > 0 ? n : 1, sizeof *v);
	size_t i, nv = 0;

	for (i = 0; i < n; i++) {
		if (!status_job_active(&jobs[i])) {
			if (status_was_active(s, jobs[i].id))
				status_job_ended(s, &jobs[i]);
			continue;
		}
		v[nv].id = jobs[i].id;
		v[nv].kind = xstrdup(jobs[i].kind != NULL ? jobs[i].kind : "");
		v[nv].finished = status_job_finished(&jobs[i]);
		v[nv].total = jobs[i].total;
		nv++;
	}
	status_jobs_clear(s);
	s->jobs = v;
	s->njobs = nv;
	s->dirty = true;
	return nv > 0;
}

/* ---- the prompt ---- */

void
status_prompt(struct status *s, const char *prefix, const char *text)
{
	size_t len = text != NULL ? strlen(text) : 0;

	free(s->prefix);
	s->prefix = xstrdup(prefix);
	if (len + 1 > s->size) {
		s->size = len + 64;
		s->line = xreallocarray(s->line, s->size, 1);
	}
	memcpy(s->line, text != NULL ? text : "", len + 1);
	s->len = len;
	s->prompting = true;
	status_clear(s);
	s->dirty = true;
}

static bool
status_insert(struct status *s, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t mbs;
	size_t n;

	if (key < 0x20 || (key & SCREEN_KEY_FN) || !iswprint((wint_t)key))
		return false;
	memset(&mbs, 0, sizeof mbs);
	n = wcrtomb(mb, (wchar_t)key, &mbs);
	if (n == (size_t)-1)
		return false;
	if (s->len + n + 1 > s->size) {
		s->size = (s->len + n + 1) * 2;
		s->line = xreallocarray(s->line, s->size, 1);
	}
	memcpy(s->line + s->len, mb, n);
	s->len += n;
	s->line[s->len] = '\0';
	return true;
}

/* Remove the last character (UTF-8 continuation bytes with it). */
static bool
status_backspace(struct status *s)
{
	if (s->len == 0)
		return false;
	do
		s->len--;
	while (s->len > 0 && ((unsigned char)s->line[s->len] & 0xc0) == 0x80);
	s->line[s->len] = '\0';
	return true;
}

static bool
status_kill_word(struct status *s)
{
	size_t old = s->len;

	while (s->len > 0 && s->line[s->len - 1] == ' ')
		s->len--;
	while (s->len > 0 && s->line[s->len - 1] != ' ')
		s->len--;
	s->line[s->len] = '\0';
	return s->len != old;
}

enum status_edit
status_edit(struct status *s, enum keys_op op, int key)
{
	bool changed = false;

	switch (op) {
	case KEYS_OP_ACCEPT:
		return STATUS_EDIT_ACCEPT;
	case KEYS_OP_CANCEL:
		return STATUS_EDIT_CANCEL;
	case KEYS_OP_BACKSPACE:
		changed = status_backspace(s);
		break;
	case KEYS_OP_KILL_LINE:
		changed = s->len > 0;
		s->len = 0;
		s->line[0] = '\0';
		break;
	case KEYS_OP_KILL_WORD:
		changed = status_kill_word(s);
		break;
	default:
		changed = status_insert(s, key);
		break;
	}
	if (!changed)
		return STATUS_EDIT_NONE;
	s->dirty = true;
	return STATUS_EDIT_CHANGED;
}

const char *
status_prompt_text(const struct status *s)
{
	return s->line;
}

bool
status_prompting(const struct status *s)
{
	return s->prompting;
}

void
status_prompt_end(struct status *s)
{
	s->prompting = false;
	s->dirty = true;
}

bool
status_dirty(const struct status *s)
{
	return s->dirty;
}

void
status_redraw(struct status *s)
{
	s->dirty = true;
}

/* ---- drawing ---- */

/* "check #12 ████░░░░░░ 4/10 +1" at the right end; returns its width. */
static int
status_draw_jobs(struct status *s, struct screen *scr, int y, int width)
{
	const struct status_job *j = &s->jobs[0];
	char *head, *tail;
	size_t fill = 0, i;
	int w, x;

	if (s->njobs == 0)
		return 0;
	if (j->total > 0)
		fill = j->finished * STATUS_BAR_WIDTH / j->total;
	head = xasprintf(" %s #%lld ", j->kind, (long long)j->id);
	tail = s->njobs > 1 ? xasprintf(" %zu/%zu +%zu ", j->finished,
	    j->total, s->njobs - 1) : xasprintf(" %zu/%zu ", j->finished,
	    j->total);
	w = screen_width(scr, head) + STATUS_BAR_WIDTH + screen_width(scr, tail);
	if (w > width / 2) {
		free(head);
		free(tail);
		return 0;
	}
	x = width - w;
	x += screen_put(scr, y, x, width - x, SCREEN_STATUS, head, false);
	for (i = 0; i < STATUS_BAR_WIDTH; i++) {
		x += screen_put(scr, y, x, 1, i < fill ? SCREEN_OK :
		    SCREEN_NORMAL, screen_glyph(scr, i < fill ?
		    SCREEN_GLYPH_BAR_FULL : SCREEN_GLYPH_BAR_EMPTY), true);
	}
	screen_put(scr, y, x, width - x, SCREEN_STATUS, tail, false);
	free(head);
	free(tail);
	return w;
}

/* The prompt, its tail kept in view; returns the cursor column. */
static int
status_draw_prompt(struct status *s, struct screen *scr, int y, int width)
{
	int x = screen_put(scr, y, 0, width, SCREEN_NORMAL, s->prefix, false);
	const char *p = s->line;

	while (*p != '\0' && screen_width(scr, p) >= width - x)
		p++;
	while (((unsigned char)*p & 0xc0) == 0x80)
		p++;
	x += screen_put(scr, y, x, width - x, SCREEN_NORMAL, p, false);
	return x < width ? x : width - 1;
}

int
status_draw(struct status *s, struct screen *scr, int y, int width)
{
	int right, cursor = -1;

	screen_blank(scr, y, 0, width, SCREEN_NORMAL);
	right = status_draw_jobs(s, scr, y, width);
	if (s->prompting)
		cursor = status_draw_prompt(s, scr, y, width - right);
	else if (s->message != NULL)
		screen_put(scr, y, 0, width - right - 1, s->role, s->message,
		    false);
	s->dirty = false;
	return cursor;
}
