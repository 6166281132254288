/*
 * What a distribution did, for the operator: the preview (old -> new, which
 * already hold the value, which the printer lacks), the per-printer,
 * per-setting results, and `quire distribute show`. Everything that came
 * from a printer is sanitised; a secret is shown as "(secret)".
 */
#include "config.h"

#include "cmd-distribute.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "job.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

/* A value for the screen: "(secret)", "(unknown)" or "\"sanitised\"". */
static char *
cmd_distribute_value(const struct distribute_result *r, const char *v)
{
	char *s, *q;

	if (r->secret)
		return xstrdup(_("(secret)"));
	if (v == NULL)
		return xstrdup(_("(unknown)"));
	s = text_sanitize(v, strlen(v));
	q = xasprintf("\"%s\"", s);
	free(s);
	return q;
}

static char *
cmd_distribute_clean(const char *s)
{
	return s == NULL ? xstrdup("") : text_sanitize(s, strlen(s));
}

/* One line of a preview or of results. */
static void
cmd_distribute_line(const struct distribute_result *r)
{
	char *key = cmd_distribute_clean(r->key);
	char *old = cmd_distribute_value(r, r->old_value);
	char *new = cmd_distribute_value(r, r->new_value);
	char *why = cmd_distribute_clean(r->reason);
	const char *rs = r->restart ? _(" (needs a restart)") : "";

	switch (r->outcome) {
	case DISTRIBUTE_WOULD_CHANGE:
		printf(_("  %s: %s -> %s%s\n"), key, old, new, rs);
		break;
	case DISTRIBUTE_UNCHANGED:
		printf(_("  %s: already %s\n"), key, new);
		break;
	case DISTRIBUTE_APPLIED:
		printf(_("  %s: applied: %s -> %s%s\n"), key, old, new, rs);
		break;
	case DISTRIBUTE_UNSUPPORTED:
		printf(_("  %s: not supported: %s\n"), key, why);
		break;
	default:
		printf(_("  %s: %s: %s\n"), key, distribute_outcome_name(
		    r->outcome), why);
		break;
	}
	free(key);
	free(old);
	free(new);
	free(why);
}

/* "printer: 2 applied, 1 unchanged" for the results [I, J) of one printer. */
static void
cmd_distribute_head(const struct distribute_result *v, size_t i, size_t j)
{
	size_t counts[DISTRIBUTE_NOUTCOMES] = { 0 }, k;
	char *name = cmd_distribute_clean(v[i].printer_name);
	const char *sep = "";

	for (k = i; k < j; k++)
		counts[v[k].outcome]++;
	printf("%s:", name);
	for (k = 0; k < DISTRIBUTE_NOUTCOMES; k++) {
		if (counts[k] == 0)
			continue;
		printf("%s %zu %s", sep, counts[k], distribute_outcome_name(
		    (enum distribute_outcome)k));
		sep = ",";
	}
	putchar('\n');
	free(name);
}

static int
cmd_distribute_print(struct store *st, int64_t job,
    struct cmd_distribute_sum *sum)
{
	struct distribute_result *v = NULL;
	char *cause = NULL;
	size_t n = 0, i, j;
	bool changing;

	memset(sum, 0, sizeof *sum);
	if (distribute_results(st, job, NULL, &v, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < n; i = j) {
		changing = false;
		for (j = i; j < n && strcmp(v[j].printer_name,
		    v[i].printer_name) == 0; j++) {
			sum->counts[v[j].outcome]++;
			changing |= v[j].outcome == DISTRIBUTE_WOULD_CHANGE;
		}
		sum->printers++;
		sum->changing += changing ? 1 : 0;
		cmd_distribute_head(v, i, j);
		for (; i < j; i++)
			cmd_distribute_line(&v[i]);
	}
	distribute_results_free(&v, n);
	return 0;
}

int
cmd_distribute_print_preview(struct store *st, int64_t job,
    struct cmd_distribute_sum *sum)
{
	return cmd_distribute_print(st, job, sum);
}

int
cmd_distribute_print_results(struct store *st, int64_t job,
    struct cmd_distribute_sum *sum)
{
	return cmd_distribute_print(st, job, sum);
}

int
cmd_distribute_write_targets(struct store *st, int64_t job, int64_t **ids,
    size_t *n)
{
	struct distribute_result *v = NULL;
	struct job_target_info *t = NULL;
	char *cause = NULL;
	size_t nv = 0, nt = 0, i, k;
	bool want;

	*ids = NULL;
	*n = 0;
	if (distribute_results(st, job, NULL, &v, &nv, &cause) != 0 ||
	    job_targets(st, job, &t, &nt, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		distribute_results_free(&v, nv);
		return -1;
	}
	for (i = 0; i < nt; i++) {
		want = t[i].state != TARGET_DONE && t[i].printer_id != 0;
		for (k = 0; k < nv && !want; k++)
			want = v[k].printer_id == t[i].printer_id &&
			    (v[k].outcome == DISTRIBUTE_WOULD_CHANGE ||
			    v[k].outcome == DISTRIBUTE_FAILED);
		if (!want || t[i].printer_id == 0)
			continue;
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = t[i].printer_id;
	}
	distribute_results_free(&v, nv);
	job_targets_free(&t, nt);
	return 0;
}

void
cmd_distribute_print_reboots(struct store *st, int64_t job)
{
	struct job_target_info *t = NULL;
	char *cause = NULL, *name, *what;
	const char *r;
	size_t n = 0, i;

	if (job_targets(st, job, &t, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		/* The job's result ends with "; rebooted" or "; reboot...". */
		if (t[i].result == NULL ||
		    (r = strstr(t[i].result, "; reboot")) == NULL)
			r = t[i].result != NULL ? strstr(t[i].result,
			    "; not rebooted") : NULL;
		if (r == NULL)
			continue;
		name = cmd_distribute_clean(t[i].printer_name);
		what = cmd_distribute_clean(r + 2);
		printf("%s: %s\n", name, what);
		free(name);
		free(what);
	}
	job_targets_free(&t, n);
}

/* ---- show ---- */

static void
cmd_distribute_show_rows(struct format *f, const struct distribute_result *v,
    size_t n)
{
	const char *cells[8];
	size_t i;

	for (i = 0; i < n; i++) {
		cells[0] = v[i].printer_name;
		cells[1] = v[i].key;
		cells[2] = distribute_outcome_name(v[i].outcome);
		cells[3] = v[i].secret ? _("(secret)") : v[i].old_value;
		cells[4] = v[i].secret ? _("(secret)") : v[i].new_value;
		cells[5] = v[i].reason;
		cells[6] = v[i].restart ? "yes" : "no";
		format_row(f, cells);
	}
}

/* show's options: --format F, --printer NAME, then JOB. */
static int
cmd_distribute_show_opts(int argc, char **argv, enum format_kind *kind,
    const char **printer, int64_t *job)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "printer", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "f:p:", opts, NULL)) != -1) {
		if (ch == 'f' && format_parse(optarg, kind) == 0)
			continue;
		if (ch != 'p')
			return -1;
		*printer = optarg;
	}
	if (optind + 1 != argc || cmd_job_id(argv[optind], job))
		return -1;
	return 0;
}

int
cmd_distribute_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const cols[] = { "printer", "key", "outcome",
	    "old", "new", "reason", "restart" };
	enum format_kind kind = FORMAT_TABLE;
	struct distribute_result *v = NULL;
	const char *printer = NULL;
	struct format *f;
	struct store *st;
	char *cause = NULL;
	size_t n = 0, i;
	int64_t job;
	int rc = CMD_OK;

	if (cmd_distribute_show_opts(argc, argv, &kind, &printer, &job) != 0)
		return CMD_USAGE;
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (distribute_results(st, job, printer, &v, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_free(&st);
		return CMD_FAILED;
	}
	f = format_new(kind, cols, 7);
	cmd_distribute_show_rows(f, v, n);
	format_print(f, stdout);
	format_free(&f);
	for (i = 0; i < n; i++) {
		if (v[i].outcome == DISTRIBUTE_REJECTED ||
		    v[i].outcome == DISTRIBUTE_FAILED)
			rc = CMD_FAILED;
	}
	distribute_results_free(&v, n);
	store_free(&st);
	return rc;
}
