/* Optional shared libraries loaded on first use (dl.h). */
#include "dl.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

int vb_dl_load(void **lib, const char *soname, const char *const *names, vb_dl_fn *slots,
	       size_t n, char *err, size_t errlen)
{
	if (*lib)
		return 0;
	*lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!*lib) {
		snprintf(err, errlen, "cannot load %s: %s", soname, dlerror());
		return -ENOENT;
	}
	for (size_t i = 0; i < n; i++) {
		/* POSIX: a dlsym() result converts to a function pointer. */
		slots[i] = (vb_dl_fn)dlsym(*lib, names[i]);
		if (!slots[i]) {
			snprintf(err, errlen, "%s has no %s", soname, names[i]);
			dlclose(*lib);
			*lib = NULL;
			return -ENOSYS;
		}
	}
	return 0;
}
