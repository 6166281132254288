/*
 * Inside the SNMP agent: sim-snmp.c owns sockets, threads and timers;
 * sim-snmp-msg.c the message layer (communities, USM); sim-snmp-pdu.c the
 * PDUs and what GET, GETNEXT, GETBULK and SET do.
 *
 * Each printer belongs to one worker thread, which alone touches its
 * struct sim_snmp_agent: no lock guards it.
 */
#ifndef QUIRE_SIM_SNMP_INT_H
#define QUIRE_SIM_SNMP_INT_H

#include <sys/socket.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"
#include "sim-ber.h"
#include "sim-mib.h"
#include "sim-snmp.h"
#include "sim-usm.h"

/* The largest UDP payload, and what the agent accepts and sends. */
#define SIM_SNMP_MSG_MAX	65507
/* Buffers have room for a whole message plus encryption padding. */
#define SIM_SNMP_BUF_SIZE	(SIM_SNMP_MSG_MAX + 64)
/* Varbinds per request, and per GETBULK response. */
#define SIM_SNMP_VBS_MAX	1024

#define SIM_SNMP_V1		0
#define SIM_SNMP_V2C		1
#define SIM_SNMP_V3		3

#define SIM_SNMP_PDU_GET	0xa0
#define SIM_SNMP_PDU_GETNEXT	0xa1
#define SIM_SNMP_PDU_RESPONSE	0xa2
#define SIM_SNMP_PDU_SET	0xa3
#define SIM_SNMP_PDU_GETBULK	0xa5
#define SIM_SNMP_PDU_REPORT	0xa8

/* The user's localised keys, made at the first v3 request. */
struct sim_snmp_keys {
	bool		 ready;
	bool		 failed;
	unsigned char	 auth[SIM_USM_KEY_MAX];
	unsigned char	 priv[SIM_USM_KEY_MAX];
};

/* One printer as its worker serves it. */
struct sim_snmp_agent {
	struct sim_printer	*printer;
	struct sim_snmp_worker	*worker;
	int			 fd;
	struct sim_mib_counters	 counters;
	struct sim_snmp_keys	 keys;
	uint64_t		 salt;
};

/* A PDU: for GETBULK, ERR_STATUS and ERR_INDEX are non-repeaters and
 * max-repetitions. */
struct sim_snmp_pdu {
	unsigned		 type;
	int64_t			 reqid;
	int64_t			 err_status;
	int64_t			 err_index;
	struct sim_mib_varbind	*vbs;
	size_t			 n;
	size_t			 cap;
};

/* A Ku made from a password, kept so that a fleet sharing passwords
 * hashes each one mebibyte once per worker. */
struct sim_snmp_ku {
	enum sim_auth	 auth;
	char		*password;
	unsigned char	 ku[SIM_USM_KEY_MAX];
};

/* What handling one datagram produced. */
struct sim_snmp_reply {
	unsigned char	*data;		/* into the worker's out buffer */
	size_t		 len;		/* 0: no answer */
	bool		 set;		/* an accepted SET: count it */
	bool		 reboot;	/* prtGeneralReset: reboot after */
};

struct sim_snmp_worker {
	struct sim_snmp		*snmp;
	size_t			 index;
	pthread_t		 thread;
	bool			 started;
	int			 epfd;
	int			 wakefd;
	struct sim_snmp_timer	*heap;		/* delayed answers */
	size_t			 nheap;
	size_t			 heapcap;
	unsigned		 seed;
	struct sim_snmp_ku	*ku;
	size_t			 nku;
	struct sim_snmp_pdu	 req;
	struct sim_snmp_pdu	 resp;
	unsigned char		*in;		/* SIM_SNMP_BUF_SIZE each */
	unsigned char		*out;
	unsigned char		*scratch;
	unsigned char		*scratch2;
};

struct sim_snmp {
	struct sim_fleet	*fleet;
	struct sim_mib		*mib;
	struct sim_snmp_agent	*agents;
	size_t			 nagents;
	struct sim_snmp_worker	*workers;
	size_t			 nworkers;
	int			 stop;		/* atomic */
};

/* Handle the datagram IN of LEN bytes that reached agent A. */
void sim_snmp_msg_handle(struct sim_snmp_worker *, struct sim_snmp_agent *,
    const unsigned char *in, size_t len, struct sim_snmp_reply *);

/* Read one PDU (any type) from IN into PDU (reusing its varbinds). */
int sim_snmp_pdu_decode(struct sim_ber *in, struct sim_snmp_pdu *pdu);
/*
 * Answer the worker's request PDU into its response PDU for VERSION; WRITE
 * tells whether SETs are allowed (a write community or a v3 user). BUDGET
 * bounds the encoded varbinds. False when the PDU asks for no answer.
 */
bool sim_snmp_pdu_run(struct sim_snmp_worker *, struct sim_snmp_agent *,
    int version, bool write, size_t budget, struct sim_snmp_reply *);
/* Write PDU backwards into OUT. */
void sim_snmp_pdu_encode(struct sim_ber_out *, const struct sim_snmp_pdu *);
void sim_snmp_pdu_clear(struct sim_snmp_pdu *);
void sim_snmp_pdu_free(struct sim_snmp_pdu *);

#endif
