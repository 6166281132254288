/*
 * Writing through the management shell: the changes SNMP cannot make (no
 * OID, a secret, no write access) go as one `settings import` whose
 * setting data travels on stdin (secrets too: never on a command line).
 * The printer answers per setting (results: key, result, reason, value):
 * applied, unchanged, corrected (the value it holds), rejected or
 * unsupported with a reason. Also `device reboot`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "hostkey.h"
#include "job-distribute-int.h"
#include "job-io.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

/* S as a YAML double-quoted scalar (control characters escaped). */
static void
distribute_yaml_quote(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* VALUE of S: a list as a flow sequence, anything else quoted. */
static void
distribute_yaml_value(FILE *f, const struct catalog_setting *s,
    const char *value)
{
	const char *p = value;
	size_t len;
	char *item;

	if (catalog_setting_type(s) != CATALOG_LIST) {
		distribute_yaml_quote(f, value);
		return;
	}
	fputc('[', f);
	while (*value != '\0' && p != NULL) {
		len = strcspn(p, ",");
		item = xstrndup(p, len);
		distribute_yaml_quote(f, item);
		free(item);
		p = p[len] == ',' ? p + len + 1 : NULL;
		if (p != NULL)
			fputs(", ", f);
	}
	fputc(']', f);
}

/* The setting data of IT's shell changes; *LEN its size; NULL if none. */
static char *
distribute_shell_payload(struct distribute_item *it, size_t *len)
{
	struct distribute_change *c;
	char *buf = NULL;
	size_t i, n = 0;
	FILE *f;

	if ((f = open_memstream(&buf, len)) == NULL)
		return NULL;
	fputs("quire: " SETDATA_FORMAT "\nsettings:\n", f);
	for (i = 0; i < it->n; i++) {
		c = &it->c[i];
		if (!c->write || !c->shell ||
		    c->outcome != DISTRIBUTE_WOULD_CHANGE)
			continue;
		fprintf(f, "  %s: ", catalog_setting_shell(c->s));
		distribute_yaml_value(f, c->s, c->value);
		fputc('\n', f);
		n++;
	}
	fclose(f);
	if (n > 0)
		return buf;
	vault_wipe_free(buf, *len);
	return NULL;
}

/* Every shell change not answered for fails with WHY. */
static void
distribute_shell_failed(struct distribute_item *it, const char *why)
{
	struct distribute_change *c;
	size_t i;

	for (i = 0; i < it->n; i++) {
		c = &it->c[i];
		if (!c->write || !c->shell || c->sent ||
		    c->outcome != DISTRIBUTE_WOULD_CHANGE)
			continue;
		c->outcome = DISTRIBUTE_FAILED;
		free(c->reason);
		c->reason = xasprintf("shell: %s", why);
	}
}

/* ---- The answer ---- */

static yaml_node_t *
distribute_yaml_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(doc, pair->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, pair->value);
	}
	return NULL;
}

/* A scalar's text, or a sequence's joined with ",", sanitised. */
static char *
distribute_yaml_text(yaml_document_t *doc, yaml_node_t *n)
{
	yaml_node_item_t *i;
	yaml_node_t *e;
	char *out = NULL, *t;

	if (n != NULL && n->type == YAML_SCALAR_NODE)
		return text_sanitize((const char *)n->data.scalar.value,
		    n->data.scalar.length);
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return NULL;
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	    i++) {
		e = yaml_document_get_node(doc, *i);
		if (e == NULL || e->type != YAML_SCALAR_NODE)
			continue;
		t = text_sanitize((const char *)e->data.scalar.value,
		    e->data.scalar.length);
		distribute_append(&out, ",", t);
		free(t);
	}
	return out != NULL ? out : xstrdup("");
}

/* The change of IT whose shell key is KEY, being written; NULL if none. */
static struct distribute_change *
distribute_shell_change(struct distribute_item *it, const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < it->n; i++) {
		if (it->c[i].write && it->c[i].shell &&
		    strcmp(catalog_setting_shell(it->c[i].s), key) == 0)
			return &it->c[i];
	}
	return NULL;
}

/* One result: RESULT for change C, REASON, VALUE (corrected). */
static void
distribute_shell_one(struct distribute_change *c, const char *result,
    char *reason, char *value)
{
	if (strcmp(result, "applied") == 0 || strcmp(result, "unchanged") == 0 ||
	    strcmp(result, "corrected") == 0) {
		c->sent = true;
		c->outcome = DISTRIBUTE_APPLIED;
		if (strcmp(result, "corrected") == 0 && value != NULL) {
			free(c->held);
			c->held = value;
			value = NULL;
		}
	} else {
		c->outcome = strcmp(result, "unsupported") == 0 ?
		    DISTRIBUTE_UNSUPPORTED : DISTRIBUTE_REJECTED;
		free(c->reason);
		c->reason = reason != NULL ? reason : xstrdup(result);
		reason = NULL;
	}
	free(reason);
	free(value);
}

static void
distribute_shell_results(struct distribute_item *it, yaml_document_t *doc)
{
	yaml_node_t *list, *e;
	yaml_node_item_t *i;
	struct distribute_change *c;
	char *key, *result;

	list = distribute_yaml_get(doc, yaml_document_get_root_node(doc),
	    "results");
	if (list == NULL || list->type != YAML_SEQUENCE_NODE)
		return;
	for (i = list->data.sequence.items.start;
	    i < list->data.sequence.items.top; i++) {
		e = yaml_document_get_node(doc, *i);
		key = distribute_yaml_text(doc, distribute_yaml_get(doc, e,
		    "key"));
		result = distribute_yaml_text(doc, distribute_yaml_get(doc, e,
		    "result"));
		if ((c = distribute_shell_change(it, key)) != NULL &&
		    result != NULL)
			distribute_shell_one(c, result, distribute_yaml_text(doc,
			    distribute_yaml_get(doc, e, "reason")),
			    distribute_yaml_text(doc, distribute_yaml_get(doc, e,
			    "value")));
		free(key);
		free(result);
	}
}

static void
distribute_shell_parse(struct distribute_item *it, const char *out, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;

	if (!yaml_parser_initialize(&parser))
		return;
	yaml_parser_set_input_string(&parser, (const unsigned char *)out, len);
	if (yaml_parser_load(&parser, &doc)) {
		distribute_shell_results(it, &doc);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
}

static void
distribute_shell_done(void *arg, struct sshc_result *res)
{
	struct distribute_item *it = arg;
	char *why;

	if (res->failure == SSH_FAIL_NONE && res->out_len > 0)
		distribute_shell_parse(it, res->out, res->out_len);
	if (res->failure != SSH_FAIL_NONE)
		why = xstrdup(res->cause != NULL ? res->cause : "failed");
	else if (res->err_len > 0)
		why = text_sanitize(res->err, strcspn(res->err, "\n"));
	else
		why = xasprintf("no answer for it (exit status %d)",
		    res->exit_status);
	distribute_shell_failed(it, why);
	free(why);
}

/* Fill L from IT's login; false if it has none. */
static bool
distribute_shell_login(const struct distribute_item *it, struct sshc_login *l)
{
	memset(l, 0, sizeof *l);
	return it->rd.login != NULL && job_io_login(it->rd.login, l);
}

/* Run COMMAND with INPUT on IT's shell; DONE gets the answer. */
static int
distribute_shell_run(struct distribute_item *it, const char *command,
    const char *input, size_t len, sshc_done_cb done, char **cause)
{
	struct sshc_request req = { 0 };
	struct sshc_login l;

	if (!distribute_shell_login(it, &l)) {
		*cause = xstrdup("no shell login");
		return -1;
	}
	req.host = it->t->address;
	req.port = it->rd.p.ssh_port;
	req.login = &l;
	req.hostkey_cb = hostkey_verify;
	req.hostkey_arg = it->b->st;
	req.command = command;
	req.input = input;
	req.input_len = len;
	req.connect_timeout_ms = it->b->bb.timeout_ms * 2;
	return sshc_pool_submit(it->b->bb.ssh, &req, done, it, cause);
}

void
distribute_shell_start(struct distribute_item *it)
{
	char *payload, *cause = NULL;
	size_t len = 0;

	if ((payload = distribute_shell_payload(it, &len)) == NULL)
		return;
	if (distribute_shell_run(it, "settings import", payload, len,
	    distribute_shell_done, &cause) != 0) {
		distribute_shell_failed(it, cause);
		free(cause);
	}
	vault_wipe_free(payload, len);
}

static void
distribute_reboot_done(void *arg, struct sshc_result *res)
{
	struct distribute_item *it = arg;
	char *why;

	free(it->reboot);
	if (res->failure == SSH_FAIL_NONE && res->exit_status == 0) {
		it->reboot = xstrdup("rebooted");
		return;
	}
	why = res->failure != SSH_FAIL_NONE ? xstrdup(res->cause != NULL ?
	    res->cause : "failed") : res->err_len > 0 ?
	    text_sanitize(res->err, strcspn(res->err, "\n")) :
	    xasprintf("exit status %d", res->exit_status);
	it->reboot = xasprintf("reboot failed: %s", why);
	free(why);
}

void
distribute_shell_reboot(struct distribute_item *it)
{
	char *cause = NULL;

	if (distribute_shell_run(it, "device reboot", NULL, 0,
	    distribute_reboot_done, &cause) != 0) {
		free(it->reboot);
		it->reboot = xasprintf("reboot failed: %s", cause);
		free(cause);
	}
}
