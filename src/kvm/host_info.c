#include "host_info.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "clock.h"

/* First line of a small file, without its newline; NULL when unreadable. */
static const char *read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *ok;

	if (!f)
		return NULL;
	ok = fgets(buf, (int)len, f);
	fclose(f);
	if (!ok)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void set_str(json_t *o, const char *key, const char *value)
{
	json_object_set_new(o, key, value ? json_string(value) : json_null());
}

/* "key : value" from /proc/cpuinfo's first processor. */
static void cpuinfo_field(const char *key, char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];
	size_t klen = strlen(key);

	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, key, klen) == 0 && colon) {
			snprintf(out, len, "%s", colon + 1 + (colon[1] == ' '));
			out[strcspn(out, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
}

/* Every readable file of @dir as {name: first line}. */
static json_t *dir_values(const char *dir)
{
	json_t *o = json_object();
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[1024], buf[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (read_line(path, buf, sizeof(buf)))
			set_str(o, e->d_name, buf);
	}
	if (d)
		closedir(d);
	return o;
}

static json_t *kvm_info(const struct vb_kvm *kvm)
{
	static const char *const modules[] = { "kvm", "kvm_intel", "kvm_amd", "kvm_pvm" };
	json_t *o = json_object(), *params = json_object();

	json_object_set_new(o, "api_version", json_integer(kvm->api_version));
	json_object_set_new(o, "max_vcpus", json_integer(kvm->max_vcpus));
	json_object_set_new(o, "max_vcpu_id", json_integer(kvm->max_vcpu_id));
	json_object_set_new(o, "nr_memslots", json_integer(kvm->nr_memslots));
	json_object_set_new(o, "binary_stats_fd", json_boolean(kvm->has_stats_fd));
	json_object_set_new(o, "immediate_exit", json_boolean(kvm->has_immediate_exit));
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		char dir[128];

		snprintf(dir, sizeof(dir), "/sys/module/%s/parameters", modules[i]);
		if (access(dir, R_OK) == 0)
			json_object_set_new(params, modules[i], dir_values(dir));
	}
	json_object_set_new(o, "module_parameters", params);
	return o;
}

json_t *vb_host_info_vm(const char *cmdline)
{
	static const char prefix[] = "vcpubench.";
	json_t *o = NULL;
	char key[64];

	while (cmdline && *cmdline) {
		size_t len = strcspn(cmdline, " \t\n");
		const char *eq = memchr(cmdline, '=', len);
		size_t klen = eq ? (size_t)(eq - cmdline) - (sizeof(prefix) - 1) : 0;

		if (eq && strncmp(cmdline, prefix, sizeof(prefix) - 1) == 0 && klen &&
		    klen < sizeof(key)) {
			memcpy(key, cmdline + sizeof(prefix) - 1, klen);
			key[klen] = '\0';
			if (!o && !(o = json_object()))
				return NULL;
			json_object_set_new(o, key,
					    json_stringn(eq + 1, len - (size_t)(eq + 1 - cmdline)));
		}
		cmdline += len;
		cmdline += strspn(cmdline, " \t\n");
	}
	return o;
}

json_t *vb_host_info_collect(const struct vb_kvm *kvm)
{
	json_t *o = json_object(), *vm;
	struct utsname u;
	const char *cmdline;
	char buf[4096];

	if (!o)
		return NULL;
	if (uname(&u) == 0) {
		set_str(o, "hostname", u.nodename);
		set_str(o, "kernel_release", u.release);
		set_str(o, "kernel_version", u.version);
		set_str(o, "machine", u.machine);
	}
	cmdline = read_line("/proc/cmdline", buf, sizeof(buf));
	set_str(o, "kernel_cmdline", cmdline);
	vm = vb_host_info_vm(cmdline);
	json_object_set_new(o, "vm", vm ? vm : json_null());
	cpuinfo_field("model name", buf, sizeof(buf));
	set_str(o, "cpu_model", buf);
	cpuinfo_field("microcode", buf, sizeof(buf));
	set_str(o, "microcode", buf[0] ? buf : NULL);
	json_object_set_new(o, "cpus_online", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_set_new(o, "memory_bytes",
			    json_integer((json_int_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE)));
	set_str(o, "transparent_hugepage",
		read_line("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)));
	set_str(o, "clocksource",
		read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource", buf,
			  sizeof(buf)));
	json_object_set_new(o, "mitigations", dir_values("/sys/devices/system/cpu/vulnerabilities"));
	json_object_set_new(o, "clock_read_ns", json_integer((json_int_t)vb_clock_cost_ns(1001)));
	if (kvm)
		json_object_set_new(o, "kvm", kvm_info(kvm));
	return o;
}
