/* libFuzzer: the streaming CSV reader report/compare read results with, and
 * the strict number parsers on every field it returns. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct vb_csv_reader *r;
	char **fields;
	size_t n;
	int got;

	if (!f)
		return 0;
	r = vb_csv_reader_from_stream(f, "fuzz.csv");
	while ((got = vb_csv_reader_next(r, &fields, &n)) == 1)
		for (size_t i = 0; i < n; i++) {
			uint64_t u;
			int64_t s;

			vb_csv_parse_u64(fields[i], &u);
			vb_csv_parse_i64(fields[i], &s);
		}
	if (got < 0 && strncmp(vb_csv_reader_error(r), "fuzz.csv:", 9) != 0)
		abort(); /* every error names the file, line and column */
	vb_csv_reader_free(r);
	fclose(f);
	return 0;
}
