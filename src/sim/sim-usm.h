/*
 * The cryptography of SNMPv3's User-based Security Model: password to key
 * (RFC 3414 A.2), key localisation, HMAC-MD5-96 and HMAC-SHA-96 (RFC
 * 3414), HMAC-SHA-256-192 (RFC 7860), DES-CBC (RFC 3414 8) and
 * AES-128-CFB (RFC 3826). Pure functions over caller buffers; thread-safe.
 */
#ifndef QUIRE_SIM_USM_H
#define QUIRE_SIM_USM_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#define SIM_USM_KEY_MAX		32	/* SHA-256 */
#define SIM_USM_MAC_MAX		24	/* HMAC-SHA-256-192 */
#define SIM_USM_SALT_LEN	8	/* msgPrivacyParameters */
/* Ciphertext is at most this much longer than the plaintext (DES pad). */
#define SIM_USM_PAD_MAX		8

/* The key (digest) length of AUTH, and its truncated MAC; 0 for none. */
size_t sim_usm_key_len(enum sim_auth);
size_t sim_usm_mac_len(enum sim_auth);

/*
 * Ku from PASSWORD (RFC 3414 A.2: the digest of 1 MiB of the password
 * repeated) into KU (sim_usm_key_len bytes). -1 for an empty password.
 */
int sim_usm_password_key(enum sim_auth, const char *password,
    unsigned char *ku);
/* Kul = H(Ku | engineID | Ku) into KUL (sim_usm_key_len bytes). */
int sim_usm_localize(enum sim_auth, const unsigned char *ku,
    const unsigned char *engine_id, size_t engine_len, unsigned char *kul);
/* The truncated HMAC of MSG under the localised KEY into MAC. */
int sim_usm_mac(enum sim_auth, const unsigned char *key, const void *msg,
    size_t len, unsigned char *mac);

/*
 * Encrypt LEN bytes of IN into OUT (room for LEN + SIM_USM_PAD_MAX) with
 * the localised privacy KEY (DES: 16 bytes, key then pre-IV; AES: 16),
 * the authoritative engine's BOOTS and TIME and SALT (privParameters).
 * *OUTLEN gets the ciphertext length. 0 or -1.
 */
int sim_usm_encrypt(enum sim_priv, const unsigned char *key, uint32_t boots,
    uint32_t time, const unsigned char *salt, const void *in, size_t len,
    unsigned char *out, size_t *outlen);
/* The reverse; -1 also when LEN is not a whole number of DES blocks. */
int sim_usm_decrypt(enum sim_priv, const unsigned char *key, uint32_t boots,
    uint32_t time, const unsigned char *salt, const void *in, size_t len,
    unsigned char *out, size_t *outlen);

#endif
