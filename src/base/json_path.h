/* Reading meta.json written by any version of vcpubench: keys come and go
 * between versions, so every lookup tolerates a missing key or a value of
 * another type and says so by returning NULL or the caller's fallback. */
#ifndef VB_JSON_PATH_H
#define VB_JSON_PATH_H

#include <jansson.h>
#include <stdbool.h>

/* The value at dotted @path ("host.kvm.api_version") under @root, borrowed;
 * NULL when @root is NULL or any step is missing or not an object. */
json_t *vb_json_path(json_t *root, const char *path);

/* The string at @path, or @fallback when it is missing or not a string. */
const char *vb_json_path_str(json_t *root, const char *path, const char *fallback);

/* The number (integer or real) at @path into *out; false when there is none. */
bool vb_json_path_num(json_t *root, const char *path, double *out);

/* The value at @path as short text for a person: strings as they are,
 * numbers and booleans in JSON, arrays and objects compact JSON, null and
 * missing as @fallback. Returns a malloc'd string (NULL on ENOMEM). */
char *vb_json_path_text(json_t *root, const char *path, const char *fallback);

#endif
