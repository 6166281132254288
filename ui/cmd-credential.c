#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-auto.h"
#include "cmd-check.h"
#include "cmd.h"
#include "credential.h"
#include "format.h"
#include "secret.h"
#include "store.h"
#include "targets.h"
#include "vault.h"
#include "xmalloc.h"

/* The largest private key file --key-file reads. */
#define CMD_CREDENTIAL_KEY_MAX	(64 * 1024)

static int cmd_credential_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_credential_entry = {
	.name = "credential",
	.usage = N_("add NAME --kind KIND [--user U] [--domain D] [--id ID] "
	    "[--auth MD5|SHA|SHA-256] [--priv DES|AES] [--key-file F] "
	    "[--secret-file F] | list [--format F] | rm NAME [--force] "
	    "[--no-check] | test NAME TARGETS... | "
	    "group GROUP [C...|--none] [--no-check] | "
	    "passphrase [--remove] [--secret-file F] | help"),
	.summary = N_("add, list, test and remove credentials (secrets encrypted)"),
	.exec = cmd_credential_exec,
};

/* What each secret is called in a prompt or an error. */
static const char *const cmd_credential_labels[CREDENTIAL_NSECRETS] = {
	N_("Password"), N_("PIN"), N_("Read community"),
	N_("Write community"), N_("Auth passphrase"),
	N_("Priv passphrase"), N_("Private key"), N_("Key passphrase"),
};

static void
cmd_credential_help(FILE *fp)
{
	fprintf(fp, _("usage: quire credential %s\n"),
	    _(cmd_credential_entry.usage));
	fputs(_("\nKINDS: user (--user), domain (--domain --user), sysmgr "
	    "(--id, digits),\n"
	    "  password, snmp-community, snmp-usm (--user [--auth A "
	    "[--priv P]]),\n"
	    "  ssh-key (--key-file F: OpenSSH or PEM private key, "
	    "ed25519/ECDSA preferred).\n"
	    "\nSecrets never come from the command line. On a terminal quire "
	    "asks for them\n(echo off, twice); otherwise they are read from "
	    "--secret-file F (no group or\nother access) or stdin, one a "
	    "line, in this order:\n"
	    "  user, domain, password  the password\n"
	    "  sysmgr                  the PIN\n"
	    "  snmp-community          the read community, then the write "
	    "community (optional)\n"
	    "  snmp-usm                the auth passphrase (with --auth), "
	    "then the priv\n"
	    "                          passphrase (with --priv); 8 "
	    "characters at least\n"
	    "  ssh-key                 the key's passphrase, only when the key "
	    "is encrypted\n"
	    "\nA vault protected by a passphrase (credential passphrase) reads "
	    "it from the\nfile named by QUIRE_PASSPHRASE_FILE, or asks on a "
	    "terminal.\n"), fp);
}

static int
cmd_credential_ask(void *arg, char **pass, char **cause)
{
	(void)arg;
	return secret_prompt(_("Vault passphrase"), pass, cause);
}

static int
cmd_credential_vault(struct store *st, struct vault **v)
{
	struct vault_source src = { NULL, NULL, NULL };
	char *cause = NULL;

	if (isatty(STDIN_FILENO))
		src.ask = cmd_credential_ask;
	if (vault_open(st, &src, v, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* One option of "credential add" into C; -1 with *cause, or 1 unknown. */
static int
cmd_credential_option(int ch, struct credential *c, const char **keyfile,
    const char **secretfile, bool *kind, char **cause)
{
	char **field = NULL;

	switch (ch) {
	case 'a':
		return credential_auth_parse(optarg, &c->auth, cause);
	case 'k':
		*kind = true;
		return credential_kind_parse(optarg, &c->kind, cause);
	case 'p':
		return credential_priv_parse(optarg, &c->priv, cause);
	case 'K':
		*keyfile = optarg;
		return 0;
	case 's':
		*secretfile = optarg;
		return 0;
	case 'd':
		field = &c->domain;
		break;
	case 'i':
		field = &c->sysmgr_id;
		break;
	case 'u':
		field = &c->user;
		break;
	default:
		return 1;
	}
	free(*field);
	*field = xstrdup(optarg);
	return 0;
}

/* Options of "credential add" into C; CMD_OK or CMD_USAGE. */
static int
cmd_credential_options(int argc, char **argv, struct credential *c,
    const char **keyfile, const char **secretfile)
{
	static const struct option opts[] = {
		{ "auth", required_argument, NULL, 'a' },
		{ "domain", required_argument, NULL, 'd' },
		{ "id", required_argument, NULL, 'i' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "kind", required_argument, NULL, 'k' },
		{ "priv", required_argument, NULL, 'p' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	char *cause = NULL;
	bool kind = false;
	int ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1)
		rc = cmd_credential_option(ch, c, keyfile, secretfile, &kind,
		    &cause);
	if (rc == 1)
		return cmd_usage(&cmd_credential_entry);
	if (rc == 0 && !kind) {
		cause = xstrdup(_("credential add needs --kind (see quire "
		    "credential help)"));
		rc = -1;
	}
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_USAGE;
	}
	return CMD_OK;
}

/* The key file of an ssh-key, which only that kind takes. */
static int
cmd_credential_key(struct credential *c, const char *keyfile)
{
	char *buf, *cause = NULL;
	size_t len;

	if ((keyfile != NULL) != (c->kind == CREDENTIAL_KIND_SSH_KEY)) {
		cmd_error(keyfile != NULL ? _("--key-file applies only to kind "
		    "ssh-key") : _("kind ssh-key needs --key-file F"));
		return -1;
	}
	if (keyfile == NULL)
		return 0;
	if (vault_read_private_file(keyfile, CMD_CREDENTIAL_KEY_MAX, &buf,
	    &len, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	c->secret[CREDENTIAL_SECRET_PRIVATE_KEY] = xstrdup(buf);
	vault_wipe_free(buf, len + 1);
	return 0;
}

/* Read the secrets C needs from SRC, in the documented order. */
static int
cmd_credential_secrets(struct secret_source *src, struct credential *c,
    const char *file)
{
	enum credential_secret order[CREDENTIAL_NSECRETS];
	bool optional[CREDENTIAL_NSECRETS];
	char *label, *cause = NULL;
	size_t n, i;
	int rc = 0;

	n = credential_secret_order(c, order, optional);
	for (i = 0; rc == 0 && i < n; i++) {
		label = xasprintf(optional[i] ? _("%s for credential %s "
		    "(empty for none)") : _("%s for credential %s"),
		    _(cmd_credential_labels[order[i]]), c->name);
		rc = secret_next(src, label, secret_source_is_tty(src),
		    optional[i], &c->secret[order[i]], &cause);
		free(label);
	}
	if (rc == 0 && secret_source_has_more(src)) {
		cause = xasprintf(_("%s has more lines than kind %s takes (%zu; "
		    "see quire credential help)"), file,
		    credential_kind_name(c->kind), n);
		rc = -1;
	}
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
	}
	return rc;
}

static int
cmd_credential_store_add(struct cmd_ctx *ctx, struct credential *c,
    const char *secretfile)
{
	struct secret_source *src = NULL;
	struct store *st = NULL;
	struct vault *v = NULL;
	char *cause = NULL;
	int rc = CMD_FAILED;

	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (cmd_credential_vault(st, &v) != 0)
		goto out;
	if (secret_source_open(secretfile, &src, &cause) != 0 ||
	    cmd_credential_secrets(src, c, secretfile) != 0 ||
	    credential_validate(c, &cause) != 0) {
		rc = CMD_USAGE;
		goto out;
	}
	if (credential_add(st, v, c, &cause) == 0)
		rc = CMD_OK;
out:
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	secret_source_free(&src);
	vault_free(&v);
	store_free(&st);
	return rc;
}

static int
cmd_credential_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct credential c;
	const char *keyfile = NULL, *secretfile = NULL;
	char *cause = NULL;
	int rc;

	memset(&c, 0, sizeof c);
	if ((rc = cmd_credential_options(argc, argv, &c, &keyfile,
	    &secretfile)) != CMD_OK)
		goto out;
	rc = CMD_USAGE;
	if (argc - optind != 1) {
		/* Never echo the words: one of them may be a secret. */
		cmd_error(_("credential add takes one NAME, and secrets never "
		    "come from the command line (see quire credential help)"));
		goto out;
	}
	c.name = xstrdup(argv[optind]);
	if (credential_check_name(c.name, &cause) != 0 ||
	    credential_check_public(&c, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		goto out;
	}
	if (cmd_credential_key(&c, keyfile) != 0)
		goto out;
	rc = cmd_credential_store_add(ctx, &c, secretfile);
out:
	credential_wipe(&c);
	free(c.name);
	free(c.user);
	free(c.domain);
	free(c.sysmgr_id);
	free(c.key_type);
	free(c.fingerprint);
	return rc;
}

/* The kind-specific column: USM level, communities, SSH key. */
static char *
cmd_credential_detail(const struct credential *c)
{
	switch (c->kind) {
	case CREDENTIAL_KIND_SNMP_USM:
		return xstrdup(credential_usm_level(c));
	case CREDENTIAL_KIND_SNMP_COMMUNITY:
		return xstrdup(c->has_write ? "read+write" : "read");
	case CREDENTIAL_KIND_SSH_KEY:
		return xasprintf("%s %s", c->key_type ? c->key_type : "?",
		    c->fingerprint ? c->fingerprint : "");
	default:
		return NULL;
	}
}

static void
cmd_credential_print(const struct credential_set *set, enum format_kind kind)
{
	static const char *const cols[] = { "name", "kind", "user", "domain",
	    "id", "auth", "priv", "detail", "printers", "groups" };
	struct format *f = format_new(kind, cols, 10);
	const struct credential *c;
	char np[24], ng[24], *detail;
	const char *cells[10];
	size_t i;

	for (i = 0; i < set->n; i++) {
		c = &set->v[i];
		detail = cmd_credential_detail(c);
		snprintf(np, sizeof np, "%zu", c->nprinters);
		snprintf(ng, sizeof ng, "%zu", c->ngroups);
		cells[0] = c->name;
		cells[1] = credential_kind_name(c->kind);
		cells[2] = c->user;
		cells[3] = c->domain;
		cells[4] = c->sysmgr_id;
		cells[5] = credential_auth_name(c->auth);
		cells[6] = credential_priv_name(c->priv);
		cells[7] = detail;
		cells[8] = np;
		cells[9] = ng;
		format_row(f, cells);
		free(detail);
	}
	format_print(f, stdout);
	format_free(&f);
}

static int
cmd_credential_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum format_kind kind = FORMAT_TABLE;
	struct credential_set *set = NULL;
	struct store *st;
	char *cause = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (ch != 'f' || format_parse(optarg, &kind) != 0)
			return cmd_usage(&cmd_credential_entry);
	}
	if (optind != argc)
		return cmd_usage(&cmd_credential_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (credential_list(st, &set, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_free(&st);
		return CMD_FAILED;
	}
	cmd_credential_print(set, kind);
	credential_set_free(&set);
	store_free(&st);
	return CMD_OK;
}

static int
cmd_credential_rm(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "no-check", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct store *st;
	int64_t *ids = NULL;
	size_t nids = 0;
	char *cause = NULL;
	int ch, force = 0, check = 1, rc = CMD_OK;

	while ((ch = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (ch == 'f')
			force = 1;
		else if (ch == 'C')
			check = 0;
		else
			return cmd_usage(&cmd_credential_entry);
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_credential_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	/* The printers losing it, known before it goes: they need a check. */
	if ((check && force && check_credential_printers(st, argv[optind],
	    &ids, &nids, &cause) != 0) ||
	    credential_remove(st, argv[optind], force, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = CMD_FAILED;
	} else {
		printf(_("removed %s\n"), argv[optind]);
		rc = cmd_check_queue(st, ids, nids);
	}
	free(ids);
	store_free(&st);
	return rc;
}

/* Show GROUP's ordered list, one name a line. */
static int
cmd_credential_group_show(struct store *st, const char *group)
{
	struct credential_set *set = NULL;
	char *cause = NULL;
	size_t i;

	if (credential_group_list(st, group, &set, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_FAILED;
	}
	for (i = 0; i < set->n; i++)
		printf("%zu %s\n", i + 1, set->v[i].name);
	if (set->n == 0)
		printf(_("%s: no credentials (its printers use their own)\n"),
		    group);
	credential_set_free(&set);
	return CMD_OK;
}

/* Set GROUP's list to NAMES, then queue a check of its printers. */
static int
cmd_credential_group_set(struct store *st, const char *group,
    const char *const *names, size_t n, bool check)
{
	char *cause = NULL, *target;
	int64_t *ids = NULL;
	size_t nids = 0;
	int rc = CMD_OK;

	target = xasprintf("group:%s", group);
	if (credential_set_group(st, group, names, n, &cause) != 0 ||
	    (check && targets_resolve(st, &target, 1, &ids, &nids,
	    &cause) != 0)) {
		cmd_error("%s", cause);
		free(cause);
		rc = CMD_FAILED;
	} else {
		printf(_("group %s: %zu credential(s)\n"), group, n);
		if (check)
			rc = cmd_check_queue(st, ids, nids);
	}
	free(target);
	free(ids);
	return rc;
}

/*
 * `credential group GROUP [C...|--none]`: show or replace the ordered list
 * the group's printers try after their own.
 */
static int
cmd_credential_group(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "none", no_argument, NULL, 'N' },
		{ "no-check", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct store *st;
	bool none = false, check = true;
	int ch, n, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'N')
			none = true;
		else if (ch == 'C')
			check = false;
		else
			return cmd_usage(&cmd_credential_entry);
	}
	n = argc - optind - 1;
	if (n < 0 || (none && n > 0))
		return cmd_usage(&cmd_credential_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (n == 0 && !none)
		rc = cmd_credential_group_show(st, argv[optind]);
	else
		rc = cmd_credential_group_set(st, argv[optind],
		    (const char *const *)argv + optind + 1, (size_t)n, check);
	store_free(&st);
	return rc;
}

/* `credential test NAME TARGETS`: a check trying only NAME, waited for. */
static int
cmd_credential_test(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct credential *c = NULL;
	struct store *st;
	int64_t *ids = NULL, job;
	size_t nids;
	char *cause = NULL, *params = NULL;
	int rc = CMD_FAILED;

	if (argc < 3)
		return cmd_usage(&cmd_credential_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (credential_find(st, argv[1], &c, &cause) != 0 ||
	    targets_resolve(st, argv + 2, argc - 2, &ids, &nids,
	    &cause) != 0)
		goto out;
	params = xasprintf("only=%lld", (long long)c->id);
	if (check_queue(st, ids, nids, params, store_whoami(), &job,
	    &cause) == 0)
		rc = cmd_wait_job(ctx, st, job);
out:
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	credential_free(&c);
	free(params);
	free(ids);
	store_free(&st);
	return rc;
}

/* The new passphrase: prompt (twice), --secret-file or stdin. */
static int
cmd_credential_new_pass(const char *file, char **pass)
{
	struct secret_source *src = NULL;
	char *cause = NULL;
	int rc;

	rc = secret_source_open(file, &src, &cause) == 0 && secret_next(src,
	    _("New vault passphrase"), secret_source_is_tty(src), false, pass,
	    &cause) == 0 ? 0 : -1;
	secret_source_free(&src);
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
	}
	return rc;
}

static int
cmd_credential_rekey(struct store *st, bool remove, const char *file)
{
	struct vault_source src = { NULL, NULL, NULL };
	struct vault *v = NULL;
	char *pass = NULL, *cause = NULL;
	int rc = CMD_FAILED;
	bool had;

	if (cmd_credential_vault(st, &v) != 0)
		return CMD_FAILED;
	had = vault_get_mode(v) == VAULT_PASSPHRASE;
	if (remove && !had) {
		cmd_error(_("the vault has no passphrase to remove"));
		rc = CMD_USAGE;
	} else if (!remove && cmd_credential_new_pass(file, &pass) != 0)
		rc = CMD_USAGE;
	else if (vault_change(st, &v, pass, &src, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
	} else {
		printf("%s\n", remove ? _("vault passphrase removed: the key "
		    "file protects the credentials") : had ?
		    _("vault passphrase changed") : _("vault passphrase set"));
		rc = CMD_OK;
	}
	vault_wipe_str(pass);
	vault_free(&v);
	return rc;
}

static int
cmd_credential_passphrase(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "remove", no_argument, NULL, 'r' },
		{ "secret-file", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct store *st;
	const char *file = NULL;
	int ch, remove = 0, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r')
			remove = 1;
		else if (ch == 's')
			file = optarg;
		else
			return cmd_usage(&cmd_credential_entry);
	}
	if (optind != argc || (remove && file != NULL))
		return cmd_usage(&cmd_credential_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	rc = cmd_credential_rekey(st, remove, file);
	store_free(&st);
	return rc;
}

static int
cmd_credential_help_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	cmd_credential_help(stdout);
	return CMD_OK;
}

static int
cmd_credential_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct cmd_ctx *, int, char **);
	} subs[] = {
		{ "add", cmd_credential_add },
		{ "help", cmd_credential_help_cmd },
		{ "list", cmd_credential_list },
		{ "group", cmd_credential_group },
		{ "ls", cmd_credential_list },
		{ "passphrase", cmd_credential_passphrase },
		{ "rm", cmd_credential_rm },
		{ "test", cmd_credential_test },
	};
	size_t i;
	int rc, saved = opterr;

	if (argc < 2)
		return cmd_usage(&cmd_credential_entry);
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		if (argc > 2 && strcmp(argv[2], "--help") == 0) {
			cmd_credential_help(stdout);
			return CMD_OK;
		}
		/* getopt would echo an unknown "--password=..." word. */
		opterr = 0;
		optind = 0;	/* GNU getopt: 0 re-initialises for a new argv */
		rc = subs[i].fn(ctx, argc - 1, argv + 1);
		opterr = saved;
		return rc;
	}
	cmd_error(_("unknown credential command: %s"), argv[1]);
	return cmd_usage(&cmd_credential_entry);
}
