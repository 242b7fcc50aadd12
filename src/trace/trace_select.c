/* Which events a run traces and their formats, and the instances of
 * runs that died (trace_priv.h). */
#include <dirent.h>
#include <errno.h>
#include <event-parse.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracefs.h>
#include <unistd.h>

#include "trace_priv.h"

/* Instances of runs that died without cleaning up (SIGKILL, power loss)
 * are removed when their process is gone, so they never accumulate. */
void vb_trace_remove_stale(void)
{
	/* readdir, not tracefs_instances(): that one leaks its regex (1.6.4). */
	char path[4096];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/instances", tracefs_tracing_dir());
	d = opendir(path);
	while (d && (e = readdir(d))) {
		struct tracefs_instance *old;
		long pid;

		if (strncmp(e->d_name, VB_TRACE_INSTANCE_PREFIX,
			    strlen(VB_TRACE_INSTANCE_PREFIX)) != 0)
			continue;
		pid = strtol(e->d_name + strlen(VB_TRACE_INSTANCE_PREFIX), NULL, 10);
		if (pid <= 0 || pid == getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		old = tracefs_instance_alloc(NULL, e->d_name);
		if (old) {
			tracefs_instance_destroy(old);
			tracefs_instance_free(old);
		}
	}
	if (d)
		closedir(d);
}

static int add_event(struct vb_trace *t, const char *system, const char *name)
{
	struct event_id *e = realloc(t->events, (t->nevents + 1) * sizeof(*e));

	if (!e)
		return -ENOMEM;
	t->events = e;
	e[t->nevents].system = strdup(system);
	e[t->nevents].name = strdup(name);
	if (!e[t->nevents].system || !e[t->nevents].name)
		return -ENOMEM;
	t->nevents++;
	return 0;
}

/* Whole systems are enabled with their one system-level switch: enabling
 * their events one by one through libtracefs rescans the events directory
 * each time (~1 ms an event here). */
static int add_enable(struct vb_trace *t, const char *system, const char *event)
{
	char **e = realloc(t->enable, (t->nenable + 1) * sizeof(*e));

	if (!e)
		return -ENOMEM;
	t->enable = e;
	if (event && asprintf(&e[t->nenable], "events/%s/%s/enable", system, event) < 0)
		return -ENOMEM;
	if (!event && asprintf(&e[t->nenable], "events/%s/enable", system) < 0)
		return -ENOMEM;
	t->nenable++;
	return 0;
}

static void add_skipped(struct vb_trace *t, const char *what)
{
	size_t old = t->skipped ? strlen(t->skipped) : 0;
	char *s = realloc(t->skipped, old + strlen(what) + 3);

	if (!s)
		return;
	sprintf(s + old, "%s%s", old ? ", " : "", what);
	t->skipped = s;
}

/* One item of the event list: SYSTEM or SYSTEM:EVENT. */
static int select_item(struct vb_trace *t, char *item)
{
	char *colon = strchr(item, ':');
	char **list;
	int r = 0;

	if (colon) {
		*colon = '\0';
		if (!tracefs_event_file_exists(NULL, item, colon + 1, "format")) {
			*colon = ':';
			add_skipped(t, item);
			return 0;
		}
		r = add_event(t, item, colon + 1);
		return r ? r : add_enable(t, item, colon + 1);
	}
	list = tracefs_system_events(NULL, item);
	if (!list) {
		add_skipped(t, item);
		return 0;
	}
	for (char **e = list; *e && !r; e++)
		r = add_event(t, item, *e);
	tracefs_list_free(list);
	return r ? r : add_enable(t, item, NULL);
}

int vb_trace_select(struct vb_trace *t, const char *spec, char *err, size_t len)
{
	char *copy = strdup(spec), *save = NULL;
	int r = copy ? 0 : -ENOMEM;

	for (char *item = copy ? strtok_r(copy, ",", &save) : NULL; item && !r;
	     item = strtok_r(NULL, ",", &save))
		r = select_item(t, item);
	free(copy);
	if (r)
		vb_trace_fail(err, len, "--trace: %s", strerror(-r));
	else if (!t->nevents)
		vb_trace_fail(err, len, "--trace: none of '%s' is an event on this host", spec);
	return r ? r : t->nevents ? 0 : -ENOENT;
}

/* Only the formats of the enabled events are parsed (whole systems would
 * cost ~190 ms through tracefs_local_events_system()). */
int vb_trace_load_formats(struct vb_trace *t, char *err, size_t len)
{
	char *path = tracefs_get_tracing_file("events/header_page");
	char *buf = NULL;
	int size = 0;

	t->tep = tep_alloc();
	if (!t->tep || !path) {
		tracefs_put_tracing_file(path);
		vb_trace_fail(err, len, "--trace: out of memory");
		return -ENOMEM;
	}
	tep_set_long_size(t->tep, (int)sizeof(long));
	tep_set_page_size(t->tep, (int)sysconf(_SC_PAGESIZE));
	tep_set_file_bigendian(t->tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(t->tep, TEP_LITTLE_ENDIAN);
	buf = tracefs_instance_file_read(NULL, "events/header_page", &size);
	tracefs_put_tracing_file(path);
	if (!buf || tep_parse_header_page(t->tep, buf, (unsigned long)size, (int)sizeof(long))) {
		free(buf);
		vb_trace_fail(err, len, "--trace: cannot read events/header_page");
		return -EIO;
	}
	free(buf);
	for (size_t i = 0; i < t->nevents; i++) {
		const struct event_id *e = &t->events[i];

		buf = tracefs_event_file_read(NULL, e->system, e->name, "format", &size);
		if (!buf || tep_parse_event(t->tep, buf, (unsigned long)size, e->system)) {
			free(buf);
			vb_trace_fail(err, len, "--trace: cannot parse the format of %s:%s",
			              e->system, e->name);
			return -EIO;
		}
		free(buf);
	}
	return 0;
}
