/* quire-sim's USM cryptography against published and net-snmp vectors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim-usm.h"

/* RFC 3414 A.3: password "maplesyrup", engine ID 00..00 02. */
static const unsigned char test_sim_usm_engine[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
};

static void
test_sim_usm_vector(enum sim_auth auth, const unsigned char *ku_want,
    const unsigned char *kul_want)
{
	unsigned char	 ku[SIM_USM_KEY_MAX], kul[SIM_USM_KEY_MAX];
	size_t		 len = sim_usm_key_len(auth);

	assert_int_equal(sim_usm_password_key(auth, "maplesyrup", ku), 0);
	assert_memory_equal(ku, ku_want, len);
	assert_int_equal(sim_usm_localize(auth, ku, test_sim_usm_engine,
	    sizeof test_sim_usm_engine, kul), 0);
	assert_memory_equal(kul, kul_want, len);
}

static void
test_sim_usm_keys(void **state)
{
	/* RFC 3414 A.3.1 (MD5) and A.3.2 (SHA). */
	static const unsigned char md5_ku[] = {
		0x9f, 0xaf, 0x32, 0x83, 0x88, 0x4e, 0x92, 0x83, 0x4e, 0xbc,
		0x98, 0x47, 0xd8, 0xed, 0xd9, 0x63 };
	static const unsigned char md5_kul[] = {
		0x52, 0x6f, 0x5e, 0xed, 0x9f, 0xcc, 0xe2, 0x6f, 0x89, 0x64,
		0xc2, 0x93, 0x07, 0x87, 0xd8, 0x2b };
	static const unsigned char sha_ku[] = {
		0x9f, 0xb5, 0xcc, 0x03, 0x81, 0x49, 0x7b, 0x37, 0x93, 0x52,
		0x89, 0x39, 0xff, 0x78, 0x8d, 0x5d, 0x79, 0x14, 0x52, 0x11 };
	static const unsigned char sha_kul[] = {
		0x66, 0x95, 0xfe, 0xbc, 0x92, 0x88, 0xe3, 0x62, 0x82, 0x23,
		0x5f, 0xc7, 0x15, 0x1f, 0x12, 0x84, 0x97, 0xb3, 0x8f, 0x3f };
	/* net-snmp 5.9's generate_Ku/generate_kul with usmHMAC192SHA256. */
	static const unsigned char sha256_ku[] = {
		0xab, 0x51, 0x01, 0x4d, 0x1e, 0x07, 0x7f, 0x60, 0x17, 0xdf,
		0x2b, 0x12, 0xbe, 0xe5, 0xf5, 0xaa, 0x72, 0x99, 0x31, 0x77,
		0xe9, 0xbb, 0x56, 0x9c, 0x4d, 0xff, 0x5a, 0x4c, 0xa0, 0xb4,
		0xaf, 0xac };
	static const unsigned char sha256_kul[] = {
		0x89, 0x82, 0xe0, 0xe5, 0x49, 0xe8, 0x66, 0xdb, 0x36, 0x1a,
		0x6b, 0x62, 0x5d, 0x84, 0xcc, 0xcc, 0x11, 0x16, 0x2d, 0x45,
		0x3e, 0xe8, 0xce, 0x3a, 0x64, 0x45, 0xc2, 0xd6, 0x77, 0x6f,
		0x0f, 0x8b };
	unsigned char	 ku[SIM_USM_KEY_MAX];

	(void)state;
	test_sim_usm_vector(SIM_AUTH_MD5, md5_ku, md5_kul);
	test_sim_usm_vector(SIM_AUTH_SHA, sha_ku, sha_kul);
	test_sim_usm_vector(SIM_AUTH_SHA256, sha256_ku, sha256_kul);
	assert_int_equal(sim_usm_password_key(SIM_AUTH_SHA, "", ku), -1);
	assert_int_equal(sim_usm_password_key(SIM_AUTH_NONE, "x", ku), -1);
	assert_int_equal(sim_usm_mac_len(SIM_AUTH_SHA256), 24);
	assert_int_equal(sim_usm_mac_len(SIM_AUTH_MD5), 12);
}

static void
test_sim_usm_hmac(void **state)
{
	/* RFC 2202 test case 1, truncated to 96 bits. */
	static const unsigned char md5[] = { 0x92, 0x94, 0x72, 0x7a, 0x36,
	    0x38, 0xbb, 0x1c, 0x13, 0xf4, 0x8e, 0xf8 };
	static const unsigned char sha[] = { 0xb6, 0x17, 0x31, 0x86, 0x55,
	    0x05, 0x72, 0x64, 0xe2, 0x8b, 0xc0, 0xb6 };
	/* HMAC-SHA-256 of "Hi There" under 32 bytes of 0x0b, first 192 bits. */
	static const unsigned char sha256[] = { 0x19, 0x8a, 0x60, 0x7e, 0xb4,
	    0x4b, 0xfb, 0xc6, 0x99, 0x03, 0xa0, 0xf1, 0xcf, 0x2b, 0xbd, 0xc5,
	    0xba, 0x0a, 0xa3, 0xf3, 0xd9, 0xae, 0x3c, 0x1c };
	unsigned char	 key[32], mac[SIM_USM_MAC_MAX];

	(void)state;
	memset(key, 0x0b, sizeof key);
	assert_int_equal(sim_usm_mac(SIM_AUTH_MD5, key, "Hi There", 8, mac), 0);
	assert_memory_equal(mac, md5, sizeof md5);
	assert_int_equal(sim_usm_mac(SIM_AUTH_SHA, key, "Hi There", 8, mac), 0);
	assert_memory_equal(mac, sha, sizeof sha);
	assert_int_equal(sim_usm_mac(SIM_AUTH_SHA256, key, "Hi There", 8,
	    mac), 0);
	assert_memory_equal(mac, sha256, sizeof sha256);
}

static void
test_sim_usm_aes(void **state)
{
	/* NIST SP 800-38A F.3.13, CFB128-AES128, first block: the IV
	 * 00..0f is boots 00010203, time 04050607 and salt 08..0f. */
	static const unsigned char key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28,
	    0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
	static const unsigned char pt[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e,
	    0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a };
	static const unsigned char ct[16] = { 0x3b, 0x3f, 0xd9, 0x2e, 0xb7,
	    0x2d, 0xad, 0x20, 0x33, 0x34, 0x49, 0xf8, 0xe8, 0x3c, 0xfb, 0x4a };
	static const unsigned char salt[8] = { 8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned char	 out[32], back[32];
	size_t		 n, m;

	(void)state;
	assert_int_equal(sim_usm_encrypt(SIM_PRIV_AES, key, 0x00010203,
	    0x04050607, salt, pt, sizeof pt, out, &n), 0);
	assert_int_equal(n, 16);
	assert_memory_equal(out, ct, sizeof ct);
	/* CFB needs no padding: 5 bytes stay 5. */
	assert_int_equal(sim_usm_encrypt(SIM_PRIV_AES, key, 1, 2, salt, pt, 5,
	    out, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(sim_usm_decrypt(SIM_PRIV_AES, key, 1, 2, salt, out, n,
	    back, &m), 0);
	assert_memory_equal(back, pt, 5);
}

static void
test_sim_usm_des(void **state)
{
	unsigned char	 key[16], salt[8] = { 0, 0, 0, 1, 0xde, 0xad, 0, 7 };
	unsigned char	 out[40], back[40];
	const char	*pt = "a scopedPDU of 27 bytes....";
	size_t		 n, m;

	(void)state;
	memset(key, 0x5a, sizeof key);
	assert_int_equal(sim_usm_encrypt(SIM_PRIV_DES, key, 0, 0, salt, pt,
	    27, out, &n), 0);
	assert_int_equal(n, 32);	/* padded to whole blocks */
	assert_memory_not_equal(out, pt, 27);
	assert_int_equal(sim_usm_decrypt(SIM_PRIV_DES, key, 0, 0, salt, out,
	    n, back, &m), 0);
	assert_int_equal(m, 32);
	assert_memory_equal(back, pt, 27);
	/* A ciphertext of partial blocks is a decryption error. */
	assert_int_equal(sim_usm_decrypt(SIM_PRIV_DES, key, 0, 0, salt, out,
	    31, back, &m), -1);
	assert_int_equal(sim_usm_decrypt(SIM_PRIV_DES, key, 0, 0, salt, out,
	    0, back, &m), -1);
	/* Another salt, another IV: the first block changes. */
	salt[7] = 8;
	assert_int_equal(sim_usm_encrypt(SIM_PRIV_DES, key, 0, 0, salt, pt,
	    27, back, &m), 0);
	assert_memory_not_equal(out, back, 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_usm_keys),
		cmocka_unit_test(test_sim_usm_hmac),
		cmocka_unit_test(test_sim_usm_aes),
		cmocka_unit_test(test_sim_usm_des),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
