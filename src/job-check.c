#include "config.h"

#include "job-kinds.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "printer.h"
#include "snmp.h"
#include "xmalloc.h"

#define CHECK_TIMEOUT_MS	1000
#define CHECK_RETRIES		1

/*
 * Parameters: "timeout=MS retries=N", both optional. Community strings are
 * secrets and never travel in parameters.
 */
static void
check_parse_params(const char *params, struct snmp_target *t)
{
	const char *p = params;
	char *end;
	unsigned long v;

	t->timeout_ms = CHECK_TIMEOUT_MS;
	t->retries = CHECK_RETRIES;
	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (strncmp(p, "timeout=", 8) == 0) {
			v = strtoul(p + 8, &end, 10);
			if (v > 0 && v <= 600000)
				t->timeout_ms = (unsigned)v;
		} else if (strncmp(p, "retries=", 8) == 0) {
			v = strtoul(p + 8, &end, 10);
			if (v <= 10)
				t->retries = (unsigned)v;
		} else
			end = strchr(p, ' ');
		p = end;
	}
}

static void
check_one(struct engine_run *run, const struct engine_target *t)
{
	struct snmp_target target = { 0 };
	struct snmp_identity id = { 0 };
	struct printer_identity pi;
	char *cause = NULL, *result, *err = NULL;
	struct store *st = engine_run_store(run);

	if (t->printer_id == 0 || t->address == NULL) {
		engine_run_finish(run, t, false, NULL, "printer removed");
		return;
	}
	check_parse_params(t->params, &target);
	target.host = t->address;
	target.port = t->port;
	target.community = "public";
	if (snmp_identify(&target, &id, &cause) != 0) {
		if (printer_record_unreachable(st, t->printer_id, cause,
		    &err) != 0) {
			log_error("%s: %s", t->printer_name, err);
			free(err);
		}
		engine_run_finish(run, t, false, NULL, cause);
		free(cause);
		return;
	}
	pi.sys_descr = id.sys_descr;
	pi.sys_object_id = id.sys_object_id;
	pi.sys_name = id.sys_name;
	pi.model = id.hr_device_descr;
	pi.serial = id.serial;
	if (printer_record_identity(st, t->printer_id, &pi, &err) != 0) {
		engine_run_finish(run, t, false, NULL, err);
		free(err);
	} else {
		result = xasprintf("reachable: %s%s%s",
		    id.sys_name ? id.sys_name : "(no sysName)",
		    id.hr_device_descr ? ", " : "",
		    id.hr_device_descr ? id.hr_device_descr : "");
		engine_run_finish(run, t, true, result, NULL);
		free(result);
	}
	snmp_identity_clear(&id);
}

static void
check_run(struct engine_run *run, const struct engine_target *targets,
    size_t n, void *arg)
{
	size_t i;

	for (i = 0; i < n && !engine_run_cancelled(run, &targets[i]); i++)
		check_one(run, &targets[i]);
}

const struct engine_kind job_kind_check = {
	.name = JOB_KIND_CHECK,
	.run = check_run,
};
