/* The vault: AES-256-GCM sealing, the key file, passphrase mode, re-keying. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "credential.h"
#include "testutil.h"
#include "vault.h"
#include "xmalloc.h"

struct fixture {
	char		*dir;
	char		*key;		/* DIR/cfg/quire/vault.key */
	struct store	*st;
	struct vault_source src;
};

static int
test_vault_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);

	fx->dir = testutil_tmpdir();
	fx->key = xasprintf("%s/cfg/quire/vault.key", fx->dir);
	fx->st = testutil_store(fx->dir, "q.db");
	fx->src.key_path = fx->key;
	unsetenv("QUIRE_PASSPHRASE_FILE");
	*state = fx;
	return 0;
}

static int
test_vault_teardown(void **state)
{
	struct fixture *fx = *state;

	unsetenv("QUIRE_PASSPHRASE_FILE");
	store_free(&fx->st);
	testutil_rmrf(fx->dir);
	free(fx->key);
	free(fx->dir);
	free(fx);
	return 0;
}

static struct vault *
test_vault_open(struct fixture *fx)
{
	struct vault *v = NULL;
	char *cause = NULL;

	if (vault_open(fx->st, &fx->src, &v, &cause) != 0)
		fail_msg("vault_open: %s", cause);
	return v;
}

/* vault_open must fail with a cause containing WANT. */
static void
test_vault_open_fails(struct fixture *fx, const char *want)
{
	struct vault *v = NULL;
	char *cause = NULL;

	assert_int_equal(vault_open(fx->st, &fx->src, &v, &cause), -1);
	assert_null(v);
	if (strstr(cause, want) == NULL)
		fail_msg("cause '%s' lacks '%s'", cause, want);
	free(cause);
}

static char *
test_vault_file(struct fixture *fx, const char *name, const char *text,
    mode_t mode)
{
	char *path = xasprintf("%s/%s", fx->dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Add a password credential NAME with secret SECRET. */
static void
test_vault_add(struct fixture *fx, struct vault *v, const char *name,
    const char *secret)
{
	struct credential c;
	char *cause = NULL;

	memset(&c, 0, sizeof c);
	c.name = xstrdup(name);
	c.kind = CREDENTIAL_KIND_PASSWORD;
	c.secret[CREDENTIAL_SECRET_PASSWORD] = xstrdup(secret);
	if (credential_add(fx->st, v, &c, &cause) != 0)
		fail_msg("credential_add: %s", cause);
	credential_wipe(&c);
	free(c.name);
}

/* Credential NAME opens under V and holds SECRET. */
static void
test_vault_check(struct fixture *fx, struct vault *v, const char *name,
    const char *secret)
{
	struct credential *c = NULL, *found = NULL;
	char *cause = NULL;

	assert_int_equal(credential_find(fx->st, name, &found, &cause), 0);
	if (credential_load(fx->st, v, found->id, &c, &cause) != 0)
		fail_msg("credential_load %s: %s", name, cause);
	assert_string_equal(c->secret[CREDENTIAL_SECRET_PASSWORD], secret);
	credential_free(&c);
	credential_free(&found);
}

static void
test_vault_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct vault *v = test_vault_open(fx);
	unsigned char nonce[VAULT_NONCE_LEN], nonce2[VAULT_NONCE_LEN];
	unsigned char *ct, *ct2, *pt;
	size_t ctlen, ctlen2, ptlen;
	char *cause = NULL;

	assert_int_equal(vault_get_mode(v), VAULT_KEYFILE);
	assert_int_equal(vault_seal(v, "office", "user", "s3cret!", 7, nonce,
	    &ct, &ctlen, &cause), 0);
	assert_int_equal(ctlen, 1 + 7 + VAULT_TAG_LEN);
	assert_int_equal(ct[0], VAULT_VERSION);
	assert_null(memmem(ct, ctlen, "s3cret", 6));
	assert_int_equal(vault_unseal(v, "office", "user", nonce, sizeof nonce,
	    ct, ctlen, &pt, &ptlen, &cause), 0);
	assert_int_equal(ptlen, 7);
	assert_string_equal((char *)pt, "s3cret!");
	vault_wipe_free(pt, ptlen + 1);
	/* A fresh nonce each time: the same secret seals differently. */
	assert_int_equal(vault_seal(v, "office", "user", "s3cret!", 7, nonce2,
	    &ct2, &ctlen2, &cause), 0);
	assert_memory_not_equal(nonce, nonce2, sizeof nonce);
	assert_memory_not_equal(ct + 1, ct2 + 1, ctlen - 1);
	free(ct);
	free(ct2);
	/* An empty secret seals too (an snmp-usm noAuthNoPriv user). */
	assert_int_equal(vault_seal(v, "n", "snmp-usm", "", 0, nonce, &ct,
	    &ctlen, &cause), 0);
	assert_int_equal(vault_unseal(v, "n", "snmp-usm", nonce, sizeof nonce,
	    ct, ctlen, &pt, &ptlen, &cause), 0);
	assert_int_equal(ptlen, 0);
	vault_wipe_free(pt, 1);
	free(ct);
	vault_free(&v);
	assert_null(v);
}

/* Unsealing must fail after one change of nonce, blob, name or kind. */
static void
test_vault_tamper(void **state)
{
	struct fixture *fx = *state;
	struct vault *v = test_vault_open(fx), *other;
	unsigned char nonce[VAULT_NONCE_LEN], *ct, *pt = NULL;
	size_t ctlen, ptlen, i;
	char *cause = NULL, *key2;
	struct vault_source src2 = { NULL, NULL, NULL };

	assert_int_equal(vault_seal(v, "office", "user", "s3cret!", 7, nonce,
	    &ct, &ctlen, &cause), 0);
	for (i = 0; i < ctlen; i++) {
		ct[i] ^= 0x01;
		assert_int_equal(vault_unseal(v, "office", "user", nonce,
		    sizeof nonce, ct, ctlen, &pt, &ptlen, &cause), -1);
		assert_null(pt);
		free(cause);
		ct[i] ^= 0x01;
	}
	nonce[3] ^= 0x80;
	assert_int_equal(vault_unseal(v, "office", "user", nonce, sizeof nonce,
	    ct, ctlen, &pt, &ptlen, &cause), -1);
	assert_non_null(strstr(cause, "wrong vault key or altered data"));
	free(cause);
	nonce[3] ^= 0x80;
	/* The row it belongs to is bound: another name or kind fails. */
	assert_int_equal(vault_unseal(v, "office2", "user", nonce,
	    sizeof nonce, ct, ctlen, &pt, &ptlen, &cause), -1);
	free(cause);
	assert_int_equal(vault_unseal(v, "office", "domain", nonce,
	    sizeof nonce, ct, ctlen, &pt, &ptlen, &cause), -1);
	free(cause);
	assert_int_equal(vault_unseal(v, "office", "user", nonce, 11, ct,
	    ctlen, &pt, &ptlen, &cause), -1);
	free(cause);
	/* A different key (another key file) fails too. */
	key2 = xasprintf("%s/other.key", fx->dir);
	src2.key_path = key2;
	assert_int_equal(vault_open(fx->st, &src2, &other, &cause), 0);
	assert_int_equal(vault_unseal(other, "office", "user", nonce,
	    sizeof nonce, ct, ctlen, &pt, &ptlen, &cause), -1);
	free(cause);
	/* And the original still opens it. */
	assert_int_equal(vault_unseal(v, "office", "user", nonce, sizeof nonce,
	    ct, ctlen, &pt, &ptlen, &cause), 0);
	vault_wipe_free(pt, ptlen + 1);
	free(ct);
	free(key2);
	vault_free(&other);
	vault_free(&v);
}

static void
test_vault_key_file(void **state)
{
	struct fixture *fx = *state;
	struct vault *v;
	struct stat sb;
	char *dir = xasprintf("%s/cfg/quire", fx->dir);
	char *cfg = xasprintf("%s/cfg", fx->dir), *path;

	/* Created on first use: 32 bytes, 0600, in a 0700 directory. */
	v = test_vault_open(fx);
	assert_int_equal(stat(fx->key, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(sb.st_size, VAULT_KEY_LEN);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);
	test_vault_add(fx, v, "office", "s3cret!");
	vault_free(&v);
	/* The same key is read again. */
	v = test_vault_open(fx);
	test_vault_check(fx, v, "office", "s3cret!");
	vault_free(&v);
	/* A key file group or others can read is refused. */
	assert_int_equal(chmod(fx->key, 0640), 0);
	test_vault_open_fails(fx, "has mode 0640, so group or others may read "
	    "it: run chmod 600");
	assert_int_equal(chmod(fx->key, 0604), 0);
	test_vault_open_fails(fx, "group or others");
	assert_int_equal(chmod(fx->key, 0600), 0);
	/* A missing key with credentials: an error naming the file. */
	path = xasprintf("%s.moved", fx->key);
	assert_int_equal(rename(fx->key, path), 0);
	test_vault_open_fails(fx, fx->key);
	test_vault_open_fails(fx, "is missing");
	assert_int_equal(stat(fx->key, &sb), -1);	/* no new key made */
	/* Restored, it opens them again. */
	assert_int_equal(rename(path, fx->key), 0);
	v = test_vault_open(fx);
	test_vault_check(fx, v, "office", "s3cret!");
	vault_free(&v);
	free(path);
	free(dir);
	free(cfg);
}

/* A new key is made while the store holds no credential; not after. */
static void
test_vault_other_key(void **state)
{
	struct fixture *fx = *state;
	struct vault *v = test_vault_open(fx);
	char *cause = NULL;

	test_vault_add(fx, v, "office", "s3cret!");
	vault_free(&v);
	assert_int_equal(unlink(fx->key), 0);
	test_vault_open_fails(fx, "is missing");
	/* A key file made elsewhere: it does not match the verifier. */
	fx->src.key_path = NULL;
	setenv("XDG_CONFIG_HOME", fx->dir, 1);
	assert_int_equal(vault_open(fx->st, &fx->src, &v, &cause), -1);
	assert_non_null(strstr(cause, "is missing"));
	free(cause);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM "
	    "credentials"), 1);
	assert_int_equal(credential_remove(fx->st, "office", false, &cause), 0);
	/* No credential left: a new key (under $XDG_CONFIG_HOME) is fine. */
	v = test_vault_open(fx);
	test_vault_add(fx, v, "office", "n3w");
	vault_free(&v);
	{
		char *path = xasprintf("%s/quire/vault.key", fx->dir);
		struct stat sb;

		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, 0600);
		free(path);
	}
	/* A different key file now refuses the credentials. */
	fx->src.key_path = fx->key;
	free(test_vault_file(fx, "cfg/quire/vault.key",
	    "0123456789abcdef0123456789abcdef", 0600));
	test_vault_open_fails(fx, "does not open the credentials");
	unsetenv("XDG_CONFIG_HOME");
}

static void
test_vault_passphrase(void **state)
{
	struct fixture *fx = *state;
	struct vault *v = test_vault_open(fx);
	char *good, *bad, *cause = NULL;
	enum vault_mode mode;

	test_vault_add(fx, v, "office", "s3cret!");
	test_vault_add(fx, v, "lab", "l4b-pass");
	assert_int_equal(vault_change(fx->st, &v, "short", &fx->src, &cause),
	    -1);
	assert_non_null(strstr(cause, "at least 8"));
	free(cause);
	assert_int_equal(vault_change(fx->st, &v, "correct horse", &fx->src,
	    &cause), 0);
	assert_int_equal(vault_get_mode(v), VAULT_PASSPHRASE);
	test_vault_check(fx, v, "office", "s3cret!");
	vault_free(&v);
	assert_int_equal(vault_mode(fx->st, &mode, &cause), 0);
	assert_int_equal(mode, VAULT_PASSPHRASE);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM config "
	    "WHERE key = 'vault.kdf' AND value LIKE 'scrypt:N=32768,r=8,p=1:%'"),
	    1);
	/* Without a passphrase source: a clear error. */
	test_vault_open_fails(fx, "QUIRE_PASSPHRASE_FILE");
	bad = test_vault_file(fx, "bad", "wrong horse\n", 0600);
	setenv("QUIRE_PASSPHRASE_FILE", bad, 1);
	test_vault_open_fails(fx, "wrong vault passphrase");
	/* The file must be private too. */
	good = test_vault_file(fx, "good", "correct horse\n", 0644);
	setenv("QUIRE_PASSPHRASE_FILE", good, 1);
	test_vault_open_fails(fx, "run chmod 600");
	assert_int_equal(chmod(good, 0600), 0);
	v = test_vault_open(fx);
	test_vault_check(fx, v, "office", "s3cret!");
	test_vault_check(fx, v, "lab", "l4b-pass");
	/* Adding under the passphrase works and keeps the verifier. */
	test_vault_add(fx, v, "more", "m0re");
	vault_free(&v);
	v = test_vault_open(fx);
	test_vault_check(fx, v, "more", "m0re");
	vault_free(&v);
	free(good);
	free(bad);
}

static int
test_vault_ask(void *arg, char **pass, char **cause)
{
	int *calls = arg;

	(*calls)++;
	*pass = xstrdup(*calls == 1 ? "nope nope" : "correct horse");
	return 0;
}

/* The prompt is asked when no file is set; each wrong one is refused. */
static void
test_vault_prompt(void **state)
{
	struct fixture *fx = *state;
	struct vault *v = test_vault_open(fx);
	char *cause = NULL;
	int calls = 0;

	assert_int_equal(vault_change(fx->st, &v, "correct horse", &fx->src,
	    &cause), 0);
	vault_free(&v);
	fx->src.ask = test_vault_ask;
	fx->src.ask_arg = &calls;
	test_vault_open_fails(fx, "wrong vault passphrase");
	v = test_vault_open(fx);
	assert_int_equal(calls, 2);
	vault_free(&v);
}

/* Every change of key re-seals every credential; none is lost. */
static void
test_vault_rekey(void **state)
{
	struct fixture *fx = *state;
	struct vault *v = test_vault_open(fx);
	char name[16], secret[32], *cause = NULL;
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "c%02d", i);
		snprintf(secret, sizeof secret, "secret-%d", i * 7);
		test_vault_add(fx, v, name, secret);
	}
	assert_int_equal(vault_change(fx->st, &v, "first passphrase",
	    &fx->src, &cause), 0);
	assert_int_equal(vault_change(fx->st, &v, "second passphrase",
	    &fx->src, &cause), 0);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "c%02d", i);
		snprintf(secret, sizeof secret, "secret-%d", i * 7);
		test_vault_check(fx, v, name, secret);
	}
	assert_int_equal(vault_change(fx->st, &v, NULL, &fx->src, &cause), 0);
	assert_int_equal(vault_get_mode(v), VAULT_KEYFILE);
	vault_free(&v);
	v = test_vault_open(fx);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "c%02d", i);
		snprintf(secret, sizeof secret, "secret-%d", i * 7);
		test_vault_check(fx, v, name, secret);
	}
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM audit "
	    "WHERE action = 'vault passphrase'"), 3);
	vault_free(&v);
}

/* A re-key that fails halfway changes nothing. */
static void
test_vault_rekey_atomic(void **state)
{
	struct fixture *fx = *state;
	struct vault *v = test_vault_open(fx);
	char *cause = NULL, *before;
	sqlite3_stmt *stmt;
	enum vault_mode mode;

	test_vault_add(fx, v, "a", "alpha");
	test_vault_add(fx, v, "b", "bravo");
	test_vault_add(fx, v, "z", "zulu");
	/* Damage the last row so the re-key fails after re-sealing a, b. */
	assert_int_equal(store_exec(fx->st, "UPDATE credentials SET nonce = "
	    "zeroblob(12) WHERE name = 'z'", &cause), 0);
	assert_int_equal(sqlite3_prepare_v2(store_db(fx->st), "SELECT "
	    "group_concat(hex(nonce) || hex(ciphertext)) FROM credentials",
	    -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	before = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	assert_int_equal(vault_change(fx->st, &v, "a passphrase", &fx->src,
	    &cause), -1);
	assert_non_null(strstr(cause, "z"));
	free(cause);
	assert_int_equal(vault_get_mode(v), VAULT_KEYFILE);
	assert_int_equal(vault_mode(fx->st, &mode, &cause), 0);
	assert_int_equal(mode, VAULT_KEYFILE);
	assert_int_equal(sqlite3_prepare_v2(store_db(fx->st), "SELECT "
	    "group_concat(hex(nonce) || hex(ciphertext)) FROM credentials",
	    -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal(before, (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	test_vault_check(fx, v, "a", "alpha");
	test_vault_check(fx, v, "b", "bravo");
	free(before);
	vault_free(&v);
}

static void
test_vault_secret_file(void **state)
{
	struct fixture *fx = *state;
	char *path, *out = NULL, *cause = NULL;

	path = test_vault_file(fx, "s", "first line\r\nsecond\n", 0600);
	assert_int_equal(vault_read_secret_file(path, &out, &cause), 0);
	assert_string_equal(out, "first line");
	vault_wipe_str(out);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(vault_read_secret_file(path, &out, &cause), -1);
	assert_non_null(strstr(cause, "mode 0640"));
	free(cause);
	free(path);
	path = xasprintf("%s/none", fx->dir);
	assert_int_equal(vault_read_secret_file(path, &out, &cause), -1);
	assert_non_null(strstr(cause, "No such file"));
	free(cause);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, test_vault_setup, \
	    test_vault_teardown)
		T(test_vault_round_trip),
		T(test_vault_tamper),
		T(test_vault_key_file),
		T(test_vault_other_key),
		T(test_vault_passphrase),
		T(test_vault_prompt),
		T(test_vault_rekey),
		T(test_vault_rekey_atomic),
		T(test_vault_secret_file),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
