/* quire data list|show|rm|export: the setting data registered in quire. */
#include "config.h"

#include "cmd-data.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "format.h"
#include "setdata.h"
#include "store.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

/* --format F as the only option; CMD_OK or CMD_USAGE. */
static int
cmd_data_format_opt(int argc, char **argv, enum format_kind *kind)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	*kind = FORMAT_TABLE;
	while ((ch = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (ch != 'f' || format_parse(optarg, kind) != 0)
			return cmd_usage(&cmd_data_entry);
	}
	return CMD_OK;
}

static void
cmd_data_print_list(const struct setdata_info *v, size_t n,
    enum format_kind kind)
{
	static const char *const cols[] = { "name", "model", "settings",
	    "secrets", "source", "created_by", "created_at" };
	struct format *f = format_new(kind, cols, 7);
	char ns[24], nk[24], when[32];
	const char *cells[7];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(ns, sizeof ns, "%zu", v[i].nsettings);
		snprintf(nk, sizeof nk, "%zu", v[i].nsecrets);
		cmd_time(v[i].created_at, when, sizeof when);
		cells[0] = v[i].name;
		cells[1] = v[i].model;
		cells[2] = ns;
		cells[3] = nk;
		cells[4] = v[i].source;
		cells[5] = v[i].created_by;
		cells[6] = when;
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
}

int
cmd_data_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct setdata_info *v = NULL;
	enum format_kind kind;
	struct store *st;
	char *cause = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cmd_data_format_opt(argc, argv, &kind)) != CMD_OK)
		return rc;
	if (optind != argc)
		return cmd_usage(&cmd_data_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (setdata_store_list(st, &v, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_free(&st);
		return CMD_FAILED;
	}
	cmd_data_print_list(v, n, kind);
	setdata_infos_free(&v, n);
	store_free(&st);
	return CMD_OK;
}

static void
cmd_data_print_show(const struct setdata *sd, const struct catalog *c,
    enum format_kind kind)
{
	static const char *const cols[] = { "key", "value", "category" };
	struct format *f = format_new(kind, cols, 3);
	const struct catalog_setting *s;
	const char *cells[3];
	size_t i;

	for (i = 0; i < setdata_count(sd); i++) {
		s = catalog_setting_find(c, setdata_key_at(sd, i));
		cells[0] = setdata_key_at(sd, i);
		cells[1] = setdata_secret_at(sd, i) ? _("(secret, set)") :
		    setdata_value_at(sd, i);
		cells[2] = s != NULL ? catalog_category_name(
		    catalog_setting_category(s)) : "?";
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
}

/* "NAME: model M, N setting(s), from SOURCE, by WHO at WHEN". */
static void
cmd_data_print_about(const struct setdata_info *in)
{
	char when[32], *model, *source, *who;

	cmd_time(in->created_at, when, sizeof when);
	model = text_sanitize(in->model, strlen(in->model));
	source = in->source != NULL ? text_sanitize(in->source,
	    strlen(in->source)) : xstrdup("-");
	who = text_sanitize(in->created_by, strlen(in->created_by));
	printf(_("%s: model %s, %zu setting(s), %zu secret(s); from %s, by %s "
	    "at %s\n\n"), in->name, model, in->nsettings, in->nsecrets, source,
	    who, when);
	free(model);
	free(source);
	free(who);
}

int
cmd_data_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct setdata_info in;
	struct setdata *sd = NULL;
	struct catalog *c = NULL;
	enum format_kind kind;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cmd_data_format_opt(argc, argv, &kind)) != CMD_OK)
		return rc;
	if (argc - optind != 1)
		return cmd_usage(&cmd_data_entry);
	if (cmd_data_catalog(&c) != 0 || cmd_open_store(ctx, &st) != 0) {
		catalog_free(&c);
		return CMD_FAILED;
	}
	memset(&in, 0, sizeof in);
	/* No vault: the secrets stay sealed, only their keys are shown. */
	if (setdata_store_find(st, argv[optind], &in, &cause) != 0 ||
	    setdata_store_get(st, NULL, argv[optind], &sd, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = CMD_FAILED;
	} else {
		if (kind == FORMAT_TABLE)
			cmd_data_print_about(&in);
		cmd_data_print_show(sd, c, kind);
	}
	setdata_info_clear(&in);
	setdata_free(&sd);
	store_free(&st);
	catalog_free(&c);
	return rc;
}

/* Ask on a terminal before removing; scripts pass --yes. */
static bool
cmd_data_confirm(const struct setdata_info *in)
{
	char answer[16];

	if (!isatty(STDIN_FILENO)) {
		cmd_error(_("not removing setting data %s without --yes"),
		    in->name);
		return false;
	}
	fprintf(stderr, _("Remove setting data %s (%zu setting(s))? [y/N] "),
	    in->name, in->nsettings);
	if (fgets(answer, sizeof answer, stdin) == NULL)
		return false;
	return answer[0] == 'y' || answer[0] == 'Y';
}

/* rm's options: --yes, --dry-run. */
static int
cmd_data_rm_opts(int argc, char **argv, bool *yes, bool *dry)
{
	static const struct option opts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	*yes = *dry = false;
	while ((ch = getopt_long(argc, argv, "yn", opts, NULL)) != -1) {
		if (ch == 'y')
			*yes = true;
		else if (ch == 'n')
			*dry = true;
		else
			return cmd_usage(&cmd_data_entry);
	}
	return argc - optind == 1 ? CMD_OK : cmd_usage(&cmd_data_entry);
}

int
cmd_data_rm(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct setdata_info in;
	struct store *st;
	char *cause = NULL;
	bool yes, dry;
	int rc;

	if ((rc = cmd_data_rm_opts(argc, argv, &yes, &dry)) != CMD_OK)
		return rc;
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	rc = CMD_FAILED;
	if (setdata_store_find(st, argv[optind], &in, &cause) != 0)
		goto out;
	if (dry) {
		printf(_("would remove setting data %s (%zu setting(s))\n"),
		    in.name, in.nsettings);
		rc = CMD_OK;
	} else if (!yes && !cmd_data_confirm(&in))
		rc = CMD_USAGE;
	else if (setdata_store_remove(st, in.name, store_whoami(),
	    &cause) == 0) {
		printf(_("removed setting data %s\n"), in.name);
		rc = CMD_OK;
	}
out:
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	setdata_info_clear(&in);
	store_free(&st);
	return rc;
}

/* export's options: --out FILE (required), --passphrase-file F. */
static int
cmd_data_export_opts(int argc, char **argv, const char **out,
    const char **passfile)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	*out = *passfile = NULL;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (ch == 'o')
			*out = optarg;
		else if (ch == 'P')
			*passfile = optarg;
		else
			return cmd_usage(&cmd_data_entry);
	}
	if (argc - optind != 1 || *out == NULL)
		return cmd_usage(&cmd_data_entry);
	return CMD_OK;
}

/* Secrets left sealed: a placeholder, so the file says "left out". */
static void
cmd_data_sealed(struct setdata *sd)
{
	size_t i;

	for (i = 0; i < setdata_count(sd); i++) {
		if (setdata_secret_at(sd, i) && setdata_value_at(sd, i) == NULL)
			setdata_add(sd, setdata_key_at(sd, i), "", true);
	}
}

/* The set NAME, its secrets opened when PASS will encrypt them. */
static int
cmd_data_export_get(struct store *st, const char *name, const char *pass,
    struct setdata **sd)
{
	struct setdata_info in;
	struct vault *v = NULL;
	char *cause = NULL;
	int rc;

	if ((rc = setdata_store_find(st, name, &in, &cause)) == 0 &&
	    pass != NULL && in.nsecrets > 0)
		rc = cmd_data_vault(st, &v) == 0 ? 0 : -2;
	if (rc == 0)
		rc = setdata_store_get(st, v, name, sd, &cause);
	if (rc == 0 && pass == NULL)
		cmd_data_sealed(*sd);
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	setdata_info_clear(&in);
	vault_free(&v);
	return rc == 0 ? 0 : -1;
}

int
cmd_data_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *out, *passfile;
	struct setdata *sd = NULL;
	struct catalog *c = NULL;
	struct store *st = NULL;
	char *pass = NULL, *cause = NULL;
	int rc;

	if ((rc = cmd_data_export_opts(argc, argv, &out, &passfile)) != CMD_OK)
		return rc;
	if (passfile != NULL && cmd_data_passphrase(passfile, &pass) != 0)
		return CMD_USAGE;
	if (pass != NULL && strlen(pass) < VAULT_PASSPHRASE_MIN) {
		cmd_error(_("the export passphrase must have at least %d "
		    "characters"), VAULT_PASSPHRASE_MIN);
		vault_wipe_str(pass);
		return CMD_USAGE;
	}
	rc = CMD_FAILED;
	if (cmd_data_catalog(&c) != 0 || cmd_open_store(ctx, &st) != 0 ||
	    cmd_data_export_get(st, argv[optind], pass, &sd) != 0)
		goto out;
	if (setdata_write_file(sd, c, out, pass, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		goto out;
	}
	printf(_("wrote %s: %zu setting(s), %zu secret(s) %s\n"), out,
	    setdata_count(sd), setdata_nsecrets(sd), pass != NULL ? _("encrypted") : _("left out"));
	rc = CMD_OK;
out:
	vault_wipe_str(pass);
	setdata_free(&sd);
	store_free(&st);
	catalog_free(&c);
	return rc;
}
