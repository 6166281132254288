#include "config.h"

#include "pane-credentials.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "credential.h"
#include "i18n.h"
#include "pane.h"
#include "screen.h"
#include "store.h"
#include "text.h"
#include "xmalloc.h"

/* Names shown in the detail view, at most, of each of printers and groups. */
#define PANE_CREDENTIALS_USERS	20

enum pane_credentials_col {
	PANE_CREDENTIALS_NAME,
	PANE_CREDENTIALS_KIND,
	PANE_CREDENTIALS_WHO,
	PANE_CREDENTIALS_SNMP,
	PANE_CREDENTIALS_KEY,
	PANE_CREDENTIALS_USED,
	PANE_CREDENTIALS_NCOLS
};

/* Dropped right to left when the terminal is narrow. */
static const struct pane_column pane_credentials_columns[] = {
	[PANE_CREDENTIALS_NAME] = { N_("NAME"), 8, 20 },
	[PANE_CREDENTIALS_KIND] = { N_("KIND"), 8, 14 },
	[PANE_CREDENTIALS_WHO] = { N_("USER/ID"), 7, 24 },
	[PANE_CREDENTIALS_SNMP] = { N_("SNMP"), 4, 12 },
	[PANE_CREDENTIALS_KEY] = { N_("KEY"), 8, 31 },
	[PANE_CREDENTIALS_USED] = { N_("USED BY"), 7, 0 },
};

struct pane_credentials {
	struct store	*st;
	struct credential_set *set;
	char		*(*cells)[PANE_CREDENTIALS_NCOLS];
	size_t		 nrows;
};

static size_t
pane_credentials_count(void *arg)
{
	return ((struct pane_credentials *)arg)->nrows;
}

static int64_t
pane_credentials_key(void *arg, size_t row)
{
	return ((struct pane_credentials *)arg)->set->v[row].id;
}

static void
pane_credentials_cell(void *arg, size_t row, size_t col,
    struct pane_cell *cell)
{
	cell->text = ((struct pane_credentials *)arg)->cells[row][col];
}

static const char *
pane_credentials_empty(void *arg)
{
	return _("No credentials yet. Add them with: quire credential add "
	    "NAME --kind KIND");
}

static void
pane_credentials_rows_free(struct pane_credentials *pc)
{
	size_t i, j;

	for (i = 0; i < pc->nrows; i++) {
		for (j = 0; j < PANE_CREDENTIALS_NCOLS; j++)
			free(pc->cells[i][j]);
	}
	xfree(&pc->cells);
	pc->nrows = 0;
	credential_set_free(&pc->set);
}

static void
pane_credentials_free(void *arg)
{
	struct pane_credentials *pc = arg;

	pane_credentials_rows_free(pc);
	free(pc);
}

static const struct pane_owner pane_credentials_owner = {
	.one = N_("credential"),
	.many = N_("credentials"),
	.columns = pane_credentials_columns,
	.ncolumns = PANE_CREDENTIALS_NCOLS,
	.count = pane_credentials_count,
	.key = pane_credentials_key,
	.cell = pane_credentials_cell,
	.empty = pane_credentials_empty,
	.free = pane_credentials_free,
};

struct pane *
pane_credentials_new(struct store *st)
{
	struct pane_credentials *pc = xcalloc(1, sizeof *pc);

	pc->st = st;
	return pane_new(&pane_credentials_owner, pc, _("Credentials"),
	    PANE_SORT, KEYS_CREDS);
}

bool
pane_credentials_is(const struct pane *p)
{
	return pane_context(p) == KEYS_CREDS;
}

/* Anything read from the store is drawn only once made safe again. */
static char *
pane_credentials_clean(const char *s)
{
	return text_sanitize(s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

/* USER/ID: domain\user, the System Manager ID, or the user. */
static char *
pane_credentials_who(const struct credential *c)
{
	char *raw, *out;

	if (c->kind == CREDENTIAL_KIND_DOMAIN)
		raw = xasprintf("%s\\%s", c->domain ? c->domain : "",
		    c->user ? c->user : "");
	else if (c->kind == CREDENTIAL_KIND_SYSMGR)
		raw = xstrdup(c->sysmgr_id ? c->sysmgr_id : "");
	else
		raw = xstrdup(c->user ? c->user : "");
	out = pane_credentials_clean(raw);
	free(raw);
	return out;
}

/* SNMP: "v2c" (with "+write") for a community, the USM level for v3. */
static char *
pane_credentials_snmp(const struct credential *c)
{
	if (c->kind == CREDENTIAL_KIND_SNMP_COMMUNITY)
		return xstrdup(c->has_write ? "v2c+write" : "v2c");
	if (c->kind == CREDENTIAL_KIND_SNMP_USM)
		return xstrdup(credential_usm_level(c));
	return xstrdup("");
}

/* KEY: an SSH key's type and the start of its fingerprint. */
static char *
pane_credentials_key_text(const struct credential *c)
{
	char *raw, *out;

	if (c->kind != CREDENTIAL_KIND_SSH_KEY)
		return xstrdup("");
	raw = xasprintf("%s %.19s", c->key_type ? c->key_type : "?",
	    c->fingerprint ? c->fingerprint : "");
	out = pane_credentials_clean(raw);
	free(raw);
	return out;
}

static char *
pane_credentials_used(const struct credential *c)
{
	if (c->nprinters == 0 && c->ngroups == 0)
		return xstrdup(_("unused"));
	return xasprintf(c->ngroups == 1 ? (c->nprinters == 1 ?
	    _("%zu printer, %zu group") : _("%zu printers, %zu group")) :
	    c->nprinters == 1 ? _("%zu printer, %zu groups") :
	    _("%zu printers, %zu groups"), c->nprinters, c->ngroups);
}

static void
pane_credentials_fill(char **cells, const struct credential *c)
{
	cells[PANE_CREDENTIALS_NAME] = pane_credentials_clean(c->name);
	cells[PANE_CREDENTIALS_KIND] = xstrdup(credential_kind_name(c->kind));
	cells[PANE_CREDENTIALS_WHO] = pane_credentials_who(c);
	cells[PANE_CREDENTIALS_SNMP] = pane_credentials_snmp(c);
	cells[PANE_CREDENTIALS_KEY] = pane_credentials_key_text(c);
	cells[PANE_CREDENTIALS_USED] = pane_credentials_used(c);
}

int
pane_credentials_reload(struct pane *p, char **cause)
{
	struct pane_credentials *pc = pane_arg(p);
	struct credential_set *set;
	size_t i;

	if (credential_list(pc->st, &set, cause) != 0)
		return -1;
	pane_credentials_rows_free(pc);
	pc->set = set;
	pc->cells = xcalloc(set->n > 0 ? set->n : 1, sizeof *pc->cells);
	for (i = 0; i < set->n; i++)
		pane_credentials_fill(pc->cells[i], &set->v[i]);
	pc->nrows = set->n;
	pane_reload(p);
	return 0;
}

/* ---- the detail view ---- */

static const struct pane_column pane_credentials_detail_columns[] = {
	{ N_("FIELD"), 12, 12 },
	{ N_("VALUE"), 10, 0 },
};

/* Add FIELD: VALUE (sanitised) unless VALUE is NULL or empty. */
static void
pane_credentials_field(struct pane *d, const char *field, const char *value)
{
	const char *cells[2] = { field, NULL };
	char *clean;

	if (value == NULL || *value == '\0')
		return;
	clean = pane_credentials_clean(value);
	cells[1] = clean;
	pane_table_add(d, SCREEN_NORMAL, cells);
	free(clean);
}

static char *
pane_credentials_time(int64_t ms)
{
	char buf[64];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		return xstrdup("?");
	return xstrdup(buf);
}

/* "N: a, b, c" (", ..." when there are more than the names shown). */
static void
pane_credentials_users_field(struct pane *d, const char *field, size_t n,
    const char *names)
{
	char *s;

	s = xasprintf("%zu%s%s%s", n, names != NULL ? ": " : "",
	    names != NULL ? names : "", n > PANE_CREDENTIALS_USERS ?
	    ", ..." : "");
	pane_credentials_field(d, field, s);
	free(s);
}

/* Which printers and groups use C; only the counts if that fails. */
static void
pane_credentials_users(struct pane_credentials *pc, struct pane *d,
    const struct credential *c)
{
	char *printers = NULL, *groups = NULL, *cause = NULL;

	if (credential_usage(pc->st, c->id, PANE_CREDENTIALS_USERS, &printers,
	    &groups, &cause) != 0) {
		pane_credentials_field(d, _("Error"), cause);
		free(cause);
	}
	pane_credentials_users_field(d, _("Printers"), c->nprinters, printers);
	pane_credentials_users_field(d, _("Groups"), c->ngroups, groups);
	free(printers);
	free(groups);
}

static void
pane_credentials_fields(struct pane_credentials *pc, struct pane *d,
    const struct credential *c)
{
	char *s;

	pane_credentials_field(d, _("Name"), c->name);
	s = xasprintf("%lld", (long long)c->id);
	pane_credentials_field(d, _("Id"), s);
	free(s);
	pane_credentials_field(d, _("Kind"), credential_kind_name(c->kind));
	pane_credentials_field(d, _("Domain"), c->domain);
	pane_credentials_field(d, _("User"), c->user);
	pane_credentials_field(d, _("System Mgr ID"), c->sysmgr_id);
	if (c->kind == CREDENTIAL_KIND_SNMP_USM) {
		pane_credentials_field(d, _("USM level"),
		    credential_usm_level(c));
		pane_credentials_field(d, _("Auth"),
		    credential_auth_name(c->auth));
		pane_credentials_field(d, _("Priv"),
		    credential_priv_name(c->priv));
	}
	if (c->kind == CREDENTIAL_KIND_SNMP_COMMUNITY)
		pane_credentials_field(d, _("Communities"), c->has_write ?
		    _("read and write") : _("read only"));
	pane_credentials_field(d, _("Key type"), c->key_type);
	pane_credentials_field(d, _("Fingerprint"), c->fingerprint);
	s = pane_credentials_time(c->created_at);
	pane_credentials_field(d, _("Added"), s);
	free(s);
	pane_credentials_users(pc, d, c);
	pane_credentials_field(d, _("Secrets"),
	    _("sealed in the vault; never shown"));
}

struct pane *
pane_credentials_detail(struct pane *p)
{
	struct pane_credentials *pc = pane_arg(p);
	struct pane *d;
	size_t row;
	char *title;

	if (!pane_current(p, &row))
		return NULL;
	title = xasprintf(_("Credential %s"), pc->cells[row][0]);
	d = pane_new_table(title, pane_credentials_detail_columns, 2,
	    N_("field"), N_("fields"));
	free(title);
	pane_credentials_fields(pc, d, &pc->set->v[row]);
	return d;
}
