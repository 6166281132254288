/*
 * Secrets for the command line, never from argv: a prompt with echo off
 * when stdin is a terminal, else --secret-file F or stdin, one secret a
 * line. Buffers that held a secret are wiped before they are freed.
 */
#ifndef QUIRE_UI_SECRET_H
#define QUIRE_UI_SECRET_H

#include <stdbool.h>

struct secret_source;

/*
 * Secrets from FILE (--secret-file; refused, saying why, when group or
 * others may read it), or with FILE NULL from the terminal or stdin.
 * Caller frees with secret_source_free.
 */
int secret_source_open(const char *file, struct secret_source **,
    char **cause);
/* Wipe what is left unread and free; NULLs the pointer. */
void secret_source_free(struct secret_source **);
/* True when secrets are asked for on a terminal. */
bool secret_source_is_tty(const struct secret_source *);
/* True when a secret file has non-empty lines left (too many given). */
bool secret_source_has_more(const struct secret_source *);

/*
 * The next secret. On a terminal, LABEL + ": " is the prompt, asked again
 * when CONFIRM. *OUT is NULL for an OPTIONAL secret left empty or missing;
 * a required one that is empty or missing is an error naming LABEL.
 * Caller wipes and frees *OUT with vault_wipe_str.
 */
int secret_next(struct secret_source *, const char *label, bool confirm,
    bool optional, char **out, char **cause);

/* Ask on the terminal (stdin) with echo off; -1 if stdin is not one. */
int secret_prompt(const char *prompt, char **out, char **cause);

#endif
