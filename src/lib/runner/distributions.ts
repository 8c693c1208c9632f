/**
 * Response-time distributions for the charts (latency histogram and CDF), computed in the
 * runner from the replications it already holds, so the engine (src/lib/sim) stays unchanged.
 *
 * Per node, the response histograms of every replication, measured after the summary's common
 * warm-up, are pooled exactly as `summarize` pools them for p50…p99.9, and read as a quantile
 * function at fixed probability levels (DISTRIBUTION_LEVELS). About 200 numbers per node: small
 * enough to keep with a saved run, and enough to draw both a CDF and a histogram. The value at
 * level 0.5 is the summary's p50 exactly (same pooled histogram, same `quantile`), and so on
 * for p90, p95, p99 and p99.9.
 *
 * Stored with a run as the OPTIONAL summary field `distributions` (see `withDistributions`):
 * summaries saved before it existed, and the CLI's JSON, simply have none. Only ever ADD to it.
 */
import { LogHistogram } from '../sim/histogram.ts';
import type { MeasuredWindow, ReplicationResult } from '../sim/index.ts';
import type { SimSummary } from '../sim/results.ts';

/** A node's time in node (end to end at a sink) as a quantile function. */
export interface ResponseDistribution {
  /** Observations after warm-up, pooled over replications. */
  count: number;
  /** Probability levels, ascending, from 0 (the minimum) to 1 (the maximum). */
  levels: number[];
  /** Seconds: the pooled histogram's quantile at each level (at most 1% relative error). */
  values: number[];
}

/** 0, 0.005, …, 0.995, then a finer tail up to 0.9999 and 1. */
export const DISTRIBUTION_LEVELS: readonly number[] = Object.freeze([
  ...Array.from({ length: 200 }, (_, k) => k / 200),
  0.996,
  0.997,
  0.998,
  0.999,
  0.9995,
  0.9999,
  1
]);

/** The summary as stored with a run: the optional `distributions` beside SimSummary's fields. */
export type SummaryWithDistributions = SimSummary & { distributions?: Record<string, ResponseDistribution> };

/** The measurements of replication `r` after `warmup` (the summary's common cut). */
function windowAt(r: ReplicationResult, warmup: number): MeasuredWindow {
  const near = (w: number) => Math.abs(w - warmup) <= 1e-9 * Math.max(1, warmup);
  if (near(r.warmup)) return { warmup: r.warmup, systemArea: r.systemArea, nodes: r.nodes };
  const w = r.windows.find((x) => near(x.warmup));
  if (!w) throw new Error(`replication ${r.replication} has no measurements after a warm-up of ${warmup} s`);
  return w;
}

/**
 * Per node id, the pooled response distribution after `warmup` (pass the summary's `warmup`).
 * Nodes that saw no completion after warm-up are left out.
 */
export function responseDistributions(reps: readonly ReplicationResult[], warmup: number): Record<string, ResponseDistribution> {
  const out: Record<string, ResponseDistribution> = {};
  if (reps.length === 0) return out;
  const windows = reps.map((r) => windowAt(r, warmup));
  windows[0].nodes.forEach((n0, i) => {
    const pooled = new LogHistogram();
    for (const w of windows) pooled.merge(LogHistogram.fromJSON(w.nodes[i].response));
    if (pooled.count === 0) return;
    out[n0.id] = {
      count: pooled.count,
      levels: [...DISTRIBUTION_LEVELS],
      values: DISTRIBUTION_LEVELS.map((q) => pooled.quantile(q))
    };
  });
  return out;
}

/** A copy of the summary carrying its distributions (what the run history stores). */
export function withDistributions(
  summary: SimSummary,
  distributions: Record<string, ResponseDistribution> | null | undefined
): SummaryWithDistributions {
  return distributions ? { ...summary, distributions } : summary;
}

function isDistribution(d: unknown): d is ResponseDistribution {
  if (typeof d !== 'object' || d === null) return false;
  const x = d as Partial<ResponseDistribution>;
  return (
    typeof x.count === 'number' &&
    Array.isArray(x.levels) &&
    Array.isArray(x.values) &&
    x.levels.length === x.values.length &&
    x.levels.length >= 2 &&
    x.levels.every((v) => typeof v === 'number') &&
    x.values.every((v) => typeof v === 'number')
  );
}

/**
 * The distributions a (possibly stored) summary carries, or null. Entries of the wrong shape
 * (a damaged or foreign record) are skipped rather than trusted.
 */
export function distributionsOf(summary: SimSummary | null | undefined): Record<string, ResponseDistribution> | null {
  const d = (summary as SummaryWithDistributions | null | undefined)?.distributions;
  if (typeof d !== 'object' || d === null) return null;
  const out: Record<string, ResponseDistribution> = {};
  for (const [id, v] of Object.entries(d)) if (isDistribution(v)) out[id] = v;
  return Object.keys(out).length > 0 ? out : null;
}
