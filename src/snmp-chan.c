/*
 * Sessions of the pool ("chans"): opening one per (peer, key, timing),
 * SNMPv3 engine discovery without blocking (net-snmp's own probe in
 * snmp_sess_open waits), the net-snmp callback, and the causes of timeouts
 * and v3 reports.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp-pool-int.h"
#include "log.h"
#include "text.h"
#include "xmalloc.h"

/* How long a chan may wait for another key of the same user to go. */
#define SNMP_PARK_MS		50
#define SNMP_PARK_MAX_MS	30000

static int
snmp_chan_peer(struct snmp_chan *c, const char *host, unsigned port,
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
		    error == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(error));
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

/* Unsolicited PDUs (late answers to requests given up on): ignored. */
static int
snmp_chan_stray(int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	return 1;
}

static void
snmp_chan_session_v3(netsnmp_session *s, const struct snmp_key *k)
{
	const oid *proto;
	size_t len;

	s->securityName = k->user;
	s->securityNameLen = strlen(k->user);
	s->securityModel = SNMP_SEC_MODEL_USM;
	s->securityLevel = k->auth == SNMP_AUTH_NONE ? SNMP_SEC_LEVEL_NOAUTH :
	    k->priv == SNMP_PRIV_NONE ? SNMP_SEC_LEVEL_AUTHNOPRIV :
	    SNMP_SEC_LEVEL_AUTHPRIV;
	if ((proto = snmp_key_auth_oid(k, &len)) != NULL) {
		s->securityAuthProto = (oid *)proto;
		s->securityAuthProtoLen = len;
		memcpy(s->securityAuthKey, k->auth_ku, k->auth_ku_len);
		s->securityAuthKeyLen = k->auth_ku_len;
	}
	if ((proto = snmp_key_priv_oid(k, &len)) != NULL) {
		s->securityPrivProto = (oid *)proto;
		s->securityPrivProtoLen = len;
		memcpy(s->securityPrivKey, k->priv_ku, k->priv_ku_len);
		s->securityPrivKeyLen = k->priv_ku_len;
	}
	/* Discovery is ours, asynchronous: see snmp_chan_probe. */
	s->flags |= SNMP_FLAGS_DONT_PROBE;
}

/* Open C's net-snmp session. */
static int
snmp_chan_open_session(struct snmp_chan *c, char **cause)
{
	netsnmp_session s;
	netsnmp_transport *t;
	char *msg = NULL;
	int cerr, serr;

	snmp_sess_init(&s);
	s.version = c->key->version == SNMP_V1 ? SNMP_VERSION_1 :
	    c->key->version == SNMP_V2C ? SNMP_VERSION_2c : SNMP_VERSION_3;
	s.peername = c->peer;
	s.timeout = (long)c->timeout_ms * 1000L;
	s.retries = (int)c->retries;
	s.callback = snmp_chan_stray;
	if (c->key->version != SNMP_V3) {
		s.community = (u_char *)c->key->community;
		s.community_len = c->key->community_len;
	} else
		snmp_chan_session_v3(&s, c->key);
	snmp_lib_lock();
	if ((c->sessp = snmp_sess_open(&s)) == NULL)
		snmp_error(&s, &cerr, &serr, &msg);
	else if ((t = snmp_sess_transport(c->sessp)) == NULL || t->sock < 0) {
		snmp_sess_close(c->sessp);
		c->sessp = NULL;
	} else
		c->fd = t->sock;
	snmp_lib_unlock();
	snmp_wipe(s.securityAuthKey, sizeof s.securityAuthKey);
	snmp_wipe(s.securityPrivKey, sizeof s.securityPrivKey);
	if (c->sessp == NULL) {
		*cause = xasprintf("cannot open an SNMP session to %s: %s",
		    c->peer, msg != NULL ? msg : "no socket");
		free(msg);
		return -1;
	}
	return 0;
}

static int
snmp_chan_matches(const struct snmp_chan *c, const struct snmp_task *t)
{
	return c->timeout_ms == t->timeout_ms && c->retries == t->retries &&
	    snmp_key_same(c->key, t->key);
}

/* The chan for T's host (PEER NULL) or for the address PEER. */
static struct snmp_chan *
snmp_chan_find(struct snmp_pool *pool, struct snmp_task *t, const char *peer)
{
	struct snmp_chan *c;

	for (c = pool->chans; c != NULL; c = c->next) {
		if (!snmp_chan_matches(c, t))
			continue;
		if (peer != NULL ? strcmp(c->peer, peer) == 0 :
		    c->port == t->port && strcmp(c->host, t->host) == 0)
			return c;
	}
	return NULL;
}

static void snmp_chan_probe(struct snmp_chan *c);

/* Add the open chan C to POOL; a v3 one starts with engine discovery. */
static void
snmp_chan_link(struct snmp_pool *pool, struct snmp_chan *c)
{
	c->state = c->key->version == SNMP_V3 ? SNMP_CHAN_PROBING :
	    SNMP_CHAN_READY;
	if ((c->next = pool->chans) != NULL)
		c->next->prev = c;
	pool->chans = c;
	if (++pool->stats.open_sessions > pool->stats.max_open_sessions)
		pool->stats.max_open_sessions = pool->stats.open_sessions;
	if (c->state == SNMP_CHAN_PROBING)
		snmp_chan_probe(c);
}

struct snmp_chan *
snmp_chan_get(struct snmp_pool *pool, struct snmp_task *t)
{
	struct snmp_chan *c, *found;
	char *cause = NULL;

	if ((found = snmp_chan_find(pool, t, NULL)) != NULL)
		return found;
	/* Sockets stay within the window: make room first. */
	if (pool->stats.open_sessions >= pool->window)
		snmp_pool_close_idle(pool);
	c = xcalloc(1, sizeof *c);
	if (snmp_chan_peer(c, t->host, t->port, &cause) != 0) {
		free(c);
		snmp_task_fail(t, SNMP_FAIL_LOCAL, cause);
		return NULL;
	}
	if ((found = snmp_chan_find(pool, t, c->peer)) != NULL) {
		free(c);
		return found;
	}
	c->pool = pool;
	c->host = xstrdup(t->host);
	c->port = t->port;
	c->key = snmp_key_ref(t->key);
	c->timeout_ms = t->timeout_ms;
	c->retries = t->retries;
	c->fd = -1;
	if (snmp_chan_open_session(c, &cause) != 0) {
		snmp_key_free(&c->key);
		free(c->host);
		free(c);
		snmp_task_fail(t, SNMP_FAIL_LOCAL, cause);
		return NULL;
	}
	snmp_chan_link(pool, c);
	return c;
}

void
snmp_pending_free(struct snmp_pending *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nvbs; i++)
		snmp_varbind_clear(&p->vbs[i]);
	free(p->vbs);
	free(p->error);
	free(p);
}

static void
snmp_pending_unlink(struct snmp_pool *pool, struct snmp_pending *p)
{
	if (p->prev != NULL)
		p->prev->next = p->next;
	else if (pool->pendings == p)
		pool->pendings = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	p->prev = p->next = NULL;
}

/* A response: keep its error status and varbinds. Under the lock. */
static void
snmp_chan_response(struct snmp_pending *p, const netsnmp_pdu *pdu)
{
	const netsnmp_variable_list *v;
	size_t n = 0;

	p->state = SNMP_PEND_RESPONSE;
	p->errstat = pdu->errstat;
	p->errindex = pdu->errindex;
	for (v = pdu->variables; v != NULL; v = v->next_variable)
		n++;
	p->vbs = n > 0 ? xcalloc(n, sizeof *p->vbs) : NULL;
	for (v = pdu->variables; v != NULL; v = v->next_variable)
		snmp_varbind_fill(&p->vbs[p->nvbs++], v);
}

/* A report. Returns 0 when net-snmp retries by itself (time window). */
static int
snmp_chan_report(struct snmp_pending *p, netsnmp_session *sp,
    netsnmp_pdu *pdu)
{
	p->report = snmpv3_get_report_type(pdu);
	if (p->task == NULL) {
		/* The probe's answer names the engine (RFC 3414 4). */
		if (sp->securityEngineIDLen == 0 &&
		    pdu->securityEngineIDLen > 0) {
			sp->securityEngineID =
			    xmalloc(pdu->securityEngineIDLen);
			memcpy(sp->securityEngineID, pdu->securityEngineID,
			    pdu->securityEngineIDLen);
			sp->securityEngineIDLen = pdu->securityEngineIDLen;
		}
	} else if (p->report == SNMPERR_NOT_IN_TIME_WINDOW &&
	    ++p->time_reports <= p->chan->retries + 1)
		return 0;
	p->state = SNMP_PEND_REPORT;
	return 1;
}

/* net-snmp's callback for every PDU sent; runs under snmp_lib_lock. */
static int
snmp_chan_cb(int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	struct snmp_pending *p = magic;
	struct snmp_pool *pool;

	if (p == NULL || p->state != SNMP_PEND_WAIT)
		return 1;
	/* net-snmp 5.9 hands reports over as OP_SEC_ERROR. */
	if (op == NETSNMP_CALLBACK_OP_SEC_ERROR && pdu != NULL &&
	    pdu->command == SNMP_MSG_REPORT)
		op = NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		if (pdu == NULL) {
			p->state = SNMP_PEND_ERROR;
			p->error = xstrdup("no PDU");
		} else if (pdu->command != SNMP_MSG_REPORT) {
			p->chan->answered = 1;
			snmp_chan_response(p, pdu);
		} else if (snmp_chan_report(p, sp, pdu) == 0)
			return 1;
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		p->state = SNMP_PEND_TIMEOUT;
		break;
	case NETSNMP_CALLBACK_OP_SEND_FAILED:
	case NETSNMP_CALLBACK_OP_SEC_ERROR:
	case NETSNMP_CALLBACK_OP_DISCONNECT:
		p->state = SNMP_PEND_ERROR;
		p->error = xasprintf("net-snmp error %d", op);
		break;
	default:
		return 1;
	}
	pool = p->chan->pool;
	snmp_pending_unlink(pool, p);
	p->done_next = pool->completed;
	pool->completed = p;
	return 1;
}

/* Send PDU with a new pending P for C (or TASK). Under the lock. */
static int
snmp_chan_send_pending(struct snmp_chan *c, struct snmp_pending *p,
    netsnmp_pdu *pdu, char **error)
{
	struct snmp_pool *pool = c->pool;
	char *msg = NULL;
	int cerr, serr;

	p->chan = c;
	p->deadline = snmp_pool_now() + (int64_t)c->timeout_ms *
	    (c->retries + 2) + 1000;
	if (snmp_sess_async_send(c->sessp, pdu, snmp_chan_cb, p) == 0) {
		/*
		 * net-snmp may have called back (SEND_FAILED) before returning
		 * 0: then P is already on pool->completed and ends through the
		 * normal path; freeing it here was a use after free.
		 */
		if (p->state != SNMP_PEND_WAIT) {
			snmp_free_pdu(pdu);
			return 0;
		}
		snmp_sess_error(c->sessp, &cerr, &serr, &msg);
		snmp_free_pdu(pdu);
		*error = xstrdup(msg != NULL ? msg : "cannot send");
		free(msg);
		return serr == SNMPERR_TOO_LONG ? -2 : -1;
	}
	if ((p->next = pool->pendings) != NULL)
		p->next->prev = p;
	pool->pendings = p;
	pool->stats.pdus_sent++;
	return 0;
}

int
snmp_chan_send(struct snmp_task *t, netsnmp_pdu *pdu, char **error)
{
	struct snmp_pending *p = xcalloc(1, sizeof *p);
	int rc;

	p->task = t;
	snmp_lib_lock();
	rc = snmp_chan_send_pending(t->chan, p, pdu, error);
	snmp_lib_unlock();
	if (rc != 0)
		free(p);
	else
		t->pending = p;
	return rc;
}

/* Fail every task waiting on C for its engine. */
static void
snmp_chan_fail_waiting(struct snmp_chan *c, enum snmp_fail fail,
    const char *cause)
{
	struct snmp_task *t;

	while ((t = c->waiting) != NULL) {
		c->waiting = t->next;
		t->next = NULL;
		snmp_task_fail(t, fail, xstrdup(cause));
	}
}

/* Ask C's agent for its engine ID: an empty unauthenticated GET. */
static void
snmp_chan_probe(struct snmp_chan *c)
{
	struct snmp_pending *p = xcalloc(1, sizeof *p);
	netsnmp_pdu *pdu;
	char *error = NULL;
	int rc;

	if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL) {
		log_error("out of memory");
		abort();
	}
	pdu->version = SNMP_VERSION_3;
	pdu->securityName = xstrdup("");
	pdu->securityNameLen = 0;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	snmp_lib_lock();
	rc = snmp_chan_send_pending(c, p, pdu, &error);
	snmp_lib_unlock();
	if (rc != 0) {
		/* No task waits yet: the first one finds the chan failed. */
		log_debug("%s: engine discovery: %s", c->peer, error);
		free(error);
		free(p);
		c->discovered = -1;
	}
}

void
snmp_chan_unpark(struct snmp_chan *c)
{
	netsnmp_session *sp;
	struct snmp_task *t;
	int rc;

	snmp_lib_lock();
	sp = snmp_sess_session(c->sessp);
	rc = sp != NULL ? snmp_usm_acquire(sp, c->key) : -1;
	snmp_lib_unlock();
	if (rc == 1) {
		if (c->state != SNMP_CHAN_PARKED)
			c->parked_until = snmp_pool_now() + SNMP_PARK_MAX_MS;
		c->state = SNMP_CHAN_PARKED;
		if (snmp_pool_now() < c->parked_until)
			return;
		snmp_chan_fail_waiting(c, SNMP_FAIL_LOCAL, "another key for "
		    "the same SNMPv3 user stayed in use on this printer");
		return;
	}
	if (rc != 0) {
		snmp_chan_fail_waiting(c, SNMP_FAIL_LOCAL,
		    "cannot set up the SNMPv3 user");
		return;
	}
	c->usm_held = 1;
	c->state = SNMP_CHAN_READY;
	while ((t = c->waiting) != NULL) {
		c->waiting = t->next;
		t->next = NULL;
		snmp_task_send(t);
	}
}

void
snmp_chan_probe_done(struct snmp_pending *p)
{
	struct snmp_chan *c = p->chan;
	netsnmp_session *sp;
	size_t idlen;
	char *cause;

	snmp_lib_lock();
	sp = snmp_sess_session(c->sessp);
	idlen = sp != NULL ? sp->securityEngineIDLen : 0;
	snmp_lib_unlock();
	if ((p->state == SNMP_PEND_REPORT || p->state == SNMP_PEND_RESPONSE) &&
	    idlen > 0) {
		c->discovered = 1;
		snmp_chan_unpark(c);
	} else if (p->state == SNMP_PEND_TIMEOUT) {
		c->discovered = -1;
		cause = snmp_chan_timeout_cause(c, "engine discovery");
		snmp_chan_fail_waiting(c, SNMP_FAIL_TIMEOUT, cause);
		free(cause);
	} else {
		c->discovered = -1;
		snmp_chan_fail_waiting(c, SNMP_FAIL_PROTOCOL,
		    "SNMPv3 engine discovery failed: the printer did not "
		    "give its engine ID");
	}
	snmp_pending_free(p);
}

void
snmp_chan_start(struct snmp_task *t)
{
	struct snmp_chan *c = t->chan;

	if (c->state == SNMP_CHAN_READY) {
		snmp_task_send(t);
		return;
	}
	if (c->discovered < 0) {
		snmp_task_fail(t, SNMP_FAIL_TIMEOUT,
		    snmp_chan_timeout_cause(c, "engine discovery"));
		return;
	}
	t->next = c->waiting;
	c->waiting = t;
}

void
snmp_chan_close(struct snmp_chan *c)
{
	struct snmp_pool *pool = c->pool;
	struct snmp_pending *p, *next, *dead = NULL;
	netsnmp_session *sp;

	/* Whatever net-snmp still holds must not reach a task any more. */
	for (p = pool->pendings; p != NULL; p = next) {
		next = p->next;
		if (p->chan != c)
			continue;
		p->state = SNMP_PEND_ERROR;
		snmp_pending_unlink(pool, p);
		p->done_next = dead;
		dead = p;
	}
	snmp_lib_lock();
	sp = snmp_sess_session(c->sessp);
	if (c->usm_held)
		snmp_usm_release(sp);
	snmp_usm_wipe_session(sp);
	snmp_sess_close(c->sessp);
	snmp_lib_unlock();
	while ((p = dead) != NULL) {
		dead = p->done_next;
		snmp_pending_free(p);
	}
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		pool->chans = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	pool->stats.open_sessions--;
	snmp_key_free(&c->key);
	free(c->host);
	free(c);
}

char *
snmp_chan_timeout_cause(const struct snmp_chan *c, const char *what)
{
	unsigned attempts = c->retries + 1;
	const char *s = attempts == 1 ? "" : "s";
	char *user, *cause;

	if (c->answered)
		return xasprintf("no answer to the %s request (earlier ones "
		    "were answered): timeout after %u attempt%s of %u ms",
		    what, attempts, s, c->timeout_ms);
	if (c->key->version != SNMP_V3)
		return xasprintf("no answer (wrong community or unreachable): "
		    "timeout after %u attempt%s of %u ms", attempts, s,
		    c->timeout_ms);
	if (c->discovered <= 0)
		return xasprintf("no answer: timeout after %u attempt%s of "
		    "%u ms", attempts, s, c->timeout_ms);
	user = text_sanitize(c->key->user, strlen(c->key->user));
	cause = xasprintf("no answer to SNMPv3 user '%s' once the engine "
	    "was found (wrong privacy passphrase?): timeout after %u "
	    "attempt%s of %u ms", user, attempts, s, c->timeout_ms);
	free(user);
	return cause;
}

char *
snmp_chan_report_cause(const struct snmp_chan *c, int report,
    enum snmp_fail *fail)
{
	char *user, *cause;
	const char *level;

	user = text_sanitize(c->key->user, strlen(c->key->user));
	level = c->key->auth == SNMP_AUTH_NONE ? "noAuthNoPriv" :
	    c->key->priv == SNMP_PRIV_NONE ? "authNoPriv" : "authPriv";
	*fail = SNMP_FAIL_AUTH;
	switch (report) {
	case SNMPERR_AUTHENTICATION_FAILURE:
		cause = xasprintf("authentication failed for SNMPv3 user "
		    "'%s' (wrong passphrase?)", user);
		break;
	case SNMPERR_UNKNOWN_USER_NAME:
		cause = xasprintf("unknown user name: the printer has no "
		    "SNMPv3 user '%s'", user);
		break;
	case SNMPERR_DECRYPTION_ERR:
		cause = xasprintf("decryption failed for SNMPv3 user '%s' "
		    "(wrong privacy passphrase or protocol?)", user);
		break;
	case SNMPERR_UNSUPPORTED_SEC_LEVEL:
		cause = xasprintf("SNMPv3 user '%s' cannot use security "
		    "level %s on this printer", user, level);
		break;
	case SNMPERR_NOT_IN_TIME_WINDOW:
		cause = xasprintf("SNMPv3 user '%s': the printer kept "
		    "answering notInTimeWindow", user);
		break;
	default:
		*fail = SNMP_FAIL_PROTOCOL;
		cause = xasprintf("unexpected SNMPv3 report for user '%s' "
		    "(%s)", user, snmp_api_errstring(report));
		break;
	}
	free(user);
	return cause;
}
