/*
 * quire-sim: a fleet of simulated printers. This header is the core shared
 * by the simulator's parts (sim-snmp, sim-ssh, sim-shell, sim-https): the
 * fleet file, each printer's fixed identity and credentials, and its
 * persisted state (setting values, counters, certificates, policy), with
 * one lock per printer. Nothing here touches the network.
 *
 * Values are catalog text, as catalog_check_value() takes them: "true",
 * "42", "dhcp", "10.0.0.1,10.0.0.2". Secrets are ordinary values here: it
 * is a simulator and its test credentials are not secret.
 */
#ifndef QUIRE_SIM_H
#define QUIRE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"

enum sim_login_kind {
	SIM_LOGIN_USER,		/* user + password */
	SIM_LOGIN_DOMAIN,	/* DOMAIN\user + password */
	SIM_LOGIN_SYSMGR,	/* keyboard-interactive "System Manager ID:" "PIN:" */
	SIM_LOGIN_PASSWORD,	/* any user name + the device password */
};

enum sim_auth { SIM_AUTH_NONE, SIM_AUTH_MD5, SIM_AUTH_SHA, SIM_AUTH_SHA256 };
enum sim_priv { SIM_PRIV_NONE, SIM_PRIV_DES, SIM_PRIV_AES };

struct sim_login {
	enum sim_login_kind	 kind;
	char			*user;		/* USER, DOMAIN */
	char			*domain;	/* DOMAIN */
	char			*id;		/* SYSMGR: numeric ID */
	char			*secret;	/* password, or the PIN */
};

struct sim_usm {
	char		*user;		/* NULL: no v3 */
	enum sim_auth	 auth;
	char		*auth_pass;
	enum sim_priv	 priv;
	char		*priv_pass;
};

/* Fault knobs; a model's are the defaults of its printers. */
struct sim_faults {
	unsigned	  latency_ms;	/* before every SNMP answer and shell reply */
	unsigned	  loss_pct;	/* SNMP requests dropped at random, 0..100 */
	bool		  timeout;	/* never answers SNMP */
	bool		  refuse_login;	/* every SSH login fails */
	char		**locked;	/* setting key globs locked by policy */
	size_t		  nlocked;
	unsigned	  reboot_after_sets; /* reboots itself after N SETs; 0 never */
	unsigned	  reboot_ms;	/* unreachable this long when rebooting */
	bool		  hostile;	/* escape sequences, bad UTF-8, 255 bytes
					   in sysName and sysLocation */
};

struct sim_model {
	char		*name;
	char		*descr;		/* sysDescr, hrDeviceDescr */
	char		*sys_object_id;	/* dotted */
	char		*firmware;
	bool		 vendor_subtree; /* serves 1.3.6.1.4.1.32473 */
	bool		 shell;		/* has the management shell over SSH */
	bool		 https;
	struct sim_faults faults;
};

struct sim_printer;
struct sim_fleet;

/* Where the printers listen. */
enum sim_addressing {
	SIM_ADDR_LOOPBACK,	/* own address 127.0.x.y each, fixed ports */
	SIM_ADDR_PORTS,		/* 127.0.0.1, a port each from the bases */
	SIM_ADDR_AUTO_PORTS,	/* 127.0.0.1, ports chosen by the kernel */
};

struct sim_options {
	enum sim_addressing addressing;
	bool		 addressing_set; /* else: loopback as root, else ports */
	const char	*base;		/* first loopback address, "127.0.1.1" */
	unsigned	 snmp_port;	/* loopback: the port; ports: the base */
	unsigned	 ssh_port;
	unsigned	 https_port;
};

/*
 * Load the fleet file PATH against CATALOG (borrowed; must outlive the
 * fleet) and lay out the addresses by OPTS (NULL: the file's own). Errors
 * name FILE:LINE:COLUMN. Returns 0 or -1 with *cause (caller frees).
 */
int sim_fleet_load(const char *path, const struct catalog *catalog,
    const struct sim_options *opts, struct sim_fleet **out, char **cause);
/* Open (creating, 0600) the state in DIR and load every printer's state:
 * persisted values, or the catalog defaults on first start. */
int sim_fleet_open_state(struct sim_fleet *, const char *dir, char **cause);
/* The same without counting a start (no engine boot, uptime kept): for
 * `quire-sim shell`, beside a running simulator on the same DIR. */
int sim_fleet_attach_state(struct sim_fleet *, const char *dir,
    char **cause);
void sim_fleet_free(struct sim_fleet **);

const struct catalog *sim_fleet_catalog(const struct sim_fleet *);
size_t sim_fleet_count(const struct sim_fleet *);
struct sim_printer *sim_fleet_printer(struct sim_fleet *, size_t i);
struct sim_printer *sim_fleet_find(struct sim_fleet *, const char *name);
/* The state directory (for host keys and the like); NULL before open. */
const char *sim_fleet_state_dir(const struct sim_fleet *);

/*
 * The line printed for each printer by --list and at start:
 * "NAME model=M snmp=ADDR:PORT ssh=ADDR:PORT|- https=ADDR:PORT|-" (PORT
 * "auto" before a kernel-chosen port is bound), then "site=S serial=S" and
 * the credentials it accepts as key=value fields: community=,
 * write_community= (v1/v2c), v3_user= v3_auth=MD5|SHA|SHA-256|none
 * v3_auth_pass= v3_priv=DES|AES|none v3_priv_pass=, one field per login
 * (user=NAME:PASSWORD, domain=DOMAIN\USER:PASSWORD, sysmgr=ID:PIN,
 * password=PASSWORD), policy_password= (the fleet file's), and faults=K,K:N
 * when it has any. Owned by the caller. src/simctl.c parses it.
 */
char *sim_printer_describe(const struct sim_printer *);

/* Fixed identity: borrowed, valid for the fleet's life. */
const char *sim_printer_name(const struct sim_printer *);
const char *sim_printer_site(const struct sim_printer *);
const char *sim_printer_serial(const struct sim_printer *);
const struct sim_model *sim_printer_model(const struct sim_printer *);
const struct sim_faults *sim_printer_faults(const struct sim_printer *);
size_t sim_printer_index(const struct sim_printer *);
/* The SNMP engine ID (RFC 3411 format, enterprise 32473). */
const unsigned char *sim_printer_engine_id(const struct sim_printer *,
    size_t *len);

/* Addresses as numeric host and port; port 0 when not served. After
 * binding a kernel-chosen port, the binder records it with _set_port. */
const char *sim_printer_host(const struct sim_printer *);
unsigned sim_printer_snmp_port(const struct sim_printer *);
unsigned sim_printer_ssh_port(const struct sim_printer *);
unsigned sim_printer_https_port(const struct sim_printer *);
enum sim_service { SIM_SNMP, SIM_SSH, SIM_HTTPS };
void sim_printer_set_port(struct sim_printer *, enum sim_service, unsigned);

/* Credentials, borrowed. community_rw may be NULL (read-only agent). */
const char *sim_printer_community_ro(const struct sim_printer *);
const char *sim_printer_community_rw(const struct sim_printer *);
bool sim_printer_v1(const struct sim_printer *);	/* v1 and v2c served */
const struct sim_usm *sim_printer_usm(const struct sim_printer *);

/* SSH logins (false also while refuse_login or rebooting). USER may be
 * "DOMAIN\\user". Thread-safe. */
bool sim_login_password(struct sim_printer *, const char *user,
    const char *password);
bool sim_login_sysmgr(struct sim_printer *, const char *id, const char *pin);
/* The login kinds this printer accepts (for the shell's banner/tests). */
const struct sim_login *sim_printer_logins(const struct sim_printer *,
    size_t *n);

/*
 * Whether the printer has SETTING at all: a model without the vendor
 * subtree lacks vendor-OID settings; one without a shell lacks shell-only
 * settings.
 */
bool sim_printer_supports(const struct sim_printer *,
    const struct catalog_setting *);

/* The current value (owned by the caller), or -1 if not supported. */
int sim_value_get(struct sim_printer *, const struct catalog_setting *,
    char **value);

enum sim_set_status {
	SIM_SET_OK,
	SIM_SET_UNSUPPORTED,	/* the printer has no such setting */
	SIM_SET_NOT_WRITABLE,	/* read-only */
	SIM_SET_WRONG_VALUE,	/* fails catalog_check_value */
	SIM_SET_LOCKED,		/* locked by policy (a fault knob) */
	SIM_SET_DOWN,		/* rebooting */
	SIM_SET_FAILED,		/* could not persist (disk) */
};

struct sim_change {
	const struct catalog_setting	*setting;
	const char			*value;
};

/*
 * Apply CHANGES all or none (validated first, then written and persisted in
 * one transaction; prtGeneralConfigChanges grows by the settings changed).
 * On refusal returns the status with *bad the index of the first refused
 * change and *cause its reason (caller frees). Thread-safe.
 */
enum sim_set_status sim_values_set(struct sim_printer *,
    const struct sim_change *, size_t n, size_t *bad, char **cause);

/* prtGeneralConfigChanges. */
uint32_t sim_printer_config_changes(struct sim_printer *);
/* Hundredths of a second since the printer last (re)booted (sysUpTime). */
uint32_t sim_printer_uptime(struct sim_printer *);
/* Go down for reboot_ms (no SNMP, SSH, HTTPS answers), then come back
 * with uptime 0 and the same persisted values. Counts engine boots. */
void sim_printer_reboot(struct sim_printer *);
bool sim_printer_is_down(struct sim_printer *);
/* SNMPv3 snmpEngineBoots (persisted, grows at each start and reboot). */
uint32_t sim_printer_engine_boots(struct sim_printer *);
/* Count one SET request; reboots the printer when reboot_after_sets says. */
void sim_printer_count_set(struct sim_printer *);

/* Certificates and keys (PEM). Thread-safe; persisted. */
struct sim_cert {
	char	*name;
	char	*cert_pem;	/* the certificate, then any chain */
	char	*key_pem;	/* NULL when the key is not on the printer */
	bool	 in_use;	/* presented on the HTTPS port */
};
int sim_cert_list(struct sim_printer *, struct sim_cert **out, size_t *n);
void sim_cert_list_free(struct sim_cert **, size_t n);
/* Add or replace NAME; the cert must match KEY_PEM, or a key made by a
 * previous sim_cert_csr(NAME) when KEY_PEM is NULL. */
int sim_cert_put(struct sim_printer *, const char *name, const char *cert_pem,
    const char *key_pem, char **cause);
/* Make a key pair NAME on the printer and return a CSR for SUBJECT (e.g.
 * "/CN=printer.example"), PEM, owned by the caller. */
int sim_cert_csr(struct sim_printer *, const char *name, const char *subject,
    char **csr_pem, char **cause);
/* Present NAME on HTTPS from the next handshake. The certificate in use is
 * also the setting tls.certificate: setting it (SNMP, import) does this,
 * and a name that is no certificate with its key is SIM_SET_WRONG_VALUE. */
int sim_cert_use(struct sim_printer *, const char *name, char **cause);
/* Refuses the certificate in use. */
int sim_cert_delete(struct sim_printer *, const char *name, char **cause);
/* The certificate and key presented on HTTPS (owned), made self-signed on
 * first start. Changes take effect for the next TLS handshake. */
int sim_cert_current(struct sim_printer *, char **cert_pem, char **key_pem,
    char **cause);

/* Security policy: the printer's security settings guarded by a policy
 * password. */
bool sim_policy_check(struct sim_printer *, const char *password);
int sim_policy_passwd(struct sim_printer *, const char *old_password,
    const char *new_password, char **cause);
/* How many times the policy was applied (overwritten). */
uint32_t sim_policy_applied(struct sim_printer *);
void sim_policy_count_apply(struct sim_printer *);

#endif
