/*
 * `quire backup list|show|diff|export`: the backup history. Values came
 * from printers: they are sanitised before they reach the terminal.
 */
#include "config.h"

#include "cmd-backup.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "catalog.h"
#include "format.h"
#include "paths.h"
#include "printer.h"
#include "secret.h"
#include "setdata.h"
#include "store.h"
#include "targets.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

/* The options the history subcommands share. */
struct cmd_backup_hopts {
	enum format_kind	 kind;
	const char		*category;
	int64_t			 since;
	size_t			 limit;
	const char		*out;
	const char		*passfile;
};

/* Parse the options; the index of the first operand, or -1. */
static int
cmd_backup_hoptions(int argc, char **argv, struct cmd_backup_hopts *o)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "category", required_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "f:c:o:", opts, NULL)) != -1) {
		if (ch == 'f' && format_parse(optarg, &o->kind) == 0)
			continue;
		if (ch == 'c')
			o->category = optarg;
		else if (ch == 's' && (o->since = cmd_parse_when(optarg)) < 0) {
			cmd_error(_("--since: not a time: %s (2024-05-01, "
			    "2024-05-01 13:00, 2h, 3d)"), optarg);
			return -1;
		} else if (ch == 'l' && atoi(optarg) > 0)
			o->limit = (size_t)atoi(optarg);
		else if (ch == 'o')
			o->out = optarg;
		else if (ch == 'p')
			o->passfile = optarg;
		else if (ch != 's')
			return -1;
	}
	return optind;
}

static int
cmd_backup_fail(char *cause, int rc)
{
	cmd_error("%s", cause);
	free(cause);
	return rc;
}

/* How many backups read state E: "3x" in a table, "3" otherwise. */
static void
cmd_backup_seen(enum format_kind kind, const struct backup_entry *e,
    char *buf, size_t len)
{
	snprintf(buf, len, kind == FORMAT_TABLE ? "%zux" : "%zu", e->seen);
}

static void
cmd_backup_list_row(struct format *f, enum format_kind kind,
    const struct backup_entry *e)
{
	char id[24], job[24], n[24], seen[24], when[32], last[32];
	const char *cells[10];

	snprintf(id, sizeof id, "%lld", (long long)e->id);
	snprintf(job, sizeof job, "%lld", (long long)e->job_id);
	snprintf(n, sizeof n, "%zu", e->nsettings);
	cmd_backup_seen(kind, e, seen, sizeof seen);
	cmd_time(e->taken_at, when, sizeof when);
	cmd_time(e->last_seen_at, last, sizeof last);
	cells[0] = id;
	cells[1] = e->printer_name;
	cells[2] = e->category;
	cells[3] = when;
	cells[4] = seen;
	cells[5] = last;
	cells[6] = e->job_id != 0 ? job : NULL;
	cells[7] = n;
	cells[8] = e->changed ? "yes" : "no";
	cells[9] = e->partial;
	format_row(f, cells);
}

int
cmd_backup_list(struct cmd_ctx *ctx, struct store *st, int argc, char **argv)
{
	static const char *const cols[] = { "id", "printer", "category",
	    "taken", "seen", "last_seen", "job", "settings", "changed",
	    "partial" };
	struct cmd_backup_hopts o = { FORMAT_TABLE, NULL, 0, 0, NULL, NULL };
	struct backup_filter filter = { 0 };
	struct backup_entry *v = NULL;
	int64_t *ids = NULL;
	struct format *f;
	char *cause = NULL;
	size_t i, n = 0, nids = 0;
	int first;

	if ((first = cmd_backup_hoptions(argc, argv, &o)) < 0 || o.out != NULL)
		return cmd_usage(&cmd_backup_entry);
	if (first < argc && targets_resolve(st, argv + first,
	    (size_t)(argc - first), &ids, &nids, &cause) != 0)
		return cmd_backup_fail(cause, CMD_USAGE);
	filter.printer_ids = ids;
	filter.nprinters = nids;
	filter.category = o.category;
	filter.since = o.since;
	filter.limit = o.limit;
	if (backup_list(st, &filter, &v, &n, &cause) != 0) {
		free(ids);
		return cmd_backup_fail(cause, CMD_FAILED);
	}
	f = format_new(o.kind, cols, 10);
	for (i = 0; i < n; i++)
		cmd_backup_list_row(f, o.kind, &v[i]);
	format_print(f, stdout);
	format_free(&f);
	backup_entries_free(&v, n);
	free(ids);
	return CMD_OK;
}

/* PREFIX, then S sanitised for the terminal. */
static void
cmd_backup_put(const char *prefix, const char *s)
{
	char *clean = text_sanitize(s, strlen(s));

	printf("%s%s", prefix, clean);
	free(clean);
}

static void
cmd_backup_header(const struct backup_entry *e)
{
	char when[32];

	cmd_time(e->taken_at, when, sizeof when);
	cmd_backup_put(_("printer:  "), e->printer_name);
	cmd_backup_put(_("\ncategory: "), e->category);
	printf(_("\ntaken:    %s\n"), when);
	if (e->job_id != 0)
		printf(_("job:      %lld\n"), (long long)e->job_id);
	cmd_time(e->last_seen_at, when, sizeof when);
	printf(_("seen:     %zux, last %s"), e->seen, when);
	if (e->last_job_id != 0)
		printf(_(" (job %lld)"), (long long)e->last_job_id);
	putchar('\n');
	printf(_("settings: %zu%s\n"), e->nsettings, e->changed ?
	    _(" (changed since the previous backup)") : "");
	if (e->partial != NULL) {
		cmd_backup_put(_("partial:  "), e->partial);
		putchar('\n');
	}
	putchar('\n');
}

int
cmd_backup_show(struct cmd_ctx *ctx, struct store *st, int argc, char **argv)
{
	static const char *const cols[] = { "key", "value", "secret" };
	struct cmd_backup_hopts o = { FORMAT_TABLE, NULL, 0, 0, NULL, NULL };
	struct backup_entry e;
	struct backup_value *v = NULL;
	struct format *f;
	const char *cells[3];
	char *cause = NULL;
	size_t i, n = 0;
	int64_t id;
	int first;

	if ((first = cmd_backup_hoptions(argc, argv, &o)) != argc - 1 ||
	    cmd_backup_id(argv[first], &id) != 0)
		return cmd_usage(&cmd_backup_entry);
	if (backup_get(st, id, &e, &cause) != 0 ||
	    backup_values(st, id, &v, &n, &cause) != 0)
		return cmd_backup_fail(cause, CMD_USAGE);
	if (o.kind == FORMAT_TABLE)
		cmd_backup_header(&e);
	f = format_new(o.kind, cols, 3);
	for (i = 0; i < n; i++) {
		cells[0] = v[i].key;
		cells[1] = v[i].secret ? _("(secret)") : v[i].value;
		cells[2] = v[i].secret ? "yes" : "no";
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
	backup_values_free(&v, n);
	backup_entry_clear(&e);
	return CMD_OK;
}

/* One line of a diff as an operator reads it. */
static void
cmd_backup_diff_line(const struct backup_diff *d)
{
	static const char marks[] = { '+', '-', '~' };
	char *old = NULL, *new = NULL;

	printf("%c %s: ", marks[d->change], d->key);
	if (d->secret) {
		printf(_("changed (secret)\n"));
		return;
	}
	if (d->old_value != NULL)
		old = text_sanitize(d->old_value, strlen(d->old_value));
	if (d->new_value != NULL)
		new = text_sanitize(d->new_value, strlen(d->new_value));
	if (d->change == BACKUP_CHANGED)
		printf("\"%s\" -> \"%s\"\n", old, new);
	else
		printf("\"%s\"\n", d->change == BACKUP_ADDED ? new : old);
	free(old);
	free(new);
}

static void
cmd_backup_diff_head(const struct backup_entry *a, const struct backup_entry *b)
{
	char wa[32], wb[32];

	cmd_time(a->taken_at, wa, sizeof wa);
	cmd_time(b->taken_at, wb, sizeof wb);
	printf(_("backup %lld -> %lld: "), (long long)a->id, (long long)b->id);
	cmd_backup_put("", a->printer_name);
	cmd_backup_put(" ", a->category);
	if (strcmp(a->printer_name, b->printer_name) != 0 ||
	    strcmp(a->category, b->category) != 0) {
		cmd_backup_put(" -> ", b->printer_name);
		cmd_backup_put(" ", b->category);
	}
	printf(" (%s -> %s)\n", wa, wb);
}

static void
cmd_backup_diff_print(enum format_kind kind, const struct backup_diff *d,
    size_t n)
{
	static const char *const cols[] = { "key", "change", "old", "new" };
	static const char *const names[] = { "added", "removed", "changed" };
	struct format *f;
	const char *cells[4];
	size_t i;

	if (kind == FORMAT_TABLE) {
		for (i = 0; i < n; i++)
			cmd_backup_diff_line(&d[i]);
		if (n == 0)
			printf(_("no difference\n"));
		return;
	}
	f = format_new(kind, cols, 4);
	for (i = 0; i < n; i++) {
		cells[0] = d[i].key;
		cells[1] = names[d[i].change];
		cells[2] = d[i].old_value;
		cells[3] = d[i].new_value;
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
}

int
cmd_backup_diff(struct cmd_ctx *ctx, struct store *st, int argc, char **argv)
{
	struct cmd_backup_hopts o = { FORMAT_TABLE, NULL, 0, 0, NULL, NULL };
	struct backup_entry a, b;
	struct backup_diff *d = NULL;
	char *cause = NULL;
	int64_t id1, id2;
	size_t n = 0;
	int first;

	if ((first = cmd_backup_hoptions(argc, argv, &o)) != argc - 2 ||
	    cmd_backup_id(argv[first], &id1) != 0 ||
	    cmd_backup_id(argv[first + 1], &id2) != 0)
		return cmd_usage(&cmd_backup_entry);
	if (backup_get(st, id1, &a, &cause) != 0)
		return cmd_backup_fail(cause, CMD_USAGE);
	if (backup_get(st, id2, &b, &cause) != 0 ||
	    backup_diff(st, id1, id2, &d, &n, &cause) != 0) {
		backup_entry_clear(&a);
		return cmd_backup_fail(cause, CMD_USAGE);
	}
	if (o.kind == FORMAT_TABLE)
		cmd_backup_diff_head(&a, &b);
	cmd_backup_diff_print(o.kind, d, n);
	backup_diffs_free(&d, n);
	backup_entry_clear(&a);
	backup_entry_clear(&b);
	return CMD_OK;
}

/* ---- export ---- */

/* What an export needs: the catalog, the vault and passphrase if any. */
struct cmd_backup_export {
	struct store	*st;
	struct catalog	*cat;
	struct vault	*vault;
	char		*pass;
};

static int
cmd_backup_ask(void *arg, char **pass, char **cause)
{
	(void)arg;
	return secret_prompt(_("Vault passphrase"), pass, cause);
}

/*
 * Whether V may go into setting data: a value the printer gave that the
 * catalog refuses (a hostile or broken printer) would make the file fail
 * `quire data validate`, so it is left out, and said so.
 */
static bool
cmd_backup_valid(struct cmd_backup_export *x, int64_t id,
    const struct backup_value *v)
{
	const struct catalog_setting *s;
	char *cause = NULL;

	if (v->secret || v->value == NULL)
		return true;
	if ((s = catalog_setting_find(x->cat, v->key)) == NULL)
		cause = xstrdup(_("not in the catalog"));
	else if (catalog_check_value(s, v->value, &cause) == 0)
		return true;
	cmd_error(_("backup %lld: %s left out: %s"), (long long)id, v->key,
	    cause);
	free(cause);
	return false;
}

/* Add the values of snapshot ID to SD (secrets only with a passphrase). */
static int
cmd_backup_add(struct cmd_backup_export *x, int64_t id, struct setdata *sd,
    char **cause)
{
	struct vault_source src = { NULL, NULL, NULL };
	struct backup_value *v = NULL;
	size_t i, n = 0;
	int rc;

	if (x->pass != NULL && x->vault == NULL) {
		if (isatty(STDIN_FILENO))
			src.ask = cmd_backup_ask;
		if (vault_open(x->st, &src, &x->vault, cause) != 0)
			return -1;
	}
	rc = x->pass != NULL ? backup_values_open(x->st, x->vault, id, &v, &n,
	    cause) : backup_values(x->st, id, &v, &n, cause);
	if (rc != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i].secret && x->pass == NULL)
			continue;
		if (cmd_backup_valid(x, id, &v[i]))
			setdata_add(sd, v[i].key, v[i].value, v[i].secret);
	}
	backup_values_free(&v, n);
	return 0;
}

/* The model recorded for printer ID, or "any". */
static char *
cmd_backup_model(struct store *st, int64_t id)
{
	struct printer_set *set = NULL;
	char *cause = NULL, *model = NULL;

	if (id != 0 && printer_load_ids(st, &id, 1, &set, &cause) == 0 &&
	    set->n == 1 && set->v[0].model != NULL)
		model = xstrdup(set->v[0].model);
	free(cause);
	printer_set_free(&set);
	return model != NULL ? model : xstrdup("any");
}

static int
cmd_backup_write(struct cmd_backup_export *x, struct setdata *sd,
    const char *path, char **cause)
{
	if (setdata_write_file(sd, x->cat, path, x->pass, cause) != 0)
		return -1;
	printf(_("%s: %zu settings\n"), path, setdata_count(sd));
	return 0;
}

/* Snapshot ID into the file PATH. */
static int
cmd_backup_export_id(struct cmd_backup_export *x, int64_t id,
    const char *path, char **cause)
{
	struct backup_entry e;
	struct setdata *sd;
	char *name, *model;
	int rc;

	if (backup_get(x->st, id, &e, cause) != 0)
		return -1;
	name = xasprintf("%s-%s", e.printer_name, e.category);
	model = cmd_backup_model(x->st, e.printer_id);
	sd = setdata_new(name, model);
	rc = cmd_backup_add(x, id, sd, cause);
	if (rc == 0)
		rc = cmd_backup_write(x, sd, path, cause);
	setdata_free(&sd);
	free(model);
	free(name);
	backup_entry_clear(&e);
	return rc;
}

/* The newest backup of each category of printer ID into DIR/NAME.yaml. */
static int
cmd_backup_export_printer(struct cmd_backup_export *x, int64_t id,
    const char *dir, char **cause)
{
	struct backup_entry *v = NULL;
	struct setdata *sd;
	char *path, *model;
	size_t i, n = 0;
	int rc = 0;

	if (backup_latest(x->st, id, &v, &n, cause) != 0)
		return -1;
	if (n == 0) {
		backup_entries_free(&v, n);
		return 1;
	}
	model = cmd_backup_model(x->st, id);
	sd = setdata_new(v[0].printer_name, model);
	for (i = 0; i < n && rc == 0; i++)
		rc = cmd_backup_add(x, v[i].id, sd, cause);
	path = xasprintf("%s/%s.yaml", dir, v[0].printer_name);
	if (rc == 0)
		rc = cmd_backup_write(x, sd, path, cause);
	free(path);
	setdata_free(&sd);
	free(model);
	backup_entries_free(&v, n);
	return rc;
}

static int
cmd_backup_export_targets(struct cmd_backup_export *x, char **targets,
    int n, const char *dir)
{
	int64_t *ids = NULL;
	size_t i, nids = 0, none = 0;
	char *cause = NULL;
	int rc = CMD_OK, r;

	if (targets_resolve(x->st, targets, (size_t)n, &ids, &nids,
	    &cause) != 0)
		return cmd_backup_fail(cause, CMD_USAGE);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		cmd_error("%s: %s", dir, strerror(errno));
		free(ids);
		return CMD_FAILED;
	}
	for (i = 0; i < nids && rc == CMD_OK; i++) {
		if ((r = cmd_backup_export_printer(x, ids[i], dir,
		    &cause)) < 0)
			rc = cmd_backup_fail(cause, CMD_FAILED);
		none += r == 1;
	}
	if (none > 0)
		fprintf(stderr, _("%zu printer(s) have no backup\n"), none);
	free(ids);
	return rc == CMD_OK && none > 0 ? CMD_FAILED : rc;
}

static int
cmd_backup_catalog(struct catalog **cat, char **cause)
{
	char *data = paths_data_dir(), *dir;
	int rc;

	dir = xasprintf("%s/catalog", data);
	rc = catalog_load_dir(dir, cat, cause);
	free(dir);
	free(data);
	return rc;
}

int
cmd_backup_export(struct cmd_ctx *ctx, struct store *st, int argc,
    char **argv)
{
	struct cmd_backup_hopts o = { FORMAT_TABLE, NULL, 0, 0, NULL, NULL };
	struct cmd_backup_export x = { st, NULL, NULL, NULL };
	char *cause = NULL;
	int64_t id;
	int first, rc;

	if ((first = cmd_backup_hoptions(argc, argv, &o)) < 0 ||
	    first == argc || o.out == NULL)
		return cmd_usage(&cmd_backup_entry);
	if (cmd_backup_catalog(&x.cat, &cause) != 0 || (o.passfile != NULL &&
	    vault_read_secret_file(o.passfile, &x.pass, &cause) != 0)) {
		catalog_free(&x.cat);
		return cmd_backup_fail(cause, CMD_USAGE);
	}
	/* One operand of digits is a backup id, anything else targets. */
	if (first == argc - 1 && strspn(argv[first], "0123456789") ==
	    strlen(argv[first]) && cmd_backup_id(argv[first], &id) == 0)
		rc = cmd_backup_export_id(&x, id, o.out, &cause) == 0 ?
		    CMD_OK : cmd_backup_fail(cause, CMD_FAILED);
	else
		rc = cmd_backup_export_targets(&x, argv + first, argc - first,
		    o.out);
	vault_wipe_str(x.pass);
	vault_free(&x.vault);
	catalog_free(&x.cat);
	return rc;
}
