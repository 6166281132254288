/*
 * policy show|apply|passwd, and device info|reboot. The security policy is
 * the security category's settings, guarded by the policy password: apply
 * takes the password as the first line of stdin, then setting data of that
 * category only, and applies it whole or not at all.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim-shell-int.h"
#include "xmalloc.h"

#define SIM_SHELL_POLICY_CATEGORY "security"

static int
sim_shell_policy_show(struct sim_shell *sh, int argc, char **argv)
{
	const struct catalog_category *cat;
	size_t n = 0;
	char *body;
	size_t len;
	FILE *f;

	cat = catalog_category_find(sh->catalog, SIM_SHELL_POLICY_CATEGORY);
	if ((f = open_memstream(&body, &len)) == NULL)
		abort();	/* out of memory, as xmalloc does */
	if (cat != NULL)
		n = sim_shell_write_category(sh, f, cat, "  ");
	if (fclose(f) != 0)
		abort();
	/* No password set: the empty one opens the policy. */
	fprintf(sh->out, "policy:\n  password_set: %s\n  applied: %u\n",
	    sim_policy_check(sh->printer, "") ? "false" : "true",
	    (unsigned)sim_policy_applied(sh->printer));
	fprintf(sh->out, "settings:%s%s", n == 0 ? " {}\n" : "\n", body);
	free(body);
	return 0;
}

const struct sim_shell_cmd sim_shell_cmd_policy_show = {
	"policy show", "", 0, 0, sim_shell_policy_show
};

/* Prepare every entry; false when any is refused (nothing is applied). */
static bool
sim_shell_policy_prepare(struct sim_shell *sh, struct sim_shell_yaml_setdata *sd,
    struct sim_shell_item *items)
{
	const struct catalog_category *cat;
	struct sim_shell_item *it;
	bool ok = true;
	size_t i;

	cat = catalog_category_find(sh->catalog, SIM_SHELL_POLICY_CATEGORY);
	for (i = 0; i < sd->n; i++) {
		it = &items[i];
		sim_shell_item_prepare(sh, it, &sd->entries[i]);
		if (it->setting != NULL &&
		    catalog_setting_category(it->setting) != cat) {
			it->result = SIM_SHELL_REJECTED;
			free(it->reason);
			it->reason = xstrdup("not a security policy setting");
		}
		if (it->result == SIM_SHELL_REJECTED ||
		    it->result == SIM_SHELL_UNSUPPORTED)
			ok = false;
	}
	return ok;
}

/* Set every applied or corrected item in one request; false if refused. */
static bool
sim_shell_policy_set(struct sim_shell *sh, struct sim_shell_item *items,
    size_t n)
{
	struct sim_change *changes = xcalloc(n, sizeof *changes);
	size_t *which = xcalloc(n, sizeof *which);
	enum sim_set_status status;
	size_t i, nch = 0, bad = 0;
	char *cause = NULL;

	for (i = 0; i < n; i++) {
		if (items[i].result != SIM_SHELL_APPLIED &&
		    items[i].result != SIM_SHELL_CORRECTED)
			continue;
		changes[nch].setting = items[i].setting;
		changes[nch].value = items[i].value;
		which[nch++] = i;
	}
	status = nch == 0 ? SIM_SET_OK :
	    sim_values_set(sh->printer, changes, nch, &bad, &cause);
	for (i = 0; status != SIM_SET_OK && i < nch; i++) {
		items[which[i]].result = SIM_SHELL_REJECTED;
		free(items[which[i]].reason);
		items[which[i]].reason = i == bad ?
		    sim_shell_set_reason(status, cause) :
		    xstrdup("not applied: the policy applies whole or not at all");
	}
	free(cause);
	free(changes);
	free(which);
	return status == SIM_SET_OK;
}

static int
sim_shell_policy_items(struct sim_shell *sh, struct sim_shell_yaml_setdata *sd)
{
	struct sim_shell_item *items = xcalloc(sd->n, sizeof *items);
	bool ok;
	size_t i;

	ok = sim_shell_policy_prepare(sh, sd, items) &&
	    sim_shell_policy_set(sh, items, sd->n);
	if (ok)
		sim_policy_count_apply(sh->printer);
	sim_shell_write_results(sh->out, items, sd->n);
	if (ok)
		fprintf(sh->out, "applied: %u\n",
		    (unsigned)sim_policy_applied(sh->printer));
	for (i = 0; i < sd->n; i++)
		sim_shell_item_clear(&items[i]);
	free(items);
	if (!ok)
		sim_shell_error(sh, "the policy was not applied");
	return ok ? 0 : 1;
}

static int
sim_shell_policy_apply(struct sim_shell *sh, int argc, char **argv)
{
	struct sim_shell_yaml_setdata *sd;
	char *buf, *p, *password = NULL, *cause;
	size_t len;
	int rc = 1;

	if (sim_shell_payload(sh, &buf, &len) != 0)
		return 1;
	p = buf;
	if (sim_shell_take_line(sh, &p, &len, &password) != 0)
		goto out;
	if (!sim_policy_check(sh->printer, password)) {
		sim_shell_error(sh, "wrong policy password");
		goto out;
	}
	if (sim_shell_yaml_read_setdata(p, len, &sd, &cause) != 0) {
		/* The YAML starts on line 2 of stdin. */
		sim_shell_error(sh, "stdin (after the password line):%s",
		    cause);
		free(cause);
		goto out;
	}
	rc = sim_shell_policy_items(sh, sd);
	sim_shell_yaml_setdata_free(&sd);
out:
	free(password);
	free(buf);
	return rc;
}

const struct sim_shell_cmd sim_shell_cmd_policy_apply = {
	"policy apply", "< PASSWORD-LINE SETTING-DATA", 0, 0,
	sim_shell_policy_apply
};

static int
sim_shell_policy_passwd(struct sim_shell *sh, int argc, char **argv)
{
	char *buf, *p, *nl, *old = NULL, *new = NULL, *cause;
	size_t len;
	int rc = 1;

	if (sim_shell_payload(sh, &buf, &len) != 0)
		return 1;
	p = buf;
	if (sim_shell_take_line(sh, &p, &len, &old) != 0)
		goto out;
	/* The second line may end the payload without a newline. */
	if ((nl = memchr(p, '\n', len)) != NULL)
		len = (size_t)(nl - p);
	if (len > 0 && p[len - 1] == '\r')
		len--;
	new = xstrndup(p, len);
	if (sim_policy_passwd(sh->printer, old, new, &cause) != 0) {
		sim_shell_error(sh, "%s", cause);
		free(cause);
		goto out;
	}
	fputs("policy:\n  password_set: true\n", sh->out);
	rc = 0;
out:
	free(old);
	free(new);
	free(buf);
	return rc;
}

const struct sim_shell_cmd sim_shell_cmd_policy_passwd = {
	"policy passwd", "< OLD-PASSWORD-LINE NEW-PASSWORD-LINE", 0, 0,
	sim_shell_policy_passwd
};

static int
sim_shell_device_info(struct sim_shell *sh, int argc, char **argv)
{
	struct sim_printer *p = sh->printer;
	const struct sim_model *m = sim_printer_model(p);
	const char *site = sim_printer_site(p);

	fputs("name: ", sh->out);
	sim_shell_yaml_scalar(sh->out, sim_printer_name(p));
	fputs("\nsite: ", sh->out);
	sim_shell_yaml_scalar(sh->out, site != NULL ? site : "");
	fputs("\nmodel: ", sh->out);
	sim_shell_yaml_scalar(sh->out, m->name);
	fputs("\nserial: ", sh->out);
	sim_shell_yaml_scalar(sh->out, sim_printer_serial(p));
	fputs("\nfirmware: ", sh->out);
	sim_shell_yaml_scalar(sh->out, m->firmware != NULL ? m->firmware : "");
	fprintf(sh->out, "\nuptime_s: %u\nconfig_changes: %u\n"
	    "engine_boots: %u\n", (unsigned)(sim_printer_uptime(p) / 100),
	    (unsigned)sim_printer_config_changes(p),
	    (unsigned)sim_printer_engine_boots(p));
	return 0;
}

const struct sim_shell_cmd sim_shell_cmd_device_info = {
	"device info", "", 0, 0, sim_shell_device_info
};

static int
sim_shell_device_reboot(struct sim_shell *sh, int argc, char **argv)
{
	fprintf(sh->out, "reboot: true\nunreachable_ms: %u\n",
	    sim_printer_faults(sh->printer)->reboot_ms);
	sh->reboot = true;
	return 0;
}

const struct sim_shell_cmd sim_shell_cmd_device_reboot = {
	"device reboot", "", 0, 0, sim_shell_device_reboot
};
