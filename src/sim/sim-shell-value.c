/*
 * Values between the shell's YAML and the printer, both ways. A printer
 * takes what it can understand and says so ("corrected", with the value it
 * now holds):
 *   bool    true/false in any case, yes/no, on/off        -> true/false
 *   int     surrounding blanks, a leading '+', leading zeros ("08" -> 8)
 *   enum    a value in another case ("DHCP" -> dhcp)
 *   string  longer than its maxlen: cut at maxlen (on a UTF-8 boundary)
 *   list    blanks around the items ("a, b" -> a,b)
 *   empty   (key: or ~) an empty string or list
 * Secrets are taken as given, never cut, and never reported unchanged (that
 * would tell whether a guess was right).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim-shell-int.h"
#include "xmalloc.h"

const char *
sim_shell_result_name(enum sim_shell_result r)
{
	static const char *const names[] = {
		"applied", "unchanged", "corrected", "rejected", "unsupported"
	};

	return names[r];
}

const struct catalog_setting *
sim_shell_setting(const struct sim_shell *sh, const char *key)
{
	const struct catalog_category *cat;
	const struct catalog_setting *s;
	const char *shell;
	size_t i, j;

	for (i = 0; i < catalog_ncategories(sh->catalog); i++) {
		cat = catalog_category_at(sh->catalog, i);
		for (j = 0; j < catalog_category_nsettings(cat); j++) {
			s = catalog_category_setting_at(cat, j);
			shell = catalog_setting_shell(s);
			if (shell != NULL && strcmp(shell, key) == 0)
				return s;
		}
	}
	return NULL;
}

/* Copy IN without the blanks around it. */
static char *
sim_shell_trim(const char *in)
{
	size_t len;

	in += strspn(in, " \t");
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	return xstrndup(in, len);
}

static char *
sim_shell_norm_bool(const char *in)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };
	size_t i;

	for (i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(in, yes[i]) == 0)
			return xstrdup("true");
		if (strcasecmp(in, no[i]) == 0)
			return xstrdup("false");
	}
	return xstrdup(in);
}

static char *
sim_shell_norm_int(const char *in)
{
	char *t = sim_shell_trim(in), *p = t, *out;
	bool minus = false;

	if (*p == '+' || *p == '-')
		minus = *p++ == '-';
	if (*p < '0' || *p > '9')
		return t;	/* not a number: the check says why */
	while (*p == '0' && p[1] >= '0' && p[1] <= '9')
		p++;
	out = xasprintf("%s%s", minus && strcmp(p, "0") != 0 ? "-" : "", p);
	free(t);
	return out;
}

static char *
sim_shell_norm_enum(const struct catalog_setting *s, const char *in)
{
	const char *v;
	size_t i;

	for (i = 0; i < catalog_setting_nvalues(s); i++) {
		v = catalog_setting_value_at(s, i);
		if (strcasecmp(v, in) == 0)
			return xstrdup(v);
	}
	return xstrdup(in);
}

static char *
sim_shell_norm_string(const struct catalog_setting *s, const char *in)
{
	size_t len = strlen(in), max = catalog_setting_maxlen(s);

	if (len <= max)
		return xstrdup(in);
	while (max > 0 && ((unsigned char)in[max] & 0xc0) == 0x80)
		max--;
	return xstrndup(in, max);
}

static char *
sim_shell_norm_list(const char *in)
{
	char *copy = xstrdup(in), *item, *next, *t, *out = xstrdup("");
	char *joined;

	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		t = sim_shell_trim(item);
		joined = xasprintf("%s%s%s", out, item == copy ? "" : ",", t);
		free(t);
		free(out);
		out = joined;
	}
	free(copy);
	return out;
}

/* The value to set for ENTRY, or NULL with *REASON. */
static char *
sim_shell_normalise(const struct catalog_setting *s,
    const struct sim_shell_yaml_entry *e, char **reason)
{
	enum catalog_type t = catalog_setting_type(s);

	if (e->seq && t != CATALOG_LIST) {
		*reason = xstrdup("expected a single value, not a list");
		return NULL;
	}
	if (e->null) {
		if (t == CATALOG_BOOL || t == CATALOG_INT || t == CATALOG_ENUM) {
			*reason = xstrdup("no value");
			return NULL;
		}
		return xstrdup("");
	}
	switch (t) {
	case CATALOG_BOOL:
		return sim_shell_norm_bool(e->value);
	case CATALOG_INT:
		return sim_shell_norm_int(e->value);
	case CATALOG_ENUM:
		return sim_shell_norm_enum(s, e->value);
	case CATALOG_STRING:
		return sim_shell_norm_string(s, e->value);
	case CATALOG_LIST:
		return sim_shell_norm_list(e->value);
	default:
		return xstrdup(e->value);
	}
}

static void
sim_shell_item_check(struct sim_shell *sh, struct sim_shell_item *it)
{
	const struct catalog_setting *s = it->setting;
	char *cur = NULL;

	it->value = sim_shell_normalise(s, it->entry, &it->reason);
	if (it->value == NULL) {
		it->result = SIM_SHELL_REJECTED;
		return;
	}
	if (catalog_check_value(s, it->value, &it->reason) != 0) {
		it->result = SIM_SHELL_REJECTED;
		return;
	}
	if (!catalog_setting_secret(s) &&
	    sim_value_get(sh->printer, s, &cur) == 0 &&
	    strcmp(cur, it->value) == 0)
		it->result = SIM_SHELL_UNCHANGED;
	else if (strcmp(it->value, it->entry->value) != 0)
		it->result = SIM_SHELL_CORRECTED;
	else
		it->result = SIM_SHELL_APPLIED;
	free(cur);
}

void
sim_shell_item_prepare(struct sim_shell *sh, struct sim_shell_item *it,
    const struct sim_shell_yaml_entry *e)
{
	memset(it, 0, sizeof *it);
	it->entry = e;
	it->setting = sim_shell_setting(sh, e->key);
	if (e->error != NULL) {
		it->result = SIM_SHELL_REJECTED;
		it->reason = xstrdup(e->error);
	} else if (it->setting == NULL) {
		it->result = SIM_SHELL_UNSUPPORTED;
		it->reason = xstrdup("unknown setting");
	} else if (!sim_printer_supports(sh->printer, it->setting)) {
		it->result = SIM_SHELL_UNSUPPORTED;
		it->reason = xstrdup("not supported by this model");
	} else
		sim_shell_item_check(sh, it);
}

void
sim_shell_item_clear(struct sim_shell_item *it)
{
	free(it->value);
	free(it->reason);
	it->value = it->reason = NULL;
}

char *
sim_shell_set_reason(enum sim_set_status status, const char *cause)
{
	switch (status) {
	case SIM_SET_UNSUPPORTED:
		return xstrdup("not supported by this model");
	case SIM_SET_NOT_WRITABLE:
		return xstrdup("read-only");
	case SIM_SET_LOCKED:
		return xstrdup("locked by policy");
	case SIM_SET_DOWN:
		return xstrdup("the printer is rebooting");
	case SIM_SET_FAILED:
		return xasprintf("not saved: %s", cause != NULL ? cause :
		    "error");
	default:
		return xstrdup(cause != NULL ? cause : "wrong value");
	}
}

/* A bool or an int as the catalog writes it: plain YAML. */
static bool
sim_shell_typed(const struct catalog_setting *s, const char *value)
{
	enum catalog_type t = catalog_setting_type(s);
	char *cause = NULL;

	if (t != CATALOG_BOOL && t != CATALOG_INT)
		return false;
	if (catalog_check_value(s, value, &cause) == 0)
		return true;
	free(cause);
	return false;
}

static void
sim_shell_write_value(FILE *f, const struct catalog_setting *s,
    const char *value, const char *indent)
{
	char *copy, *item, *next;

	if (catalog_setting_type(s) != CATALOG_LIST) {
		fputc(' ', f);
		if (sim_shell_typed(s, value))
			fputs(value, f);
		else
			sim_shell_yaml_scalar(f, value);
		fputc('\n', f);
		return;
	}
	if (*value == '\0') {
		fputs(" []\n", f);
		return;
	}
	fputc('\n', f);
	copy = xstrdup(value);
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		fprintf(f, "%s  - ", indent);
		sim_shell_yaml_scalar(f, item);
		fputc('\n', f);
	}
	free(copy);
}

void
sim_shell_write_setting(FILE *f, const struct catalog_setting *s,
    const char *value, const char *indent)
{
	fprintf(f, "%s%s:", indent, catalog_setting_shell(s));
	sim_shell_write_value(f, s, value, indent);
}

void
sim_shell_write_results(FILE *f, const struct sim_shell_item *items,
    size_t n)
{
	const struct sim_shell_item *it;
	size_t i;

	fputs(n == 0 ? "results: []\n" : "results:\n", f);
	for (i = 0; i < n; i++) {
		it = &items[i];
		fputs("  - key: ", f);
		sim_shell_yaml_scalar(f, it->entry->key);
		fprintf(f, "\n    result: %s\n", sim_shell_result_name(
		    it->result));
		if (it->reason != NULL && (it->result == SIM_SHELL_REJECTED ||
		    it->result == SIM_SHELL_UNSUPPORTED)) {
			fputs("    reason: ", f);
			sim_shell_yaml_scalar(f, it->reason);
			fputc('\n', f);
		}
		if (it->result == SIM_SHELL_CORRECTED) {
			fputs("    value:", f);
			sim_shell_write_value(f, it->setting, it->value,
			    "    ");
		}
	}
}
