#include "config.h"

#include "paths.h"

#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmalloc.h"

static const char *
paths_home(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && *home == '/')
		return home;
	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_dir;
	return "/";
}

/* $VAR if it is absolute, else ~/FALLBACK; then /SUFFIX. */
static char *
paths_xdg(const char *var, const char *fallback, const char *suffix)
{
	const char *v = getenv(var);

	if (v != NULL && *v == '/')
		return xasprintf("%s/%s", v, suffix);
	return xasprintf("%s/%s/%s", paths_home(), fallback, suffix);
}

char *
paths_database(const char *option)
{
	const char *env = getenv("QUIRE_DB");

	if (option != NULL && *option != '\0')
		return xstrdup(option);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	return paths_xdg("XDG_DATA_HOME", ".local/share", "quire/quire.db");
}

char *
paths_config_dir(void)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "quire");
}

static int
paths_has_catalog(const char *dir)
{
	struct stat sb;
	char *p = xasprintf("%s/catalog", dir);
	int ok = stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);

	free(p);
	return ok;
}

char *
paths_data_dir(void)
{
	const char *env = getenv("QUIRE_DATADIR");
	char exe[PATH_MAX], *slash, *dir;
	ssize_t n;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		if (strcmp(exe, QUIRE_BINDIR) == 0)
			return xstrdup(QUIRE_PKGDATADIR);
		dir = xasprintf("%s/data", exe);
		if (paths_has_catalog(dir))
			return dir;
		free(dir);
		/* A build tree's tests/ directory sits one level down. */
		dir = xasprintf("%s/../data", exe);
		if (paths_has_catalog(dir))
			return dir;
		free(dir);
	}
	if (paths_has_catalog(QUIRE_SRCDIR "/data"))
		return xstrdup(QUIRE_SRCDIR "/data");
	return xstrdup(QUIRE_PKGDATADIR);
}
