/*
 * settings export|import|get. Export writes setting data (DESIGN.md section
 * 2) with every supported setting that has a shell key; secrets are left
 * out (they can be imported, never read back). Import applies setting by
 * setting, so the good ones are taken and the bad ones rejected.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim-shell-int.h"
#include "text.h"
#include "xmalloc.h"

/* Whether the shell shows S: a shell key, supported, not secret. */
static bool
sim_shell_shown(struct sim_shell *sh, const struct catalog_setting *s)
{
	return catalog_setting_shell(s) != NULL &&
	    !catalog_setting_secret(s) && sim_printer_supports(sh->printer, s);
}

size_t
sim_shell_write_category(struct sim_shell *sh, FILE *f,
    const struct catalog_category *cat, const char *indent)
{
	const struct catalog_setting *s;
	size_t i, n = 0;
	char *value;

	for (i = 0; i < catalog_category_nsettings(cat); i++) {
		s = catalog_category_setting_at(cat, i);
		if (!sim_shell_shown(sh, s) ||
		    sim_value_get(sh->printer, s, &value) != 0)
			continue;
		sim_shell_write_setting(f, s, value, indent);
		free(value);
		n++;
	}
	return n;
}

static void
sim_shell_header(struct sim_shell *sh)
{
	fputs("quire: setting-data/1\nname: ", sh->out);
	sim_shell_yaml_scalar(sh->out, sim_printer_name(sh->printer));
	fputs("\nmodel: ", sh->out);
	sim_shell_yaml_scalar(sh->out, sim_printer_model(sh->printer)->name);
	fputc('\n', sh->out);
}

/* Whether CAT is among the first N categories of CATS. */
static bool
sim_shell_seen(const struct catalog_category **cats, size_t n,
    const struct catalog_category *cat)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (cats[i] == cat)
			return true;
	}
	return false;
}

static int
sim_shell_settings_export(struct sim_shell *sh, int argc, char **argv)
{
	size_t i, n = 0, total = argc > 0 ? (size_t)argc :
	    catalog_ncategories(sh->catalog);
	const struct catalog_category **cats = xcalloc(total, sizeof *cats);
	const struct catalog_category *cat;
	char *name, *body;
	size_t len, written = 0;
	FILE *f;

	for (i = 0; i < total; i++) {
		cat = argc > 0 ? catalog_category_find(sh->catalog, argv[i]) :
		    catalog_category_at(sh->catalog, i);
		if (cat == NULL) {
			name = text_sanitize(argv[i], strlen(argv[i]));
			sim_shell_error(sh, "%s: no such category", name);
			free(name);
			free(cats);
			return 1;
		}
		if (!sim_shell_seen(cats, n, cat))
			cats[n++] = cat;
	}
	if ((f = open_memstream(&body, &len)) == NULL)
		abort();	/* out of memory, as xmalloc does */
	for (i = 0; i < n; i++)
		written += sim_shell_write_category(sh, f, cats[i], "  ");
	if (fclose(f) != 0)
		abort();
	sim_shell_header(sh);
	fprintf(sh->out, "settings:%s%s", written == 0 ? " {}\n" : "\n", body);
	free(body);
	free(cats);
	return 0;
}

const struct sim_shell_cmd sim_shell_cmd_settings_export = {
	"settings export", "[CATEGORY...]", 0, -1, sim_shell_settings_export
};

/* The setting of shell key KEY that get may show, else an error. */
static const struct catalog_setting *
sim_shell_get_setting(struct sim_shell *sh, const char *key)
{
	const struct catalog_setting *s = sim_shell_setting(sh, key);
	char *name;

	if (s != NULL && catalog_setting_secret(s) &&
	    sim_printer_supports(sh->printer, s)) {
		sim_shell_error(sh, "%s: a secret is never shown", key);
		return NULL;
	}
	if (s != NULL && sim_printer_supports(sh->printer, s))
		return s;
	name = text_sanitize(key, strlen(key));
	sim_shell_error(sh, "%s: %s", name, s == NULL ? "unknown setting" :
	    "not supported by this model");
	free(name);
	return NULL;
}

static int
sim_shell_settings_get(struct sim_shell *sh, int argc, char **argv)
{
	const struct catalog_setting **s = xcalloc((size_t)argc, sizeof *s);
	char *value;
	int i, rc = 0;

	for (i = 0; i < argc && rc == 0; i++) {
		if ((s[i] = sim_shell_get_setting(sh, argv[i])) == NULL)
			rc = 1;
	}
	for (i = 0; i < argc && rc == 0; i++) {
		if (sim_value_get(sh->printer, s[i], &value) != 0) {
			rc = sim_shell_error(sh, "%s: not supported by this "
			    "model", argv[i]);
			break;
		}
		sim_shell_write_setting(sh->out, s[i], value, "");
		free(value);
	}
	free(s);
	return rc;
}

const struct sim_shell_cmd sim_shell_cmd_settings_get = {
	"settings get", "KEY...", 1, -1, sim_shell_settings_get
};

/* Set one prepared item; it becomes rejected or unsupported on refusal. */
static void
sim_shell_apply(struct sim_shell *sh, struct sim_shell_item *it)
{
	struct sim_change change = { it->setting, it->value };
	enum sim_set_status status;
	char *cause = NULL;
	size_t bad;

	status = sim_values_set(sh->printer, &change, 1, &bad, &cause);
	if (status != SIM_SET_OK) {
		it->result = status == SIM_SET_UNSUPPORTED ?
		    SIM_SHELL_UNSUPPORTED : SIM_SHELL_REJECTED;
		free(it->reason);
		it->reason = sim_shell_set_reason(status, cause);
	}
	free(cause);
}

/* Read and parse the setting data on stdin. */
static struct sim_shell_yaml_setdata *
sim_shell_read_setdata(struct sim_shell *sh, char *buf, size_t len)
{
	struct sim_shell_yaml_setdata *sd;
	char *cause;

	if (sim_shell_yaml_read_setdata(buf, len, &sd, &cause) != 0) {
		sim_shell_error(sh, "stdin:%s", cause);
		free(cause);
		return NULL;
	}
	return sd;
}

static int
sim_shell_settings_import(struct sim_shell *sh, int argc, char **argv)
{
	struct sim_shell_yaml_setdata *sd;
	struct sim_shell_item *items;
	size_t i, len, set = 0;
	bool rejected = false;
	char *buf;

	if (sim_shell_payload(sh, &buf, &len) != 0)
		return 1;
	sd = sim_shell_read_setdata(sh, buf, len);
	free(buf);
	if (sd == NULL)
		return 1;
	items = xcalloc(sd->n, sizeof *items);
	for (i = 0; i < sd->n; i++) {
		sim_shell_item_prepare(sh, &items[i], &sd->entries[i]);
		if (items[i].result == SIM_SHELL_APPLIED ||
		    items[i].result == SIM_SHELL_CORRECTED) {
			sim_shell_apply(sh, &items[i]);
			set++;
		}
		rejected |= items[i].result == SIM_SHELL_REJECTED;
	}
	sim_shell_write_results(sh->out, items, sd->n);
	if (set > 0)
		sim_printer_count_set(sh->printer);
	for (i = 0; i < sd->n; i++)
		sim_shell_item_clear(&items[i]);
	free(items);
	sim_shell_yaml_setdata_free(&sd);
	if (rejected)
		sim_shell_error(sh, "some settings were rejected");
	return rejected ? 1 : 0;
}

const struct sim_shell_cmd sim_shell_cmd_settings_import = {
	"settings import", "< SETTING-DATA", 0, 0, sim_shell_settings_import
};
