#include "config.h"

#include "vault.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "paths.h"
#include "vault-int.h"
#include "xmalloc.h"

/* The largest scrypt N a stored kdf string may ask for (2^24: 2 GiB). */
#define VAULT_SCRYPT_MAX_N	(1ULL << 24)

char *
vault_key_path(const struct vault_source *src)
{
	char *dir, *path;

	if (src != NULL && src->key_path != NULL)
		return xstrdup(src->key_path);
	dir = paths_config_dir();
	path = xasprintf("%s/vault.key", dir);
	free(dir);
	return path;
}

static int
vault_open_file(const char *path, int flags, int *fd)
{
	do
		*fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW);
	while (*fd == -1 && errno == EINTR);
	return *fd == -1 ? -1 : 0;
}

/* Read exactly LEN bytes (fewer only at end of file: *GOT says). */
static int
vault_read_fd(int fd, void *buf, size_t len, size_t *got)
{
	ssize_t n;

	*got = 0;
	while (*got < len) {
		n = read(fd, (char *)buf + *got, len - *got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

static int
vault_write_fd(int fd, const void *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = write(fd, (const char *)buf + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* A private file: a regular file of ours that group and others cannot use. */
static int
vault_check_private(int fd, const char *path, const char *what, char **cause)
{
	struct stat sb;

	if (fstat(fd, &sb) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		*cause = xasprintf("%s %s is not a regular file", what, path);
		return -1;
	}
	if (sb.st_uid != geteuid()) {
		*cause = xasprintf("%s %s belongs to uid %u, not to you", what,
		    path, (unsigned)sb.st_uid);
		return -1;
	}
	if ((sb.st_mode & 077) != 0) {
		*cause = xasprintf("%s %s has mode %04o, so group or others may "
		    "read it: run chmod 600 %s", what, path,
		    (unsigned)(sb.st_mode & 07777), path);
		return -1;
	}
	return 0;
}

int
vault_key_read(const char *path, unsigned char key[VAULT_KEY_LEN],
    char **cause)
{
	unsigned char extra;
	size_t got = 0, more = 0;
	int fd, rc = -1;

	if (vault_open_file(path, O_RDONLY, &fd) != 0) {
		if (errno == ENOENT)
			return -2;
		*cause = xasprintf("vault key %s: %s", path, strerror(errno));
		return -1;
	}
	if (vault_check_private(fd, path, "vault key", cause) != 0)
		goto out;
	if (vault_read_fd(fd, key, VAULT_KEY_LEN, &got) != 0 ||
	    vault_read_fd(fd, &extra, 1, &more) != 0) {
		*cause = xasprintf("vault key %s: %s", path, strerror(errno));
		goto out;
	}
	if (got != VAULT_KEY_LEN || more != 0) {
		*cause = xasprintf("vault key %s is damaged: not %d bytes",
		    path, VAULT_KEY_LEN);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		OPENSSL_cleanse(key, VAULT_KEY_LEN);
	close(fd);
	return rc;
}

/* Create each missing directory above PATH with mode 0700. */
static int
vault_make_dirs(const char *path, char **cause)
{
	char *copy = xstrdup(path), *p;

	for (p = copy + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(copy, 0700) == -1 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

/* Write KEY to a fresh 0600 temporary beside PATH; its name in *TMP. */
static int
vault_key_write_tmp(const char *path, const unsigned char *key, char **tmp,
    char **cause)
{
	int fd, rc;

	*tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkostemp(*tmp, O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", *tmp, strerror(errno));
		xfree(tmp);
		return -1;
	}
	rc = fchmod(fd, 0600) == 0 && vault_write_fd(fd, key,
	    VAULT_KEY_LEN) == 0 && fsync(fd) == 0 ? 0 : -1;
	if (rc != 0)
		*cause = xasprintf("%s: %s", *tmp, strerror(errno));
	if (close(fd) == -1 && rc == 0) {
		*cause = xasprintf("%s: %s", *tmp, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		unlink(*tmp);
		xfree(tmp);
	}
	return rc;
}

int
vault_key_create(const char *path, unsigned char key[VAULT_KEY_LEN],
    char **cause)
{
	char *tmp;
	int rc, saved = 0;

	if (vault_make_dirs(path, cause) != 0)
		return -1;
	if (RAND_bytes(key, VAULT_KEY_LEN) != 1) {
		*cause = xstrdup("no random bytes for the vault key");
		return -1;
	}
	if (vault_key_write_tmp(path, key, &tmp, cause) != 0) {
		OPENSSL_cleanse(key, VAULT_KEY_LEN);
		return -1;
	}
	/* link() never replaces: a key another process just made wins. */
	if ((rc = link(tmp, path)) == -1)
		saved = errno;
	if (rc == -1 && saved != EEXIST)
		*cause = xasprintf("vault key %s: %s", path, strerror(saved));
	unlink(tmp);
	free(tmp);
	if (rc == -1) {
		OPENSSL_cleanse(key, VAULT_KEY_LEN);
		return saved == EEXIST && vault_key_read(path, key, cause) == 0 ?
		    0 : -1;
	}
	return 0;
}

int
vault_derive(struct vault *v, const char *pass, char **cause)
{
	unsigned long long n;
	unsigned r, p;
	char salthex[2 * 64 + 1];
	unsigned char *salt = NULL;
	size_t saltlen = 0;
	uint64_t maxmem;
	int ok;

	if (v->kdf == NULL || sscanf(v->kdf, "scrypt:N=%llu,r=%u,p=%u:%128s",
	    &n, &r, &p, salthex) != 4 || n < 2 || n > VAULT_SCRYPT_MAX_N ||
	    (n & (n - 1)) != 0 || r == 0 || r > 32 || p == 0 || p > 16 ||
	    (salt = vault_unhex(salthex, &saltlen)) == NULL || saltlen < 8) {
		free(salt);
		*cause = xasprintf("the vault's kdf setting is damaged: %s",
		    v->kdf != NULL ? v->kdf : "(none)");
		return -1;
	}
	maxmem = 128ULL * r * (n + 2) + 128ULL * r * p + (1U << 20);
	ok = EVP_PBE_scrypt(pass, strlen(pass), salt, saltlen, n, r, p,
	    maxmem, v->key, VAULT_KEY_LEN);
	free(salt);
	if (ok != 1) {
		*cause = xstrdup("scrypt failed (out of memory?)");
		return -1;
	}
	return 0;
}

int
vault_new_passphrase(const char *pass, struct vault **out, char **cause)
{
	struct vault *v = xcalloc(1, sizeof *v);
	unsigned char salt[VAULT_SALT_LEN];
	char *hex;

	v->mode = VAULT_PASSPHRASE;
	if (RAND_bytes(salt, sizeof salt) != 1) {
		*cause = xstrdup("no random bytes for a salt");
		vault_free(&v);
		return -1;
	}
	hex = vault_hex(salt, sizeof salt);
	v->kdf = xasprintf("scrypt:N=%d,r=%d,p=%d:%s", VAULT_SCRYPT_N,
	    VAULT_SCRYPT_R, VAULT_SCRYPT_P, hex);
	free(hex);
	if (vault_derive(v, pass, cause) != 0) {
		vault_free(&v);
		return -1;
	}
	*out = v;
	return 0;
}

int
vault_from_passphrase(const char *pass, const char *kdf,
    struct vault **out, char **cause)
{
	struct vault *v;

	if (kdf == NULL)
		return vault_new_passphrase(pass, out, cause);
	v = xcalloc(1, sizeof *v);
	v->mode = VAULT_PASSPHRASE;
	v->kdf = xstrdup(kdf);
	if (vault_derive(v, pass, cause) != 0) {
		vault_free(&v);
		return -1;
	}
	*out = v;
	return 0;
}

const char *
vault_kdf(const struct vault *v)
{
	return v->kdf;
}

int
vault_read_private_file(const char *path, size_t max, char **out,
    size_t *len, char **cause)
{
	char *buf;
	size_t got;
	int fd;

	if (vault_open_file(path, O_RDONLY, &fd) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (vault_check_private(fd, path, "secret file", cause) != 0) {
		close(fd);
		return -1;
	}
	buf = xmalloc(max + 1);
	if (vault_read_fd(fd, buf, max + 1, &got) != 0 || got > max) {
		if (got > max)
			*cause = xasprintf("%s is longer than %zu bytes", path,
			    max);
		else
			*cause = xasprintf("%s: %s", path, strerror(errno));
		vault_wipe_free(buf, max + 1);
		close(fd);
		return -1;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

int
vault_read_secret_file(const char *path, char **out, char **cause)
{
	char *buf;
	size_t len, n;

	if (vault_read_private_file(path, 4096, &buf, &len, cause) != 0)
		return -1;
	n = strcspn(buf, "\r\n");
	*out = xstrndup(buf, n);
	vault_wipe_free(buf, len + 1);
	return 0;
}
