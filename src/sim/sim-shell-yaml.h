/*
 * YAML for the management shell's payloads: a writer of scalars that quotes
 * only where YAML would otherwise read something else, and a reader of
 * setting data ("quire: setting-data/1") that keeps each value's text and
 * where it stood, for per-setting results.
 */
#ifndef QUIRE_SIM_SHELL_YAML_H
#define QUIRE_SIM_SHELL_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Write S to F as a YAML scalar: plain when YAML reads it back as the same
 * string, else double-quoted with escapes (invalid UTF-8 bytes as \xNN).
 */
void sim_shell_yaml_scalar(FILE *f, const char *s);
/* True when S must be quoted to stay a string. */
bool sim_shell_yaml_needs_quotes(const char *s);

/* One entry of the settings: map, in document order. */
struct sim_shell_yaml_entry {
	char	*key;
	char	*value;		/* scalar text; a sequence joined with "," */
	bool	 plain;		/* an unquoted scalar */
	bool	 null;		/* no value: empty, "~" or "null" unquoted */
	bool	 seq;		/* given as a sequence */
	char	*error;		/* why the entry cannot be used, or NULL */
	size_t	 line;		/* of the key, 1-based */
	size_t	 column;
};

struct sim_shell_yaml_setdata {
	char			*name;		/* NULL when absent */
	char			*model;
	struct sim_shell_yaml_entry	*entries;
	size_t			 n;
};

/*
 * Read setting data from BUF (LEN bytes). Entries that cannot be used (a
 * duplicate key, a list item with a comma) carry an error; a document that
 * is not setting data fails with *cause "LINE:COLUMN: reason" (caller
 * frees). Aliases, tags and nested mappings are refused.
 */
int sim_shell_yaml_read_setdata(const char *buf, size_t len,
    struct sim_shell_yaml_setdata **out, char **cause);
void sim_shell_yaml_setdata_free(struct sim_shell_yaml_setdata **);

#endif
