#include "config.h"

#include "credential.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "credential-int.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

/* The longest public field, and the longest one-line secret. */
#define CREDENTIAL_FIELD_MAX	128
#define CREDENTIAL_SECRET_MAX	1024
/* SnmpAdminString user names are 1 to 32 octets (RFC 3414). */
#define CREDENTIAL_USM_USER_MAX	32

static const char *const credential_kind_names[CREDENTIAL_NKINDS] = {
	"user", "domain", "sysmgr", "password", "snmp-community", "snmp-usm",
	"ssh-key"
};

static const char *const credential_secret_names[CREDENTIAL_NSECRETS] = {
	"password", "PIN", "read community", "write community",
	"auth passphrase", "priv passphrase", "private key", "key passphrase"
};

/* Public fields: which kinds need (R) or allow (O) them. */
static const char credential_user_use[CREDENTIAL_NKINDS] = "RR---RO";
static const char credential_domain_use[CREDENTIAL_NKINDS] = "-R-----";
static const char credential_id_use[CREDENTIAL_NKINDS] = "--R----";

int
credential_kind_parse(const char *s, enum credential_kind *kind,
    char **cause)
{
	size_t i;

	for (i = 0; i < CREDENTIAL_NKINDS; i++) {
		if (strcmp(s, credential_kind_names[i]) == 0) {
			*kind = (enum credential_kind)i;
			return 0;
		}
	}
	*cause = xasprintf("unknown credential kind '%s' (user, domain, "
	    "sysmgr, password, snmp-community, snmp-usm, ssh-key)", s);
	return -1;
}

const char *
credential_kind_name(enum credential_kind kind)
{
	return credential_kind_names[kind];
}

int
credential_auth_parse(const char *s, enum credential_auth *auth,
    char **cause)
{
	if (strcasecmp(s, "MD5") == 0)
		*auth = CREDENTIAL_AUTH_MD5;
	else if (strcasecmp(s, "SHA") == 0 || strcasecmp(s, "SHA1") == 0)
		*auth = CREDENTIAL_AUTH_SHA;
	else if (strcasecmp(s, "SHA-256") == 0 ||
	    strcasecmp(s, "SHA256") == 0)
		*auth = CREDENTIAL_AUTH_SHA256;
	else {
		*cause = xasprintf("unknown auth protocol '%s' (MD5, SHA, "
		    "SHA-256)", s);
		return -1;
	}
	return 0;
}

const char *
credential_auth_name(enum credential_auth auth)
{
	static const char *const names[] = { NULL, "MD5", "SHA", "SHA-256" };

	return names[auth];
}

int
credential_priv_parse(const char *s, enum credential_priv *priv,
    char **cause)
{
	if (strcasecmp(s, "DES") == 0)
		*priv = CREDENTIAL_PRIV_DES;
	else if (strcasecmp(s, "AES") == 0 || strcasecmp(s, "AES128") == 0)
		*priv = CREDENTIAL_PRIV_AES;
	else {
		*cause = xasprintf("unknown priv protocol '%s' (DES, AES)", s);
		return -1;
	}
	return 0;
}

const char *
credential_priv_name(enum credential_priv priv)
{
	static const char *const names[] = { NULL, "DES", "AES" };

	return names[priv];
}

const char *
credential_usm_level(const struct credential *c)
{
	if (c->auth == CREDENTIAL_AUTH_NONE)
		return "noAuthNoPriv";
	return c->priv == CREDENTIAL_PRIV_NONE ? "authNoPriv" : "authPriv";
}

int
credential_check_name(const char *name, char **cause)
{
	return text_check_name("credential", name, cause);
}

/* A public field: present when USE says R, absent when '-', clean text. */
static int
credential_check_field(const struct credential *c, const char *opt,
    const char *value, char use, size_t max, char **cause)
{
	const char *kind = credential_kind_names[c->kind];

	if (value == NULL) {
		if (use != 'R')
			return 0;
		*cause = xasprintf("kind %s needs --%s", kind, opt);
		return -1;
	}
	if (use == '-') {
		*cause = xasprintf("--%s does not apply to kind %s", opt, kind);
		return -1;
	}
	if (*value == '\0' || strlen(value) > max) {
		*cause = xasprintf("--%s must have 1 to %zu characters", opt,
		    max);
		return -1;
	}
	if (!text_is_clean(value) || strchr(value, '\\') != NULL) {
		*cause = xasprintf("--%s must be valid UTF-8 without control "
		    "characters or '\\'", opt);
		return -1;
	}
	return 0;
}

static int
credential_check_usm(const struct credential *c, char **cause)
{
	if (c->kind != CREDENTIAL_KIND_SNMP_USM) {
		if (c->auth == CREDENTIAL_AUTH_NONE &&
		    c->priv == CREDENTIAL_PRIV_NONE)
			return 0;
		*cause = xasprintf("--%s applies only to kind snmp-usm",
		    c->auth != CREDENTIAL_AUTH_NONE ? "auth" : "priv");
		return -1;
	}
	if (c->priv != CREDENTIAL_PRIV_NONE && c->auth == CREDENTIAL_AUTH_NONE) {
		*cause = xstrdup("--priv needs --auth: SNMPv3 has no privacy "
		    "without authentication");
		return -1;
	}
	return 0;
}

int
credential_check_public(const struct credential *c, char **cause)
{
	size_t usermax = c->kind == CREDENTIAL_KIND_SNMP_USM ?
	    CREDENTIAL_USM_USER_MAX : CREDENTIAL_FIELD_MAX;

	if (credential_check_field(c, "user", c->user,
	    credential_user_use[c->kind], usermax, cause) != 0 ||
	    credential_check_field(c, "domain", c->domain,
	    credential_domain_use[c->kind], CREDENTIAL_FIELD_MAX, cause) != 0 ||
	    credential_check_field(c, "id", c->sysmgr_id,
	    credential_id_use[c->kind], 32, cause) != 0)
		return -1;
	if (c->sysmgr_id != NULL &&
	    strspn(c->sysmgr_id, "0123456789") != strlen(c->sysmgr_id)) {
		*cause = xasprintf("--id must be digits only (got '%s')",
		    c->sysmgr_id);
		return -1;
	}
	return credential_check_usm(c, cause);
}

size_t
credential_secret_order(const struct credential *c,
    enum credential_secret *order, bool *optional)
{
	size_t n = 0;
	bool enc = false;
	char *type = NULL, *fp = NULL, *cause = NULL;

#define CREDENTIAL_WANT(s, opt) do {				\
	if (c->secret[s] == NULL) {				\
		optional[n] = (opt);				\
		order[n++] = (s);				\
	}							\
} while (0)
	switch (c->kind) {
	case CREDENTIAL_KIND_USER:
	case CREDENTIAL_KIND_DOMAIN:
	case CREDENTIAL_KIND_PASSWORD:
		CREDENTIAL_WANT(CREDENTIAL_SECRET_PASSWORD, false);
		break;
	case CREDENTIAL_KIND_SYSMGR:
		CREDENTIAL_WANT(CREDENTIAL_SECRET_PIN, false);
		break;
	case CREDENTIAL_KIND_SNMP_COMMUNITY:
		CREDENTIAL_WANT(CREDENTIAL_SECRET_READ_COMMUNITY, false);
		CREDENTIAL_WANT(CREDENTIAL_SECRET_WRITE_COMMUNITY, true);
		break;
	case CREDENTIAL_KIND_SNMP_USM:
		if (c->auth != CREDENTIAL_AUTH_NONE)
			CREDENTIAL_WANT(CREDENTIAL_SECRET_AUTH_PASS, false);
		if (c->priv != CREDENTIAL_PRIV_NONE)
			CREDENTIAL_WANT(CREDENTIAL_SECRET_PRIV_PASS, false);
		break;
	case CREDENTIAL_KIND_SSH_KEY:
		if (c->secret[CREDENTIAL_SECRET_PRIVATE_KEY] != NULL &&
		    credential_ssh_key_parse(c->secret[
		    CREDENTIAL_SECRET_PRIVATE_KEY], NULL, &enc, &type, &fp,
		    &cause) == 0 && enc)
			CREDENTIAL_WANT(CREDENTIAL_SECRET_KEY_PASS, false);
		break;
	}
#undef CREDENTIAL_WANT
	free(type);
	free(fp);
	free(cause);
	return n;
}

/* Which secrets KIND may hold (bit per enum credential_secret). */
static unsigned
credential_secret_mask(const struct credential *c)
{
	switch (c->kind) {
	case CREDENTIAL_KIND_SYSMGR:
		return 1U << CREDENTIAL_SECRET_PIN;
	case CREDENTIAL_KIND_SNMP_COMMUNITY:
		return 1U << CREDENTIAL_SECRET_READ_COMMUNITY |
		    1U << CREDENTIAL_SECRET_WRITE_COMMUNITY;
	case CREDENTIAL_KIND_SNMP_USM:
		return (c->auth ? 1U << CREDENTIAL_SECRET_AUTH_PASS : 0) |
		    (c->priv ? 1U << CREDENTIAL_SECRET_PRIV_PASS : 0);
	case CREDENTIAL_KIND_SSH_KEY:
		return 1U << CREDENTIAL_SECRET_PRIVATE_KEY |
		    1U << CREDENTIAL_SECRET_KEY_PASS;
	default:
		return 1U << CREDENTIAL_SECRET_PASSWORD;
	}
}

/* One secret: allowed for the kind, one line, not empty, not too long. */
static int
credential_check_secret(const struct credential *c, int i, char **cause)
{
	const char *s = c->secret[i], *what = credential_secret_names[i];

	if ((credential_secret_mask(c) & 1U << i) == 0) {
		*cause = xasprintf("kind %s%s takes no %s",
		    credential_kind_names[c->kind], c->kind ==
		    CREDENTIAL_KIND_SNMP_USM ? " without --auth/--priv" : "",
		    what);
		return -1;
	}
	if (i == CREDENTIAL_SECRET_PRIVATE_KEY)
		return 0;
	if (*s == '\0' || strlen(s) > CREDENTIAL_SECRET_MAX ||
	    strpbrk(s, "\r\n") != NULL) {
		*cause = xasprintf("the %s must be one line of 1 to %d "
		    "characters", what, CREDENTIAL_SECRET_MAX);
		return -1;
	}
	if ((i == CREDENTIAL_SECRET_AUTH_PASS ||
	    i == CREDENTIAL_SECRET_PRIV_PASS) &&
	    strlen(s) < CREDENTIAL_USM_PASS_MIN) {
		*cause = xasprintf("the %s must have at least %d characters "
		    "(RFC 3414)", what, CREDENTIAL_USM_PASS_MIN);
		return -1;
	}
	return 0;
}

static int
credential_validate_key(struct credential *c, char **cause)
{
	const char *pass = c->secret[CREDENTIAL_SECRET_KEY_PASS];
	bool enc;

	free(c->key_type);
	free(c->fingerprint);
	c->key_type = c->fingerprint = NULL;
	if (credential_ssh_key_parse(c->secret[CREDENTIAL_SECRET_PRIVATE_KEY],
	    pass, &enc, &c->key_type, &c->fingerprint, cause) != 0)
		return -1;
	if (enc && pass == NULL) {
		*cause = xstrdup("the private key is encrypted: its passphrase "
		    "is needed");
		return -1;
	}
	if (!enc && pass != NULL) {
		*cause = xstrdup("the private key is not encrypted: it takes no "
		    "passphrase");
		return -1;
	}
	return 0;
}

int
credential_validate(struct credential *c, char **cause)
{
	enum credential_secret order[CREDENTIAL_NSECRETS];
	bool optional[CREDENTIAL_NSECRETS];
	size_t n, i;

	if (credential_check_name(c->name, cause) != 0 ||
	    credential_check_public(c, cause) != 0)
		return -1;
	for (i = 0; i < CREDENTIAL_NSECRETS; i++) {
		if (c->secret[i] != NULL &&
		    credential_check_secret(c, (int)i, cause) != 0)
			return -1;
	}
	if (c->kind == CREDENTIAL_KIND_SSH_KEY) {
		if (c->secret[CREDENTIAL_SECRET_PRIVATE_KEY] == NULL) {
			*cause = xstrdup("kind ssh-key needs a private key "
			    "(--key-file)");
			return -1;
		}
		return credential_validate_key(c, cause);
	}
	n = credential_secret_order(c, order, optional);
	for (i = 0; i < n; i++) {
		if (!optional[i]) {
			*cause = xasprintf("kind %s needs the %s",
			    credential_kind_names[c->kind],
			    credential_secret_names[order[i]]);
			return -1;
		}
	}
	c->has_write = c->secret[CREDENTIAL_SECRET_WRITE_COMMUNITY] != NULL;
	return 0;
}

char *
credential_attrs_encode(const struct credential *c)
{
	const char *keys[] = { "user", "domain", "id", "auth", "priv",
	    "write", "keytype", "fingerprint" };
	const char *vals[] = { c->user, c->domain, c->sysmgr_id,
	    credential_auth_name(c->auth), credential_priv_name(c->priv),
	    c->has_write ? "1" : NULL, c->key_type, c->fingerprint };
	char *out = xstrdup(""), *next;
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (vals[i] == NULL)
			continue;
		next = xasprintf("%s%s=%s\n", out, keys[i], vals[i]);
		free(out);
		out = next;
	}
	return out;
}

static void
credential_attr_set(struct credential *c, const char *key, const char *val)
{
	char *cause = NULL;

	if (strcmp(key, "user") == 0)
		c->user = xstrdup(val);
	else if (strcmp(key, "domain") == 0)
		c->domain = xstrdup(val);
	else if (strcmp(key, "id") == 0)
		c->sysmgr_id = xstrdup(val);
	else if (strcmp(key, "auth") == 0)
		credential_auth_parse(val, &c->auth, &cause);
	else if (strcmp(key, "priv") == 0)
		credential_priv_parse(val, &c->priv, &cause);
	else if (strcmp(key, "write") == 0)
		c->has_write = strcmp(val, "1") == 0;
	else if (strcmp(key, "keytype") == 0)
		c->key_type = xstrdup(val);
	else if (strcmp(key, "fingerprint") == 0)
		c->fingerprint = xstrdup(val);
	free(cause);
}

void
credential_attrs_decode(struct credential *c, const char *attrs)
{
	char *copy, *line, *save = NULL, *eq;

	if (attrs == NULL)
		return;
	copy = xstrdup(attrs);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		credential_attr_set(c, line, eq + 1);
	}
	free(copy);
}

unsigned char *
credential_secrets_encode(const struct credential *c, size_t *len)
{
	unsigned char *out;
	size_t i, n, off = 0, total = 0;

	for (i = 0; i < CREDENTIAL_NSECRETS; i++) {
		if (c->secret[i] != NULL)
			total += 5 + strlen(c->secret[i]);
	}
	out = xmalloc(total ? total : 1);
	for (i = 0; i < CREDENTIAL_NSECRETS; i++) {
		if (c->secret[i] == NULL)
			continue;
		n = strlen(c->secret[i]);
		out[off++] = (unsigned char)i;
		out[off++] = (unsigned char)(n >> 24);
		out[off++] = (unsigned char)(n >> 16);
		out[off++] = (unsigned char)(n >> 8);
		out[off++] = (unsigned char)n;
		memcpy(out + off, c->secret[i], n);
		off += n;
	}
	*len = total;
	return out;
}

int
credential_secrets_decode(struct credential *c, const unsigned char *p,
    size_t len, char **cause)
{
	size_t off = 0, n;
	unsigned tag;

	while (off < len) {
		if (len - off < 5)
			goto bad;
		tag = p[off];
		n = (size_t)p[off + 1] << 24 | (size_t)p[off + 2] << 16 |
		    (size_t)p[off + 3] << 8 | p[off + 4];
		off += 5;
		if (tag >= CREDENTIAL_NSECRETS || c->secret[tag] != NULL ||
		    n > len - off || memchr(p + off, '\0', n) != NULL)
			goto bad;
		c->secret[tag] = xstrndup((const char *)p + off, n);
		off += n;
	}
	return 0;
bad:
	credential_wipe(c);
	*cause = xasprintf("the secrets of %s are malformed", c->name);
	return -1;
}

void
credential_wipe(struct credential *c)
{
	size_t i;

	for (i = 0; i < CREDENTIAL_NSECRETS; i++) {
		vault_wipe_str(c->secret[i]);
		c->secret[i] = NULL;
	}
}

void
credential_clear(struct credential *c)
{
	credential_wipe(c);
	free(c->name);
	free(c->user);
	free(c->domain);
	free(c->sysmgr_id);
	free(c->key_type);
	free(c->fingerprint);
	memset(c, 0, sizeof *c);
}

void
credential_free(struct credential **cp)
{
	if (*cp == NULL)
		return;
	credential_clear(*cp);
	free(*cp);
	*cp = NULL;
}

void
credential_set_free(struct credential_set **setp)
{
	struct credential_set *set = *setp;
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		credential_clear(&set->v[i]);
	free(set->v);
	free(set);
	*setp = NULL;
}
