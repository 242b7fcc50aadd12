/* Optional shared libraries loaded on first use (dlopen), not linked: a
 * linked library is mapped and relocated at the start of every process,
 * whether or not the process calls it. */
#ifndef VB_DL_H
#define VB_DL_H

#include <stddef.h>

/* One function pointer slot; the caller's table of typed pointers is
 * overlaid on an array of these (all function pointers have one size). */
typedef void (*vb_dl_fn)(void);

/* Open @soname once (*@lib keeps the handle) and resolve the @n symbols
 * @names into @slots. 0, or -ENOENT (cannot load it) or -ENOSYS (a symbol
 * is missing; the library is closed again) with @err naming the library
 * and the dlerror() or the symbol. */
int vb_dl_load(void **lib, const char *soname, const char *const *names, vb_dl_fn *slots,
	       size_t n, char *err, size_t errlen);

/* VB_DL_TABLE(var, FNS): @var.fn, one pointer typed as each function the
 * X-macro @FNS lists (FNS(X) expands to X(name) X(name)...; the library's
 * header declares them), overlaid on @var.slot for vb_dl_load(), and
 * @var_names, their names. VB_DL_LOAD(var, ...) fills it. */
#define VB_DL_MEMBER(name) __typeof__(name) *name;
#define VB_DL_NAME(name) #name,
#define VB_DL_TABLE(var, FNS)                                                  \
	static const char *const var##_names[] = { FNS(VB_DL_NAME) };          \
	static union {                                                         \
		struct {                                                       \
			FNS(VB_DL_MEMBER)                                      \
		} fn;                                                          \
		vb_dl_fn slot[sizeof(var##_names) / sizeof(var##_names[0])];   \
	} var;                                                                 \
	_Static_assert(sizeof(var.fn) == sizeof(var.slot), "one slot per function")
#define VB_DL_LOAD(var, lib, soname, err, errlen)                                       \
	vb_dl_load(lib, soname, var##_names, var.slot, sizeof(var##_names) / sizeof(var##_names[0]), \
		   err, errlen)

#endif
