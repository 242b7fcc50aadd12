/* Comparing two runs, BASE and NEW, phase by phase: did NEW get slower?
 *
 * Per phase: the medians, their ratio NEW/BASE with a bootstrap (1 - alpha)
 * confidence interval, the two-sided Mann-Whitney p-value, and a verdict:
 * slower or faster only when p, adjusted for the number of phases
 * compared (Benjamini-Hochberg), < alpha AND the median moved by more than the
 * threshold (a significant 0.5 % is not worth a bisect; a 30 % change on
 * noise is not a change; one of twenty phases under p < 0.01 by chance is
 * not a regression); no change only when the interval lies inside the
 * margin (equivalence shown, not merely no change shown); else
 * inconclusive, with the replicates that would likely decide. The p99 ratio gets its own interval and flag
 * (its interval excludes 1 and it moved by more than the threshold), kept
 * apart from the verdict: tails are noisier and judged by a person.
 * Also: what differs between the runs' meta.json (kernel, KVM module
 * parameters, microcode, mitigations, CPU, guest, options). Pure over
 * loaded results; no I/O.
 *
 * When both sides are sets of rounds (rundata.h, two or more rounds each),
 * the rounds are the replicates: Welch's t-test on the log of each round's
 * median (welch.h), the ratio the exponential of the mean log difference
 * (a geometric mean of round medians) with its t interval. Samples within
 * one run share that run's conditions; treating them as independent
 * overstates significance. The p99 flag still resamples pooled samples. */
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
	double ratio, ci_lo, ci_hi;         /* median NEW/BASE, (1 - alpha) interval (NaN: n < 2) */
	double se_log;                      /* standard error of log(ratio) (NaN: unknown) */
	double p;                           /* Mann-Whitney or Welch (by_rounds), two-sided */
	double p_adj;                       /* p adjusted for the phases compared (BH) */
	bool exact;                         /* p from the exact distribution */
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
	double p99_ratio, p99_lo, p99_hi;
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

/* The verdict of one phase from its ratio, its (1 - alpha) interval
 * [lo, hi] and its adjusted p: slower / faster when p_adj < alpha and the
 * ratio is beyond 1 ± threshold; no change when the interval lies inside
 * [1 - threshold, 1 + threshold]; else inconclusive. The two cannot both
 * hold: a ratio beyond the margin puts its interval outside it. */
enum vb_verdict vb_verdict_decide(double ratio, double lo, double hi, double p_adj, double alpha,
				  double threshold);

/* For an inconclusive phase: the replicates per side (rounds when
 * @by_rounds, else samples) expected to decide, from the observed standard
 * error @se_log of log(ratio) at @n_base and @n_new replicates, assuming
 * it shrinks as sqrt(1/n_base + 1/n_new). Inside the margin: the n whose
 * (1 - alpha) half-width fits between log(ratio) and the margin's edge;
 * beyond it: the n that makes log(ratio) significant at alpha * p / p_adj
 * (this phase's share of the Benjamini-Hochberg adjustment). Quantiles of
 * t with 2n - 2 degrees of freedom by rounds, of the normal for samples.
 * VB_NEEDED_UNREACHABLE when the ratio sits on the margin; 0 when unknown. */
size_t vb_verdict_needed(double ratio, double se_log, size_t n_base, size_t n_new, double p,
			 double p_adj, double alpha, double threshold, bool by_rounds);

#endif
