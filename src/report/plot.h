/* Plots as SVG through gnuplot, without a shell: the caller writes a
 * gnuplot script and data files into a private temporary directory, gnuplot
 * is spawned with the script as its stdin and the SVG as its stdout, and
 * the SVG is read back. Several plots may run at once (start them all,
 * then finish them). gnuplot is found on PATH, or VB_GNUPLOT names it.
 *
 * The script must not set an output: "set terminal svg ..." writes to
 * stdout. Data file paths go into the script quoted with vb_plot_quote(). */
#ifndef VB_PLOT_H
#define VB_PLOT_H

#include <stddef.h>
#include <stdio.h>

struct vb_plot; /* opaque */

/* A new plot with its temporary directory. NULL with errno set. */
struct vb_plot *vb_plot_new(void);

/* The stream to write the gnuplot script to (owned by the plot). */
FILE *vb_plot_script(struct vb_plot *p);

/* Create the next data file for writing; its path, valid while @p lives,
 * in *@path. The plot closes it when it starts. NULL with errno set. */
FILE *vb_plot_data(struct vb_plot *p, const char **path);

/* Close script and data files and spawn gnuplot. 0; -ENOENT when gnuplot is
 * not installed; -errno otherwise. */
int vb_plot_start(struct vb_plot *p);

/* Wait for a started gnuplot and return its SVG in *@svg (malloc'd,
 * NUL-terminated; the caller frees). 0; -EPROTO when gnuplot failed (its
 * first error line in vb_plot_error()); -errno otherwise. */
int vb_plot_finish(struct vb_plot *p, char **svg);

/* What went wrong in gnuplot's words, "" if nothing is known. */
const char *vb_plot_error(const struct vb_plot *p);

/* Wait for gnuplot if it was started, then remove the directory. */
void vb_plot_free(struct vb_plot *p);

/* Write @s as a gnuplot single-quoted string (quotes doubled inside). */
void vb_plot_quote(FILE *f, const char *s);

#endif
