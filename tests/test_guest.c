/* Built-in guests are embedded and found by name; guest files load with a
 * distinct error for every way a file can be unusable. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "guest.h"

static void test_builtin(void)
{
	static const char *names[] = { "pio",       "hlt",       "mmio",    "cpuid",
				       "exit-loop", "selfcheck", "sipi",    "sipi-ap" };
	const struct vb_guest *g;

	CHECK_EQ_U64(vb_guest_builtin_count(), 8);
	for (size_t i = 0; i < 8; i++) {
		g = vb_guest_find(names[i]);
		CHECK(g != NULL);
		if (!g)
			continue;
		CHECK_EQ_STR(g->name, names[i]);
		CHECK(g->size > 0 && g->size < 4096);
		CHECK(g->first_exit != VB_GUEST_ANY_EXIT);
	}
	CHECK(vb_guest_find("nosuch") == NULL);
	CHECK(vb_guest_builtin(8) == NULL);
	/* sipi-ap starts in real mode at the SIPI vector's page: it must fit
	 * in that page. Its first instruction is `mov $0x1b,%ecx` with an
	 * operand-size prefix (16-bit code). */
	g = vb_guest_find("sipi-ap");
	CHECK(g && g->size <= 4096 && g->code[0] == 0x66 && g->code[1] == 0xb9);
	/* pio is `out %al,$0xe9; hlt; jmp`: two instructions to the first exit. */
	g = vb_guest_find("pio");
	CHECK(g && g->size == 5 && g->code[0] == 0xe6 && g->code[1] == 0xe9 && g->code[2] == 0xf4);
	CHECK(g && g->first_exit == KVM_EXIT_IO);
	g = vb_guest_find("hlt");
	CHECK(g && g->code[0] == 0xf4 && g->first_exit == KVM_EXIT_HLT);
	g = vb_guest_find("mmio");
	CHECK(g && g->first_exit == KVM_EXIT_MMIO);
}

static char *write_file(const char *tmpl, size_t size)
{
	char *path = strdup(tmpl);
	int fd = mkstemp(path);

	for (size_t i = 0; i < size; i++)
		CHECK(write(fd, "\xf4", 1) == 1);
	close(fd);
	return path;
}

static void test_load_file(void)
{
	char *ok = write_file("/tmp/vb-guest-XXXXXX", 100);
	char *empty = write_file("/tmp/vb-guest-XXXXXX", 0);
	struct vb_guest g = { 0 };

	CHECK(vb_guest_load_file(&g, ok, 100) == 0);
	CHECK_EQ_U64(g.size, 100);
	CHECK(g.code[99] == 0xf4);
	CHECK(g.first_exit == VB_GUEST_ANY_EXIT);
	CHECK_EQ_STR(g.name, ok);
	vb_guest_release(&g);
	CHECK(vb_guest_load_file(&g, ok, 99) == -EFBIG);
	CHECK(vb_guest_load_file(&g, empty, 100) == -ENODATA);
	CHECK(vb_guest_load_file(&g, "/tmp", 100) == -EISDIR);
	CHECK(vb_guest_load_file(&g, "/nonexistent/guest.bin", 100) == -ENOENT);
	CHECK(vb_guest_load_file(&g, "/dev/null", 100) == -EINVAL);
	CHECK(g.owned == NULL); /* untouched on every error */
	unlink(ok);
	unlink(empty);
	free(ok);
	free(empty);
}

int main(void)
{
	test_builtin();
	test_load_file();
	return vb_check_exit();
}
