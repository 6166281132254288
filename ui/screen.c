#include "config.h"

#include "screen.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "i18n.h"
#include "xmalloc.h"

struct screen {
	SCREEN		*term;
	bool		 utf8;
	bool		 colour;
	attr_t		 attr[SCREEN_NROLES];
	struct sigaction old[4];
	int		 saved_stderr;	/* -1 when stderr was left alone */
};

/* The signals the console turns into events, and their old handlers. */
static const int screen_sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP };
#define SCREEN_NSIGS (sizeof screen_sigs / sizeof screen_sigs[0])

/* The self-pipe: written by the handler, polled by the main loop. */
static int screen_pipe[2] = { -1, -1 };

static const char *const screen_glyphs_utf8[SCREEN_NGLYPHS] = {
	"\u25cf", "\u25b6", "\u2588", "\u2591", "\u00b7"
};
static const char *const screen_glyphs_ascii[SCREEN_NGLYPHS] = {
	"*", ">", "#", "-", "-"
};

/* Colour per role: foreground, background (-1 is the terminal's own). */
static const struct screen_colour {
	short	 fg, bg;
	attr_t	 attr;		/* added to the colour */
	attr_t	 mono;		/* used alone without colour */
} screen_colours[SCREEN_NROLES] = {
	[SCREEN_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[SCREEN_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[SCREEN_MARKED] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[SCREEN_HEADER] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL,
	    A_BOLD | A_UNDERLINE },
	[SCREEN_STATUS] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	[SCREEN_OK] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[SCREEN_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[SCREEN_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
};

static void
screen_handler(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	ssize_t n;

	/* A full pipe already holds a wake-up, so a failed write loses none. */
	n = write(screen_pipe[1], &c, 1);
	(void)n;
	errno = saved;
}

static int
screen_pipe_open(char **cause)
{
	int i, fl;

	if (pipe(screen_pipe) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		fl = fcntl(screen_pipe[i], F_GETFL);
		if (fl == -1 || fcntl(screen_pipe[i], F_SETFL,
		    fl | O_NONBLOCK) == -1 ||
		    fcntl(screen_pipe[i], F_SETFD, FD_CLOEXEC) == -1) {
			*cause = xasprintf("fcntl: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void
screen_pipe_close(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (screen_pipe[i] != -1)
			close(screen_pipe[i]);
		screen_pipe[i] = -1;
	}
}

static void
screen_signals_restore(struct screen *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sigaction(screen_sigs[i], &s->old[i], NULL);
}

/* Installed before curses starts, so curses leaves SIGWINCH to us. */
static int
screen_signals_install(struct screen *s, char **cause)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = screen_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < SCREEN_NSIGS; i++) {
		if (sigaction(screen_sigs[i], &sa, &s->old[i]) != 0) {
			*cause = xasprintf("sigaction: %s", strerror(errno));
			screen_signals_restore(s, i);
			return -1;
		}
	}
	return 0;
}

/* Colour roles, or bold/reverse alone when NO_COLOR is set or lacking. */
static void
screen_colours_init(struct screen *s)
{
	const char *no = getenv("NO_COLOR");
	const struct screen_colour *c;
	int i;

	s->colour = (no == NULL || *no == '\0') && has_colors();
	if (s->colour && (start_color() != OK || COLOR_PAIRS < SCREEN_NROLES))
		s->colour = false;
	if (s->colour)
		use_default_colors();
	for (i = 0; i < SCREEN_NROLES; i++) {
		c = &screen_colours[i];
		if (!s->colour || i == SCREEN_NORMAL) {
			s->attr[i] = c->mono;
			continue;
		}
		init_pair((short)i, c->fg, c->bg);
		s->attr[i] = COLOR_PAIR(i) | c->attr;
	}
}

static int
screen_curses_open(struct screen *s, char **cause)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup(_("the console needs a terminal"));
		return -1;
	}
	s->term = newterm(NULL, stdout, stdin);
	if (s->term == NULL) {
		*cause = xasprintf(_("cannot use the terminal (TERM=%s)"),
		    term != NULL ? term : "");
		return -1;
	}
	set_term(s->term);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	screen_colours_init(s);
	return 0;
}

/* What a library might print to stderr would scribble on the screen. */
static void
screen_stderr_hide(struct screen *s)
{
	int fd;

	s->saved_stderr = -1;
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1)
		return;
	s->saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (s->saved_stderr != -1 && dup2(fd, STDERR_FILENO) == -1) {
		close(s->saved_stderr);
		s->saved_stderr = -1;
	}
	close(fd);
}

static void
screen_stderr_restore(struct screen *s)
{
	if (s->saved_stderr == -1)
		return;
	while (dup2(s->saved_stderr, STDERR_FILENO) == -1 && errno == EINTR)
		/* retry */;
	close(s->saved_stderr);
	s->saved_stderr = -1;
}

int
screen_open(struct screen **out, char **cause)
{
	struct screen *s = xcalloc(1, sizeof *s);
	const char *cs = nl_langinfo(CODESET);

	s->utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
	if (screen_pipe_open(cause) != 0 ||
	    screen_signals_install(s, cause) != 0) {
		screen_pipe_close();
		free(s);
		return -1;
	}
	if (screen_curses_open(s, cause) != 0) {
		screen_signals_restore(s, SCREEN_NSIGS);
		screen_pipe_close();
		free(s);
		return -1;
	}
	screen_stderr_hide(s);
	*out = s;
	return 0;
}

void
screen_close(struct screen **sp)
{
	struct screen *s = *sp;

	if (s == NULL)
		return;
	curs_set(1);
	endwin();
	delscreen(s->term);
	screen_stderr_restore(s);
	screen_signals_restore(s, SCREEN_NSIGS);
	screen_pipe_close();
	free(s);
	*sp = NULL;
}

int
screen_signal_fd(const struct screen *s)
{
	return screen_pipe[0];
}

/* Ask the terminal its size, as curses cannot see SIGWINCH now. */
static void
screen_resize(struct screen *s)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

int
screen_signals(struct screen *s)
{
	unsigned char buf[64];
	ssize_t n, i;
	int found = 0;

	for (;;) {
		n = read(screen_pipe[0], buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			found |= buf[i] == SIGWINCH ? SCREEN_RESIZED : SCREEN_QUIT;
	}
	if (found & SCREEN_RESIZED)
		screen_resize(s);
	return found;
}

int
screen_getkey(struct screen *s, int *key)
{
	wint_t wc;

	switch (get_wch(&wc)) {
	case OK:
		*key = (int)wc;
		return 0;
	case KEY_CODE_YES:
		*key = SCREEN_KEY_FN | (int)wc;
		return 0;
	default:
		return -1;
	}
}

int
screen_lines(const struct screen *s)
{
	return LINES;
}

int
screen_cols(const struct screen *s)
{
	return COLS;
}

bool
screen_is_utf8(const struct screen *s)
{
	return s->utf8;
}

bool
screen_has_colour(const struct screen *s)
{
	return s->colour;
}

const char *
screen_glyph(const struct screen *s, enum screen_glyph g)
{
	return s->utf8 ? screen_glyphs_utf8[g] : screen_glyphs_ascii[g];
}

/* Format characters that reorder or hide text: never drawn. */
static bool
screen_is_invisible(wchar_t wc)
{
	return (wc >= 0x200b && wc <= 0x200f) ||
	    (wc >= 0x202a && wc <= 0x202e) ||
	    (wc >= 0x2060 && wc <= 0x206f) || wc == 0xfeff;
}

/*
 * Decode the character at P as it will be drawn: *wc and its columns (0 for
 * a combining mark, -1 to skip). Returns the bytes used, at least 1.
 */
static size_t
screen_decode(const struct screen *s, const char *p, wchar_t *wc, int *cols)
{
	mbstate_t mbs;
	size_t n = 1;

	memset(&mbs, 0, sizeof mbs);
	*wc = (unsigned char)*p;
	if (s->utf8 && *wc >= 0x80) {
		n = mbrtowc(wc, p, MB_CUR_MAX, &mbs);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			n = 1;
			*wc = L'?';
		}
	} else if (*wc >= 0x80)
		*wc = L'?';
	if (screen_is_invisible(*wc)) {
		*cols = -1;
		return n;
	}
	*cols = wcwidth(*wc);
	if (*cols < 0 || !iswprint(*wc)) {
		*wc = L'?';
		*cols = 1;
	}
	return n;
}

int
screen_put(struct screen *s, int y, int x, int width, enum screen_role role,
    const char *text, bool pad)
{
	const char *p = text != NULL ? text : "";
	int used = 0, cols;
	wchar_t wc;

	if (width <= 0)
		return 0;
	attrset(s->attr[role]);
	move(y, x);
	while (*p != '\0') {
		p += screen_decode(s, p, &wc, &cols);
		if (cols < 0 || (cols == 0 && used == 0))
			continue;
		if (used + cols > width)
			break;
		addnwstr(&wc, 1);
		used += cols;
	}
	if (pad && used < width) {
		screen_blank(s, y, x + used, width - used, role);
		used = width;
	}
	return used;
}

void
screen_blank(struct screen *s, int y, int x, int width, enum screen_role role)
{
	if (width <= 0)
		return;
	/* hline merges the window's attributes into the character's. */
	attrset(s->attr[role]);
	mvhline(y, x, ' ' | s->attr[role], width);
}

int
screen_width(const struct screen *s, const char *text)
{
	const char *p = text != NULL ? text : "";
	int used = 0, cols;
	wchar_t wc;

	while (*p != '\0') {
		p += screen_decode(s, p, &wc, &cols);
		if (cols > 0)
			used += cols;
	}
	return used;
}

void
screen_clear(struct screen *s)
{
	attrset(A_NORMAL);
	clearok(curscr, TRUE);
	erase();
}

void
screen_cursor(struct screen *s, int y, int x)
{
	if (y < 0) {
		leaveok(stdscr, TRUE);
		curs_set(0);
		return;
	}
	leaveok(stdscr, FALSE);
	move(y, x);
	curs_set(1);
}

void
screen_update(struct screen *s)
{
	wnoutrefresh(stdscr);
	doupdate();
}
