/*
 * The operations of the pool: what PDU a request sends next and what its
 * answers mean. GET packs up to task->chunk names per PDU and halves that
 * on tooBig; SNMPv1's noSuchName takes the named varbind out and asks again
 * for the rest; WALK follows GETBULK (GETNEXT for v1) rows inside its root.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "snmp-pool-int.h"
#include "log.h"
#include "xmalloc.h"

void
snmp_task_fail(struct snmp_task *t, enum snmp_fail fail, char *cause)
{
	if (t->fail == SNMP_FAIL_NONE) {
		t->fail = fail;
		t->cause = cause;
	} else
		free(cause);
	snmp_pool_finish(t);
}

void
snmp_task_free(struct snmp_task *t)
{
	size_t i;

	free(t->host);
	snmp_key_free(&t->key);
	free(t->names);
	for (i = 0; i < t->nvars; i++) {
		free((char *)t->vars[i].oid);
		if (t->vars[i].string != NULL) {
			snmp_wipe((char *)t->vars[i].string, t->vars[i].len);
			free((char *)t->vars[i].string);
		}
	}
	free(t->vars);
	for (i = 0; i < t->nvbs; i++)
		snmp_varbind_clear(&t->vbs[i]);
	free(t->vbs);
	free(t->filled);
	free(t->sent);
	free(t->cause);
	free(t);
}

static netsnmp_pdu *
snmp_task_pdu(int cmd)
{
	netsnmp_pdu *pdu;

	if ((pdu = snmp_pdu_create(cmd)) == NULL) {
		log_error("out of memory");
		abort();
	}
	return pdu;
}

static void
snmp_task_add_null(netsnmp_pdu *pdu, const struct snmp_name *n)
{
	if (snmp_add_null_var(pdu, n->o, n->len) == NULL) {
		log_error("out of memory");
		abort();
	}
}

/* The next PDU of a GET or GETNEXT: up to CHUNK unfilled slots. */
static netsnmp_pdu *
snmp_task_pdu_get(struct snmp_task *t)
{
	netsnmp_pdu *pdu;
	size_t i;

	pdu = snmp_task_pdu(t->op == SNMP_OP_GET ? SNMP_MSG_GET :
	    SNMP_MSG_GETNEXT);
	while (t->first < t->nnames && t->filled[t->first])
		t->first++;
	t->nsent = 0;
	for (i = t->first; i < t->nnames && t->nsent < t->chunk; i++) {
		if (t->filled[i])
			continue;
		t->sent[t->nsent++] = i;
		snmp_task_add_null(pdu, &t->names[i]);
	}
	return pdu;
}

static netsnmp_pdu *
snmp_task_pdu_walk(struct snmp_task *t)
{
	netsnmp_pdu *pdu;
	unsigned left = t->max_rows - (unsigned)t->nvbs;

	if (t->key->version == SNMP_V1)
		pdu = snmp_task_pdu(SNMP_MSG_GETNEXT);
	else {
		pdu = snmp_task_pdu(SNMP_MSG_GETBULK);
		pdu->non_repeaters = 0;
		pdu->max_repetitions = left < t->reps ? left : t->reps;
	}
	snmp_task_add_null(pdu, &t->cur);
	return pdu;
}

static netsnmp_pdu *
snmp_task_pdu_set(struct snmp_task *t, char **cause)
{
	netsnmp_pdu *pdu = snmp_task_pdu(SNMP_MSG_SET);
	size_t i;

	for (i = 0; i < t->nvars; i++) {
		if (snmp_setvar_add(pdu, &t->vars[i], cause) != 0) {
			snmp_free_pdu(pdu);
			return NULL;
		}
	}
	return pdu;
}

void
snmp_task_send(struct snmp_task *t)
{
	netsnmp_pdu *pdu = NULL;
	char *error = NULL;
	int rc;

	if (t->op == SNMP_OP_GET || t->op == SNMP_OP_GETNEXT)
		pdu = snmp_task_pdu_get(t);
	else if (t->op == SNMP_OP_WALK)
		pdu = snmp_task_pdu_walk(t);
	else if ((pdu = snmp_task_pdu_set(t, &error)) == NULL) {
		snmp_task_fail(t, SNMP_FAIL_LOCAL, error);
		return;
	}
	if ((rc = snmp_chan_send(t, pdu, &error)) == 0)
		return;
	/* Too long for our own buffer: fewer names in each GET. */
	if (rc == -2 && (t->op == SNMP_OP_GET || t->op == SNMP_OP_GETNEXT) &&
	    t->chunk > 1) {
		free(error);
		t->chunk /= 2;
		snmp_task_send(t);
		return;
	}
	snmp_task_fail(t, SNMP_FAIL_LOCAL, xasprintf("cannot send the "
	    "request to %s: %s", t->chan->peer, error));
	free(error);
}

static const char *
snmp_task_what(const struct snmp_task *t)
{
	static const char *names[] = { "GET", "GETNEXT", "walk", "SET" };

	return names[t->op];
}

/* An error-status for the whole request. INDEX counts in the request. */
static void
snmp_task_refused(struct snmp_task *t, long status, long index)
{
	t->errstat = status;
	t->errindex = index;
	snmp_task_fail(t, SNMP_FAIL_REFUSED, xasprintf("the %s request was "
	    "refused: %s (error-index %ld)", snmp_task_what(t),
	    snmp_errstring(status), index));
}

/* Move the varbinds of P into GET slots. */
static void
snmp_task_answer_get(struct snmp_task *t, struct snmp_pending *p)
{
	size_t i, slot;

	if (p->errstat == SNMP_ERR_TOOBIG && t->nsent > 1) {
		t->chunk = t->nsent / 2;
		snmp_task_send(t);
		return;
	}
	/* SNMPv1: the named varbind has no value; ask again without it. */
	if (p->errstat == SNMP_ERR_NOSUCHNAME && p->errindex >= 1 &&
	    (size_t)p->errindex <= t->nsent) {
		slot = t->sent[p->errindex - 1];
		snmp_varbind_exception(&t->vbs[slot], t->names[slot].o,
		    t->names[slot].len, t->op == SNMP_OP_GET ?
		    SNMP_TYPE_NO_SUCH_OBJECT : SNMP_TYPE_END_OF_MIB);
		t->filled[slot] = 1;
	} else if (p->errstat != SNMP_ERR_NOERROR) {
		snmp_task_refused(t, p->errstat, p->errindex >= 1 &&
		    (size_t)p->errindex <= t->nsent ?
		    (long)t->sent[p->errindex - 1] + 1 : p->errindex);
		return;
	} else if (p->nvbs != t->nsent) {
		snmp_task_fail(t, SNMP_FAIL_PROTOCOL, xasprintf("the printer "
		    "answered %zu varbinds for %zu", p->nvbs, t->nsent));
		return;
	} else {
		for (i = 0; i < t->nsent; i++) {
			slot = t->sent[i];
			t->vbs[slot] = p->vbs[i];
			memset(&p->vbs[i], 0, sizeof p->vbs[i]);
			t->filled[slot] = 1;
		}
	}
	while (t->first < t->nnames && t->filled[t->first])
		t->first++;
	if (t->first == t->nnames)
		snmp_pool_finish(t);
	else
		snmp_task_send(t);
}

/* Whether VB is a next row of the walk; moves T->cur on. */
static int
snmp_task_walk_row(struct snmp_task *t, const struct snmp_varbind *vb)
{
	const struct snmp_name *root = &t->names[0];
	struct snmp_name n;

	if (snmp_varbind_is_exception(vb) ||
	    snmp_oid_parse(vb->oid, n.o, &n.len) != 0 ||
	    n.len <= root->len ||
	    netsnmp_oid_is_subtree(root->o, root->len, n.o, n.len) != 0 ||
	    snmp_oid_compare(n.o, n.len, t->cur.o, t->cur.len) <= 0)
		return 0;
	t->cur = n;
	return 1;
}

static void
snmp_task_answer_walk(struct snmp_task *t, struct snmp_pending *p)
{
	size_t i;
	int more = p->nvbs > 0;

	if (p->errstat == SNMP_ERR_TOOBIG && t->reps > 1) {
		t->reps /= 2;
		snmp_task_send(t);
		return;
	}
	if (p->errstat == SNMP_ERR_NOSUCHNAME) {
		snmp_pool_finish(t);	/* v1: the end of the MIB */
		return;
	}
	if (p->errstat != SNMP_ERR_NOERROR) {
		snmp_task_refused(t, p->errstat, p->errindex);
		return;
	}
	for (i = 0; i < p->nvbs && more; i++) {
		if (t->nvbs >= t->max_rows || !snmp_task_walk_row(t,
		    &p->vbs[i])) {
			more = 0;
			break;
		}
		if (t->nvbs == t->vbs_size) {
			t->vbs_size = t->vbs_size ? t->vbs_size * 2 : 16;
			t->vbs = xreallocarray(t->vbs, t->vbs_size,
			    sizeof *t->vbs);
		}
		t->vbs[t->nvbs++] = p->vbs[i];
		memset(&p->vbs[i], 0, sizeof p->vbs[i]);
	}
	if (more && t->nvbs < t->max_rows)
		snmp_task_send(t);
	else
		snmp_pool_finish(t);
}

static void
snmp_task_answer_set(struct snmp_task *t, struct snmp_pending *p)
{
	if (p->errstat != SNMP_ERR_NOERROR) {
		snmp_task_refused(t, p->errstat, p->errindex);
		return;
	}
	t->vbs = p->vbs;
	t->nvbs = p->nvbs;
	p->vbs = NULL;
	p->nvbs = 0;
	snmp_pool_finish(t);
}

void
snmp_task_answer(struct snmp_task *t, struct snmp_pending *p)
{
	enum snmp_fail fail;
	char *cause;

	t->pending = NULL;
	if (p->state == SNMP_PEND_TIMEOUT)
		snmp_task_fail(t, SNMP_FAIL_TIMEOUT,
		    snmp_chan_timeout_cause(t->chan, snmp_task_what(t)));
	else if (p->state == SNMP_PEND_REPORT) {
		cause = snmp_chan_report_cause(t->chan, p->report, &fail);
		snmp_task_fail(t, fail, cause);
	} else if (p->state != SNMP_PEND_RESPONSE)
		snmp_task_fail(t, SNMP_FAIL_LOCAL, xasprintf("the %s request "
		    "failed: %s", snmp_task_what(t), p->error != NULL ?
		    p->error : "unknown error"));
	else if (t->op == SNMP_OP_GET || t->op == SNMP_OP_GETNEXT)
		snmp_task_answer_get(t, p);
	else if (t->op == SNMP_OP_WALK)
		snmp_task_answer_walk(t, p);
	else
		snmp_task_answer_set(t, p);
	snmp_pending_free(p);
}
