/*
 * quire data: setting data files and the sets registered in quire.
 * validate, import and new (the configurator's template) are here; list,
 * show, rm and export in cmd-data-store.c.
 */
#include "config.h"

#include "cmd-data.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "catalog.h"
#include "paths.h"
#include "secret.h"
#include "setdata.h"
#include "store.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

static int cmd_data_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_data_entry = {
	.name = "data",
	.usage = N_("validate FILE... [--passphrase-file F] | import FILE "
	    "--name NAME [--replace] [--passphrase-file F] | list [--format F] "
	    "| show NAME [--format F] | rm NAME [--yes] [--dry-run] | export "
	    "NAME --out FILE [--passphrase-file F] | new [--category C... | "
	    "--from-backup ID] [--out FILE] | help"),
	.summary = N_("validate, import, show and export setting data"),
	.exec = cmd_data_exec,
};

static void
cmd_data_help(FILE *fp)
{
	fprintf(fp, _("usage: quire data %s\n"), _(cmd_data_entry.usage));
	fputs(_("\nSetting data is YAML (quire: setting-data/1) checked "
	    "against the settings\ncatalog. Every problem is reported as "
	    "FILE:LINE:COLUMN: reason.\n"
	    "\nSecrets are never written in clear: export leaves them out, "
	    "or with\n--passphrase-file F writes them encrypted with the "
	    "passphrase on F's first\nline (the file must not be readable by "
	    "group or others). validate and import\nopen encrypted secrets "
	    "with the same passphrase (asked on a terminal when no\nfile is "
	    "given). Registered secrets are sealed by the credential vault.\n"
	    "\nnew writes a template: every setting of the categories (all "
	    "by default) at\nits default, with its type and range in a "
	    "comment.\n"
	    "new --from-backup ID fills it from backup ID instead: that "
	    "backup's category\nwith the values it holds (secrets are left "
	    "out, a comment names each).\n"), fp);
}

int
cmd_data_catalog(struct catalog **c)
{
	char *data = paths_data_dir(), *dir, *cause = NULL;
	int rc;

	dir = xasprintf("%s/catalog", data);
	free(data);
	rc = catalog_load_dir(dir, c, &cause);
	free(dir);
	if (rc != 0) {
		cmd_error(_("cannot load the settings catalog: %s"), cause);
		free(cause);
	}
	return rc;
}

int
cmd_data_passphrase(const char *file, char **pass)
{
	char *cause = NULL;

	if (vault_read_secret_file(file, pass, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	if (**pass == '\0') {
		cmd_error(_("%s: the passphrase (its first line) is empty"),
		    file);
		vault_wipe_str(*pass);
		*pass = NULL;
		return -1;
	}
	return 0;
}

static int
cmd_data_ask_vault(void *arg, char **pass, char **cause)
{
	(void)arg;
	return secret_prompt(_("Vault passphrase"), pass, cause);
}

int
cmd_data_vault(struct store *st, struct vault **v)
{
	struct vault_source src = { NULL, NULL, NULL };
	char *cause = NULL;

	if (isatty(STDIN_FILENO))
		src.ask = cmd_data_ask_vault;
	if (vault_open(st, &src, v, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* The passphrase for FILES: --passphrase-file, else asked when needed. */
static int
cmd_data_open_pass(const char *file, char **paths, int n, char **pass)
{
	char *buf = NULL, *cause = NULL;
	bool need = false;
	FILE *f;
	int i;

	*pass = NULL;
	if (file != NULL)
		return cmd_data_passphrase(file, pass);
	if (!isatty(STDIN_FILENO))
		return 0;
	for (i = 0; !need && i < n; i++) {
		size_t cap = 0;
		ssize_t len;

		if ((f = fopen(paths[i], "r")) == NULL)
			continue;
		while (!need && (len = getline(&buf, &cap, f)) != -1)
			need = strstr(buf, "!encrypted") != NULL;
		fclose(f);
	}
	free(buf);
	if (need && secret_prompt(_("Passphrase of the encrypted secrets"),
	    pass, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* Parse PATH, printing every problem; 0 when it is good. */
static int
cmd_data_check(const struct catalog *c, const char *path, const char *pass,
    struct setdata **out)
{
	struct setdata_errors errs = { NULL, 0 };
	size_t i;
	int rc;

	rc = setdata_parse_file(c, path, pass, out, &errs);
	for (i = 0; i < errs.n; i++) {
		char *clean = text_sanitize(errs.msgs[i], strlen(errs.msgs[i]));

		fprintf(stderr, "%s\n", clean);
		free(clean);
	}
	setdata_errors_clear(&errs);
	return rc;
}

/* The only option of validate and import besides their own. */
static const struct option cmd_data_file_opts[] = {
	{ "passphrase-file", required_argument, NULL, 'P' },
	{ "name", required_argument, NULL, 'n' },
	{ "replace", no_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_data_validate(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct setdata *sd = NULL;
	struct catalog *c;
	const char *passfile = NULL;
	char *pass = NULL, *shown;
	int ch, i, rc = CMD_OK;

	(void)ctx;
	while ((ch = getopt_long(argc, argv, "", cmd_data_file_opts,
	    NULL)) != -1) {
		if (ch != 'P')
			return cmd_usage(&cmd_data_entry);
		passfile = optarg;
	}
	if (optind == argc)
		return cmd_usage(&cmd_data_entry);
	if (cmd_data_catalog(&c) != 0)
		return CMD_FAILED;
	if (cmd_data_open_pass(passfile, argv + optind, argc - optind,
	    &pass) != 0) {
		catalog_free(&c);
		return CMD_USAGE;
	}
	for (i = optind; i < argc; i++) {
		shown = text_sanitize(argv[i], strlen(argv[i]));
		if (cmd_data_check(c, argv[i], pass, &sd) != 0)
			rc = CMD_USAGE;
		else
			printf(_("%s: valid, %zu setting(s), %zu secret(s)\n"),
			    shown, setdata_count(sd), setdata_nsecrets(sd));
		free(shown);
		setdata_free(&sd);
	}
	vault_wipe_str(pass);
	catalog_free(&c);
	return rc;
}

/* Register SD as NAME from PATH; CMD_OK or CMD_FAILED. */
static int
cmd_data_register(struct cmd_ctx *ctx, const struct setdata *sd,
    const char *name, const char *path, bool replace)
{
	struct store *st = NULL;
	struct vault *v = NULL;
	char *cause = NULL;
	int rc = CMD_FAILED;

	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (setdata_nsecrets(sd) > 0 && cmd_data_vault(st, &v) != 0)
		goto out;
	if (setdata_store_add(st, v, sd, name, path, store_whoami(), replace,
	    &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		goto out;
	}
	printf(_("imported %s: %zu setting(s), %zu secret(s)\n"), name,
	    setdata_count(sd), setdata_nsecrets(sd));
	rc = CMD_OK;
out:
	vault_free(&v);
	store_free(&st);
	return rc;
}

/* The name to register as: --name, else the file's name:. */
static int
cmd_data_import_name(const char *opt, const struct setdata *sd,
    const char **name, bool replace, struct cmd_ctx *ctx)
{
	struct setdata_info in;
	struct store *st;
	char *cause = NULL;
	int rc;

	*name = opt != NULL ? opt : setdata_name(sd);
	if (*name == NULL) {
		cmd_error(_("data import needs --name NAME (the file has no "
		    "name:)"));
		return -1;
	}
	if (text_check_name("setting data", *name, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	if (replace || cmd_open_store(ctx, &st) != 0)
		return replace ? 0 : -1;
	rc = setdata_store_find(st, *name, &in, &cause);
	free(cause);
	setdata_info_clear(&in);
	store_free(&st);
	if (rc == 0) {
		cmd_error(_("setting data %s exists already (--replace "
		    "replaces it)"), *name);
		return -1;
	}
	return 0;
}

static int
cmd_data_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct setdata *sd = NULL;
	struct catalog *c;
	const char *passfile = NULL, *optname = NULL, *name;
	char *pass = NULL;
	bool replace = false;
	int ch, rc = CMD_USAGE;

	while ((ch = getopt_long(argc, argv, "", cmd_data_file_opts,
	    NULL)) != -1) {
		if (ch == 'P')
			passfile = optarg;
		else if (ch == 'n')
			optname = optarg;
		else if (ch == 'r')
			replace = true;
		else
			return cmd_usage(&cmd_data_entry);
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_data_entry);
	if (cmd_data_catalog(&c) != 0)
		return CMD_FAILED;
	if (cmd_data_open_pass(passfile, argv + optind, 1, &pass) == 0 &&
	    cmd_data_check(c, argv[optind], pass, &sd) == 0 &&
	    cmd_data_import_name(optname, sd, &name, replace, ctx) == 0)
		rc = cmd_data_register(ctx, sd, name, argv[optind], replace);
	else
		cmd_error(_("nothing imported"));
	vault_wipe_str(pass);
	setdata_free(&sd);
	catalog_free(&c);
	return rc;
}

/* Mark the categories named in LIST ("a,b" or "all") in WANT. */
static int
cmd_data_categories(const struct catalog *c, const char *list, bool *want)
{
	char *copy = xstrdup(list), *name, *next, *shown;
	const struct catalog_category *cat;
	size_t i;
	int rc = 0;

	for (name = copy; rc == 0 && name != NULL; name = next) {
		if ((next = strchr(name, ',')) != NULL)
			*next++ = '\0';
		if (strcmp(name, "all") == 0) {
			for (i = 0; i < catalog_ncategories(c); i++)
				want[i] = true;
			continue;
		}
		for (i = 0; i < catalog_ncategories(c); i++) {
			cat = catalog_category_at(c, i);
			if (strcmp(catalog_category_name(cat), name) == 0)
				break;
		}
		if (i < catalog_ncategories(c)) {
			want[i] = true;
			continue;
		}
		shown = text_sanitize(name, strlen(name));
		cmd_error(_("unknown category: %s (see quire catalog list)"),
		    shown);
		free(shown);
		rc = -1;
	}
	free(copy);
	return rc;
}

/* The template: every setting of the WANTed categories at its default. */
static struct setdata *
cmd_data_template(const struct catalog *c, const bool *want)
{
	struct setdata *sd = setdata_new(NULL, NULL);
	const struct catalog_category *cat;
	const struct catalog_setting *s;
	size_t i, j;

	for (i = 0; i < catalog_ncategories(c); i++) {
		if (!want[i])
			continue;
		cat = catalog_category_at(c, i);
		for (j = 0; j < catalog_category_nsettings(cat); j++) {
			s = catalog_category_setting_at(cat, j);
			setdata_add(sd, catalog_setting_key(s),
			    catalog_setting_default(s),
			    catalog_setting_secret(s));
		}
	}
	return sd;
}

/*
 * The values of backup ID in its category's order; a value the catalog
 * no longer takes (or a setting it no longer has) is left out, saying so.
 */
static struct setdata *
cmd_data_backup_values(const struct catalog *c, const char *category,
    const struct backup_value *v, size_t n)
{
	const struct catalog_category *cat = catalog_category_find(c, category);
	struct setdata *sd = setdata_new(NULL, NULL);
	const struct catalog_setting *s;
	char *cause = NULL, *shown;
	size_t i;

	for (i = 0; i < n; i++) {
		s = catalog_setting_find(c, v[i].key);
		if (s != NULL && catalog_setting_category(s) == cat &&
		    (v[i].secret || catalog_setting_secret(s) ||
		    catalog_check_value(s, v[i].value, &cause) == 0)) {
			setdata_add(sd, v[i].key, v[i].secret ? NULL :
			    v[i].value, v[i].secret || catalog_setting_secret(s));
			continue;
		}
		shown = text_sanitize(v[i].key, strlen(v[i].key));
		fprintf(stderr, _("%s: left out: %s\n"), shown, cause != NULL ?
		    cause : _("not a setting of the backup's category"));
		free(shown);
		xfree(&cause);
	}
	return sd;
}

/* A backup id as "12" or "#12"; reports its own failure. */
static int
cmd_data_backup_id(const char *arg, int64_t *id)
{
	const char *p = arg + (*arg == '#');
	char *end;
	long long v = strtoll(p, &end, 10);

	if (end == p || *end != '\0' || v <= 0) {
		cmd_error(_("--from-backup takes a backup id (quire backup "
		    "list), not %s"), arg);
		return -1;
	}
	*id = v;
	return 0;
}

/* The template of backup ID. */
static struct setdata *
cmd_data_backup(struct cmd_ctx *ctx, const struct catalog *c, int64_t id)
{
	struct backup_entry e = { 0 };
	struct backup_value *v = NULL;
	struct setdata *sd = NULL;
	struct store *st = NULL;
	char *cause = NULL;
	size_t n = 0;

	if (cmd_open_store(ctx, &st) != 0)
		return NULL;
	if (backup_get(st, id, &e, &cause) != 0 ||
	    backup_values(st, id, &v, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
	} else
		sd = cmd_data_backup_values(c, e.category, v, n);
	backup_values_free(&v, n);
	backup_entry_clear(&e);
	store_free(&st);
	return sd;
}

static int
cmd_data_new_write(struct cmd_ctx *ctx, const struct catalog *c,
    const bool *want, int64_t backup, const char *out)
{
	struct setdata *sd;
	char *cause = NULL;
	int rc;

	sd = backup > 0 ? cmd_data_backup(ctx, c, backup) :
	    cmd_data_template(c, want);
	if (sd == NULL)
		return CMD_FAILED;

	if (out != NULL)
		rc = setdata_write_file(sd, c, out, NULL, &cause);
	else
		rc = setdata_write(sd, c, stdout, NULL, &cause);
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
	} else if (out != NULL)
		fprintf(stderr, _("wrote %s: %zu setting(s)\n"), out,
		    setdata_count(sd));
	setdata_free(&sd);
	return rc == 0 ? CMD_OK : CMD_FAILED;
}

static int
cmd_data_new(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "category", required_argument, NULL, 'c' },
		{ "from-backup", required_argument, NULL, 'b' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = NULL;
	int64_t backup = 0;
	struct catalog *c;
	bool *want, any = false;
	size_t i;
	int ch, rc = CMD_OK;

	if (cmd_data_catalog(&c) != 0)
		return CMD_FAILED;
	want = xcalloc(catalog_ncategories(c) + 1, sizeof *want);
	while (rc == CMD_OK && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		if (ch == 'o')
			out = optarg;
		else if (ch == 'b' && cmd_data_backup_id(optarg, &backup) != 0)
			rc = CMD_USAGE;
		else if (ch == 'b')
			continue;
		else if (ch != 'c')
			rc = cmd_usage(&cmd_data_entry);
		else if (cmd_data_categories(c, optarg, want) != 0)
			rc = CMD_USAGE;
		any |= ch == 'c';
	}
	if (rc == CMD_OK && (optind != argc || (any && backup > 0)))
		rc = cmd_usage(&cmd_data_entry);
	for (i = 0; !any && i < catalog_ncategories(c); i++)
		want[i] = true;
	if (rc == CMD_OK)
		rc = cmd_data_new_write(ctx, c, want, backup, out);
	free(want);
	catalog_free(&c);
	return rc;
}

static const struct {
	const char	*name;
	int		(*fn)(struct cmd_ctx *, int, char **);
} cmd_data_subs[] = {
	{ "validate", cmd_data_validate },
	{ "import", cmd_data_import },
	{ "list", cmd_data_list },
	{ "ls", cmd_data_list },
	{ "show", cmd_data_show },
	{ "rm", cmd_data_rm },
	{ "export", cmd_data_export },
	{ "new", cmd_data_new },
};

static int
cmd_data_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return cmd_usage(&cmd_data_entry);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		cmd_data_help(stdout);
		return CMD_OK;
	}
	for (i = 0; i < sizeof cmd_data_subs / sizeof cmd_data_subs[0]; i++) {
		if (strcmp(argv[1], cmd_data_subs[i].name) == 0) {
			optind = 0;	/* GNU getopt: re-initialise */
			return cmd_data_subs[i].fn(ctx, argc - 1, argv + 1);
		}
	}
	cmd_error(_("unknown data command: %s"), argv[1]);
	return cmd_usage(&cmd_data_entry);
}
