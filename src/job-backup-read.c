/*
 * Reading a printer's settings for a backup: over SNMP one category after
 * another (one GET of all its OIDs; the pool packs them into PDUs), so a
 * printer that stops answering keeps the categories read before; then,
 * for what SNMP cannot give, one `settings export CATEGORY...` through the
 * management shell.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "hostkey.h"
#include "job-backup-int.h"
#include "job-io.h"
#include "setdata.h"
#include "text.h"
#include "xmalloc.h"

void
backup_read_partial(struct backup_cat *c, const char *why)
{
	if (c->partial == NULL)
		c->partial = xstrdup(why);
}

void
backup_read_keep(struct backup_cat *c, const struct catalog_setting *s,
    const char *text)
{
	struct backup_value *v;

	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	v = &c->v[c->n++];
	v->key = xstrdup(catalog_setting_key(s));
	v->secret = catalog_setting_secret(s);
	v->value = xstrdup(text);
}

/* The enum value of CODE, or NULL. */
static const char *
backup_read_enum(const struct catalog_setting *s, int64_t code)
{
	size_t i;

	for (i = 0; i < catalog_setting_nvalues(s); i++) {
		if (catalog_setting_code_at(s, i) == code)
			return catalog_setting_value_at(s, i);
	}
	return NULL;
}

/* VB as the text the catalog takes for S (caller frees); NULL if absent. */
static char *
backup_read_text(const struct catalog_setting *s, const struct snmp_varbind *vb)
{
	const char *name;

	if (vb->type == SNMP_TYPE_NULL || vb->type >= SNMP_TYPE_NO_SUCH_OBJECT)
		return NULL;
	if (vb->type == SNMP_TYPE_INTEGER) {
		name = NULL;
		if (catalog_setting_type(s) == CATALOG_BOOL)
			name = vb->integer == 1 ? "true" :
			    vb->integer == 2 ? "false" : NULL;
		else if (catalog_setting_type(s) == CATALOG_ENUM)
			name = backup_read_enum(s, vb->integer);
		if (name != NULL)
			return xstrdup(name);
		return xasprintf("%lld", (long long)vb->integer);
	}
	if (vb->type == SNMP_TYPE_OCTETS && vb->hex)
		return text_sanitize((const char *)vb->octets, vb->len);
	return xstrdup(vb->text != NULL ? vb->text : "");
}

/* Whether IT can fall back on the shell for setting S. */
static bool
backup_read_shell_has(const struct backup_item *it,
    const struct catalog_setting *s)
{
	return it->login != NULL && catalog_setting_shell(s) != NULL &&
	    !catalog_setting_secret(s);
}

/* Mark setting S of C wanted from the shell. */
static void
backup_read_want(struct backup_cat *c, const struct catalog_setting *s)
{
	size_t i;

	for (i = 0; i < catalog_category_nsettings(c->c); i++) {
		if (catalog_category_setting_at(c->c, i) == s) {
			c->wanted[i] = true;
			c->shell = true;
		}
	}
}

static void backup_snmp_next(struct backup_item *it);
static void backup_shell_start(struct backup_item *it);

/* The varbinds of category C's GET: values, or what the shell may give. */
static void
backup_snmp_values(struct backup_item *it, struct backup_cat *c,
    const struct snmp_result *res)
{
	const struct catalog_setting *s;
	char *text;
	size_t i;

	for (i = 0; i < c->nsnmp && i < res->nvbs; i++) {
		s = c->snmp[i];
		text = backup_read_text(s, &res->vbs[i]);
		/* A secret reads as empty: it is never given back. */
		if (text != NULL && !(catalog_setting_secret(s) && *text == '\0'))
			backup_read_keep(c, s, text);
		else if (text == NULL && backup_read_shell_has(it, s))
			backup_read_want(c, s);
		free(text);
	}
}

static void
backup_snmp_done(const struct snmp_result *res, void *arg)
{
	struct backup_item *it = arg;
	struct backup_cat *c = &it->cats[it->next++];
	char *why;
	size_t i;

	if (res->fail == SNMP_FAIL_NONE) {
		backup_snmp_values(it, c, res);
		backup_snmp_next(it);
		return;
	}
	/* The printer stopped answering: keep what was read, say why the
	 * rest is missing, and read no further over SNMP. */
	why = xasprintf("SNMP: %s", res->cause != NULL ? res->cause :
	    "failed");
	backup_read_partial(c, why);
	for (i = it->next; i < it->ncats; i++) {
		if (it->cats[i].nsnmp > 0)
			backup_read_partial(&it->cats[i], why);
	}
	free(why);
	it->next = it->ncats;
	backup_shell_start(it);
}

/* Ask for the next category with OIDs, or go on to the shell. */
static void
backup_snmp_next(struct backup_item *it)
{
	struct snmp_request req = { 0 };
	struct backup_cat *c;
	char *cause = NULL;

	while (it->next < it->ncats && it->cats[it->next].nsnmp == 0)
		it->next++;
	if (it->next == it->ncats) {
		backup_shell_start(it);
		return;
	}
	c = &it->cats[it->next];
	req.host = it->t->address;
	req.port = it->t->port;
	req.key = it->key;
	req.timeout_ms = it->b->timeout_ms;
	req.retries = it->b->retries;
	req.op = SNMP_OP_GET;
	req.oids = c->oids;
	req.noids = c->nsnmp;
	req.done = backup_snmp_done;
	req.arg = it;
	if (snmp_pool_submit(it->b->snmp, &req, &cause) == 0)
		return;
	backup_read_partial(c, cause);
	free(cause);
	it->next++;
	backup_snmp_next(it);
}

/* Keep the entries of SD that categories reading from the shell want. */
static void
backup_shell_values(struct backup_item *it, const struct setdata *sd)
{
	const struct catalog_setting *s;
	struct backup_cat *c;
	size_t i, j, k;

	for (i = 0; i < setdata_count(sd); i++) {
		s = catalog_setting_find(it->b->cat, setdata_key_at(sd, i));
		for (j = 0; s != NULL && j < it->ncats; j++) {
			c = &it->cats[j];
			if (!c->shell || catalog_setting_category(s) != c->c)
				continue;
			for (k = 0; k < catalog_category_nsettings(c->c); k++) {
				if (c->wanted[k] &&
				    catalog_category_setting_at(c->c, k) == s) {
					backup_read_keep(c, s,
					    setdata_value_at(sd, i));
					c->wanted[k] = false;
				}
			}
		}
	}
}

/* Mark every category read through the shell partial with WHY. */
static void
backup_shell_failed(struct backup_item *it, const char *why)
{
	char *s = xasprintf("shell: %s", why);
	size_t i;

	for (i = 0; i < it->ncats; i++) {
		if (it->cats[i].shell)
			backup_read_partial(&it->cats[i], s);
	}
	free(s);
}

/* Parse the export; settings it holds that the catalog refuses are
 * missing, and the first reason says why. */
static void
backup_shell_parse(struct backup_item *it, const struct sshc_result *res)
{
	struct setdata_errors errs = { 0 };
	struct setdata *sd = NULL;
	char *why;

	setdata_parse(it->b->cat, "settings export", res->out, res->out_len,
	    NULL, &sd, &errs);
	if (sd == NULL)
		backup_shell_failed(it, errs.n > 0 ? errs.msgs[0] :
		    "not setting data");
	else
		backup_shell_values(it, sd);
	if (sd != NULL && errs.n > 0) {
		why = xasprintf("%zu setting(s) unreadable: %s", errs.n,
		    errs.msgs[0]);
		backup_shell_failed(it, why);
		free(why);
	}
	setdata_free(&sd);
	setdata_errors_clear(&errs);
}

static void
backup_shell_done(void *arg, struct sshc_result *res)
{
	struct backup_item *it = arg;
	char *why;

	if (res->failure == SSH_FAIL_NONE && res->exit_status == 0) {
		backup_shell_parse(it, res);
		return;
	}
	if (res->failure != SSH_FAIL_NONE)
		why = xstrdup(res->cause != NULL ? res->cause : "failed");
	else
		why = res->err_len > 0 ? text_sanitize(res->err,
		    strcspn(res->err, "\n")) : xasprintf("exit status %d",
		    res->exit_status);
	backup_shell_failed(it, why);
	free(why);
}

/* "settings export" and the categories that want the shell; NULL if none. */
static char *
backup_shell_command(const struct backup_item *it)
{
	char *cmd = NULL;
	size_t i;

	for (i = 0; i < it->ncats; i++) {
		if (it->cats[i].shell)
			backup_job_append(&cmd, " ",
			    catalog_category_name(it->cats[i].c));
	}
	if (cmd != NULL) {
		char *all = xasprintf("settings export %s", cmd);

		free(cmd);
		cmd = all;
	}
	return cmd;
}

static void
backup_shell_start(struct backup_item *it)
{
	struct sshc_request req = { 0 };
	struct sshc_login l;
	char *cmd, *cause = NULL;

	if ((cmd = backup_shell_command(it)) == NULL)
		return;
	if (it->login == NULL || !job_io_login(it->login, &l)) {
		backup_shell_failed(it, "no login");
		free(cmd);
		return;
	}
	req.host = it->t->address;
	req.port = it->p.ssh_port;
	req.login = &l;
	req.hostkey_cb = hostkey_verify;
	req.hostkey_arg = it->b->st;
	req.command = cmd;
	req.connect_timeout_ms = it->b->timeout_ms * 2;
	if (sshc_pool_submit(it->b->ssh, &req, backup_shell_done, it,
	    &cause) != 0) {
		backup_shell_failed(it, cause);
		free(cause);
	}
	free(cmd);
}

void
backup_read_start(struct backup_item *it)
{
	it->next = 0;
	if (it->key != NULL)
		backup_snmp_next(it);
	else
		backup_shell_start(it);
}
