/* Credentials: each kind's checks, sealing, ordered lists and removal. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "credential.h"
#include "printer.h"
#include "testutil.h"
#include "vault.h"
#include "xmalloc.h"

/* Throwaway keys made for this test with ssh-keygen (fingerprints too). */
static const char test_key_openssh[] =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACDcuvBhnlC9jOSc6PCUWzR8Hy2ABUL7IheQAPgjwZ2tVgAAAIg6HwbPOh8G\n"
    "zwAAAAtzc2gtZWQyNTUxOQAAACDcuvBhnlC9jOSc6PCUWzR8Hy2ABUL7IheQAPgjwZ2tVg\n"
    "AAAEACwpAl86mdrLoVELltZWwsgyiyG1pEqvLirEqBwFomi9y68GGeUL2M5Jzo8JRbNHwf\n"
    "LYAFQvsiF5AA+CPBna1WAAAAAAECAwQF\n"
    "-----END OPENSSH PRIVATE KEY-----\n";
#define TEST_FP_OPENSSH "SHA256:fHFUaNCJirGr9E0CHZWtR5ebyR3fGqKDeDth1eBipcQ"
/* Passphrase "keypass1". */
static const char test_key_openssh_enc[] =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABB5N90a/t\n"
    "mGhpOakX6+aiU+AAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIJ7C6s5Z0KqClw/e\n"
    "bopJeffMEYHyvue8oHc9sHc++ZHgAAAAkCAAxDacccV8MUsa0VgB8uScA8UJRPUSKt/3+m\n"
    "vW6I6qsFieyh8/2kMvVvustfmsxmGVSRoj2RR7l8AUqapzNPLS8bKgaxfwQVNT0iIbWeIH\n"
    "7ozFmVCBnW2OUYAZgpvlXMpDXJ5KyNCLHT3Y2fVlVeb+CF9B3PLDVaBo+GDTzhLnMkHBiy\n"
    "JZw7PUNT9bJVEBAQ==\n"
    "-----END OPENSSH PRIVATE KEY-----\n";
#define TEST_FP_OPENSSH_ENC "SHA256:g/gQ7b/ip8Vf74FYBspYKZbw43JPlEiGsggAgN+0c/Y"
static const char test_key_pem[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIP6GZaNIiwSz7DZbyl79i+J7AkA4lvf0KwiYPDYBl1KQoAoGCCqGSM49\n"
    "AwEHoUQDQgAE09TzDOEUdfA8eORRPbu5v6aMMnjfb1iqxIkMZLiD6GCfpPG/MccZ\n"
    "vp3TPy+r7glG4n2Nh874QHib9MeAnfsZvw==\n"
    "-----END EC PRIVATE KEY-----\n";
#define TEST_FP_PEM "SHA256:9cPMgrhxX4jRef5Uvk/4oOXN9OvN+OxcSDgBDZIFG38"
/* Passphrase "pempass1". */
static const char test_key_pem_enc[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "Proc-Type: 4,ENCRYPTED\n"
    "DEK-Info: AES-128-CBC,02EEE7048491EE1A2FFB86DC8870BB7B\n"
    "\n"
    "YPIPwICg/3+528FoIsETVouhB7I6wRkZ3AMqnuXtZ42+AN3OMx+Gh3cIUNOoY6zo\n"
    "U7GvueNAPCJES5Upumu4EV/HnJHLT6D6CBFxgoFYKC/CJSraqAV0egpanVDXZC8Q\n"
    "TmjcLUOY3On6sw3I95psIzUqnJkmXMOW22kderMjSuY=\n"
    "-----END EC PRIVATE KEY-----\n";
#define TEST_FP_PEM_ENC "SHA256:6DdzFVf4dDFGWirKYLYyWcqp7pd8nrMMfP2V0RDiXqs"

struct fixture {
	char		*dir;
	struct store	*st;
	struct vault	*v;
};

static int
test_credential_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct vault_source src = { NULL, NULL, NULL };
	char *cause = NULL, *key;

	fx->dir = testutil_tmpdir();
	fx->st = testutil_store(fx->dir, "q.db");
	key = xasprintf("%s/vault.key", fx->dir);
	src.key_path = key;
	if (vault_open(fx->st, &src, &fx->v, &cause) != 0)
		fail_msg("vault_open: %s", cause);
	free(key);
	*state = fx;
	return 0;
}

static int
test_credential_teardown(void **state)
{
	struct fixture *fx = *state;

	vault_free(&fx->v);
	store_free(&fx->st);
	testutil_rmrf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* A credential from a compact description: public fields, then secrets. */
static struct credential *
test_mk(const char *name, enum credential_kind kind, const char *user,
    const char *domain, const char *id, enum credential_auth auth,
    enum credential_priv priv)
{
	struct credential *c = xcalloc(1, sizeof *c);

	c->name = xstrdup(name);
	c->kind = kind;
	c->user = user ? xstrdup(user) : NULL;
	c->domain = domain ? xstrdup(domain) : NULL;
	c->sysmgr_id = id ? xstrdup(id) : NULL;
	c->auth = auth;
	c->priv = priv;
	return c;
}

static void
test_secret(struct credential *c, enum credential_secret s, const char *v)
{
	free(c->secret[s]);
	c->secret[s] = v ? xstrdup(v) : NULL;
}

/* Validate C: WANT NULL means it must pass, else the cause contains it. */
static void
test_expect(struct credential *c, const char *want)
{
	char *cause = NULL;
	int rc = credential_validate(c, &cause);

	if (want == NULL && rc != 0)
		fail_msg("%s: unexpected '%s'", c->name, cause);
	if (want != NULL && rc == 0)
		fail_msg("%s: passed, wanted '%s'", c->name, want);
	if (want != NULL && strstr(cause, want) == NULL)
		fail_msg("%s: cause '%s' lacks '%s'", c->name, cause, want);
	free(cause);
}

static void
test_credential_parse(void **state)
{
	enum credential_kind kind;
	enum credential_auth auth;
	enum credential_priv priv;
	char *cause = NULL;

	assert_int_equal(credential_kind_parse("snmp-usm", &kind, &cause), 0);
	assert_int_equal(kind, CREDENTIAL_KIND_SNMP_USM);
	assert_string_equal(credential_kind_name(CREDENTIAL_KIND_SSH_KEY),
	    "ssh-key");
	assert_int_equal(credential_kind_parse("kerberos", &kind, &cause), -1);
	assert_non_null(strstr(cause, "unknown credential kind 'kerberos'"));
	free(cause);
	assert_int_equal(credential_auth_parse("sha-256", &auth, &cause), 0);
	assert_int_equal(auth, CREDENTIAL_AUTH_SHA256);
	assert_string_equal(credential_auth_name(auth), "SHA-256");
	assert_int_equal(credential_auth_parse("SHA-512", &auth, &cause), -1);
	free(cause);
	assert_int_equal(credential_priv_parse("aes", &priv, &cause), 0);
	assert_int_equal(priv, CREDENTIAL_PRIV_AES);
	assert_int_equal(credential_priv_parse("3DES", &priv, &cause), -1);
	free(cause);
	assert_int_equal(credential_check_name("lab.admin_1", &cause), 0);
	assert_int_equal(credential_check_name("a b", &cause), -1);
	free(cause);
	assert_int_equal(credential_check_name("-x", &cause), -1);
	free(cause);
}

static void
test_credential_logins(void **state)
{
	struct credential *c;

	c = test_mk("u", CREDENTIAL_KIND_USER, NULL, NULL, NULL, 0, 0);
	test_secret(c, CREDENTIAL_SECRET_PASSWORD, "pw");
	test_expect(c, "kind user needs --user");
	c->user = xstrdup("alice");
	test_expect(c, NULL);
	c->domain = xstrdup("CORP");
	test_expect(c, "--domain does not apply to kind user");
	c->kind = CREDENTIAL_KIND_DOMAIN;
	test_expect(c, NULL);
	free(c->user);
	c->user = xstrdup("CORP\\alice");
	test_expect(c, "--user must be valid UTF-8 without control");
	free(c->user);
	c->user = xstrdup("alice");
	test_secret(c, CREDENTIAL_SECRET_PASSWORD, NULL);
	test_expect(c, "kind domain needs the password");
	test_secret(c, CREDENTIAL_SECRET_PASSWORD, "two\nlines");
	test_expect(c, "must be one line");
	test_secret(c, CREDENTIAL_SECRET_PASSWORD, "");
	test_expect(c, "must be one line of 1 to");
	credential_free(&c);

	c = test_mk("s", CREDENTIAL_KIND_SYSMGR, NULL, NULL, "12a", 0, 0);
	test_secret(c, CREDENTIAL_SECRET_PIN, "1234");
	test_expect(c, "--id must be digits only (got '12a')");
	free(c->sysmgr_id);
	c->sysmgr_id = NULL;
	test_expect(c, "kind sysmgr needs --id");
	c->sysmgr_id = xstrdup("0042");
	test_expect(c, NULL);
	test_secret(c, CREDENTIAL_SECRET_PASSWORD, "pw");
	test_expect(c, "kind sysmgr takes no password");
	credential_free(&c);

	c = test_mk("p", CREDENTIAL_KIND_PASSWORD, "bob", NULL, NULL, 0, 0);
	test_secret(c, CREDENTIAL_SECRET_PASSWORD, "pw");
	test_expect(c, "--user does not apply to kind password");
	free(c->user);
	c->user = NULL;
	test_expect(c, NULL);
	c->auth = CREDENTIAL_AUTH_SHA;
	test_expect(c, "--auth applies only to kind snmp-usm");
	credential_free(&c);
}

static void
test_credential_snmp(void **state)
{
	struct credential *c;

	c = test_mk("c", CREDENTIAL_KIND_SNMP_COMMUNITY, NULL, NULL, NULL, 0, 0);
	test_expect(c, "kind snmp-community needs the read community");
	test_secret(c, CREDENTIAL_SECRET_READ_COMMUNITY, "");
	test_expect(c, "read community must be one line of 1 to");
	test_secret(c, CREDENTIAL_SECRET_READ_COMMUNITY, "public");
	test_expect(c, NULL);
	assert_false(c->has_write);
	test_secret(c, CREDENTIAL_SECRET_WRITE_COMMUNITY, "private");
	test_expect(c, NULL);
	assert_true(c->has_write);
	credential_free(&c);

	c = test_mk("v", CREDENTIAL_KIND_SNMP_USM, NULL, NULL, NULL, 0, 0);
	test_expect(c, "kind snmp-usm needs --user");
	c->user = xstrdup("123456789012345678901234567890123");
	test_expect(c, "--user must have 1 to 32 characters");
	free(c->user);
	c->user = xstrdup("ops");
	test_expect(c, NULL);
	assert_string_equal(credential_usm_level(c), "noAuthNoPriv");
	c->priv = CREDENTIAL_PRIV_AES;
	test_expect(c, "--priv needs --auth");
	c->priv = CREDENTIAL_PRIV_NONE;
	c->auth = CREDENTIAL_AUTH_SHA256;
	test_expect(c, "kind snmp-usm needs the auth passphrase");
	test_secret(c, CREDENTIAL_SECRET_AUTH_PASS, "1234567");
	test_expect(c, "auth passphrase must have at least 8 characters "
	    "(RFC 3414)");
	test_secret(c, CREDENTIAL_SECRET_AUTH_PASS, "12345678");
	test_expect(c, NULL);
	assert_string_equal(credential_usm_level(c), "authNoPriv");
	test_secret(c, CREDENTIAL_SECRET_PRIV_PASS, "privpass1");
	test_expect(c, "takes no priv passphrase");
	c->priv = CREDENTIAL_PRIV_DES;
	test_expect(c, NULL);
	assert_string_equal(credential_usm_level(c), "authPriv");
	test_secret(c, CREDENTIAL_SECRET_PRIV_PASS, "short");
	test_expect(c, "priv passphrase must have at least 8");
	credential_free(&c);
}

static void
test_credential_ssh(void **state)
{
	struct credential *c;

	c = test_mk("k", CREDENTIAL_KIND_SSH_KEY, NULL, NULL, NULL, 0, 0);
	test_expect(c, "kind ssh-key needs a private key");
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, "-----BEGIN PRIVATE "
	    "KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
	test_expect(c, "cannot read the private key");
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, test_key_openssh);
	test_expect(c, NULL);
	assert_string_equal(c->key_type, "ssh-ed25519");
	assert_string_equal(c->fingerprint, TEST_FP_OPENSSH);
	test_secret(c, CREDENTIAL_SECRET_KEY_PASS, "keypass1");
	test_expect(c, "not encrypted: it takes no passphrase");
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, test_key_openssh_enc);
	test_expect(c, NULL);
	assert_string_equal(c->fingerprint, TEST_FP_OPENSSH_ENC);
	test_secret(c, CREDENTIAL_SECRET_KEY_PASS, NULL);
	test_expect(c, "encrypted: its passphrase is needed");
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, test_key_pem);
	test_expect(c, NULL);
	assert_string_equal(c->key_type, "ecdsa-sha2-nistp256");
	assert_string_equal(c->fingerprint, TEST_FP_PEM);
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, test_key_pem_enc);
	test_expect(c, "encrypted: its passphrase is needed");
	test_secret(c, CREDENTIAL_SECRET_KEY_PASS, "wrongpass");
	test_expect(c, "wrong passphrase");
	test_secret(c, CREDENTIAL_SECRET_KEY_PASS, "pempass1");
	test_expect(c, NULL);
	assert_string_equal(c->fingerprint, TEST_FP_PEM_ENC);
	/* A damaged OpenSSH container is refused. */
	test_secret(c, CREDENTIAL_SECRET_KEY_PASS, NULL);
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, "-----BEGIN OPENSSH "
	    "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5v\n-----END "
	    "OPENSSH PRIVATE KEY-----\n");
	test_expect(c, "malformed");
	credential_free(&c);
}

/* The order secrets are read in, per kind (documented in --help). */
static void
test_credential_order(void **state)
{
	enum credential_secret o[CREDENTIAL_NSECRETS];
	bool opt[CREDENTIAL_NSECRETS];
	struct credential *c;

	c = test_mk("c", CREDENTIAL_KIND_SNMP_COMMUNITY, NULL, NULL, NULL, 0, 0);
	assert_int_equal(credential_secret_order(c, o, opt), 2);
	assert_int_equal(o[0], CREDENTIAL_SECRET_READ_COMMUNITY);
	assert_false(opt[0]);
	assert_int_equal(o[1], CREDENTIAL_SECRET_WRITE_COMMUNITY);
	assert_true(opt[1]);
	c->kind = CREDENTIAL_KIND_SNMP_USM;
	assert_int_equal(credential_secret_order(c, o, opt), 0);
	c->auth = CREDENTIAL_AUTH_MD5;
	c->priv = CREDENTIAL_PRIV_DES;
	assert_int_equal(credential_secret_order(c, o, opt), 2);
	assert_int_equal(o[0], CREDENTIAL_SECRET_AUTH_PASS);
	assert_int_equal(o[1], CREDENTIAL_SECRET_PRIV_PASS);
	c->kind = CREDENTIAL_KIND_SYSMGR;
	assert_int_equal(credential_secret_order(c, o, opt), 1);
	assert_int_equal(o[0], CREDENTIAL_SECRET_PIN);
	c->kind = CREDENTIAL_KIND_SSH_KEY;
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, test_key_openssh);
	assert_int_equal(credential_secret_order(c, o, opt), 0);
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, test_key_pem_enc);
	assert_int_equal(credential_secret_order(c, o, opt), 1);
	assert_int_equal(o[0], CREDENTIAL_SECRET_KEY_PASS);
	credential_free(&c);
}

static void
test_add(struct fixture *fx, struct credential *c)
{
	char *cause = NULL;

	if (credential_add(fx->st, fx->v, c, &cause) != 0)
		fail_msg("credential_add %s: %s", c->name, cause);
	assert_true(c->id > 0);
}

/* The audit trail and the raw rows must hold no secret. */
static void
test_no_secret_in_store(struct fixture *fx, const char *secret)
{
	sqlite3_stmt *stmt;
	int rc;

	assert_int_equal(sqlite3_prepare_v2(store_db(fx->st), "SELECT "
	    "coalesce(detail, '') || coalesce(printers, '') FROM audit UNION ALL "
	    "SELECT name || kind || coalesce(attrs, '') || ciphertext FROM "
	    "credentials UNION ALL SELECT value FROM config", -1, &stmt, NULL),
	    SQLITE_OK);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (memmem(sqlite3_column_blob(stmt, 0),
		    (size_t)sqlite3_column_bytes(stmt, 0), secret,
		    strlen(secret)) != NULL)
			fail_msg("secret '%s' found in the store", secret);
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(stmt);
}

static void
test_credential_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct credential *a, *b, *c, *d, *got = NULL;
	char *cause = NULL;

	a = test_mk("office", CREDENTIAL_KIND_DOMAIN, "alice", "CORP", NULL, 0,
	    0);
	test_secret(a, CREDENTIAL_SECRET_PASSWORD, "D0main-Pa55");
	b = test_mk("v3", CREDENTIAL_KIND_SNMP_USM, "ops", NULL, NULL,
	    CREDENTIAL_AUTH_SHA256, CREDENTIAL_PRIV_AES);
	test_secret(b, CREDENTIAL_SECRET_AUTH_PASS, "auth-Pa55phrase");
	test_secret(b, CREDENTIAL_SECRET_PRIV_PASS, "priv-Pa55phrase");
	c = test_mk("key", CREDENTIAL_KIND_SSH_KEY, "admin", NULL, NULL, 0, 0);
	test_secret(c, CREDENTIAL_SECRET_PRIVATE_KEY, test_key_openssh_enc);
	test_secret(c, CREDENTIAL_SECRET_KEY_PASS, "keypass1");
	d = test_mk("comm", CREDENTIAL_KIND_SNMP_COMMUNITY, NULL, NULL, NULL, 0,
	    0);
	test_secret(d, CREDENTIAL_SECRET_READ_COMMUNITY, "r3ad-c0mm");
	test_add(fx, a);
	test_add(fx, b);
	test_add(fx, c);
	test_add(fx, d);
	assert_int_equal(credential_add(fx->st, fx->v, a, &cause), -1);
	assert_string_equal(cause, "a credential named 'office' already "
	    "exists");
	free(cause);

	assert_int_equal(credential_load(fx->st, fx->v, b->id, &got, &cause), 0);
	assert_string_equal(got->name, "v3");
	assert_int_equal(got->kind, CREDENTIAL_KIND_SNMP_USM);
	assert_string_equal(got->user, "ops");
	assert_int_equal(got->auth, CREDENTIAL_AUTH_SHA256);
	assert_int_equal(got->priv, CREDENTIAL_PRIV_AES);
	assert_string_equal(got->secret[CREDENTIAL_SECRET_AUTH_PASS],
	    "auth-Pa55phrase");
	assert_string_equal(got->secret[CREDENTIAL_SECRET_PRIV_PASS],
	    "priv-Pa55phrase");
	assert_null(got->secret[CREDENTIAL_SECRET_PASSWORD]);
	credential_wipe(got);
	assert_null(got->secret[CREDENTIAL_SECRET_AUTH_PASS]);
	credential_free(&got);

	assert_int_equal(credential_load(fx->st, fx->v, c->id, &got, &cause), 0);
	assert_string_equal(got->secret[CREDENTIAL_SECRET_PRIVATE_KEY],
	    test_key_openssh_enc);
	assert_string_equal(got->secret[CREDENTIAL_SECRET_KEY_PASS], "keypass1");
	assert_string_equal(got->key_type, "ssh-ed25519");
	assert_string_equal(got->fingerprint, TEST_FP_OPENSSH_ENC);
	credential_free(&got);

	assert_int_equal(credential_find(fx->st, "office", &got, &cause), 0);
	assert_string_equal(got->domain, "CORP");
	assert_null(got->secret[CREDENTIAL_SECRET_PASSWORD]);
	assert_int_equal(credential_unseal(fx->st, fx->v, got, &cause), 0);
	assert_string_equal(got->secret[CREDENTIAL_SECRET_PASSWORD],
	    "D0main-Pa55");
	credential_free(&got);
	assert_int_equal(credential_find(fx->st, "nope", &got, &cause), -1);
	assert_string_equal(cause, "no credential named 'nope'");
	free(cause);

	/* A blob moved to another row does not open there. */
	assert_int_equal(store_exec(fx->st, "UPDATE credentials SET (nonce, "
	    "ciphertext) = (SELECT nonce, ciphertext FROM credentials WHERE "
	    "name = 'office') WHERE name = 'comm'", &cause), 0);
	assert_int_equal(credential_load(fx->st, fx->v, d->id, &got, &cause),
	    -1);
	assert_non_null(strstr(cause, "cannot open the secret of comm"));
	free(cause);

	test_no_secret_in_store(fx, "D0main-Pa55");
	test_no_secret_in_store(fx, "auth-Pa55phrase");
	test_no_secret_in_store(fx, "priv-Pa55phrase");
	test_no_secret_in_store(fx, "keypass1");
	test_no_secret_in_store(fx, "r3ad-c0mm");
	test_no_secret_in_store(fx, "AAAAC3NzaC1lZDI1NTE5AAAAIJ7C6s5Z0KqClw");
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM audit "
	    "WHERE action = 'credential add'"), 4);
	credential_free(&a);
	credential_free(&b);
	credential_free(&c);
	credential_free(&d);
}

/* Add password credentials NAMES... (NULL-terminated). */
static void
test_add_many(struct fixture *fx, ...)
{
	struct credential *c;
	const char *name;
	va_list ap;

	va_start(ap, fx);
	while ((name = va_arg(ap, const char *)) != NULL) {
		c = test_mk(name, CREDENTIAL_KIND_PASSWORD, NULL, NULL, NULL, 0,
		    0);
		test_secret(c, CREDENTIAL_SECRET_PASSWORD, "pw");
		test_add(fx, c);
		credential_free(&c);
	}
	va_end(ap);
}

/* The names of SET joined by ',' must be WANT. */
static void
test_names(struct credential_set *set, const char *want)
{
	char buf[256] = "";
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (i > 0)
			strcat(buf, ",");
		strcat(buf, set->v[i].name);
	}
	assert_string_equal(buf, want);
}

static void
test_resolve(struct fixture *fx, int64_t printer, const char *want)
{
	struct credential_set *set = NULL;
	char *cause = NULL;

	if (credential_resolve(fx->st, printer, &set, &cause) != 0)
		fail_msg("credential_resolve: %s", cause);
	test_names(set, want);
	credential_set_free(&set);
}

static void
test_credential_lists(void **state)
{
	struct fixture *fx = *state;
	static const char *const p1[] = { "c", "a" }, *const g[] = { "b", "a",
	    "d" }, *const one[] = { "d" }, *const bad[] = { "a", "zz" },
	    *const twice[] = { "a", "b", "a" };
	struct credential_set *set = NULL;
	int64_t id1, id2, id3;
	char *cause = NULL;

	test_add_many(fx, "a", "b", "c", "d", NULL);
	assert_int_equal(printer_add(fx->st, "p1", "127.0.0.1", 161, "lab",
	    &id1, &cause), 0);
	assert_int_equal(printer_add(fx->st, "p2", "127.0.0.1", 162, "lab",
	    &id2, &cause), 0);
	assert_int_equal(printer_add(fx->st, "p3", "127.0.0.1", 163, NULL,
	    &id3, &cause), 0);
	assert_int_equal(credential_set_printer(fx->st, id1, p1, 2, &cause), 0);
	assert_int_equal(credential_set_group(fx->st, "lab", g, 3, &cause), 0);
	/* Its own list first, then its group's, each credential once. */
	test_resolve(fx, id1, "c,a,b,d");
	test_resolve(fx, id2, "b,a,d");
	test_resolve(fx, id3, "");
	assert_int_equal(credential_printer_list(fx->st, id1, &set, &cause), 0);
	test_names(set, "c,a");
	credential_set_free(&set);
	assert_int_equal(credential_group_list(fx->st, "lab", &set, &cause), 0);
	test_names(set, "b,a,d");
	credential_set_free(&set);
	/* Replacing is whole; a failed replace changes nothing. */
	assert_int_equal(credential_set_printer(fx->st, id1, one, 1, &cause), 0);
	test_resolve(fx, id1, "d,b,a");
	assert_int_equal(credential_set_printer(fx->st, id1, bad, 2, &cause),
	    -1);
	assert_string_equal(cause, "no credential named 'zz'");
	free(cause);
	assert_int_equal(credential_set_printer(fx->st, id1, twice, 3, &cause),
	    -1);
	assert_string_equal(cause, "credential a is listed twice");
	free(cause);
	test_resolve(fx, id1, "d,b,a");
	assert_int_equal(credential_set_group(fx->st, "nogroup", one, 1,
	    &cause), -1);
	assert_string_equal(cause, "no group named 'nogroup'");
	free(cause);
	assert_int_equal(credential_set_printer(fx->st, 999, one, 1, &cause),
	    -1);
	assert_string_equal(cause, "no printer with id 999");
	free(cause);
	/* The usage counts in the listing. */
	assert_int_equal(credential_list(fx->st, &set, &cause), 0);
	test_names(set, "a,b,c,d");
	assert_int_equal(set->v[0].nprinters, 0);
	assert_int_equal(set->v[0].ngroups, 1);
	assert_int_equal(set->v[3].nprinters, 1);
	assert_int_equal(set->v[2].nprinters + set->v[2].ngroups, 0);
	credential_set_free(&set);
	/* An empty list clears. */
	assert_int_equal(credential_set_printer(fx->st, id1, NULL, 0, &cause),
	    0);
	test_resolve(fx, id1, "b,a,d");
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM audit "
	    "WHERE action = 'credential set'"), 4);
}

static void
test_credential_remove(void **state)
{
	struct fixture *fx = *state;
	static const char *const l1[] = { "b", "a" }, *const lg[] = { "a" };
	int64_t id1, id2;
	char *cause = NULL;

	test_add_many(fx, "a", "b", "c", NULL);
	assert_int_equal(printer_add(fx->st, "p1", "127.0.0.1", 161, "lab",
	    &id1, &cause), 0);
	assert_int_equal(printer_add(fx->st, "p2", "127.0.0.1", 162, NULL,
	    &id2, &cause), 0);
	assert_int_equal(credential_set_printer(fx->st, id1, l1, 2, &cause), 0);
	assert_int_equal(credential_set_printer(fx->st, id2, lg, 1, &cause), 0);
	assert_int_equal(credential_set_group(fx->st, "lab", lg, 1, &cause), 0);
	assert_int_equal(credential_remove(fx->st, "a", false, &cause), -1);
	assert_string_equal(cause, "credential a is used by printer(s) p1, p2 "
	    "and group(s) lab: take it out of their lists first, or use "
	    "--force");
	free(cause);
	assert_int_equal(credential_remove(fx->st, "b", false, &cause), -1);
	assert_string_equal(cause, "credential b is used by printer(s) p1: "
	    "take it out of their lists first, or use --force");
	free(cause);
	test_resolve(fx, id1, "b,a");
	assert_int_equal(credential_remove(fx->st, "c", false, &cause), 0);
	assert_int_equal(credential_remove(fx->st, "c", false, &cause), -1);
	assert_string_equal(cause, "no credential named 'c'");
	free(cause);
	assert_int_equal(credential_remove(fx->st, "a", true, &cause), 0);
	test_resolve(fx, id1, "b");
	test_resolve(fx, id2, "");
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM "
	    "group_credentials"), 0);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM audit "
	    "WHERE action = 'credential rm' AND printers = 'p1' || char(10) || "
	    "'p2' AND detail LIKE 'a (forced; was used by printer(s) p1, p2 "
	    "and group(s) lab)'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_credential_parse),
		cmocka_unit_test(test_credential_logins),
		cmocka_unit_test(test_credential_snmp),
		cmocka_unit_test(test_credential_ssh),
		cmocka_unit_test(test_credential_order),
#define T(f) cmocka_unit_test_setup_teardown(f, test_credential_setup, \
	    test_credential_teardown)
		T(test_credential_round_trip),
		T(test_credential_lists),
		T(test_credential_remove),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
