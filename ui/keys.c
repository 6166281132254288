#include "config.h"

#include "keys.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "i18n.h"
#include "screen.h"

#define KEYS_FN(k)	(SCREEN_KEY_FN | (k))
#define KEYS_CTRL(c)	((c) & 0x1f)
#define KEYS_ESC	0x1b
#define KEYS_DEL	0x7f

/* Name -> op: what ':' accepts and '?' shows. */
static const struct keys_opinfo {
	const char	*name;
	const char	*help;
} keys_ops[KEYS_NOPS] = {
	[KEYS_OP_UP] = { "up", N_("move to the previous row") },
	[KEYS_OP_DOWN] = { "down", N_("move to the next row") },
	[KEYS_OP_PAGE_UP] = { "page-up", N_("move up one page") },
	[KEYS_OP_PAGE_DOWN] = { "page-down", N_("move down one page") },
	[KEYS_OP_TOP] = { "top", N_("move to the first row") },
	[KEYS_OP_BOTTOM] = { "bottom", N_("move to the last row") },
	[KEYS_OP_FILTER] = { "filter",
	    N_("show only rows containing text (as you type)") },
	[KEYS_OP_MARK] = { "mark", N_("mark or unmark the row, move down") },
	[KEYS_OP_MARK_ALL] = { "mark-all", N_("mark every row shown") },
	[KEYS_OP_INVERT] = { "invert-marks",
	    N_("invert the marks of the rows shown") },
	[KEYS_OP_UNMARK_ALL] = { "unmark-all", N_("remove every mark") },
	[KEYS_OP_SORT] = { "sort", N_("sort by the next column") },
	[KEYS_OP_REVERSE] = { "reverse", N_("reverse the sort order") },
	[KEYS_OP_OPEN] = { "open", N_("show every detail of the row") },
	[KEYS_OP_COMMAND] = { "command", N_("type a command (e.g. check)") },
	[KEYS_OP_HELP] = { "help", N_("show the keys") },
	[KEYS_OP_REDRAW] = { "redraw", N_("redraw the screen") },
	[KEYS_OP_CLOSE] = { "close", N_("close this view") },
	[KEYS_OP_QUIT] = { "quit", N_("leave quire") },
	[KEYS_OP_CREDENTIALS] = { "credentials",
	    N_("show the credentials (never a secret)") },
	[KEYS_OP_PRINTERS] = { "printers", N_("back to the printers") },
	[KEYS_OP_HISTORY] = { "history",
	    N_("show the backup history of the marked printers") },
	[KEYS_OP_HISTORY_ALL] = { "all-printers",
	    N_("switch between every printer and the chosen ones") },
	[KEYS_OP_CHECK] = { "check",
	    N_("check the marked printers, else the current one") },
	[KEYS_OP_BACKUP] = { "backup",
	    N_("back up the marked printers, else the current one") },
	[KEYS_OP_DIFF] = { "diff",
	    N_("compare the two marked, or one with its previous") },
	[KEYS_OP_SETDATA] = { "data",
	    N_("edit setting data (the configurator)") },
	[KEYS_OP_NEW] = { "new", N_("start new setting data") },
	[KEYS_OP_EDIT] = { "edit",
	    N_("edit the data, category or value under the cursor") },
	[KEYS_OP_DELETE] = { "delete",
	    N_("remove the setting data under the cursor (asks first)") },
	[KEYS_OP_UNSET] = { "unset",
	    N_("remove the setting under the cursor from the data") },
	[KEYS_OP_SAVE] = { "save", N_("save the data into quire") },
	[KEYS_OP_DISTRIBUTE] = { "distribute",
	    N_("distribute setting data to the marked printers (preview first)") },
	[KEYS_OP_JOBS] = { "jobs", N_("show the distribution jobs") },
	[KEYS_OP_CANCEL_JOB] = { "cancel-job",
	    N_("cancel the job (asks first)") },
	[KEYS_OP_RETRY] = { "retry",
	    N_("retry what failed in the job, as a new job") },
	[KEYS_OP_ROLLBACK] = { "rollback",
	    N_("put the job's printers back as they were (asks first)") },
	[KEYS_OP_YES] = { "yes", N_("answer yes to the question") },
	[KEYS_OP_NO] = { "no", N_("answer no: change nothing") },
	[KEYS_OP_ACCEPT] = { "accept", N_("accept the line") },
	[KEYS_OP_CANCEL] = { "cancel",
	    N_("cancel (a filter being typed is cleared)") },
	[KEYS_OP_BACKSPACE] = { "backspace",
	    N_("delete the character before the cursor") },
	[KEYS_OP_KILL_LINE] = { "kill-line", N_("delete the whole line") },
	[KEYS_OP_KILL_WORD] = { "kill-word",
	    N_("delete the word before the cursor") },
};

/* Short names ':' also accepts. */
static const struct keys_alias {
	const char	*name;
	enum keys_op	 op;
} keys_aliases[] = {
	{ "q", KEYS_OP_QUIT },
	{ "exit", KEYS_OP_QUIT },
	{ "h", KEYS_OP_HELP },
};

/* Op -> default key, per context. */
#define KEYS_MOVES \
	{ KEYS_FN(KEY_UP), KEYS_OP_UP }, { 'k', KEYS_OP_UP }, \
	{ KEYS_FN(KEY_DOWN), KEYS_OP_DOWN }, { 'j', KEYS_OP_DOWN }, \
	{ KEYS_FN(KEY_PPAGE), KEYS_OP_PAGE_UP }, \
	{ KEYS_CTRL('b'), KEYS_OP_PAGE_UP }, \
	{ KEYS_FN(KEY_NPAGE), KEYS_OP_PAGE_DOWN }, \
	{ KEYS_CTRL('f'), KEYS_OP_PAGE_DOWN }, \
	{ KEYS_FN(KEY_HOME), KEYS_OP_TOP }, { 'g', KEYS_OP_TOP }, \
	{ KEYS_FN(KEY_END), KEYS_OP_BOTTOM }, { 'G', KEYS_OP_BOTTOM }, \
	{ '/', KEYS_OP_FILTER }, \
	{ ':', KEYS_OP_COMMAND }, { '?', KEYS_OP_HELP }, \
	{ KEYS_CTRL('l'), KEYS_OP_REDRAW }

static const struct keys_binding keys_list[] = {
	KEYS_MOVES,
	{ ' ', KEYS_OP_MARK },
	{ 'a', KEYS_OP_MARK_ALL },
	{ 'i', KEYS_OP_INVERT },
	{ 'u', KEYS_OP_UNMARK_ALL },
	{ 's', KEYS_OP_SORT },
	{ 'S', KEYS_OP_REVERSE },
	{ '\r', KEYS_OP_OPEN }, { '\n', KEYS_OP_OPEN },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_OPEN },
	{ 'c', KEYS_OP_CHECK },
	{ 'b', KEYS_OP_BACKUP },
	{ 'H', KEYS_OP_HISTORY },
	{ 'C', KEYS_OP_CREDENTIALS },
	{ 'E', KEYS_OP_SETDATA },
	{ 'D', KEYS_OP_DISTRIBUTE },
	{ 'J', KEYS_OP_JOBS },
	{ 'q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_backups[] = {
	KEYS_MOVES,
	{ ' ', KEYS_OP_MARK },
	{ 'u', KEYS_OP_UNMARK_ALL },
	{ 'd', KEYS_OP_DIFF },
	{ '\r', KEYS_OP_OPEN }, { '\n', KEYS_OP_OPEN },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_OPEN },
	{ 'A', KEYS_OP_HISTORY_ALL },
	{ 'P', KEYS_OP_PRINTERS }, { 'q', KEYS_OP_PRINTERS },
	{ KEYS_ESC, KEYS_OP_PRINTERS },
	{ 'Q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_setdata[] = {
	KEYS_MOVES,
	{ 's', KEYS_OP_SORT },
	{ 'S', KEYS_OP_REVERSE },
	{ '\r', KEYS_OP_EDIT }, { '\n', KEYS_OP_EDIT },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_EDIT },
	{ 'n', KEYS_OP_NEW },
	{ 'x', KEYS_OP_DELETE }, { KEYS_FN(KEY_DC), KEYS_OP_DELETE },
	{ 'P', KEYS_OP_PRINTERS }, { 'q', KEYS_OP_PRINTERS },
	{ KEYS_ESC, KEYS_OP_PRINTERS },
	{ 'Q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_sdedit[] = {
	KEYS_MOVES,
	{ '\r', KEYS_OP_EDIT }, { '\n', KEYS_OP_EDIT },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_EDIT }, { KEYS_FN(KEY_RIGHT), KEYS_OP_EDIT },
	{ 'u', KEYS_OP_UNSET }, { 'x', KEYS_OP_UNSET },
	{ KEYS_FN(KEY_DC), KEYS_OP_UNSET },
	{ 'w', KEYS_OP_SAVE },
	{ 'q', KEYS_OP_CLOSE }, { KEYS_ESC, KEYS_OP_CLOSE },
	{ KEYS_FN(KEY_LEFT), KEYS_OP_CLOSE },
	{ 'Q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_choice[] = {
	KEYS_MOVES,
	{ '\r', KEYS_OP_ACCEPT }, { '\n', KEYS_OP_ACCEPT },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_ACCEPT }, { ' ', KEYS_OP_ACCEPT },
	{ 'q', KEYS_OP_CANCEL }, { KEYS_ESC, KEYS_OP_CANCEL },
	{ KEYS_FN(KEY_LEFT), KEYS_OP_CANCEL },
};

static const struct keys_binding keys_creds[] = {
	KEYS_MOVES,
	{ 's', KEYS_OP_SORT },
	{ 'S', KEYS_OP_REVERSE },
	{ '\r', KEYS_OP_OPEN }, { '\n', KEYS_OP_OPEN },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_OPEN },
	{ 'P', KEYS_OP_PRINTERS }, { 'q', KEYS_OP_PRINTERS },
	{ KEYS_ESC, KEYS_OP_PRINTERS },
	{ 'Q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_dist_jobs[] = {
	KEYS_MOVES,
	{ '\r', KEYS_OP_OPEN }, { '\n', KEYS_OP_OPEN },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_OPEN },
	{ 'x', KEYS_OP_CANCEL_JOB }, { 'r', KEYS_OP_RETRY },
	{ 'R', KEYS_OP_ROLLBACK },
	{ 'P', KEYS_OP_PRINTERS }, { 'q', KEYS_OP_CLOSE },
	{ KEYS_ESC, KEYS_OP_CLOSE }, { 'Q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_dist_choose[] = {
	KEYS_MOVES,
	{ '\r', KEYS_OP_OPEN }, { '\n', KEYS_OP_OPEN },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_OPEN },
	{ 'q', KEYS_OP_CLOSE }, { KEYS_ESC, KEYS_OP_CLOSE },
	{ 'Q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_dist_ask[] = {
	KEYS_MOVES,
	{ 'y', KEYS_OP_YES }, { 'n', KEYS_OP_NO }, { 'q', KEYS_OP_NO },
	{ KEYS_ESC, KEYS_OP_NO }, { 'Q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_view[] = {
	KEYS_MOVES,
	{ 'q', KEYS_OP_CLOSE }, { KEYS_ESC, KEYS_OP_CLOSE },
	{ KEYS_FN(KEY_LEFT), KEYS_OP_CLOSE },
	{ 'Q', KEYS_OP_QUIT },
};

static const struct keys_binding keys_edit[] = {
	{ '\r', KEYS_OP_ACCEPT }, { '\n', KEYS_OP_ACCEPT },
	{ KEYS_FN(KEY_ENTER), KEYS_OP_ACCEPT },
	{ KEYS_ESC, KEYS_OP_CANCEL }, { KEYS_CTRL('g'), KEYS_OP_CANCEL },
	{ KEYS_FN(KEY_BACKSPACE), KEYS_OP_BACKSPACE },
	{ KEYS_DEL, KEYS_OP_BACKSPACE }, { KEYS_CTRL('h'), KEYS_OP_BACKSPACE },
	{ KEYS_CTRL('u'), KEYS_OP_KILL_LINE },
	{ KEYS_CTRL('w'), KEYS_OP_KILL_WORD },
};

static const struct keys_table {
	const struct keys_binding *v;
	size_t		 n;
} keys_tables[KEYS_NCONTEXTS] = {
	[KEYS_LIST] = { keys_list, sizeof keys_list / sizeof keys_list[0] },
	[KEYS_VIEW] = { keys_view, sizeof keys_view / sizeof keys_view[0] },
	[KEYS_CREDS] = { keys_creds,
	    sizeof keys_creds / sizeof keys_creds[0] },
	[KEYS_BACKUPS] = { keys_backups,
	    sizeof keys_backups / sizeof keys_backups[0] },
	[KEYS_SETDATA] = { keys_setdata,
	    sizeof keys_setdata / sizeof keys_setdata[0] },
	[KEYS_SDEDIT] = { keys_sdedit,
	    sizeof keys_sdedit / sizeof keys_sdedit[0] },
	[KEYS_CHOICE] = { keys_choice,
	    sizeof keys_choice / sizeof keys_choice[0] },
	[KEYS_DIST_JOBS] = { keys_dist_jobs,
	    sizeof keys_dist_jobs / sizeof keys_dist_jobs[0] },
	[KEYS_DIST_CHOOSE] = { keys_dist_choose,
	    sizeof keys_dist_choose / sizeof keys_dist_choose[0] },
	[KEYS_DIST_ASK] = { keys_dist_ask,
	    sizeof keys_dist_ask / sizeof keys_dist_ask[0] },
	[KEYS_EDIT] = { keys_edit, sizeof keys_edit / sizeof keys_edit[0] },
};

/* Names of the keys that are not printable characters. */
static const struct keys_keyname {
	int		 key;
	const char	*name;
} keys_keynames[] = {
	{ KEYS_FN(KEY_UP), "Up" }, { KEYS_FN(KEY_DOWN), "Down" },
	{ KEYS_FN(KEY_LEFT), "Left" }, { KEYS_FN(KEY_RIGHT), "Right" },
	{ KEYS_FN(KEY_PPAGE), "PgUp" }, { KEYS_FN(KEY_NPAGE), "PgDn" },
	{ KEYS_FN(KEY_HOME), "Home" }, { KEYS_FN(KEY_END), "End" },
	{ KEYS_FN(KEY_ENTER), "Enter" }, { '\r', "Enter" }, { '\n', "Enter" },
	{ KEYS_FN(KEY_BACKSPACE), "Backspace" }, { KEYS_DEL, "Backspace" },
	{ KEYS_ESC, "Esc" }, { ' ', "Space" }, { '\t', "Tab" },
	{ KEYS_FN(KEY_DC), "Delete" },
};

enum keys_op
keys_lookup(enum keys_context ctx, int key)
{
	const struct keys_table *t = &keys_tables[ctx];
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].key == key)
			return t->v[i].op;
	}
	return KEYS_OP_NONE;
}

const char *
keys_op_name(enum keys_op op)
{
	if (op <= KEYS_OP_NONE || op >= KEYS_NOPS)
		return NULL;
	return keys_ops[op].name;
}

enum keys_op
keys_op_find(const char *name)
{
	size_t i;

	for (i = KEYS_OP_NONE + 1; i < KEYS_NOPS; i++) {
		if (keys_ops[i].name != NULL && strcmp(keys_ops[i].name,
		    name) == 0)
			return (enum keys_op)i;
	}
	for (i = 0; i < sizeof keys_aliases / sizeof keys_aliases[0]; i++) {
		if (strcmp(keys_aliases[i].name, name) == 0)
			return keys_aliases[i].op;
	}
	return KEYS_OP_NONE;
}

const char *
keys_op_help(enum keys_op op)
{
	if (op <= KEYS_OP_NONE || op >= KEYS_NOPS || keys_ops[op].help == NULL)
		return "";
	return _(keys_ops[op].help);
}

const struct keys_binding *
keys_bindings(enum keys_context ctx, size_t *n)
{
	*n = keys_tables[ctx].n;
	return keys_tables[ctx].v;
}

int
keys_default(enum keys_context ctx, enum keys_op op)
{
	const struct keys_table *t = &keys_tables[ctx];
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].op == op)
			return t->v[i].key;
	}
	return -1;
}

const char *
keys_key_name(int key, char *buf, size_t len)
{
	mbstate_t mbs;
	char mb[MB_LEN_MAX + 1];
	size_t i, n;

	for (i = 0; i < sizeof keys_keynames / sizeof keys_keynames[0]; i++) {
		if (keys_keynames[i].key == key) {
			snprintf(buf, len, "%s", keys_keynames[i].name);
			return buf;
		}
	}
	if (key & SCREEN_KEY_FN)
		snprintf(buf, len, "<%d>", key & ~SCREEN_KEY_FN);
	else if (key < 0x20)
		snprintf(buf, len, "^%c", key + '@');
	else {
		memset(&mbs, 0, sizeof mbs);
		n = iswprint((wint_t)key) ? wcrtomb(mb, (wchar_t)key, &mbs) :
		    (size_t)-1;
		if (n == (size_t)-1)
			snprintf(buf, len, "U+%04X", (unsigned)key);
		else
			snprintf(buf, len, "%.*s", (int)n, mb);
	}
	return buf;
}

/* True if NAME is one of the ", "-separated names in LIST. */
static int
keys_help_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' ||
		    p[n] == ','))
			return 1;
		p++;
	}
	return 0;
}

/* Append the name of KEY to the ", "-separated list in BUF. */
static void
keys_help_append(char *buf, size_t len, int key)
{
	char name[KEYS_NAME_MAX];
	size_t used = strlen(buf);

	keys_key_name(key, name, sizeof name);
	/* Enter has three codes; name it once. */
	if (keys_help_has(buf, name))
		return;
	snprintf(buf + used, len - used, "%s%s", used > 0 ? ", " : "", name);
}

void
keys_help(enum keys_context ctx, void (*add)(void *, const char *,
    const char *, const char *), void *arg)
{
	const struct keys_table *t = &keys_tables[ctx];
	char keys[KEYS_NAME_MAX * 4];
	size_t op, i;

	for (op = KEYS_OP_NONE + 1; op < KEYS_NOPS; op++) {
		keys[0] = '\0';
		for (i = 0; i < t->n; i++) {
			if (t->v[i].op == (enum keys_op)op)
				keys_help_append(keys, sizeof keys, t->v[i].key);
		}
		if (keys[0] != '\0')
			add(arg, keys, keys_ops[op].name, keys_op_help(op));
	}
}
