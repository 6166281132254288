/*
 * The BER subset SNMP uses (X.690 as RFC 3417 restricts it): one-byte tags,
 * definite lengths, INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER and the
 * application types. The decoder reads untrusted packets: every read is
 * bounds-checked and malformed input is refused, never trusted. The encoder
 * writes backwards into a fixed buffer so that lengths are known when their
 * header is written; running out of room is remembered, never overrun.
 */
#ifndef QUIRE_SIM_BER_H
#define QUIRE_SIM_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_BER_INTEGER		0x02
#define SIM_BER_OCTETS		0x04
#define SIM_BER_NULL		0x05
#define SIM_BER_OID		0x06
#define SIM_BER_SEQUENCE	0x30
#define SIM_BER_IPADDRESS	0x40
#define SIM_BER_COUNTER32	0x41
#define SIM_BER_GAUGE32		0x42
#define SIM_BER_TIMETICKS	0x43
#define SIM_BER_OPAQUE		0x44
#define SIM_BER_COUNTER64	0x46
#define SIM_BER_NO_SUCH_OBJECT	0x80
#define SIM_BER_NO_SUCH_INSTANCE 0x81
#define SIM_BER_END_OF_MIB	0x82
#define SIM_BER_CONSTRUCTED	0x20

/* The most arcs of an OID this agent reads or writes (RFC 2578: 128). */
#define SIM_BER_OID_MAX		128
/* How deep constructed values may nest in a packet SNMP accepts. */
#define SIM_BER_DEPTH_MAX	8

/* A read cursor over [p, end). */
struct sim_ber {
	const unsigned char	*p;
	const unsigned char	*end;
};

/* A write cursor: bytes go at buf[size - used .. size). */
struct sim_ber_out {
	unsigned char	*buf;
	size_t		 size;
	size_t		 used;
	bool		 full;	/* something did not fit; the output is void */
};

/* Start reading LEN bytes at P (borrowed). */
void sim_ber_init(struct sim_ber *, const void *p, size_t len);
bool sim_ber_empty(const struct sim_ber *);

/*
 * Check that [P, P+LEN) is exactly one well-formed TLV whose constructed
 * values nest at most MAXDEPTH deep. 0 or -1.
 */
int sim_ber_check(const void *p, size_t len, unsigned maxdepth);

/*
 * Read one TLV: its tag in *TAG and a cursor over its contents in *IN
 * (may be NULL); the cursor moves past it. -1 when truncated, with a
 * multi-byte tag, an indefinite or overlong length.
 */
int sim_ber_read(struct sim_ber *, unsigned *tag, struct sim_ber *in);
/* Read a TLV that must carry TAG. */
int sim_ber_read_tag(struct sim_ber *, unsigned tag, struct sim_ber *in);
/* An INTEGER (or TAG, same rules) that fits in 64 bits, signed. */
int sim_ber_read_int(struct sim_ber *, unsigned tag, int64_t *v);
/* An unsigned 32-bit value: Counter32, Gauge32, TimeTicks... */
int sim_ber_read_u32(struct sim_ber *, unsigned tag, uint32_t *v);
/* OCTET STRING (or TAG): *S borrows the packet's bytes. */
int sim_ber_read_octets(struct sim_ber *, unsigned tag,
    const unsigned char **s, size_t *len);
/* OBJECT IDENTIFIER of at most SIM_BER_OID_MAX arcs into ARCS. */
int sim_ber_read_oid(struct sim_ber *, uint32_t *arcs, size_t *n);
/* Decode the contents of an INTEGER-like value (for a value read whole). */
int sim_ber_int_value(const struct sim_ber *, int64_t *v);
int sim_ber_oid_value(const struct sim_ber *, uint32_t *arcs, size_t *n);

/* Start writing into BUF (borrowed) of SIZE bytes. */
void sim_ber_out_init(struct sim_ber_out *, void *buf, size_t size);
/* Where the bytes written so far start (meaningless once full). */
unsigned char *sim_ber_out_data(const struct sim_ber_out *);
/* The length written so far: pass it to sim_ber_wrap later. */
size_t sim_ber_out_mark(const struct sim_ber_out *);
/* Prefix everything written since MARK with TAG and its length. */
void sim_ber_wrap(struct sim_ber_out *, unsigned tag, size_t mark);
void sim_ber_put_raw(struct sim_ber_out *, const void *p, size_t len);
void sim_ber_put_int(struct sim_ber_out *, unsigned tag, int64_t v);
/* Unsigned values (Counter32 and the like) up to 64 bits. */
void sim_ber_put_uint(struct sim_ber_out *, unsigned tag, uint64_t v);
void sim_ber_put_octets(struct sim_ber_out *, unsigned tag, const void *p,
    size_t len);
void sim_ber_put_null(struct sim_ber_out *, unsigned tag);
/* An OID of N arcs; one of fewer than 2 arcs is written as 0.0. */
void sim_ber_put_oid(struct sim_ber_out *, const uint32_t *arcs, size_t n);

/* Encoded sizes, for fitting a response before writing it. */
size_t sim_ber_tlv_size(size_t content);
size_t sim_ber_int_size(int64_t v);
size_t sim_ber_uint_size(uint64_t v);
size_t sim_ber_oid_size(const uint32_t *arcs, size_t n);

/* Compare two OIDs lexicographically (as SNMP orders them). */
int sim_ber_oid_cmp(const uint32_t *a, size_t na, const uint32_t *b,
    size_t nb);
/* Parse a dotted OID ("1.3.6.1...") into ARCS (at most MAX). 0 or -1. */
int sim_ber_oid_parse(const char *s, uint32_t *arcs, size_t max, size_t *n);

#endif
