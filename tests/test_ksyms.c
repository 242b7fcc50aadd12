/* System.map lookups: the map beside a bzImage (Debian's vmlinuz-V and
 * System.map-V, or System.map in the directory), the text symbol at or
 * below an address with its offset, aliases, data and malformed maps. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ksyms.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void rm(const char *name)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static const char *lookup(const char *map, uint64_t addr)
{
	static char buf[300];
	char path[160];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, map);
	r = vb_ksyms_lookup(path, addr, buf, sizeof(buf));
	if (r)
		snprintf(buf, sizeof(buf), "error %d", r);
	return buf;
}

static void test_lookup(void)
{
	char want[64];

	write_file("System.map", "ffffffff81000000 T _stext\n"
				 "ffffffff81000000 T startup_64\n"
				 "ffffffff8115e979 T queued_spin_lock_slowpath\n"
				 "ffffffff8115ebb0 t local_func\n"
				 "ffffffff8115ec00 W weak_func\n"
				 "ffffffff81400110 T _etext\n"
				 "ffffffff81800000 D init_stack\n"
				 "ffffffff818cf24b T setup_boot_APIC_clock\n"
				 "ffffffff818d0000 T _einittext\n");
	/* The rip of the test VM's deadlocked guest (results/README.md). */
	CHECK_EQ_STR(lookup("System.map", 0xffffffff8115e9f8ull), "queued_spin_lock_slowpath+0x7f");
	CHECK_EQ_STR(lookup("System.map", 0xffffffff8115e979ull), "queued_spin_lock_slowpath+0x0");
	CHECK_EQ_STR(lookup("System.map", 0xffffffff8115ebb5ull), "local_func+0x5");
	CHECK_EQ_STR(lookup("System.map", 0xffffffff8115ec01ull), "weak_func+0x1");
	/* Aliases: either name is right, and _stext is listed first. */
	CHECK_EQ_STR(lookup("System.map", 0xffffffff81000010ull), "startup_64+0x10");
	/* Init text lies past _etext, after the data. */
	CHECK_EQ_STR(lookup("System.map", 0xffffffff818cf36aull), "setup_boot_APIC_clock+0x11f");
	/* Data is not the end of a function. */
	snprintf(want, sizeof(want), "error %d", -ENOENT);
	CHECK_EQ_STR(lookup("System.map", 0xffffffff81803db8ull), want);
	CHECK_EQ_STR(lookup("System.map", 0x1000), want);
	snprintf(want, sizeof(want), "error %d", -EINVAL);
	write_file("bad.map", "ffffffff81000000 T _stext\nnot a map line\n");
	CHECK_EQ_STR(lookup("bad.map", 0xffffffff81000001ull), want);
	snprintf(want, sizeof(want), "error %d", -ENOENT);
	CHECK_EQ_STR(lookup("absent.map", 0xffffffff81000001ull), want);
	rm("bad.map");
}

static void test_find(void)
{
	char kernel[160], map[160], want[160];

	snprintf(kernel, sizeof(kernel), "%s/bzImage", dir);
	snprintf(want, sizeof(want), "%s/System.map", dir);
	CHECK_EQ_U64(vb_ksyms_find(kernel, map, sizeof(map)), 0);
	CHECK_EQ_STR(map, want);
	/* Debian's /boot: vmlinuz-V beside System.map-V, before System.map. */
	write_file("System.map-6.1.0-57-amd64", "");
	snprintf(kernel, sizeof(kernel), "%s/vmlinuz-6.1.0-57-amd64", dir);
	snprintf(want, sizeof(want), "%s/System.map-6.1.0-57-amd64", dir);
	CHECK_EQ_U64(vb_ksyms_find(kernel, map, sizeof(map)), 0);
	CHECK_EQ_STR(map, want);
	rm("System.map-6.1.0-57-amd64");
	rm("System.map");
	CHECK_EQ_U64(vb_ksyms_find(kernel, map, sizeof(map)), (uint64_t)-ENOENT);
	CHECK_EQ_U64(vb_ksyms_find(kernel, map, 10), (uint64_t)-ENAMETOOLONG);
}

int main(void)
{
	strcpy(dir, "/tmp/vb-ksyms-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_lookup();
	test_find();
	rmdir(dir);
	return vb_check_exit();
}
