/* vb_dl_load(): loads a library on first use, resolves every name, and
 * names the library and what is missing when it cannot. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "dl.h"

int main(void)
{
	const char *const names[] = { "strlen", "getpid" };
	const char *const bad[] = { "strlen", "vb_no_such_symbol" };
	vb_dl_fn slots[2] = { 0 };
	void *lib = NULL, *none = NULL, *partial = NULL;
	char err[256] = "";

	CHECK(vb_dl_load(&lib, "libc.so.6", names, slots, 2, err, sizeof(err)) == 0);
	CHECK(lib && slots[0] && slots[1]);
	CHECK(((size_t (*)(const char *))slots[0])("abc") == 3);
	/* Loaded once: a second call does not look again. */
	slots[1] = NULL;
	CHECK(vb_dl_load(&lib, "libc.so.6", names, slots, 2, err, sizeof(err)) == 0);
	CHECK(!slots[1]);

	CHECK(vb_dl_load(&none, "libvb-absent.so.9", names, slots, 2, err, sizeof(err)) ==
	      -ENOENT);
	CHECK(!none);
	CHECK(strstr(err, "cannot load libvb-absent.so.9: ") == err);

	CHECK(vb_dl_load(&partial, "libc.so.6", bad, slots, 2, err, sizeof(err)) == -ENOSYS);
	CHECK(!partial);
	CHECK(strcmp(err, "libc.so.6 has no vb_no_such_symbol") == 0);
	return vb_check_exit();
}
