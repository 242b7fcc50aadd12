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

#endif
