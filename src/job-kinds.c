#include "config.h"

#include "job-kinds.h"

#include "snmp.h"

static const struct engine_kind *const job_kinds_all[] = {
	&job_kind_check,
	&job_kind_backup,
	&job_kind_distribute,
};

const struct engine_kind *const *
job_kinds(size_t *n)
{
	/* net-snmp's one-time set-up must happen before workers start. */
	snmp_transport_init();
	*n = sizeof job_kinds_all / sizeof job_kinds_all[0];
	return job_kinds_all;
}
