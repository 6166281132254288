/*
 * The known-hosts store on a real SQLite file: fingerprints as OpenSSH
 * prints them, trust on first use, a changed key refused until accepted,
 * forget, the listing with the printers of each address, and the audit.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hostkey.h"
#include "sshc.h"
#include "testutil.h"
#include "xmalloc.h"

/* An ed25519 public key and what `ssh-keygen -lf` says of it. */
static const unsigned char test_hostkey_blob1[] = {
	0x00, 0x00, 0x00, 0x0b, 0x73, 0x73, 0x68, 0x2d, 0x65, 0x64, 0x32, 0x35,
	0x35, 0x31, 0x39, 0x00, 0x00, 0x00, 0x20, 0x3a, 0x91, 0x40, 0xda, 0xec,
	0x51, 0x4b, 0x48, 0x62, 0x10, 0x1c, 0x4f, 0xce, 0x1e, 0x8b, 0xdb, 0xea,
	0xc4, 0xcc, 0x24, 0x56, 0x94, 0x29, 0x61, 0xcc, 0xbb, 0xa5, 0x3a, 0x44,
	0xcb, 0xd6, 0x98,
};
#define TEST_HOSTKEY_FP1 "SHA256:uhSC9bXIT3FOtj4NYelsY830cnFZzfC4+dzKF7PQC8s"

struct fixture {
	char		*dir;
	struct store	*st;
	unsigned char	 blob2[sizeof test_hostkey_blob1];
	struct sshc_hostkey key1;
	struct sshc_hostkey key2;
	char		*fp2;
};

static int
test_hostkey_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);

	fx->dir = testutil_tmpdir();
	fx->st = testutil_store(fx->dir, "q.db");
	/* The same type, another key (last byte changed). */
	memcpy(fx->blob2, test_hostkey_blob1, sizeof fx->blob2);
	fx->blob2[sizeof fx->blob2 - 1] ^= 0x5a;
	fx->fp2 = sshc_fingerprint(fx->blob2, sizeof fx->blob2);
	fx->key1 = (struct sshc_hostkey){ "ssh-ed25519", TEST_HOSTKEY_FP1,
	    test_hostkey_blob1, sizeof test_hostkey_blob1 };
	fx->key2 = (struct sshc_hostkey){ "ssh-ed25519", fx->fp2, fx->blob2,
	    sizeof fx->blob2 };
	*state = fx;
	return 0;
}

static int
test_hostkey_teardown(void **state)
{
	struct fixture *fx = *state;

	store_free(&fx->st);
	testutil_rmrf(fx->dir);
	free(fx->dir);
	free(fx->fp2);
	free(fx);
	return 0;
}

static void
test_hostkey_fingerprint(void **state)
{
	char *s;

	s = sshc_fingerprint(test_hostkey_blob1, sizeof test_hostkey_blob1);
	assert_string_equal(s, TEST_HOSTKEY_FP1);
	free(s);
	s = sshc_key_type(test_hostkey_blob1, sizeof test_hostkey_blob1);
	assert_string_equal(s, "ssh-ed25519");
	free(s);
	s = sshc_key_type((const unsigned char *)"\0\0\0\x7fshort", 9);
	assert_string_equal(s, "unknown");
	free(s);
	s = sshc_key_type((const unsigned char *)"\0\0", 2);
	assert_string_equal(s, "unknown");
	free(s);
}

/* Check KEY at 127.0.0.1:PORT: the outcome, or -1 with the cause kept. */
static int
test_hostkey_try(struct fixture *fx, unsigned port,
    const struct sshc_hostkey *key, char **cause)
{
	enum hostkey_outcome out;

	*cause = NULL;
	if (hostkey_check(fx->st, "127.0.0.1", port, key, &out, cause) != 0) {
		assert_non_null(*cause);
		return -1;
	}
	assert_null(*cause);
	return (int)out;
}

static int64_t
test_hostkey_audits(struct fixture *fx, const char *action)
{
	char *sql = xasprintf("SELECT count(*) FROM audit WHERE action = '%s'",
	    action);
	int64_t n = testutil_int(fx->st, sql);

	free(sql);
	return n;
}

static void
test_hostkey_tofu(void **state)
{
	struct fixture *fx = *state;
	char *cause;

	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause),
	    HOSTKEY_LEARNT);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM "
	    "known_hosts WHERE host = '127.0.0.1' AND port = 22 AND "
	    "key_type = 'ssh-ed25519' AND fingerprint = '" TEST_HOSTKEY_FP1
	    "' AND length(key) = 51 AND first_seen > 0"), 1);
	assert_int_equal(test_hostkey_audits(fx, "hostkey learnt"), 1);
	/* The same key again: known, no second record, no audit. */
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause),
	    HOSTKEY_KNOWN);
	assert_int_equal(testutil_int(fx->st,
	    "SELECT count(*) FROM known_hosts"), 1);
	assert_int_equal(test_hostkey_audits(fx, "hostkey learnt"), 1);
	/* Another port of the same host is another host. */
	assert_int_equal(test_hostkey_try(fx, 2222, &fx->key2, &cause),
	    HOSTKEY_LEARNT);
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause),
	    HOSTKEY_KNOWN);
	/* The record survives closing and reopening the file. */
	store_free(&fx->st);
	fx->st = testutil_store(fx->dir, "q.db");
	assert_int_equal(test_hostkey_try(fx, 2222, &fx->key2, &cause),
	    HOSTKEY_KNOWN);
}

static void
test_hostkey_changed(void **state)
{
	struct fixture *fx = *state;
	char *cause;
	int i;

	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause),
	    HOSTKEY_LEARNT);
	/* Refused, naming both fingerprints, and again: it stays refused. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(test_hostkey_try(fx, 22, &fx->key2, &cause),
		    -1);
		assert_non_null(strstr(cause, "host key changed"));
		assert_non_null(strstr(cause, "127.0.0.1:22"));
		assert_non_null(strstr(cause, TEST_HOSTKEY_FP1));
		assert_non_null(strstr(cause, fx->fp2));
		free(cause);
	}
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM "
	    "known_hosts WHERE fingerprint = '" TEST_HOSTKEY_FP1 "'"), 1);
	/* The old key is still fine. */
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause),
	    HOSTKEY_KNOWN);
}

static int
test_hostkey_accept_one(struct fixture *fx, unsigned port, bool *found)
{
	char *cause = NULL;
	int rc;

	rc = hostkey_accept(fx->st, "127.0.0.1", port, found, &cause);
	free(cause);
	return rc;
}

static void
test_hostkey_accept(void **state)
{
	struct fixture *fx = *state;
	struct hostkey_set *set = NULL;
	char *cause = NULL;
	bool found;

	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause),
	    HOSTKEY_LEARNT);
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key2, &cause), -1);
	free(cause);
	assert_int_equal(test_hostkey_accept_one(fx, 22, &found), 0);
	assert_true(found);
	assert_int_equal(hostkey_list(fx->st, &set, &cause), 0);
	assert_int_equal(set->n, 1);
	assert_true(set->v[0].accept_pending);
	assert_string_equal(set->v[0].fingerprint, TEST_HOSTKEY_FP1);
	hostkey_set_free(&set);
	/* The next connection records the new key; then it is known. */
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key2, &cause),
	    HOSTKEY_REPLACED);
	assert_int_equal(test_hostkey_audits(fx, "hostkey replaced"), 1);
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key2, &cause),
	    HOSTKEY_KNOWN);
	assert_int_equal(hostkey_list(fx->st, &set, &cause), 0);
	assert_false(set->v[0].accept_pending);
	assert_string_equal(set->v[0].fingerprint, fx->fp2);
	hostkey_set_free(&set);
	/* The accept was used up: the old key is now the stranger. */
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause), -1);
	free(cause);
	/* An accept met by the recorded key lapses: a later change is
	 * refused again. */
	assert_int_equal(test_hostkey_accept_one(fx, 22, &found), 0);
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key2, &cause),
	    HOSTKEY_KNOWN);
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause), -1);
	free(cause);
	/* Accepting an address with nothing on record changes nothing. */
	assert_int_equal(test_hostkey_accept_one(fx, 23, &found), 0);
	assert_false(found);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM config"),
	    0);
}

static void
test_hostkey_forget(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;
	bool found;

	assert_int_equal(test_hostkey_try(fx, 22, &fx->key1, &cause),
	    HOSTKEY_LEARNT);
	assert_int_equal(test_hostkey_accept_one(fx, 22, &found), 0);
	assert_int_equal(hostkey_forget(fx->st, "127.0.0.1", 22, &found,
	    &cause), 0);
	assert_true(found);
	assert_int_equal(testutil_int(fx->st,
	    "SELECT count(*) FROM known_hosts"), 0);
	assert_int_equal(testutil_int(fx->st, "SELECT count(*) FROM config"),
	    0);
	assert_int_equal(hostkey_forget(fx->st, "127.0.0.1", 22, &found,
	    &cause), 0);
	assert_false(found);
	/* Forgotten: the next key is trusted on first use. */
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key2, &cause),
	    HOSTKEY_LEARNT);
}

static void
test_hostkey_listing(void **state)
{
	struct fixture *fx = *state;
	struct hostkey_target *t = NULL;
	struct hostkey_set *set = NULL;
	int64_t ids[3];
	size_t n = 0;
	char *cause = NULL;

	testutil_printers(fx->st, "lab", 3, 161, ids);
	assert_int_equal(store_exec(fx->st, "UPDATE printers SET ssh_port = "
	    "2222 WHERE name IN ('lab-0001', 'lab-0003')", &cause), 0);
	assert_int_equal(test_hostkey_try(fx, 2222, &fx->key1, &cause),
	    HOSTKEY_LEARNT);
	assert_int_equal(test_hostkey_try(fx, 22, &fx->key2, &cause),
	    HOSTKEY_LEARNT);
	assert_int_equal(hostkey_list(fx->st, &set, &cause), 0);
	assert_int_equal(set->n, 2);
	assert_int_equal(set->v[0].port, 22);
	assert_string_equal(set->v[0].printers, "lab-0002");
	assert_string_equal(set->v[0].fingerprint, fx->fp2);
	assert_int_equal(set->v[1].port, 2222);
	assert_string_equal(set->v[1].host, "127.0.0.1");
	assert_string_equal(set->v[1].key_type, "ssh-ed25519");
	assert_string_equal(set->v[1].printers, "lab-0001,lab-0003");
	assert_true(set->v[1].first_seen > 0);
	hostkey_set_free(&set);
	/* Where each printer's shell is: ssh_port, else 22. */
	assert_int_equal(hostkey_targets(fx->st, ids, 3, &t, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(t[0].name, "lab-0001");
	assert_int_equal(t[0].port, 2222);
	assert_int_equal(t[1].port, 22);
	assert_string_equal(t[1].host, "127.0.0.1");
	hostkey_targets_free(&t, n);
}

static void
test_hostkey_callback(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;

	assert_int_equal(hostkey_verify(fx->st, "::1", 22, &fx->key1, &cause),
	    SSH_HOSTKEY_LEARNT);
	assert_int_equal(hostkey_verify(fx->st, "::1", 22, &fx->key1, &cause),
	    SSH_HOSTKEY_KNOWN);
	assert_int_equal(hostkey_verify(fx->st, "::1", 22, &fx->key2, &cause),
	    -1);
	assert_non_null(strstr(cause, "::1"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostkey_fingerprint),
#define T(f) cmocka_unit_test_setup_teardown(f, test_hostkey_setup, \
	test_hostkey_teardown)
		T(test_hostkey_tofu),
		T(test_hostkey_changed),
		T(test_hostkey_accept),
		T(test_hostkey_forget),
		T(test_hostkey_listing),
		T(test_hostkey_callback),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
