/* Comparing two runs, BASE and NEW, phase by phase: did NEW get slower?
 *
 * Per phase: the medians, their ratio NEW/BASE with a confidence interval,
 * a two-sided p-value dual to it (the interval at level 1 - a excludes 1
 * exactly when p < a), and a verdict. The p-values are adjusted for the
 * number of phases tested (Benjamini-Hochberg); the R phases selected
 * (adjusted p < alpha) set the level of every interval, 1 - max(R, 1) alpha
 * / m (Benjamini-Yekutieli's FCR-adjusted intervals), and the verdict is
 * read from that interval: slower or faster when it excludes 1 AND the
 * median moved by more than the threshold (a significant 0.5 % is not worth
 * a bisect; a 30 % change on noise is not a change; one of twenty phases
 * under p < 0.01 by chance is not a regression); no change when it lies
 * inside the margin (equivalence shown, not merely no change shown); else
 * inconclusive, with the replicates that would likely decide. The p99
 * ratio gets its own interval at the same level and a flag (its interval
 * excludes 1 and it moved by more than the threshold), kept apart from the
 * verdict: tails are noisier and judged by a person. Also: what differs
 * between the runs' meta.json (kernel, KVM module parameters, microcode,
 * mitigations, CPU, guest, options). Pure over loaded results; no I/O.
 *
 * Pooled, p and interval come from the bootstrap standard error of the log
 * median ratio, read as a normal one. When both sides are sets of rounds
 * (rundata.h, two or more rounds each), the rounds are the replicates:
 * Welch's t on the log of each round's median (welch.h), the ratio the
 * exponential of the mean log difference (a geometric mean of round
 * medians), p and interval from t at Welch's degrees of freedom. Samples
 * within one run share that run's conditions; treating them as independent
 * overstates significance. The p99 still resamples pooled samples. */
#ifndef VB_COMPARE_H
#define VB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "phase.h"
#include "rundata.h"

/* The p99 of fewer samples is little more than the maximum: not flagged. */
#define VB_COMPARE_P99_MIN_N 100

/* NO_CHANGE: equivalence shown (the interval inside the margin);
 * INCONCLUSIVE: neither a change nor equivalence shown. See
 * vb_verdict_decide(). */
enum vb_verdict { VB_VERDICT_NO_CHANGE, VB_VERDICT_SLOWER, VB_VERDICT_FASTER,
		  VB_VERDICT_ONE_SIDED /* measured in one run only (--force) */,
		  VB_VERDICT_INCONCLUSIVE };

/* vb_phase_compare.needed when no number of replicates is expected to decide. */
#define VB_NEEDED_UNREACHABLE SIZE_MAX

struct vb_compare_opts {
	double alpha;     /* significance level [0.01] */
	double threshold; /* smallest relative change of the median that counts [0.05] */
	bool pooled;      /* pool the samples of all rounds even when there are rounds */
	bool oncpu;       /* the samples are on-CPU times (--metric oncpu), for the output */
};

struct vb_phase_compare {
	enum vb_phase phase;
	size_t n_base, n_new;
	uint64_t median_base, median_new;   /* ns */
	/* Median NEW/BASE and its interval at vb_comparison.ci_level (NaN:
	 * no spread known, e.g. n < 2). */
	double ratio, ci_lo, ci_hi;
	double se_log;                      /* standard error of log(ratio) (NaN: unknown) */
	double df;                          /* of the t behind p and interval; INFINITY: normal */
	double p;                           /* two-sided, vb_compare_p() (NaN: not tested) */
	double p_adj;                       /* p adjusted for the phases tested (BH) */
	bool by_rounds;                     /* rounds were the replicates */
	size_t rounds_base, rounds_new;     /* rounds that measured the phase */
	/* The change of the median is within what a different clock read cost
	 * between the runs explains (see vb_comparison.clock_*). */
	bool clock_suspect;
	enum vb_verdict verdict;
	/* INCONCLUSIVE: rounds (by_rounds) or samples per side expected to
	 * decide, an estimate; VB_NEEDED_UNREACHABLE; 0 when unknown. */
	size_t needed;
	uint64_t p99_base, p99_new;         /* ns */
	double p99_ratio, p99_lo, p99_hi;   /* interval at vb_comparison.ci_level */
	double p99_se_log;                  /* bootstrap standard error of log(p99_ratio) */
	enum vb_verdict p99_flag;
};

struct vb_difference {
	char *key;   /* dotted path in meta.json, e.g. "host.kernel_release" */
	char *base;  /* value as text; "(absent)" when missing */
	char *new_;
};

struct vb_comparison {
	struct vb_compare_opts opts;
	struct vb_phase_compare phases[VB_PHASE_COUNT];
	size_t nphases;
	struct vb_difference *diffs;
	size_t ndiffs;
	size_t slower, faster, no_change, inconclusive; /* phases with that verdict */
	size_t tested;    /* phases with a p, m */
	size_t selected;  /* of them, adjusted p < alpha, R */
	double ci_level;  /* of every interval: 1 - vb_compare_fcr_alpha(R, m, alpha) */
	/* meta.json host.clock_read_ns of each side; 0 when unknown. */
	uint64_t clock_base, clock_new;
};

const char *vb_verdict_name(enum vb_verdict v);

/* Whether the two runs measured the same thing: the same set of phases,
 * the same guest and the same accelerator (host.vm.accel; a run not made
 * in tools/vm's VM has none): times under TCG and on hardware are not
 * comparable. 0, or -EINVAL with the difference described in @why. */
int vb_compare_check(const struct vb_rundata *base, const struct vb_rundata *new_, char *why,
		     size_t len);

/* Compare every phase either run measured. 0 or -ENOMEM; @out is released
 * with vb_comparison_release() either way. */
int vb_compare_runs(const struct vb_rundata *base, const struct vb_rundata *new_,
		    const struct vb_compare_opts *opts, struct vb_comparison *out);

void vb_comparison_release(struct vb_comparison *c);

/* Adjust the p-values of @c's phases that have one (verdict not
 * ONE_SIDED, p finite, from ratio, se_log and df by vb_compare_p()), set
 * tested, selected and ci_level, draw every phase's intervals at that
 * level and read its verdict and needed from them; the counts follow.
 * vb_compare_runs() calls it; exposed for the tests. */
void vb_comparison_judge(struct vb_comparison *c);

/* The two-sided p-value of a log ratio @d with standard error @se, from t
 * at @df degrees of freedom (INFINITY: the normal): 2 P(T > |d| / se). For
 * se == 0, 1 when d == 0 else 0. NaN when d or se is not finite. Dual to
 * vb_compare_interval(): its interval at level 1 - a excludes 1 exactly
 * when this p < a, for every a. */
double vb_compare_p(double d, double se, double df);

/* The interval exp(d ± q se) at level 1 - @a, q the (1 - a/2) quantile of
 * t at @df, into @lo and @hi. @exclude says whether it excludes 1, decided
 * by the caller from the dual p (p < a, or selected): where rounding would
 * say otherwise, the end nearest 1 is moved to 1 or just past it. */
void vb_compare_interval(double d, double se, double df, double a, bool exclude, double *lo,
			 double *hi);

/* The a of the FCR-adjusted level 1 - a for @selected (R) of @tested (m)
 * phases selected at @alpha: max(R, 1) alpha / m; @alpha when m is 0. */
double vb_compare_fcr_alpha(size_t selected, size_t tested, double alpha);

/* The verdict of one phase from its ratio and its interval [lo, hi]:
 * slower when lo > 1 and the ratio > 1 + threshold, faster when hi < 1
 * and the ratio < 1 - threshold, no change when the interval lies inside
 * [1 - threshold, 1 + threshold], else inconclusive. The two cannot both
 * hold: a ratio beyond the margin puts its interval outside it. */
enum vb_verdict vb_verdict_decide(double ratio, double lo, double hi, double threshold);

/* For an inconclusive phase: the replicates per side (rounds when
 * @by_rounds, else samples) expected to decide, from the observed standard
 * error @se_log of log(ratio) at @n_base and @n_new replicates, assuming
 * it shrinks as sqrt(1/n_base + 1/n_new), @selected (R) of @tested (m)
 * phases selected. Inside the margin: the n whose interval half-width at
 * 1 - max(R, 1) alpha / m fits between log(ratio) and the margin's edge;
 * beyond it: the n whose interval at 1 - (R + 1) alpha / m (this phase
 * selected too) excludes 1. Quantiles of t with 2n - 2 degrees of freedom
 * by rounds, of the normal for samples. VB_NEEDED_UNREACHABLE when the
 * ratio sits on the margin; 0 when unknown. */
size_t vb_verdict_needed(double ratio, double se_log, size_t n_base, size_t n_new, double alpha,
			 size_t selected, size_t tested, double threshold, bool by_rounds);

#endif
