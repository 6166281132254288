/* The management shell's insides, shared by its command files. */
#ifndef QUIRE_SIM_SHELL_INT_H
#define QUIRE_SIM_SHELL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim.h"
#include "sim-shell-yaml.h"

/* One command run: the printer, stdin, and the replies being built. */
struct sim_shell {
	struct sim_fleet	*fleet;
	struct sim_printer	*printer;
	const struct catalog	*catalog;
	int			 in_fd;
	FILE			*out;		/* YAML for stdout */
	FILE			*err;		/* the error message */
	bool			 reboot;	/* once the reply is out */
};

/* A command: "settings get" with its arguments after the two words. */
struct sim_shell_cmd {
	const char	*name;
	const char	*args;		/* for usage and help */
	int		 min;		/* argument counts; max -1: any */
	int		 max;
	int		(*exec)(struct sim_shell *, int argc, char **argv);
};

extern const struct sim_shell_cmd sim_shell_cmd_settings_export;
extern const struct sim_shell_cmd sim_shell_cmd_settings_import;
extern const struct sim_shell_cmd sim_shell_cmd_settings_get;
extern const struct sim_shell_cmd sim_shell_cmd_cert_list;
extern const struct sim_shell_cmd sim_shell_cmd_cert_show;
extern const struct sim_shell_cmd sim_shell_cmd_cert_import;
extern const struct sim_shell_cmd sim_shell_cmd_cert_csr;
extern const struct sim_shell_cmd sim_shell_cmd_cert_use;
extern const struct sim_shell_cmd sim_shell_cmd_cert_delete;
extern const struct sim_shell_cmd sim_shell_cmd_policy_show;
extern const struct sim_shell_cmd sim_shell_cmd_policy_apply;
extern const struct sim_shell_cmd sim_shell_cmd_policy_passwd;
extern const struct sim_shell_cmd sim_shell_cmd_device_info;
extern const struct sim_shell_cmd sim_shell_cmd_device_reboot;

/* Write "error: MESSAGE" for stderr; returns 1, the exit status. */
int sim_shell_error(struct sim_shell *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Read stdin to its end into *BUF (NUL-terminated, owned by the caller),
 * at most SIM_SHELL_PAYLOAD_MAX bytes. -1 with the error written.
 */
int sim_shell_payload(struct sim_shell *, char **buf, size_t *len);
/*
 * Take the first line of *BUF (a password) into *LINE (owned by the
 * caller; "\r\n" or "\n" removed) and advance *BUF and *LEN past it. -1
 * with the error written when there is no line or it is too long.
 */
int sim_shell_take_line(struct sim_shell *, char **buf, size_t *len,
    char **line);

/* The setting with shell key KEY, or NULL. */
const struct catalog_setting *sim_shell_setting(const struct sim_shell *,
    const char *key);
/* Write "INDENTkey: value" with the value typed as the setting says. */
void sim_shell_write_setting(FILE *, const struct catalog_setting *,
    const char *value, const char *indent);
/* Write to F the printer's values of CATEGORY's settings (secrets left
 * out); returns how many. */
size_t sim_shell_write_category(struct sim_shell *, FILE *f,
    const struct catalog_category *, const char *indent);

/* The outcome of one setting of a payload. */
enum sim_shell_result {
	SIM_SHELL_APPLIED,
	SIM_SHELL_UNCHANGED,
	SIM_SHELL_CORRECTED,
	SIM_SHELL_REJECTED,
	SIM_SHELL_UNSUPPORTED,
};

struct sim_shell_item {
	const struct sim_shell_yaml_entry	*entry;
	const struct catalog_setting	*setting;	/* NULL: unknown key */
	char				*value;		/* normalised */
	enum sim_shell_result		 result;
	char				*reason;
};

/*
 * Turn ENTRY into a value the printer takes, as a printer normalises it
 * (see sim-shell-value.c), and decide what can be said before applying:
 * rejected, unsupported, unchanged, or to apply (applied or corrected).
 */
void sim_shell_item_prepare(struct sim_shell *, struct sim_shell_item *,
    const struct sim_shell_yaml_entry *entry);
void sim_shell_item_clear(struct sim_shell_item *);
/* The reason for a refused set, as the results say it. Owned. */
char *sim_shell_set_reason(enum sim_set_status, const char *cause);
/* Write the results: list of N items. */
void sim_shell_write_results(FILE *, const struct sim_shell_item *, size_t n);
const char *sim_shell_result_name(enum sim_shell_result);

#endif
