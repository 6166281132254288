#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim-snmp-int.h"
#include "xmalloc.h"

void
sim_snmp_pdu_clear(struct sim_snmp_pdu *pdu)
{
	size_t	 i;

	for (i = 0; i < pdu->n; i++)
		sim_mib_value_clear(&pdu->vbs[i].value);
	pdu->n = 0;
	pdu->type = 0;
	pdu->reqid = pdu->err_status = pdu->err_index = 0;
}

void
sim_snmp_pdu_free(struct sim_snmp_pdu *pdu)
{
	sim_snmp_pdu_clear(pdu);
	free(pdu->vbs);
	pdu->vbs = NULL;
	pdu->cap = 0;
}

/* A new varbind at the end of PDU (cleared), or NULL when full. */
static struct sim_mib_varbind *
sim_snmp_pdu_add(struct sim_snmp_pdu *pdu)
{
	struct sim_mib_varbind	*vb;

	if (pdu->n >= SIM_SNMP_VBS_MAX)
		return NULL;
	if (pdu->n == pdu->cap) {
		pdu->cap = pdu->cap == 0 ? 16 : pdu->cap * 2;
		pdu->vbs = xreallocarray(pdu->vbs, pdu->cap, sizeof *pdu->vbs);
	}
	vb = &pdu->vbs[pdu->n++];
	memset(&vb->value, 0, sizeof vb->value);
	vb->oidlen = 0;
	return vb;
}

/* A varbind's value as the request carries it. */
static int
sim_snmp_value_decode(unsigned tag, const struct sim_ber *c,
    struct sim_mib_value *v)
{
	size_t		 len = (size_t)(c->end - c->p);
	uint32_t	 arcs[SIM_BER_OID_MAX];

	v->type = tag;
	switch (tag) {
	case SIM_BER_INTEGER:
		return sim_ber_int_value(c, &v->num);
	case SIM_BER_COUNTER32:
	case SIM_BER_GAUGE32:
	case SIM_BER_TIMETICKS:
		if (sim_ber_int_value(c, &v->num) != 0 || v->num < 0 ||
		    v->num > (int64_t)UINT32_MAX)
			return -1;
		return 0;
	case SIM_BER_COUNTER64:
		return len >= 1 && len <= 9 ? 0 : -1;
	case SIM_BER_OCTETS:
	case SIM_BER_IPADDRESS:
	case SIM_BER_OPAQUE:
		v->str = xmalloc(len + 1);
		if (len != 0)
			memcpy(v->str, c->p, len);
		v->len = len;
		return 0;
	case SIM_BER_OID:
		if (sim_ber_oid_value(c, arcs, &v->oidlen) != 0)
			return -1;
		v->oid = xreallocarray(NULL, v->oidlen, sizeof *v->oid);
		memcpy(v->oid, arcs, v->oidlen * sizeof *arcs);
		return 0;
	case SIM_BER_NULL:
	case SIM_BER_NO_SUCH_OBJECT:
	case SIM_BER_NO_SUCH_INSTANCE:
	case SIM_BER_END_OF_MIB:
		return len == 0 ? 0 : -1;
	default:
		return -1;
	}
}

static int
sim_snmp_vbs_decode(struct sim_ber *list, struct sim_snmp_pdu *pdu)
{
	struct sim_ber		 vbin, val;
	struct sim_mib_varbind	*vb;
	unsigned		 tag;

	while (!sim_ber_empty(list)) {
		if (sim_ber_read_tag(list, SIM_BER_SEQUENCE, &vbin) != 0)
			return -1;
		if ((vb = sim_snmp_pdu_add(pdu)) == NULL)
			return -1;
		if (sim_ber_read_oid(&vbin, vb->oid, &vb->oidlen) != 0)
			return -1;
		if (sim_ber_read(&vbin, &tag, &val) != 0 ||
		    !sim_ber_empty(&vbin))
			return -1;
		if (sim_snmp_value_decode(tag, &val, &vb->value) != 0)
			return -1;
	}
	return 0;
}

int
sim_snmp_pdu_decode(struct sim_ber *in, struct sim_snmp_pdu *pdu)
{
	struct sim_ber	 body, list;
	unsigned	 tag;

	sim_snmp_pdu_clear(pdu);
	if (sim_ber_read(in, &tag, &body) != 0)
		return -1;
	if ((tag & 0xe0) != 0xa0)
		return -1;
	pdu->type = tag;
	if (sim_ber_read_int(&body, SIM_BER_INTEGER, &pdu->reqid) != 0 ||
	    sim_ber_read_int(&body, SIM_BER_INTEGER, &pdu->err_status) != 0 ||
	    sim_ber_read_int(&body, SIM_BER_INTEGER, &pdu->err_index) != 0)
		return -1;
	if (pdu->reqid < INT32_MIN || pdu->reqid > INT32_MAX)
		return -1;
	if (sim_ber_read_tag(&body, SIM_BER_SEQUENCE, &list) != 0 ||
	    !sim_ber_empty(&body))
		return -1;
	return sim_snmp_vbs_decode(&list, pdu);
}

static void
sim_snmp_value_encode(struct sim_ber_out *out, const struct sim_mib_value *v)
{
	switch (v->type) {
	case SIM_BER_INTEGER:
		sim_ber_put_int(out, v->type, v->num);
		break;
	case SIM_BER_COUNTER32:
	case SIM_BER_GAUGE32:
	case SIM_BER_TIMETICKS:
	case SIM_BER_COUNTER64:
		sim_ber_put_uint(out, v->type, (uint64_t)v->num);
		break;
	case SIM_BER_OCTETS:
	case SIM_BER_IPADDRESS:
	case SIM_BER_OPAQUE:
		sim_ber_put_octets(out, v->type, v->str, v->len);
		break;
	case SIM_BER_OID:
		sim_ber_put_oid(out, v->oid, v->oidlen);
		break;
	default:
		sim_ber_put_null(out, v->type);
		break;
	}
}

/* The bytes a varbind takes once encoded. */
static size_t
sim_snmp_vb_size(const struct sim_mib_varbind *vb)
{
	const struct sim_mib_value	*v = &vb->value;
	size_t				 len;

	switch (v->type) {
	case SIM_BER_INTEGER:
		len = sim_ber_int_size(v->num);
		break;
	case SIM_BER_COUNTER32:
	case SIM_BER_GAUGE32:
	case SIM_BER_TIMETICKS:
	case SIM_BER_COUNTER64:
		len = sim_ber_uint_size((uint64_t)v->num);
		break;
	case SIM_BER_OCTETS:
	case SIM_BER_IPADDRESS:
	case SIM_BER_OPAQUE:
		len = sim_ber_tlv_size(v->len);
		break;
	case SIM_BER_OID:
		len = sim_ber_oid_size(v->oid, v->oidlen);
		break;
	default:
		len = 2;
		break;
	}
	return sim_ber_tlv_size(len + sim_ber_oid_size(vb->oid, vb->oidlen));
}

void
sim_snmp_pdu_encode(struct sim_ber_out *out, const struct sim_snmp_pdu *pdu)
{
	size_t	 mark = sim_ber_out_mark(out), list, vb, i;

	list = sim_ber_out_mark(out);
	for (i = pdu->n; i > 0; i--) {
		vb = sim_ber_out_mark(out);
		sim_snmp_value_encode(out, &pdu->vbs[i - 1].value);
		sim_ber_put_oid(out, pdu->vbs[i - 1].oid, pdu->vbs[i - 1].oidlen);
		sim_ber_wrap(out, SIM_BER_SEQUENCE, vb);
	}
	sim_ber_wrap(out, SIM_BER_SEQUENCE, list);
	sim_ber_put_int(out, SIM_BER_INTEGER, pdu->err_index);
	sim_ber_put_int(out, SIM_BER_INTEGER, pdu->err_status);
	sim_ber_put_int(out, SIM_BER_INTEGER, pdu->reqid);
	sim_ber_wrap(out, pdu->type, mark);
}

/* Copy the request's names (and values) into the response. */
static void
sim_snmp_pdu_echo(const struct sim_snmp_pdu *req, struct sim_snmp_pdu *resp,
    bool values)
{
	struct sim_mib_varbind	*vb;
	const struct sim_mib_value *v;
	size_t			 i;

	for (i = 0; i < req->n && (vb = sim_snmp_pdu_add(resp)) != NULL; i++) {
		memcpy(vb->oid, req->vbs[i].oid,
		    req->vbs[i].oidlen * sizeof *vb->oid);
		vb->oidlen = req->vbs[i].oidlen;
		v = &req->vbs[i].value;
		vb->value.type = values ? v->type : SIM_BER_NULL;
		if (!values)
			continue;
		vb->value.num = v->num;
		if (v->str != NULL) {
			vb->value.str = xmalloc(v->len + 1);
			memcpy(vb->value.str, v->str, v->len + 1);
			vb->value.len = v->len;
		}
		if (v->oid != NULL) {
			vb->value.oid = xreallocarray(NULL, v->oidlen,
			    sizeof *v->oid);
			memcpy(vb->value.oid, v->oid, v->oidlen * sizeof *v->oid);
			vb->value.oidlen = v->oidlen;
		}
	}
}

/* The error as VERSION says it: v1 knows only five (RFC 3584 4.4). */
static int64_t
sim_snmp_pdu_error(int version, enum sim_mib_error err)
{
	if (version != SIM_SNMP_V1)
		return err;
	switch (err) {
	case SIM_MIB_NO_ERROR:
	case SIM_MIB_TOO_BIG:
	case SIM_MIB_NO_SUCH_NAME:
	case SIM_MIB_BAD_VALUE:
	case SIM_MIB_GEN_ERR:
		return err;
	case SIM_MIB_WRONG_VALUE:
	case SIM_MIB_WRONG_ENCODING:
	case SIM_MIB_WRONG_TYPE:
	case SIM_MIB_WRONG_LENGTH:
	case SIM_MIB_INCONSISTENT_VALUE:
		return SIM_MIB_BAD_VALUE;
	case SIM_MIB_NO_ACCESS:
	case SIM_MIB_NOT_WRITABLE:
	case SIM_MIB_NO_CREATION:
	case SIM_MIB_INCONSISTENT_NAME:
	case SIM_MIB_AUTHORIZATION_ERROR:
	case SIM_MIB_READ_ONLY:
		return SIM_MIB_NO_SUCH_NAME;
	default:
		return SIM_MIB_GEN_ERR;
	}
}

/* Set RESP to the error ERR at varbind INDEX (0-based), values echoed. */
static void
sim_snmp_pdu_fail(const struct sim_snmp_pdu *req, struct sim_snmp_pdu *resp,
    int version, enum sim_mib_error err, size_t index)
{
	sim_snmp_pdu_clear(resp);
	resp->type = SIM_SNMP_PDU_RESPONSE;
	resp->reqid = req->reqid;
	resp->err_status = sim_snmp_pdu_error(version, err);
	resp->err_index = (int64_t)index + 1;
	sim_snmp_pdu_echo(req, resp, true);
}

static void
sim_snmp_pdu_set(struct sim_snmp_worker *w, const struct sim_mib_target *t,
    int version, bool write, struct sim_snmp_reply *r)
{
	enum sim_mib_error	 err;
	size_t			 bad = 0;
	bool			 reboot = false;

	/* A read community may not write (RFC 3584 4.1: noAccess for v1 is
	 * mapped to noSuchName; v2c says authorizationError). */
	if (!write) {
		sim_snmp_pdu_fail(&w->req, &w->resp, version,
		    SIM_MIB_AUTHORIZATION_ERROR, 0);
		return;
	}
	err = sim_mib_set(w->snmp->mib, t, w->req.vbs, w->req.n, &bad,
	    &reboot);
	if (err != SIM_MIB_NO_ERROR) {
		sim_snmp_pdu_fail(&w->req, &w->resp, version, err, bad);
		return;
	}
	sim_snmp_pdu_echo(&w->req, &w->resp, true);
	r->set = true;
	r->reboot = reboot;
}

/* GET and GETNEXT; v1 turns exceptions into noSuchName. */
static void
sim_snmp_pdu_get(struct sim_snmp_worker *w, const struct sim_mib_target *t,
    int version, bool next)
{
	struct sim_mib_varbind	*vb;
	size_t			 i;

	sim_snmp_pdu_echo(&w->req, &w->resp, false);
	for (i = 0; i < w->resp.n; i++) {
		vb = &w->resp.vbs[i];
		if (next)
			sim_mib_next(w->snmp->mib, t, vb);
		else
			sim_mib_get(w->snmp->mib, t, vb);
		if (version == SIM_SNMP_V1 && vb->value.type >= 0x80) {
			sim_snmp_pdu_fail(&w->req, &w->resp, version,
			    SIM_MIB_NO_SUCH_NAME, i);
			return;
		}
	}
}

/* One GETNEXT from the varbind FROM of the response into a new one. */
static bool
sim_snmp_pdu_step(struct sim_snmp_worker *w, const struct sim_mib_target *t,
    size_t from, size_t *used, size_t budget)
{
	struct sim_mib_varbind	*vb, *src;

	if ((vb = sim_snmp_pdu_add(&w->resp)) == NULL)
		return false;
	src = &w->resp.vbs[from];
	memcpy(vb->oid, src->oid, src->oidlen * sizeof *vb->oid);
	vb->oidlen = src->oidlen;
	if (src->value.type == SIM_BER_END_OF_MIB)
		vb->value.type = SIM_BER_END_OF_MIB;
	else
		sim_mib_next(w->snmp->mib, t, vb);
	*used += sim_snmp_vb_size(vb);
	if (*used > budget) {
		sim_mib_value_clear(&vb->value);
		w->resp.n--;
		return false;
	}
	return true;
}

/* GETBULK (RFC 3416 4.2.3), cut to what fits in BUDGET bytes. */
static void
sim_snmp_pdu_bulk(struct sim_snmp_worker *w, const struct sim_mib_target *t,
    size_t budget)
{
	struct sim_snmp_pdu	*resp = &w->resp;
	size_t			 n = w->req.n, nonrep, rep, r, i, base;
	size_t			 used = 0, ended;
	int64_t			 maxrep = w->req.err_index;

	nonrep = w->req.err_status < 0 ? 0 : (size_t)w->req.err_status;
	nonrep = nonrep > n ? n : nonrep;
	rep = n - nonrep;
	sim_snmp_pdu_echo(&w->req, resp, false);
	for (i = 0; i < n; i++) {
		sim_mib_next(w->snmp->mib, t, &resp->vbs[i]);
		used += sim_snmp_vb_size(&resp->vbs[i]);
	}
	resp->err_status = resp->err_index = 0;
	base = nonrep;
	for (r = 1; rep > 0 && (int64_t)r < maxrep; r++) {
		ended = 0;
		for (i = 0; i < rep; i++) {
			if (!sim_snmp_pdu_step(w, t, base + i, &used, budget))
				return;
			ended += resp->vbs[resp->n - 1].value.type ==
			    SIM_BER_END_OF_MIB;
		}
		if (ended == rep)
			return;
		base += rep;
	}
	/* max-repetitions 0: only the non-repeaters. */
	if (maxrep <= 0) {
		for (i = nonrep; i < resp->n; i++)
			sim_mib_value_clear(&resp->vbs[i].value);
		resp->n = nonrep;
	}
}

/* Whether the response's varbinds fit BUDGET bytes. */
static bool
sim_snmp_pdu_fits(const struct sim_snmp_pdu *pdu, size_t budget)
{
	size_t	 used = 0, i;

	for (i = 0; i < pdu->n; i++)
		used += sim_snmp_vb_size(&pdu->vbs[i]);
	return used <= budget;
}

bool
sim_snmp_pdu_run(struct sim_snmp_worker *w, struct sim_snmp_agent *a,
    int version, bool write, size_t budget, struct sim_snmp_reply *r)
{
	struct sim_mib_target	 t = { a->printer, &a->counters };
	struct sim_snmp_pdu	*req = &w->req, *resp = &w->resp;

	sim_snmp_pdu_clear(resp);
	resp->type = SIM_SNMP_PDU_RESPONSE;
	resp->reqid = req->reqid;
	switch (req->type) {
	case SIM_SNMP_PDU_GET:
	case SIM_SNMP_PDU_GETNEXT:
		sim_snmp_pdu_get(w, &t, version,
		    req->type == SIM_SNMP_PDU_GETNEXT);
		break;
	case SIM_SNMP_PDU_GETBULK:
		sim_snmp_pdu_bulk(w, &t, budget);
		break;
	case SIM_SNMP_PDU_SET:
		sim_snmp_pdu_set(w, &t, version, write, r);
		break;
	default:
		return false;
	}
	if (!sim_snmp_pdu_fits(resp, budget)) {
		/* tooBig: v1 echoes the request, v2 sends no varbinds. */
		sim_snmp_pdu_fail(req, resp, version, SIM_MIB_TOO_BIG, 0);
		resp->err_index = 0;
		if (version != SIM_SNMP_V1 || !sim_snmp_pdu_fits(resp, budget))
			sim_snmp_pdu_clear(resp);
		resp->type = SIM_SNMP_PDU_RESPONSE;
		resp->reqid = req->reqid;
		resp->err_status = SIM_MIB_TOO_BIG;
	}
	return true;
}
