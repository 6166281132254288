/*
 * The capability check ("check" jobs): per printer, SNMP identity with its
 * ordered SNMP credentials, the management shell with its logins, HTTPS,
 * the catalog categories it can reach, and a verdict. A batch's printers
 * are checked together through one SNMP pool and one SSH pool.
 */
#include "config.h"

#include "job-kinds.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "credential.h"
#include "credential-int.h"
#include "hostkey.h"
#include "job-check-int.h"
#include "job-io.h"
#include "log.h"
#include "paths.h"
#include "printer.h"
#include "snmp.h"
#include "sshc.h"
#include "text.h"
#include "tls.h"
#include "vault.h"
#include "xmalloc.h"

#define CHECK_TIMEOUT_MS	1000
#define CHECK_RETRIES		1
#define CHECK_STEP_MS		10

/* What a batch shares. */
struct check_batch {
	struct engine_run	*run;
	struct store		*st;
	struct vault		*vault;
	struct snmp_pool	*snmp;
	struct sshc_pool	*ssh;
	const struct catalog	*cat;	/* check_catalog_shared */
	unsigned		 timeout_ms;
	unsigned		 retries;
	int64_t			 only;	/* `credential test`: the one to try */
};

/*
 * Parameters: "timeout=MS retries=N only=CREDENTIAL_ID", all optional.
 * Community strings are secrets and never travel in parameters.
 */
static void
check_parse_params(const char *params, struct check_batch *b)
{
	unsigned *timeout_ms = &b->timeout_ms, *retries = &b->retries;
	const char *p = params;
	char *end;
	unsigned long v;

	*timeout_ms = CHECK_TIMEOUT_MS;
	*retries = CHECK_RETRIES;
	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (strncmp(p, "timeout=", 8) == 0) {
			v = strtoul(p + 8, &end, 10);
			if (v > 0 && v <= 600000)
				*timeout_ms = (unsigned)v;
		} else if (strncmp(p, "retries=", 8) == 0) {
			v = strtoul(p + 8, &end, 10);
			if (v <= 10)
				*retries = (unsigned)v;
		} else if (strncmp(p, "only=", 5) == 0)
			b->only = strtoll(p + 5, &end, 10);
		else
			end = strchr(p, ' ');
		p = end;
	}
}

static void
check_note(struct check_item *it, const char *what, const char *name,
    const char *cause)
{
	char *s, *old;

	s = name == NULL ? xasprintf("%s: %s", what, cause) :
	    xasprintf("%s %s: %s", what, name, cause);
	if (it->notes == NULL)
		it->notes = s;
	else {
		old = it->notes;
		it->notes = xasprintf("%s; %s", old, s);
		free(old);
		free(s);
	}
}

/* Open the vault once per batch, when a printer has credentials. */
static int
check_vault(struct check_batch *b, char **cause)
{
	struct vault_source src = { NULL, NULL, NULL };

	if (b->vault != NULL)
		return 0;
	return vault_open(b->st, &src, &b->vault, cause);
}

static void
check_add_key(struct check_item *it, const struct snmp_cred *c, int64_t id)
{
	struct snmp_key *key;
	char *cause = NULL;

	if (snmp_key_new(c, &key, &cause) != 0) {
		check_note(it, "unusable SNMP credential", NULL, cause);
		free(cause);
		return;
	}
	it->keys = xreallocarray(it->keys, it->nkeys + 1, sizeof *it->keys);
	it->key_creds = xreallocarray(it->key_creds, it->nkeys + 1,
	    sizeof *it->key_creds);
	it->keys[it->nkeys] = key;
	it->key_creds[it->nkeys++] = id;
}


/* The SNMP keys of credential C: v2c then v1 for a community, or v3. */
static void
check_snmp_keys(struct check_item *it, const struct credential *c)
{
	struct snmp_cred sc;

	job_io_snmp(c, SNMP_V2C, &sc);
	check_add_key(it, &sc, c->id);
	if (c->kind == CREDENTIAL_KIND_SNMP_COMMUNITY) {
		job_io_snmp(c, SNMP_V1, &sc);
		check_add_key(it, &sc, c->id);
	}
}


/* `credential test`: IT tries only credential B->only, listed or not. */
static int
check_only(struct check_batch *b, struct check_item *it, char **cause)
{
	struct credential_set *set;
	size_t i, n = 0;

	it->only = b->only;
	if (credential_list(b->st, &set, cause) != 0)
		return -1;
	for (i = 0; i < set->n; i++) {
		if (set->v[i].id != b->only)
			credential_clear(&set->v[i]);
		else
			set->v[n++] = set->v[i];
	}
	set->n = n;
	it->creds = set;
	if (n == 0) {
		*cause = xstrdup("the credential was removed");
		return -1;
	}
	return 0;
}

/* Resolve and unseal IT's credentials; make its SNMP keys. */
static void
check_credentials(struct check_batch *b, struct check_item *it)
{
	struct snmp_cred def = { .version = SNMP_V2C, .community = "public" };
	struct credential *c;
	char *cause = NULL;
	size_t i;

	if ((b->only != 0 ? check_only(b, it, &cause) :
	    credential_resolve(b->st, it->t->printer_id, &it->creds,
	    &cause)) != 0 ||
	    (it->creds->n > 0 && check_vault(b, &cause) != 0)) {
		check_note(it, "credentials", NULL, cause);
		free(cause);
		credential_set_free(&it->creds);
	}
	for (i = 0; it->creds != NULL && i < it->creds->n; i++) {
		c = &it->creds->v[i];
		if (credential_unseal(b->st, b->vault, c, &cause) != 0) {
			check_note(it, "credential", c->name, cause);
			free(cause);
			continue;
		}
		if (job_io_is_snmp(c))
			check_snmp_keys(it, c);
		else
			it->nlogins++;
	}
	if (it->nkeys == 0 && b->only == 0) {
		it->snmp_default = true;
		check_add_key(it, &def, 0);
	}
}

static void check_ssh_done(void *arg, struct sshc_result *res);

/* Submit IT's next login from credential NEXT on; false when none is left. */
static bool
check_ssh_next(struct check_item *it)
{
	struct sshc_request req = { 0 };
	struct sshc_login l;
	const struct credential *c;
	char *cause = NULL;

	for (; it->creds != NULL && it->next_cred < it->creds->n;
	    it->next_cred++) {
		c = &it->creds->v[it->next_cred];
		if (c->secret[CREDENTIAL_SECRET_PASSWORD] == NULL &&
		    c->secret[CREDENTIAL_SECRET_PIN] == NULL &&
		    c->secret[CREDENTIAL_SECRET_PRIVATE_KEY] == NULL)
			continue;
		if (!job_io_login(c, &l))
			continue;
		req.host = it->t->address;
		req.port = it->ssh_port;
		req.login = &l;
		req.hostkey_cb = hostkey_verify;
		req.hostkey_arg = it->batch->st;
		req.command = "device info";
		req.connect_timeout_ms = it->batch->timeout_ms * 2;
		it->login_cred = c;
		it->next_cred++;
		if (sshc_pool_submit(it->batch->ssh, &req, check_ssh_done, it,
		    &cause) == 0)
			return true;
		check_note(it, "login", c->name, cause);
		free(cause);
	}
	it->login_cred = NULL;
	return false;
}

/* The "firmware:" line of `device info` (YAML), sanitised; NULL if none. */
static char *
check_shell_firmware(const char *out)
{
	const char *p;
	size_t len;

	if (out == NULL)
		return NULL;
	if (strncmp(out, "firmware: ", 10) == 0)
		p = out + 10;
	else if ((p = strstr(out, "\nfirmware: ")) != NULL)
		p += 11;
	else
		return NULL;
	len = strcspn(p, "\r\n");
	if (len >= 2 && (p[0] == '"' || p[0] == '\'') && p[len - 1] == p[0]) {
		p++;
		len -= 2;
	}
	return len == 0 ? NULL : text_sanitize(p, len);
}

static void
check_ssh_done(void *arg, struct sshc_result *res)
{
	struct check_item *it = arg;

	if (res->failure == SSH_FAIL_NONE) {
		it->shell_ok = true;
		it->shell_firmware = check_shell_firmware(res->out);
		it->login_kind = credential_kind_name(it->login_cred->kind);
		it->login_cred_id = it->login_cred->id;
		return;
	}
	it->ssh_fail = res->failure;
	free(it->ssh_cause);
	it->ssh_cause = xasprintf("login %s: %s", it->login_cred->name,
	    res->cause != NULL ? res->cause : "failed");
	if (res->failure == SSH_FAIL_AUTH)
		check_ssh_next(it);
}

static void
check_snmp_done(struct snmp_identify_result *res, void *arg)
{
	struct check_item *it = arg;

	it->snmp_done = true;
	(void)res;
}

/* Start the SNMP identification and the first login of IT. */
static void
check_start(struct check_batch *b, struct check_item *it)
{
	struct snmp_identify_target target = { 0 };
	char *cause = NULL;

	target.host = it->t->address;
	target.port = it->t->port;
	target.keys = it->keys;
	target.nkeys = it->nkeys;
	target.timeout_ms = b->timeout_ms;
	target.retries = b->retries;
	if (it->nkeys == 0 || snmp_identify_submit(b->snmp, &target, &it->snmp,
	    check_snmp_done, it, &cause) != 0) {
		it->snmp.fail = SNMP_FAIL_LOCAL;
		it->snmp.cause = cause != NULL ? cause :
		    xstrdup("no usable SNMP credential");
		it->snmp_done = true;
	}
	if (it->nlogins > 0)
		check_ssh_next(it);
}

/* Drive both pools until every request of the batch ended. */
static void
check_drive(struct check_batch *b)
{
	job_io_drive(b->snmp, b->ssh, CHECK_STEP_MS, "check");
}

static void
check_https(struct check_batch *b, struct check_item *it)
{
	struct tls_chain *chain = NULL;
	char *cause = NULL;

	if (tls_fetch_chain(it->t->address, it->https_port, b->timeout_ms,
	    &chain, &cause) == 0) {
		it->https = true;
		tls_chain_free(&chain);
	} else
		free(cause);
}

/* Load the ssh/https ports of every target. */
static void
check_ports(struct check_batch *b, struct check_item *items, size_t n)
{
	struct printer_set *set = NULL;
	char *cause = NULL;
	size_t i, j;

	for (i = 0; i < n; i++) {
		items[i].ssh_port = SSH_PORT_DEFAULT;
		items[i].https_port = 443;
		if (items[i].t->printer_id == 0 || printer_load_ids(b->st,
		    &items[i].t->printer_id, 1, &set, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		for (j = 0; j < set->n; j++) {
			if (set->v[j].ssh_port != 0)
				items[i].ssh_port = set->v[j].ssh_port;
			if (set->v[j].https_port != 0)
				items[i].https_port = set->v[j].https_port;
		}
		printer_set_free(&set);
	}
}

static void
check_item_clear(struct check_item *it)
{
	size_t i;

	for (i = 0; i < it->nkeys; i++)
		snmp_key_free(&it->keys[i]);
	free(it->keys);
	free(it->key_creds);
	credential_set_free(&it->creds);
	snmp_identify_result_clear(&it->snmp);
	free(it->ssh_cause);
	free(it->shell_firmware);
	free(it->notes);
}

static void
check_batch_run(struct check_batch *b, struct check_item *items, size_t n)
{
	char *cause = NULL;
	size_t i;
	bool own;

	check_ports(b, items, n);
	for (i = 0; i < n; i++) {
		items[i].batch = b;
		if (items[i].t->printer_id == 0 || items[i].t->address == NULL)
			continue;
		if (engine_run_cancelled(b->run, items[i].t))
			continue;
		check_credentials(b, &items[i]);
		items[i].started = true;
		check_start(b, &items[i]);
	}
	check_drive(b);
	for (i = 0; i < n; i++) {
		if (items[i].started)
			check_https(b, &items[i]);
	}
	/* The whole batch's findings and outcomes in one commit. */
	own = store_begin(b->st, &cause) == 0;
	if (!own) {
		log_warn("check: %s", cause);
		free(cause);
	}
	for (i = 0; i < n; i++) {
		if (!items[i].started)
			engine_run_finish(b->run, items[i].t, false, NULL,
			    items[i].t->printer_id == 0 ? "printer removed" :
			    "cancelled");
		else
			check_finish(b->run, b->st, b->cat, &items[i]);
		check_item_clear(&items[i]);
	}
	if (own && store_commit(b->st, &cause) != 0) {
		log_error("check: %s", cause);
		free(cause);
	}
}

/*
 * The catalog, for the categories; without it none is reachable. Loaded
 * once per process and shared read-only by every batch (catalog.h allows
 * that), instead of once per batch of 32.
 */
static pthread_once_t check_catalog_once = PTHREAD_ONCE_INIT;
static struct catalog *check_catalog_shared;

static void
check_catalog_load(void)
{
	char *data = paths_data_dir(), *dir, *cause = NULL;

	dir = xasprintf("%s/catalog", data);
	if (catalog_load_dir(dir, &check_catalog_shared, &cause) != 0) {
		log_error("check: %s", cause);
		free(cause);
		check_catalog_shared = NULL;
	}
	free(dir);
	free(data);
}

static void
check_catalog(struct check_batch *b)
{
	pthread_once(&check_catalog_once, check_catalog_load);
	b->cat = check_catalog_shared;
}

static void
check_run(struct engine_run *run, const struct engine_target *targets,
    size_t n, void *arg)
{
	struct check_batch b = { 0 };
	struct check_item *items;
	size_t i;

	b.run = run;
	b.st = engine_run_store(run);
	check_parse_params(n > 0 ? targets[0].params : NULL, &b);
	check_catalog(&b);
	b.snmp = snmp_pool_new(0);
	b.ssh = sshc_pool_new(0);
	items = xcalloc(n == 0 ? 1 : n, sizeof *items);
	for (i = 0; i < n; i++)
		items[i].t = &targets[i];
	check_batch_run(&b, items, n);
	free(items);
	sshc_pool_free(&b.ssh);
	snmp_pool_free(&b.snmp);
	vault_free(&b.vault);
}

const struct engine_kind job_kind_check = {
	.name = JOB_KIND_CHECK,
	.run = check_run,
};
