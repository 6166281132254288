#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sshc-int.h"
#include "xmalloc.h"

/* Read and write in pieces of this size. */
#define SSH_CHAN_CHUNK		32768
#define SSH_CHAN_INITIAL	65536

/* What one pass over the channel did. */
enum sshc_chan_io {
	SSH_CHAN_IDLE,		/* nothing moved: wait for the socket */
	SSH_CHAN_MOVED,		/* bytes moved: try again at once */
	SSH_CHAN_FAILED,	/* s->res says why */
};

enum sshc_step
sshc_chan_open(struct sshc_session *s)
{
	int rc;

	if ((s->chan = libssh2_channel_open_session(s->ssh)) == NULL) {
		rc = libssh2_session_last_errno(s->ssh);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return sshc_session_again(s);
		return sshc_session_lib_fail(s, SSH_FAIL_CHANNEL,
		    "cannot open a channel", rc);
	}
	s->state = SSH_ST_EXEC;
	return SSH_STEP_NEXT;
}

enum sshc_step
sshc_chan_exec(struct sshc_session *s)
{
	int rc;

	rc = libssh2_channel_process_startup(s->chan, "exec", 4, s->command,
	    (unsigned)strlen(s->command));
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return sshc_session_again(s);
	if (rc != 0)
		return sshc_session_lib_fail(s, SSH_FAIL_CHANNEL,
		    "the printer refused to run the command", rc);
	s->state = SSH_ST_IO;
	return SSH_STEP_NEXT;
}

/* Read what STREAM has now into *BUF (NUL-terminated), within the limit. */
static enum sshc_chan_io
sshc_chan_read(struct sshc_session *s, int stream, char **buf, size_t *len,
    size_t *cap)
{
	enum sshc_chan_io moved = SSH_CHAN_IDLE;
	ssize_t n;

	for (;;) {
		if (*cap - *len < SSH_CHAN_CHUNK + 1) {
			*cap = *cap == 0 ? SSH_CHAN_INITIAL : *cap * 2;
			*buf = xreallocarray(*buf, 1, *cap);
		}
		n = libssh2_channel_read_ex(s->chan, stream, *buf + *len,
		    SSH_CHAN_CHUNK);
		if (n == LIBSSH2_ERROR_EAGAIN || n == 0)
			break;
		if (n < 0) {
			sshc_session_lib_fail(s, SSH_FAIL_CHANNEL, stream == 0 ?
			    "reading the output failed" :
			    "reading the error output failed", (int)n);
			return SSH_CHAN_FAILED;
		}
		*len += (size_t)n;
		(*buf)[*len] = '\0';
		moved = SSH_CHAN_MOVED;
		if (*len > s->output_max) {
			sshc_session_fail(s, SSH_FAIL_CHANNEL, "the printer's %s "
			    "exceeds %zu bytes", stream == 0 ? "output" :
			    "error output", s->output_max);
			return SSH_CHAN_FAILED;
		}
	}
	return moved;
}

/* Write what the window takes of the payload, then EOF. */
static enum sshc_chan_io
sshc_chan_write(struct sshc_session *s)
{
	enum sshc_chan_io moved = SSH_CHAN_IDLE;
	size_t left;
	ssize_t n;
	int rc;

	while (s->input_off < s->input_len) {
		left = s->input_len - s->input_off;
		n = libssh2_channel_write_ex(s->chan, 0, (const char *)s->input +
		    s->input_off, left < SSH_CHAN_CHUNK ? left : SSH_CHAN_CHUNK);
		if (n == LIBSSH2_ERROR_EAGAIN)
			return moved;
		if (n < 0) {
			/* The command ended without reading it all. */
			s->input_off = s->input_len;
			s->eof_sent = true;
			return SSH_CHAN_MOVED;
		}
		s->input_off += (size_t)n;
		moved = SSH_CHAN_MOVED;
	}
	if (!s->eof_sent) {
		rc = libssh2_channel_send_eof(s->chan);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return moved;
		s->eof_sent = true;
		moved = SSH_CHAN_MOVED;
	}
	return moved;
}

/* One pass: write, then read both streams (after the write, which may
 * have queued packets). */
static enum sshc_chan_io
sshc_chan_pass(struct sshc_session *s)
{
	enum sshc_chan_io w, o, e;

	w = libssh2_channel_eof(s->chan) ? SSH_CHAN_IDLE : sshc_chan_write(s);
	o = sshc_chan_read(s, 0, &s->res.out, &s->res.out_len, &s->out_cap);
	if (o == SSH_CHAN_FAILED)
		return o;
	e = sshc_chan_read(s, SSH_EXTENDED_DATA_STDERR, &s->res.err,
	    &s->res.err_len, &s->err_cap);
	if (e == SSH_CHAN_FAILED)
		return e;
	return w == SSH_CHAN_MOVED || o == SSH_CHAN_MOVED ||
	    e == SSH_CHAN_MOVED ? SSH_CHAN_MOVED : SSH_CHAN_IDLE;
}

enum sshc_step
sshc_chan_io(struct sshc_session *s)
{
	enum sshc_chan_io io;

	while ((io = sshc_chan_pass(s)) == SSH_CHAN_MOVED)
		continue;
	if (io == SSH_CHAN_FAILED)
		return SSH_STEP_DONE;
	if (!libssh2_channel_eof(s->chan))
		return sshc_session_again(s);
	/* The printer is done; what the command did not read is dropped. */
	s->eof_sent = true;
	s->state = SSH_ST_CLOSE;
	return SSH_STEP_NEXT;
}

static void
sshc_chan_exit(struct sshc_session *s)
{
	char *sig = NULL;
	size_t len = 0;

	s->res.exit_status = libssh2_channel_get_exit_status(s->chan);
	if (libssh2_channel_get_exit_signal(s->chan, &sig, &len, NULL, NULL,
	    NULL, NULL) == 0 && sig != NULL) {
		s->res.exit_signal = xstrndup(sig, len);
		s->res.exit_status = -1;
		libssh2_free(s->ssh, sig);
	}
	if (s->res.out == NULL)
		s->res.out = xstrdup("");
	if (s->res.err == NULL)
		s->res.err = xstrdup("");
}

enum sshc_step
sshc_chan_close(struct sshc_session *s)
{
	int rc;

	if ((rc = libssh2_channel_close(s->chan)) == LIBSSH2_ERROR_EAGAIN)
		return sshc_session_again(s);
	if (rc == 0 && (rc = libssh2_channel_wait_closed(s->chan)) ==
	    LIBSSH2_ERROR_EAGAIN)
		return sshc_session_again(s);
	/* A close that failed still leaves the exit status we received. */
	sshc_chan_exit(s);
	return SSH_STEP_DONE;
}
