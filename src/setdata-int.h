/*
 * Inside setting data: the set itself, the error list, the YAML scalar
 * writer and the passphrase encryption of secrets. Only src/setdata*.c
 * include this.
 */
#ifndef QUIRE_SETDATA_INT_H
#define QUIRE_SETDATA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "setdata.h"

/* The most settings one set holds, and the largest file parsed. */
#define SETDATA_MAX_ENTRIES	10000
#define SETDATA_MAX_FILE	(16 * 1024 * 1024)
/* After this many problems the rest are summed up in one line. */
#define SETDATA_MAX_ERRORS	200
/* The tag of an encrypted secret. */
#define SETDATA_TAG_ENCRYPTED	"!encrypted"

struct setdata_entry {
	char	*key;
	char	*value;		/* NULL: a secret whose value is not known */
	bool	 secret;
};

struct setdata {
	char			*name;		/* NULL when the file had none */
	char			*model;
	struct setdata_entry	*v;
	size_t			 n;
	size_t			 cap;
};

/* Append "NAME:LINE:COLUMN: reason" (1-based) to ERRS. */
void setdata_errors_add(struct setdata_errors *, const char *name,
    size_t line, size_t column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The entry index of KEY, or -1. */
long setdata_find(const struct setdata *, const char *key);

/* Write S to F as a double-quoted YAML scalar that reads back as S. */
void setdata_yaml_quote(FILE *f, const char *s);

/*
 * Passphrase encryption of one secret: scrypt (one salt per writer) and
 * AES-256-GCM through the vault, the key bound as additional data. The
 * text is "scrypt:N=..,r=..,p=..:SALT:BASE64(nonce | sealed)".
 */
struct setdata_crypt;
int setdata_crypt_new(const char *passphrase, struct setdata_crypt **,
    char **cause);
void setdata_crypt_free(struct setdata_crypt **);
int setdata_crypt_seal(struct setdata_crypt *, const char *key,
    const char *value, char **text, char **cause);
/* Open TEXT for KEY, deriving (and caching) the key its salt asks for. */
int setdata_crypt_open(struct setdata_crypt *, const char *key,
    const char *text, char **value, char **cause);

/* A copy of S safe for a message: sanitised and at most 64 bytes. */
char *setdata_shown(const char *s);

#endif
