#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cmd.h"
#include "format.h"
#include "paths.h"
#include "xmalloc.h"

static int cmd_catalog_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_catalog_entry = {
	.name = "catalog",
	.usage = N_("list [CATEGORY] [--format table|csv|yaml|json]"),
	.summary = N_("show the settings catalog"),
	.exec = cmd_catalog_exec,
};

/* The catalog of the data directory; reports its own failure. */
static int
cmd_catalog_load(struct catalog **c)
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

static void
cmd_catalog_print_categories(const struct catalog *c, enum format_kind kind)
{
	static const char *const cols[] = { "name", "number", "title",
	    "settings" };
	const struct catalog_category *cat;
	struct format *f = format_new(kind, cols, 4);
	char number[16], count[32];
	const char *cells[4];
	size_t i;

	for (i = 0; i < catalog_ncategories(c); i++) {
		cat = catalog_category_at(c, i);
		snprintf(number, sizeof number, "%u",
		    catalog_category_number(cat));
		snprintf(count, sizeof count, "%zu",
		    catalog_category_nsettings(cat));
		cells[0] = catalog_category_name(cat);
		cells[1] = number;
		cells[2] = catalog_category_title(cat);
		cells[3] = count;
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
}

static void
cmd_catalog_print_settings(const struct catalog_category *cat,
    enum format_kind kind)
{
	static const char *const cols[] = { "key", "type", "default",
	    "restart", "secret", "oid", "shell", "title" };
	const struct catalog_setting *s;
	struct format *f = format_new(kind, cols, 8);
	const char *cells[8];
	char *syntax;
	size_t i;

	for (i = 0; i < catalog_category_nsettings(cat); i++) {
		s = catalog_category_setting_at(cat, i);
		syntax = catalog_setting_syntax(s);
		cells[0] = catalog_setting_key(s);
		cells[1] = syntax;
		cells[2] = catalog_setting_default(s);
		cells[3] = catalog_setting_restart(s) ? "yes" : "no";
		cells[4] = catalog_setting_secret(s) ? "yes" : "no";
		cells[5] = catalog_setting_oid(s);
		cells[6] = catalog_setting_shell(s);
		cells[7] = catalog_setting_title(s);
		format_row(f, cells);
		free(syntax);
	}
	format_print(f, stdout);
	format_free(&f);
}

static void
cmd_catalog_unknown(const struct catalog *c, const char *name)
{
	char *valid = xstrdup(""), *next;
	size_t i;

	for (i = 0; i < catalog_ncategories(c); i++) {
		next = xasprintf("%s%s%s", valid, i > 0 ? ", " : "",
		    catalog_category_name(catalog_category_at(c, i)));
		free(valid);
		valid = next;
	}
	cmd_error(_("unknown category: %s (valid: %s)"), name, valid);
	free(valid);
}

static int
cmd_catalog_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum format_kind kind = FORMAT_TABLE;
	const struct catalog_category *cat = NULL;
	struct catalog *c;
	int ch, rc = CMD_OK;

	while ((ch = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (ch != 'f' || format_parse(optarg, &kind) != 0)
			return cmd_usage(&cmd_catalog_entry);
	}
	if (argc - optind > 1)
		return cmd_usage(&cmd_catalog_entry);
	if (cmd_catalog_load(&c) != 0)
		return CMD_FAILED;
	if (optind == argc)
		cmd_catalog_print_categories(c, kind);
	else if ((cat = catalog_category_find(c, argv[optind])) != NULL)
		cmd_catalog_print_settings(cat, kind);
	else {
		cmd_catalog_unknown(c, argv[optind]);
		rc = CMD_USAGE;
	}
	catalog_free(&c);
	return rc;
}

static int
cmd_catalog_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage(&cmd_catalog_entry);
	if (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "ls") != 0) {
		cmd_error(_("unknown catalog command: %s"), argv[1]);
		return cmd_usage(&cmd_catalog_entry);
	}
	optind = 0;	/* GNU getopt: 0 re-initialises for a new argv */
	return cmd_catalog_list(ctx, argc - 1, argv + 1);
}
