/*
 * Credentials: named sets of what a printer asks for (a login, an SNMP
 * community or USM user, an SSH key), and the ordered lists a printer or a
 * group tries. Secrets live only in the vault-sealed ciphertext column; the
 * public attributes go in the attrs column as "key=value" lines (keys
 * user, domain, id, auth, priv, write, keytype, fingerprint; values hold no
 * control characters, so a line break cannot occur inside one). The kind
 * has its own column.
 *
 * The sealed plaintext is, for each secret present, a byte (enum
 * credential_secret), a 32-bit big-endian length and the bytes.
 */
#ifndef QUIRE_CREDENTIAL_H
#define QUIRE_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "vault.h"

enum credential_kind {
	CREDENTIAL_KIND_USER,		/* user + password */
	CREDENTIAL_KIND_DOMAIN,		/* domain + user + password */
	CREDENTIAL_KIND_SYSMGR,		/* System Manager ID + PIN */
	CREDENTIAL_KIND_PASSWORD,	/* a device password alone */
	CREDENTIAL_KIND_SNMP_COMMUNITY,	/* read community, optional write */
	CREDENTIAL_KIND_SNMP_USM,	/* SNMPv3 user, optional auth, priv */
	CREDENTIAL_KIND_SSH_KEY,	/* private key, optional passphrase */
};
#define CREDENTIAL_NKINDS 7

enum credential_auth {
	CREDENTIAL_AUTH_NONE, CREDENTIAL_AUTH_MD5, CREDENTIAL_AUTH_SHA,
	CREDENTIAL_AUTH_SHA256
};
enum credential_priv {
	CREDENTIAL_PRIV_NONE, CREDENTIAL_PRIV_DES, CREDENTIAL_PRIV_AES
};

/* Secret fields; each kind uses some (credential_secret_order). */
enum credential_secret {
	CREDENTIAL_SECRET_PASSWORD,	/* user, domain, password */
	CREDENTIAL_SECRET_PIN,		/* sysmgr */
	CREDENTIAL_SECRET_READ_COMMUNITY,
	CREDENTIAL_SECRET_WRITE_COMMUNITY, /* optional */
	CREDENTIAL_SECRET_AUTH_PASS,	/* snmp-usm with auth */
	CREDENTIAL_SECRET_PRIV_PASS,	/* snmp-usm with priv */
	CREDENTIAL_SECRET_PRIVATE_KEY,	/* ssh-key: OpenSSH or PEM text */
	CREDENTIAL_SECRET_KEY_PASS,	/* ssh-key, when the key is encrypted */
};
#define CREDENTIAL_NSECRETS 8

/* USM passphrases: RFC 3414 asks for at least 8 characters. */
#define CREDENTIAL_USM_PASS_MIN 8

struct credential {
	int64_t		 id;
	char		*name;
	enum credential_kind kind;
	char		*user;		/* user, domain, snmp-usm; ssh-key opt. */
	char		*domain;	/* domain */
	char		*sysmgr_id;	/* sysmgr: digits */
	enum credential_auth auth;	/* snmp-usm */
	enum credential_priv priv;	/* snmp-usm */
	bool		 has_write;	/* snmp-community: a write community */
	char		*key_type;	/* ssh-key: "ssh-ed25519", ... */
	char		*fingerprint;	/* ssh-key: "SHA256:..." */
	int64_t		 created_at;
	size_t		 nprinters;	/* credential_list: printers using it */
	size_t		 ngroups;	/* credential_list: groups using it */
	char		*secret[CREDENTIAL_NSECRETS]; /* NULL unless loaded */
};

struct credential_set {
	struct credential *v;
	size_t		 n;
};

int credential_kind_parse(const char *, enum credential_kind *, char **cause);
const char *credential_kind_name(enum credential_kind);
/* "MD5", "SHA", "SHA-256" (case-insensitive; "SHA1" too); NULL for none. */
int credential_auth_parse(const char *, enum credential_auth *, char **cause);
const char *credential_auth_name(enum credential_auth);
/* "DES" or "AES" (AES-128-CFB); NULL for none. */
int credential_priv_parse(const char *, enum credential_priv *, char **cause);
const char *credential_priv_name(enum credential_priv);
/* "noAuthNoPriv", "authNoPriv" or "authPriv". */
const char *credential_usm_level(const struct credential *);
/* A name is 1-64 characters of [A-Za-z0-9._-], not starting with '-'. */
int credential_check_name(const char *, char **cause);

/*
 * Check the public fields of C for its kind: user required for user,
 * domain and snmp-usm, --id digits only, priv only with auth, no field
 * that the kind does not use.
 */
int credential_check_public(const struct credential *, char **cause);
/*
 * Check everything, secrets too (non-empty, USM passphrases of at least 8
 * characters, an SSH key OpenSSL can read), and fill the attributes that
 * derive from secrets (has_write, key_type, fingerprint).
 */
int credential_validate(struct credential *, char **cause);
/*
 * The secrets C still needs, in the order a secret file or stdin gives
 * them (one a line): fills ORDER and OPTIONAL (room for
 * CREDENTIAL_NSECRETS) and returns how many. Secrets already set are
 * skipped (an ssh-key's key comes from a file; its passphrase is asked
 * only when the key is encrypted).
 */
size_t credential_secret_order(const struct credential *,
    enum credential_secret *order, bool *optional);

/*
 * An SSH private key (OpenSSH or PEM): whether it is encrypted, its SSH
 * type and SHA-256 fingerprint (caller frees). With PASS, a PEM key is
 * decrypted to prove it (an OpenSSH key's passphrase is checked at login).
 */
int credential_ssh_key_parse(const char *key, const char *pass,
    bool *encrypted, char **type, char **fingerprint, char **cause);

/*
 * The store. Functions that change it run in the caller's transaction, or
 * in their own when called outside one; each change is audited (names and
 * public attributes, never a secret).
 */

/* Validate, seal and insert C (its id is set); fails if the name exists. */
int credential_add(struct store *, const struct vault *, struct credential *,
    char **cause);
/*
 * Remove NAME. Refused while printers or groups use it (the cause names
 * them) unless FORCE; with FORCE their lists lose it.
 */
int credential_remove(struct store *, const char *name, bool force,
    char **cause);
/* Every credential by name, public fields and usage counts, no secret. */
int credential_list(struct store *, struct credential_set **, char **cause);
/* Credential NAME's public fields, or -1 with "no credential named". */
int credential_find(struct store *, const char *name, struct credential **,
    char **cause);
/*
 * Credential ID with its secrets opened (for the transports). The caller
 * frees with credential_free, which wipes them.
 */
int credential_load(struct store *, const struct vault *, int64_t id,
    struct credential **, char **cause);
/* Open the secrets of C (public fields loaded, e.g. from a set). */
int credential_unseal(struct store *, const struct vault *,
    struct credential *, char **cause);

/* Replace printer ID's (or GROUP's) ordered list by NAMES (N may be 0). */
int credential_set_printer(struct store *, int64_t printer_id,
    const char *const *names, size_t n, char **cause);
int credential_set_group(struct store *, const char *group,
    const char *const *names, size_t n, char **cause);
/* Printer ID's own list, or GROUP's, in order (public fields). */
int credential_printer_list(struct store *, int64_t printer_id,
    struct credential_set **, char **cause);
int credential_group_list(struct store *, const char *group,
    struct credential_set **, char **cause);
/*
 * The names of the printers and of the groups whose lists hold credential
 * ID, at most MAX of each, ", "-joined and sorted (NULL when none; caller
 * frees). No secret is read.
 */
int credential_usage(struct store *, int64_t id, size_t max, char **printers,
    char **groups, char **cause);
/*
 * What to try for printer ID, in order: its own list, then its group's,
 * each credential once (public fields; unseal those you use).
 */
int credential_resolve(struct store *, int64_t printer_id,
    struct credential_set **, char **cause);

/* Wipe and free C's secrets, leaving the public fields. */
void credential_wipe(struct credential *);
/* Free (wiping secrets); accept NULL and NULL the pointer. */
void credential_free(struct credential **);
void credential_set_free(struct credential_set **);

#endif
