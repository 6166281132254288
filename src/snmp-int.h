/*
 * Inside the SNMP transport: shared by snmp*.c only. net-snmp is not
 * reentrant (its USM user list and engine-time cache are process-wide), so
 * every net-snmp call that builds, parses or opens goes under snmp_lib_lock.
 */
#ifndef QUIRE_SNMP_INT_H
#define QUIRE_SNMP_INT_H

#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "snmp.h"

#define SNMP_PORT_DEFAULT	161
#define SNMP_TIMEOUT_DEFAULT_MS	1000
#define SNMP_RETRIES_MAX	100
#define SNMP_NITEMS(a)		(sizeof (a) / sizeof (a)[0])

/* A prepared credential; immutable once made, shared between threads. */
struct snmp_key {
	int			 refs;		/* atomic */
	enum snmp_version	 version;
	char			*community;
	size_t			 community_len;
	char			*user;
	enum snmp_auth		 auth;
	enum snmp_priv		 priv;
	u_char			 auth_ku[USM_AUTH_KU_LEN];
	size_t			 auth_ku_len;
	u_char			 priv_ku[USM_PRIV_KU_LEN];
	size_t			 priv_ku_len;
};

/* snmp.c */
void snmp_lib_lock(void);
void snmp_lib_unlock(void);
/* Zero LEN bytes at P in a way the compiler keeps. */
void snmp_wipe(void *p, size_t len);
/* Wipe and free the NUL-terminated secret *S; NULL *S. */
void snmp_wipe_str(char **s);
/* The net-snmp protocol OIDs of KEY (NULL for none). */
const oid *snmp_key_auth_oid(const struct snmp_key *, size_t *len);
const oid *snmp_key_priv_oid(const struct snmp_key *, size_t *len);
/* Whether two keys speak the same way (same secrets too). */
int snmp_key_same(const struct snmp_key *, const struct snmp_key *);

/* snmp-value.c */
/* Parse dotted OID text into NAME (MAX_OID_LEN); 0 or -1. */
int snmp_oid_parse(const char *text, oid *name, size_t *len);
/* NAME as dotted text; caller frees. */
char *snmp_oid_text(const oid *name, size_t len);
/* Fill VB from net-snmp's variable V (VB overwritten). */
void snmp_varbind_fill(struct snmp_varbind *vb,
    const netsnmp_variable_list *v);
/* Fill VB as an exception of TYPE for NAME. */
void snmp_varbind_exception(struct snmp_varbind *vb, const oid *name,
    size_t len, enum snmp_type type);
void snmp_varbind_clear(struct snmp_varbind *vb);
/* Whether VB's type is one of the three exceptions. */
int snmp_varbind_is_exception(const struct snmp_varbind *vb);
/* Add SV to PDU; -1 with *cause for a value that cannot be encoded. */
int snmp_setvar_add(netsnmp_pdu *pdu, const struct snmp_setvar *sv,
    char **cause);
/* DisplayString bytes as sanitised text, trailing NULs dropped. */
char *snmp_display_text(const unsigned char *octets, size_t len);

/* snmp-usm.c: v3 users in net-snmp's process-wide table. */
/*
 * Make SESS (engine ID known) usable with KEY: create the USM user, or
 * share one made with the same secrets. Returns 0; 1 when another key for
 * the same user and engine is in use (try again later); -1 on error.
 * Call under snmp_lib_lock.
 */
int snmp_usm_acquire(netsnmp_session *sess, const struct snmp_key *key);
/* Release what snmp_usm_acquire took for SESS. Under snmp_lib_lock. */
void snmp_usm_release(const netsnmp_session *sess);
/* Forget every user (at shutdown). Under snmp_lib_lock. */
void snmp_usm_release_all(void);
/* Wipe the secrets in net-snmp's copy of a session before it is closed. */
void snmp_usm_wipe_session(netsnmp_session *sess);

#endif
