#include "config.h"

#include "snmp.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "snmp-int.h"
#include "log.h"
#include "text.h"
#include "xmalloc.h"

/* A directory that cannot exist, for net-snmp's files. */
#define SNMP_NOWHERE		"/dev/null/quire-snmp"

static pthread_once_t snmp_transport_once_control = PTHREAD_ONCE_INIT;
/* Set by snmp_transport_once; cleared by snmp_transport_shutdown. */
static int snmp_transport_ready;
/* Serialises net-snmp, which is built without NETSNMP_REENTRANT. */
static pthread_mutex_t snmp_lib_mutex = PTHREAD_MUTEX_INITIALIZER;

/* net-snmp's log lines, which would otherwise go to stderr. */
static int
snmp_transport_log(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	int len;

	if (m == NULL || m->msg == NULL)
		return 0;
	len = (int)strcspn(m->msg, "\n");
	if (len == 0)
		return 0;
	if (m->priority <= LOG_ERR)
		log_warn("net-snmp: %.*s", len, m->msg);
	else
		log_debug("net-snmp: %.*s", len, m->msg);
	return 0;
}

static void
snmp_transport_once(void)
{
	const int flags[] = {
		NETSNMP_DS_LIB_DONT_READ_CONFIGS,
		NETSNMP_DS_LIB_DONT_PERSIST_STATE,
		NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD,
		NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE,
		NETSNMP_DS_LIB_NO_TOKEN_WARNINGS,
	};
	size_t i;

	/* Debian ships no MIB files: without this, hundreds of warnings. */
	if (setenv("MIBS", "", 1) != 0 || setenv("MIBDIRS", "", 1) != 0)
		log_warn("setenv: %s", strerror(errno));
	for (i = 0; i < SNMP_NITEMS(flags); i++)
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, flags[i], 1);
	/*
	 * Keep ~/.snmp and /var/lib/snmp out of it. init_snmp() creates
	 * PERSISTENT_DIR/cert_indexes whatever the flags say: a path under
	 * /dev/null is one where nothing can be created, even by root.
	 */
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_PERSISTENT_DIR, SNMP_NOWHERE);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_CONFIGURATION_DIR, SNMP_NOWHERE);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    snmp_transport_log, NULL);
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_CALLBACK, LOG_DEBUG);
	init_snmp("quire");
	snmp_transport_ready = 1;
}

void
snmp_transport_init(void)
{
	int error;

	if ((error = pthread_once(&snmp_transport_once_control,
	    snmp_transport_once)) != 0) {
		log_error("pthread_once: %s", strerror(error));
		abort();
	}
}

void
snmp_transport_shutdown(void)
{
	if (!snmp_transport_ready)
		return;
	snmp_lib_lock();
	snmp_usm_release_all();
	snmp_shutdown("quire");
	snmp_transport_ready = 0;
	snmp_lib_unlock();
}

void
snmp_lib_lock(void)
{
	int error;

	if ((error = pthread_mutex_lock(&snmp_lib_mutex)) != 0) {
		log_error("pthread_mutex_lock: %s", strerror(error));
		abort();
	}
}

void
snmp_lib_unlock(void)
{
	int error;

	if ((error = pthread_mutex_unlock(&snmp_lib_mutex)) != 0) {
		log_error("pthread_mutex_unlock: %s", strerror(error));
		abort();
	}
}

void
snmp_wipe(void *p, size_t len)
{
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, len);
#else
	volatile unsigned char *v = p;

	while (len-- > 0)
		*v++ = 0;
#endif
}

void
snmp_wipe_str(char **s)
{
	if (*s == NULL)
		return;
	snmp_wipe(*s, strlen(*s));
	free(*s);
	*s = NULL;
}

const oid *
snmp_key_auth_oid(const struct snmp_key *k, size_t *len)
{
	*len = USM_AUTH_PROTO_SHA_LEN;	/* all of them are 10 long */
	switch (k->auth) {
	case SNMP_AUTH_MD5:
		return usmHMACMD5AuthProtocol;
	case SNMP_AUTH_SHA:
		return usmHMACSHA1AuthProtocol;
	case SNMP_AUTH_SHA256:
		return usmHMAC192SHA256AuthProtocol;
	case SNMP_AUTH_NONE:
		break;
	}
	*len = 0;
	return NULL;
}

const oid *
snmp_key_priv_oid(const struct snmp_key *k, size_t *len)
{
	*len = SNMP_NITEMS(usmDESPrivProtocol);
	switch (k->priv) {
	case SNMP_PRIV_DES:
		return usmDESPrivProtocol;
	case SNMP_PRIV_AES:
		return usmAESPrivProtocol;
	case SNMP_PRIV_NONE:
		break;
	}
	*len = 0;
	return NULL;
}

/* Check CRED's shape; the secrets are looked at only for their length. */
static int
snmp_key_check(const struct snmp_cred *c, char **cause)
{
	if (c->version == SNMP_V1 || c->version == SNMP_V2C) {
		if (c->community == NULL) {
			*cause = xstrdup("no SNMP community given");
			return -1;
		}
		return 0;
	}
	if (c->version != SNMP_V3) {
		*cause = xasprintf("unknown SNMP version %d", (int)c->version);
		return -1;
	}
	if (c->user == NULL || *c->user == '\0') {
		*cause = xstrdup("no SNMPv3 user name given");
		return -1;
	}
	if (c->auth > SNMP_AUTH_SHA256 || c->priv > SNMP_PRIV_AES) {
		*cause = xstrdup("unknown SNMPv3 protocol");
		return -1;
	}
	if (c->priv != SNMP_PRIV_NONE && c->auth == SNMP_AUTH_NONE) {
		*cause = xstrdup("SNMPv3 privacy needs authentication");
		return -1;
	}
	if ((c->auth != SNMP_AUTH_NONE && (c->auth_pass == NULL ||
	    strlen(c->auth_pass) < USM_LENGTH_P_MIN)) ||
	    (c->priv != SNMP_PRIV_NONE && (c->priv_pass == NULL ||
	    strlen(c->priv_pass) < USM_LENGTH_P_MIN))) {
		*cause = xasprintf("an SNMPv3 passphrase must have at least "
		    "%d characters", USM_LENGTH_P_MIN);
		return -1;
	}
	return 0;
}

/* Derive the v3 keys (Ku) of K from the passphrases of C. */
static int
snmp_key_derive(struct snmp_key *k, const struct snmp_cred *c, char **cause)
{
	const oid *proto;
	size_t plen;
	int rc = 0;

	if ((proto = snmp_key_auth_oid(k, &plen)) == NULL)
		return 0;
	/* generate_Ku uses no shared state: no lock for its 1 MB hash. */
	k->auth_ku_len = sizeof k->auth_ku;
	if (generate_Ku(proto, (u_int)plen, (const u_char *)c->auth_pass,
	    strlen(c->auth_pass), k->auth_ku, &k->auth_ku_len) !=
	    SNMPERR_SUCCESS)
		rc = -1;
	k->priv_ku_len = sizeof k->priv_ku;
	/* RFC 3414: the privacy key is hashed with the auth protocol. */
	if (rc == 0 && k->priv != SNMP_PRIV_NONE &&
	    generate_Ku(proto, (u_int)plen, (const u_char *)c->priv_pass,
	    strlen(c->priv_pass), k->priv_ku, &k->priv_ku_len) !=
	    SNMPERR_SUCCESS)
		rc = -1;
	if (k->priv == SNMP_PRIV_NONE)
		k->priv_ku_len = 0;
	if (rc != 0)
		*cause = xstrdup("cannot derive the SNMPv3 keys");
	return rc;
}

int
snmp_key_new(const struct snmp_cred *c, struct snmp_key **key, char **cause)
{
	struct snmp_key *k;

	*key = NULL;
	snmp_transport_init();
	if (snmp_key_check(c, cause) != 0)
		return -1;
	k = xcalloc(1, sizeof *k);
	k->refs = 1;
	k->version = c->version;
	if (c->version != SNMP_V3) {
		k->community = xstrdup(c->community);
		k->community_len = strlen(c->community);
	} else {
		k->user = xstrdup(c->user);
		k->auth = c->auth;
		k->priv = c->priv;
		if (snmp_key_derive(k, c, cause) != 0) {
			snmp_key_free(&k);
			return -1;
		}
	}
	*key = k;
	return 0;
}

struct snmp_key *
snmp_key_ref(struct snmp_key *k)
{
	__atomic_add_fetch(&k->refs, 1, __ATOMIC_RELAXED);
	return k;
}

void
snmp_key_free(struct snmp_key **kp)
{
	struct snmp_key *k = *kp;

	*kp = NULL;
	if (k == NULL || __atomic_sub_fetch(&k->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	snmp_wipe_str(&k->community);
	free(k->user);
	snmp_wipe(k, sizeof *k);
	free(k);
}

enum snmp_version
snmp_key_version(const struct snmp_key *k)
{
	return k->version;
}

int
snmp_key_same(const struct snmp_key *a, const struct snmp_key *b)
{
	if (a == b)
		return 1;
	if (a->version != b->version)
		return 0;
	if (a->version != SNMP_V3)
		return a->community_len == b->community_len &&
		    memcmp(a->community, b->community, a->community_len) == 0;
	return strcmp(a->user, b->user) == 0 && a->auth == b->auth &&
	    a->priv == b->priv && a->auth_ku_len == b->auth_ku_len &&
	    a->priv_ku_len == b->priv_ku_len &&
	    memcmp(a->auth_ku, b->auth_ku, a->auth_ku_len) == 0 &&
	    memcmp(a->priv_ku, b->priv_ku, a->priv_ku_len) == 0;
}

char *
snmp_key_describe(const struct snmp_key *k)
{
	static const char *auths[] = { "none", "MD5", "SHA", "SHA-256" };
	static const char *privs[] = { "none", "DES", "AES" };
	char *user, *s;

	if (k->version == SNMP_V1)
		return xstrdup("SNMPv1 community");
	if (k->version == SNMP_V2C)
		return xstrdup("SNMPv2c community");
	user = text_sanitize(k->user, strlen(k->user));
	if (k->auth == SNMP_AUTH_NONE)
		s = xasprintf("SNMPv3 user '%s' (noAuthNoPriv)", user);
	else if (k->priv == SNMP_PRIV_NONE)
		s = xasprintf("SNMPv3 user '%s' (authNoPriv, %s)", user,
		    auths[k->auth]);
	else
		s = xasprintf("SNMPv3 user '%s' (authPriv, %s/%s)", user,
		    auths[k->auth], privs[k->priv]);
	free(user);
	return s;
}
