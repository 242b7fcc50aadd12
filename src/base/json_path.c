/* Tolerant meta.json lookups (json_path.h). */
#include "json_path.h"

#include <stdlib.h>
#include <string.h>

json_t *vb_json_path(json_t *root, const char *path)
{
	json_t *v = root;
	const char *p = path;

	while (v && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		if (!json_is_object(v))
			return NULL;
		v = json_object_getn(v, p, len);
		p += len + (dot != NULL);
	}
	return v;
}

const char *vb_json_path_str(json_t *root, const char *path, const char *fallback)
{
	json_t *v = vb_json_path(root, path);

	return json_is_string(v) ? json_string_value(v) : fallback;
}

bool vb_json_path_num(json_t *root, const char *path, double *out)
{
	json_t *v = vb_json_path(root, path);

	if (!json_is_number(v))
		return false;
	*out = json_number_value(v);
	return true;
}

char *vb_json_path_text(json_t *root, const char *path, const char *fallback)
{
	json_t *v = vb_json_path(root, path);

	if (!v || json_is_null(v))
		return fallback ? strdup(fallback) : NULL;
	if (json_is_string(v))
		return strdup(json_string_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}
