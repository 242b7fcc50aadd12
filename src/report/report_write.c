/* Choosing the renderer of a report (report.h): the one place that knows
 * every format, above the renderers, which in turn use the model in
 * report.c. */
#include <errno.h>
#include <string.h>

#include "report.h"

int vb_report_format_parse(const char *s, enum vb_report_format *fmt)
{
	static const char *const names[] = { [VB_REPORT_TEXT] = "text", [VB_REPORT_MD] = "md",
					     [VB_REPORT_HTML] = "html", [VB_REPORT_CSV] = "csv",
					     [VB_REPORT_JSON] = "json",
					     [VB_REPORT_OPENMETRICS] = "openmetrics" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*fmt = (enum vb_report_format)i;
			return 0;
		}
	return -EINVAL;
}

int vb_report_write(const struct vb_report *rep, enum vb_report_format fmt, FILE *f,
		    char *note, size_t notelen)
{
	if (notelen)
		note[0] = '\0';
	switch (fmt) {
	case VB_REPORT_TEXT: return vb_report_write_text(rep, f, false);
	case VB_REPORT_MD: return vb_report_write_text(rep, f, true);
	case VB_REPORT_HTML: return vb_report_write_html(rep, f, note, notelen);
	case VB_REPORT_CSV: return vb_report_write_csv(rep, f);
	case VB_REPORT_JSON: return vb_report_write_json(rep, f);
	case VB_REPORT_OPENMETRICS: return vb_report_write_openmetrics(rep, f, true);
	}
	return -EINVAL;
}
