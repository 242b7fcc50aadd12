#include "host_info.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "clock.h"

/*
 * First line of the small file @path (relative to the directory @dirfd),
 * without its newline; NULL when unreadable or empty. One read(): sysfs and
 * procfs give such a file whole, and there are ~90 of them per run, each
 * with no stdio stream (fstat, buffer) to set up.
 */
static const char *read_line_at(int dirfd, const char *path, char *buf, size_t len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static const char *read_line(const char *path, char *buf, size_t len)
{
	return read_line_at(AT_FDCWD, path, buf, len);
}

static void set_str(json_t *o, const char *key, const char *value)
{
	json_object_set_new(o, key, value ? json_string(value) : json_null());
}

/* "key : value" from /proc/cpuinfo's first processor, for each of @n keys
 * (out[i] is "" when absent), in one pass over the file. */
static void cpuinfo_fields(const char *const *keys, char (*out)[512], size_t n)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];
	unsigned done = 0; /* bit i: keys[i] seen (its value may be "") */
	size_t found = 0;

	for (size_t i = 0; i < n; i++)
		out[i][0] = '\0';
	while (f && found < n && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		for (size_t i = 0; colon && i < n; i++) {
			if ((done & 1u << i) || strncmp(line, keys[i], strlen(keys[i])) != 0)
				continue;
			done |= 1u << i;
			snprintf(out[i], sizeof(out[i]), "%s", colon + 1 + (colon[1] == ' '));
			out[i][strcspn(out[i], "\n")] = '\0';
			found++;
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
		char buf[512];

		if (e->d_name[0] == '.')
			continue;
		/* relative to the open directory: no walk of @dir per file */
		if (read_line_at(dirfd(d), e->d_name, buf, sizeof(buf)))
			set_str(o, e->d_name, buf);
	}
	if (d)
		closedir(d);
	return o;
}

const char *vb_host_kvm_backend(bool *stock)
{
	static const struct { const char *module; bool stock; } backends[] = {
		{ "kvm_pvm", false }, { "kvm_intel", true }, { "kvm_amd", true },
	};

	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		char dir[64];

		snprintf(dir, sizeof(dir), "/sys/module/%s", backends[i].module);
		if (access(dir, F_OK) == 0) {
			*stock = backends[i].stock;
			return backends[i].module;
		}
	}
	return NULL;
}

static void kvm_backend(json_t *o)
{
	bool stock = false;
	const char *b = vb_host_kvm_backend(&stock);

	json_object_set_new(o, "backend", b ? json_string(b) : json_null());
	json_object_set_new(o, "stock_guest_kernel", b ? json_boolean(stock) : json_null());
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
	kvm_backend(o);
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
	static const char *const cpu_keys[] = { "model name", "microcode" };
	json_t *o = json_object(), *vm;
	struct utsname u;
	const char *cmdline;
	char buf[4096], cpu[2][512];

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
	cpuinfo_fields(cpu_keys, cpu, 2);
	set_str(o, "cpu_model", cpu[0]);
	set_str(o, "microcode", cpu[1][0] ? cpu[1] : NULL);
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
