#include "config.h"

#include "snmp.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "log.h"
#include "text.h"
#include "xmalloc.h"

#define SNMP_PORT_DEFAULT	161
#define SNMP_TIMEOUT_DEFAULT_MS	1000
#define SNMP_RETRIES_MAX	100
/* The printer is among the first rows of hrDeviceTable; stop a long table. */
#define SNMP_WALK_ROWS		64
#define SNMP_WALK_REPS		16
/* A directory that cannot exist, for net-snmp's files. */
#define SNMP_NOWHERE		"/dev/null/quire-snmp"
#define SNMP_NITEMS(a)		(sizeof (a) / sizeof (a)[0])

/* An open v2c session to one target, used by one thread. */
struct snmp_conn {
	void		*sess;
	char		 peer[128];	/* net-snmp peername: udp:A:P, udp6:[A]:P */
	unsigned	 timeout_ms;
	unsigned	 retries;
	int		 answered;	/* some request got a response */
};

/* An object to GET and where its value goes in struct snmp_identity. */
struct snmp_field {
	const oid	*name;
	size_t		 len;
	size_t		 off;
	int		 is_oid;	/* render an OBJECT IDENTIFIER, not text */
};

/* Where the hrDeviceType walk is. */
struct snmp_walk {
	oid		 cur[MAX_OID_LEN];
	size_t		 curlen;
	unsigned	 rows;
	long		 index;		/* the printer's hrDeviceIndex, or 0 */
	int		 done;
};

static const oid snmp_oid_sys_descr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
static const oid snmp_oid_sys_object_id[] = { 1, 3, 6, 1, 2, 1, 1, 2, 0 };
static const oid snmp_oid_sys_name[] = { 1, 3, 6, 1, 2, 1, 1, 5, 0 };
static const oid snmp_oid_hr_device_type[] =
    { 1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 2 };
static const oid snmp_oid_hr_device_printer[] =
    { 1, 3, 6, 1, 2, 1, 25, 3, 1, 5 };
static const oid snmp_oid_hr_device_descr[] =
    { 1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3 };
static const oid snmp_oid_prt_serial[] =
    { 1, 3, 6, 1, 2, 1, 43, 5, 1, 1, 17 };

static const struct snmp_field snmp_fields_system[] = {
	{ snmp_oid_sys_descr, SNMP_NITEMS(snmp_oid_sys_descr),
	  offsetof(struct snmp_identity, sys_descr), 0 },
	{ snmp_oid_sys_object_id, SNMP_NITEMS(snmp_oid_sys_object_id),
	  offsetof(struct snmp_identity, sys_object_id), 1 },
	{ snmp_oid_sys_name, SNMP_NITEMS(snmp_oid_sys_name),
	  offsetof(struct snmp_identity, sys_name), 0 },
};

static pthread_once_t snmp_transport_once_control = PTHREAD_ONCE_INIT;
/* Set by snmp_transport_once; cleared by snmp_transport_shutdown. */
static int snmp_transport_ready;

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
	snmp_shutdown("quire");
	snmp_transport_ready = 0;
}

void
snmp_identity_clear(struct snmp_identity *id)
{
	if (id == NULL)
		return;
	xfree(&id->sys_descr);
	xfree(&id->sys_object_id);
	xfree(&id->sys_name);
	xfree(&id->hr_device_descr);
	xfree(&id->serial);
}

/* A PDU of type CMD; net-snmp's allocation failure aborts like xmalloc. */
static netsnmp_pdu *
snmp_pdu_new(int cmd)
{
	netsnmp_pdu *pdu;

	if ((pdu = snmp_pdu_create(cmd)) == NULL) {
		log_error("out of memory");
		abort();
	}
	return pdu;
}

static void
snmp_pdu_add(netsnmp_pdu *pdu, const oid *name, size_t len)
{
	if (snmp_add_null_var(pdu, name, len) == NULL) {
		log_error("out of memory");
		abort();
	}
}

/* Resolve HOST into a numeric net-snmp peer name in C->peer. */
static int
snmp_conn_peer(struct snmp_conn *c, const char *host, unsigned port,
    char **cause)
{
	struct addrinfo hints, *res;
	char addr[NI_MAXHOST], *safe;
	int error;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((error = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		safe = text_sanitize(host, strlen(host));
		*cause = xasprintf("cannot resolve host '%s': %s", safe,
		    error == EAI_SYSTEM ? strerror(errno) : gai_strerror(error));
		free(safe);
		return -1;
	}
	error = getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof addr,
	    NULL, 0, NI_NUMERICHOST);
	if (error == 0)
		snprintf(c->peer, sizeof c->peer, res->ai_family == AF_INET6 ?
		    "udp6:[%s]:%u" : "udp:%s:%u", addr, port);
	freeaddrinfo(res);
	if (error != 0) {
		safe = text_sanitize(host, strlen(host));
		*cause = xasprintf("cannot use the address of '%s': %s", safe,
		    gai_strerror(error));
		free(safe);
		return -1;
	}
	return 0;
}

/* Check TARGET and fill C with its limits and peer name. */
static int
snmp_conn_setup(struct snmp_conn *c, const struct snmp_target *t,
    char **cause)
{
	memset(c, 0, sizeof *c);
	if (t->host == NULL || *t->host == '\0') {
		*cause = xstrdup("no host given");
		return -1;
	}
	if (t->community == NULL) {
		*cause = xstrdup("no SNMP community given");
		return -1;
	}
	if (t->port > 65535) {
		*cause = xasprintf("invalid port %u", t->port);
		return -1;
	}
	c->timeout_ms = t->timeout_ms ? t->timeout_ms : SNMP_TIMEOUT_DEFAULT_MS;
	c->retries = t->retries > SNMP_RETRIES_MAX ? SNMP_RETRIES_MAX :
	    t->retries;
	return snmp_conn_peer(c, t->host, t->port ? t->port : SNMP_PORT_DEFAULT,
	    cause);
}

/* Open a v2c session to TARGET. */
static int
snmp_conn_open(struct snmp_conn *c, const struct snmp_target *t,
    char **cause)
{
	netsnmp_session s;
	char *msg = NULL;
	int cerr, serr;

	if (snmp_conn_setup(c, t, cause) != 0)
		return -1;
	snmp_sess_init(&s);
	s.version = SNMP_VERSION_2c;
	s.peername = c->peer;
	s.community = (u_char *)t->community;	/* copied by snmp_sess_open */
	s.community_len = strlen(t->community);
	s.timeout = (long)c->timeout_ms * 1000L;
	s.retries = (int)c->retries;
	if ((c->sess = snmp_sess_open(&s)) == NULL) {
		snmp_error(&s, &cerr, &serr, &msg);
		*cause = xasprintf("cannot open an SNMP session to %s: %s",
		    c->peer, msg != NULL ? msg : "unknown error");
		free(msg);
		return -1;
	}
	return 0;
}

static void
snmp_conn_timeout(const struct snmp_conn *c, const char *what, char **cause)
{
	unsigned attempts = c->retries + 1;
	const char *plural = attempts == 1 ? "" : "s";

	if (!c->answered) {
		*cause = xasprintf("no answer (wrong community or unreachable): "
		    "timeout after %u attempt%s of %u ms", attempts, plural,
		    c->timeout_ms);
	} else {
		*cause = xasprintf("no answer to the %s request (earlier ones "
		    "were answered): timeout after %u attempt%s of %u ms", what,
		    attempts, plural, c->timeout_ms);
	}
}

/* Send PDU (always consumed); *RESP is an error-free response or NULL. */
static int
snmp_conn_request(struct snmp_conn *c, netsnmp_pdu *pdu, netsnmp_pdu **resp,
    const char *what, char **cause)
{
	char *msg = NULL;
	int status, cerr, serr;

	*resp = NULL;
	status = snmp_sess_synch_response(c->sess, pdu, resp);
	if (status == STAT_SUCCESS && *resp != NULL) {
		c->answered = 1;
		if ((*resp)->errstat == SNMP_ERR_NOERROR)
			return 0;
		*cause = xasprintf("the %s request was refused: %s "
		    "(error-index %ld)", what, snmp_errstring((*resp)->errstat),
		    (*resp)->errindex);
	} else if (status == STAT_TIMEOUT)
		snmp_conn_timeout(c, what, cause);
	else {
		snmp_sess_error(c->sess, &cerr, &serr, &msg);
		*cause = xasprintf("the %s request failed: %s", what,
		    msg != NULL ? msg : "unknown error");
		free(msg);
	}
	snmp_free_pdu(*resp);
	*resp = NULL;
	return -1;
}

/* OCTET STRING as sanitised text; anything else (noSuchObject...) NULL. */
static char *
snmp_value_text(const netsnmp_variable_list *vb)
{
	if (vb->type != ASN_OCTET_STR)
		return NULL;
	if (vb->val.string == NULL || vb->val_len == 0)
		return xstrdup("");
	return text_sanitize((const char *)vb->val.string, vb->val_len);
}

/* OBJECT IDENTIFIER as dotted numbers, or NULL. */
static char *
snmp_value_oid(const netsnmp_variable_list *vb)
{
	size_t n, i, size, off = 0;
	char *s;
	int w;

	if (vb->type != ASN_OBJECT_ID || vb->val.objid == NULL)
		return NULL;
	if ((n = vb->val_len / sizeof (oid)) == 0)
		return NULL;
	size = n * 22 + 1;
	s = xmalloc(size);
	for (i = 0; i < n && off < size; i++) {
		w = snprintf(s + off, size - off, "%s%lu", i == 0 ? "" : ".",
		    (unsigned long)vb->val.objid[i]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return s;
}

static void
snmp_field_store(const struct snmp_field *f, const netsnmp_variable_list *vb,
    struct snmp_identity *id)
{
	char **slot = (char **)((char *)id + f->off);

	free(*slot);
	*slot = f->is_oid ? snmp_value_oid(vb) : snmp_value_text(vb);
	if (*slot == NULL && vb->type != SNMP_NOSUCHOBJECT &&
	    vb->type != SNMP_NOSUCHINSTANCE && vb->type != SNMP_ENDOFMIBVIEW)
		log_debug("unexpected ASN.1 type 0x%02x ignored", vb->type);
}

/* GET the N objects of F in one request and store what comes back. */
static int
snmp_get_fields(struct snmp_conn *c, const struct snmp_field *f, size_t n,
    struct snmp_identity *id, const char *what, char **cause)
{
	netsnmp_pdu *pdu, *resp;
	netsnmp_variable_list *vb;
	size_t i;

	pdu = snmp_pdu_new(SNMP_MSG_GET);
	for (i = 0; i < n; i++)
		snmp_pdu_add(pdu, f[i].name, f[i].len);
	if (snmp_conn_request(c, pdu, &resp, what, cause) != 0)
		return -1;
	/* Match by name: an agent's answer need not keep our order. */
	for (vb = resp->variables; vb != NULL; vb = vb->next_variable) {
		for (i = 0; i < n; i++) {
			if (snmp_oid_compare(vb->name, vb->name_length,
			    f[i].name, f[i].len) == 0)
				snmp_field_store(&f[i], vb, id);
		}
	}
	snmp_free_pdu(resp);
	return 0;
}

/* One row of the hrDeviceType walk; sets W->done at its end. */
static void
snmp_walk_row(struct snmp_walk *w, const netsnmp_variable_list *vb)
{
	const oid *prefix = snmp_oid_hr_device_type;
	size_t plen = SNMP_NITEMS(snmp_oid_hr_device_type);

	/* Leaving the column, or an agent that does not move forward. */
	if (vb->type == SNMP_ENDOFMIBVIEW || vb->type == SNMP_NOSUCHOBJECT ||
	    vb->type == SNMP_NOSUCHINSTANCE || vb->name_length <= plen ||
	    vb->name_length > MAX_OID_LEN ||
	    netsnmp_oid_is_subtree(prefix, plen, vb->name,
	    vb->name_length) != 0 ||
	    snmp_oid_compare(vb->name, vb->name_length, w->cur,
	    w->curlen) <= 0) {
		w->done = 1;
		return;
	}
	memcpy(w->cur, vb->name, vb->name_length * sizeof (oid));
	w->curlen = vb->name_length;
	w->rows++;
	if (vb->name_length == plen + 1 && vb->type == ASN_OBJECT_ID &&
	    vb->val.objid != NULL && snmp_oid_compare(vb->val.objid,
	    vb->val_len / sizeof (oid), snmp_oid_hr_device_printer,
	    SNMP_NITEMS(snmp_oid_hr_device_printer)) == 0 &&
	    vb->name[plen] >= 1 && vb->name[plen] <= INT32_MAX) {
		w->index = (long)vb->name[plen];
		w->done = 1;
	}
}

/* Walk hrDeviceType (bounded) for hrDevicePrinter; *INDEX 0 if none. */
static int
snmp_find_printer(struct snmp_conn *c, long *index, char **cause)
{
	struct snmp_walk w;
	netsnmp_pdu *pdu, *resp;
	netsnmp_variable_list *vb;
	unsigned left;

	memset(&w, 0, sizeof w);
	memcpy(w.cur, snmp_oid_hr_device_type, sizeof snmp_oid_hr_device_type);
	w.curlen = SNMP_NITEMS(snmp_oid_hr_device_type);
	while (!w.done && w.rows < SNMP_WALK_ROWS) {
		left = SNMP_WALK_ROWS - w.rows;
		pdu = snmp_pdu_new(SNMP_MSG_GETBULK);
		pdu->non_repeaters = 0;
		pdu->max_repetitions = left < SNMP_WALK_REPS ? left :
		    SNMP_WALK_REPS;
		snmp_pdu_add(pdu, w.cur, w.curlen);
		if (snmp_conn_request(c, pdu, &resp, "hrDeviceType walk",
		    cause) != 0)
			return -1;
		if (resp->variables == NULL)
			w.done = 1;
		for (vb = resp->variables; vb != NULL && !w.done &&
		    w.rows < SNMP_WALK_ROWS; vb = vb->next_variable)
			snmp_walk_row(&w, vb);
		snmp_free_pdu(resp);
	}
	*index = w.index;
	return 0;
}

/* GET hrDeviceDescr and prtGeneralSerialNumber of device INDEX. */
static int
snmp_get_printer(struct snmp_conn *c, long index, struct snmp_identity *id,
    char **cause)
{
	oid descr[MAX_OID_LEN], serial[MAX_OID_LEN];
	size_t dlen = SNMP_NITEMS(snmp_oid_hr_device_descr);
	size_t slen = SNMP_NITEMS(snmp_oid_prt_serial);
	struct snmp_field f[] = {
		{ descr, dlen + 1,
		  offsetof(struct snmp_identity, hr_device_descr), 0 },
		{ serial, slen + 1, offsetof(struct snmp_identity, serial), 0 },
	};

	memcpy(descr, snmp_oid_hr_device_descr, sizeof snmp_oid_hr_device_descr);
	descr[dlen] = (oid)index;
	memcpy(serial, snmp_oid_prt_serial, sizeof snmp_oid_prt_serial);
	serial[slen] = (oid)index;
	return snmp_get_fields(c, f, SNMP_NITEMS(f), id, "printer device",
	    cause);
}

int
snmp_identify(const struct snmp_target *t, struct snmp_identity *id,
    char **cause)
{
	struct snmp_conn c;
	long index = 0;
	int rc = -1;

	memset(id, 0, sizeof *id);
	snmp_transport_init();
	if (snmp_conn_open(&c, t, cause) != 0)
		return -1;
	log_debug("identify %s (timeout %u ms, retries %u)", c.peer,
	    c.timeout_ms, c.retries);
	if (snmp_get_fields(&c, snmp_fields_system,
	    SNMP_NITEMS(snmp_fields_system), id, "system group", cause) == 0 &&
	    snmp_find_printer(&c, &index, cause) == 0 &&
	    (index == 0 || snmp_get_printer(&c, index, id, cause) == 0))
		rc = 0;
	snmp_sess_close(c.sess);
	if (rc != 0) {
		log_debug("identify %s: %s", c.peer, *cause);
		snmp_identity_clear(id);
	} else
		log_debug("identify %s: printer device %ld", c.peer, index);
	return rc;
}
