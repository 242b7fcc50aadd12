/* A run's config as rows of run_config (see run_config.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run_config.h"

int vb_run_config_insert(struct vb_db *db, const char *run_id, json_t *config)
{
	struct vb_db_stmt *st = NULL;
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(config))
		return 0;
	rc = vb_db_prepare(db, "INSERT INTO run_config (run_id, name, value) VALUES ($1, $2, $3)",
			   3, &st);
	json_object_foreach(config, key, v) {
		char *text;
		const char *p[3] = { run_id, key };

		if (rc < 0)
			break;
		if (json_is_null(v))
			continue;
		text = json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
								       JSON_SORT_KEYS);
		p[2] = json_is_string(v) ? json_string_value(v) : text;
		rc = p[2] ? vb_db_run(st, p) : -ENOMEM;
		free(text);
	}
	vb_db_finalize(db, st);
	return rc;
}

struct pending {
	char **ids, **configs;
	size_t n;
	int rc;
};

/* Gathered first: SQLite may not be written while a query on it steps. */
static int gather(void *arg, size_t ncols, const char *const *vals)
{
	struct pending *pd = arg;
	char **ids = realloc(pd->ids, (pd->n + 1) * sizeof(*ids)), **cfg;

	if (ids)
		pd->ids = ids;
	cfg = ids ? realloc(pd->configs, (pd->n + 1) * sizeof(*cfg)) : NULL;
	if (cfg)
		pd->configs = cfg;
	if (!ids || !cfg || ncols < 2 || !vals[0]) {
		pd->rc = ncols < 2 || !vals[0] ? 0 : -ENOMEM;
		return pd->rc != 0;
	}
	pd->ids[pd->n] = strdup(vals[0]);
	pd->configs[pd->n] = vals[1] ? strdup(vals[1]) : NULL;
	pd->n++;
	if (!pd->ids[pd->n - 1] || (vals[1] && !pd->configs[pd->n - 1])) {
		pd->rc = -ENOMEM;
		return 1;
	}
	return 0;
}

int vb_run_config_fill(struct vb_db *db)
{
	struct pending pd = { 0 };
	int rc = vb_db_query(db, "SELECT run_id, config FROM runs", 0, NULL, gather, &pd);

	rc = rc ? rc : pd.rc;
	for (size_t i = 0; i < pd.n; i++) {
		json_t *cfg = pd.configs[i] ? json_loads(pd.configs[i], 0, NULL) : NULL;

		if (rc == 0)
			rc = vb_run_config_insert(db, pd.ids[i], cfg);
		json_decref(cfg);
		free(pd.ids[i]);
		free(pd.configs[i]);
	}
	free(pd.ids);
	free(pd.configs);
	return rc;
}

static int found(void *arg, size_t ncols, const char *const *vals)
{
	(void)ncols;
	(void)vals;
	*(int *)arg = 1;
	return 1;
}

int vb_run_config_known(struct vb_db *db, const char *key, int *known)
{
	const char *p[1] = { key };

	*known = 0;
	return vb_db_query(db, "SELECT 1 FROM run_config WHERE name = $1 LIMIT 1", 1, p, found,
			   known);
}
