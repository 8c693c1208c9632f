/**
 * Time series averaged over replications: per bucket, the mean of the replications' values and
 * its Student-t confidence interval (the run's confidence), for every series the summary keeps
 * of replication 1 (src/lib/sim/summary.ts: nodes' queue length, throughput, drops, p99 and
 * kind-specific series; clients' offered, attempts, goodput, throughput, timeouts, in flight and
 * p99). Read from the raw replications in SimRunner.runDetailed, before they are dropped, so the
 * charts show a mean with a band instead of one replication's noise.
 *
 * The views have the summary's own shapes, so the charts build their lines from the mean, low
 * and high views exactly as from a summary. A p99 per bucket is averaged over the replications
 * that completed a request in that bucket (NaN where none did).
 */
import type { ClientSummary, TimeSeries } from '../sim/results.ts';
import type { ReplicationResult } from '../sim/index.ts';
import { studentTQuantile } from '../sim/stats.ts';

export interface SeriesView {
  series: TimeSeries;
  clients: Record<string, ClientSummary['series']>;
}

export interface SeriesBands {
  replications: number;
  confidence: number;
  mean: SeriesView;
  lo: SeriesView;
  hi: SeriesView;
}

/** Above this many numbers per view (nodes × buckets × series) the bands are not built. */
export const MAX_BAND_VALUES = 2_000_000;

/** One replication's series, shaped as the summary shapes replication 1's. */
function viewOf(rep: ReplicationResult, clientIds: ReadonlySet<string>): SeriesView {
  const nodes: TimeSeries['nodes'] = {};
  const clients: SeriesView['clients'] = {};
  const list = (a: Float64Array | null | undefined) => (a ? Array.from(a) : []);
  for (const n of rep.nodes) {
    const s = n.series;
    nodes[n.id] = {
      inSystem: Array.from(s.inSystem),
      throughput: Array.from(s.throughput),
      drops: Array.from(s.drops),
      ...(s.p99 ? { p99: Array.from(s.p99) } : {}),
      ...(s.extras && Object.keys(s.extras).length > 0 ? { extras: Object.fromEntries(Object.entries(s.extras).map(([k, v]) => [k, Array.from(v)])) } : {})
    };
    if (clientIds.has(n.id)) {
      clients[n.id] = {
        bucket: rep.bucket,
        offered: list(s.extras?.offered),
        attempts: list(s.extras?.attempts),
        goodput: list(s.extras?.good),
        throughput: list(s.throughput),
        timeouts: list(s.extras?.timeouts),
        inSystem: list(s.inSystem),
        p99: list(s.p99)
      };
    }
  }
  return { series: { bucket: rep.bucket, nodes }, clients };
}

/**
 * Mean and interval per bucket over `reps` (in index order), or null with fewer than two
 * replications (nothing to average) or when the series are too large to keep three times.
 */
export function seriesBands(reps: readonly ReplicationResult[], confidence: number, clientIds: readonly string[]): SeriesBands | null {
  const R = reps.length;
  if (R < 2) return null;
  const first = reps[0];
  let size = 0;
  for (const n of first.nodes) size += n.series.inSystem.length * (4 + Object.keys(n.series.extras ?? {}).length);
  if (size > MAX_BAND_VALUES) return null;

  const ids = new Set(clientIds);
  const views = reps.map((r) => viewOf(r, ids));
  // t quantiles by the number of values averaged (p99 buckets may have fewer than R).
  const tOf = new Map<number, number>();
  const t = (n: number) => {
    let q = tOf.get(n);
    if (q === undefined) tOf.set(n, (q = studentTQuantile((1 + confidence) / 2, n - 1)));
    return q;
  };

  /** Mean, low and high of the same array in every replication's view. */
  const band = (arrays: (readonly number[] | undefined)[]): [number[], number[], number[]] => {
    const len = Math.max(0, ...arrays.map((a) => a?.length ?? 0));
    const mean = new Array<number>(len);
    const lo = new Array<number>(len);
    const hi = new Array<number>(len);
    for (let k = 0; k < len; k++) {
      let n = 0;
      let sum = 0;
      for (const a of arrays) {
        const v = a?.[k];
        if (v !== undefined && Number.isFinite(v)) {
          n++;
          sum += v;
        }
      }
      if (n === 0) {
        mean[k] = lo[k] = hi[k] = NaN;
        continue;
      }
      const m = sum / n;
      let ss = 0;
      for (const a of arrays) {
        const v = a?.[k];
        if (v !== undefined && Number.isFinite(v)) ss += (v - m) * (v - m);
      }
      const half = n > 1 ? t(n) * Math.sqrt(ss / (n - 1) / n) : 0;
      mean[k] = m;
      lo[k] = m - half;
      hi[k] = m + half;
    }
    return [mean, lo, hi];
  };

  /** Walk view 0's shape; every number array becomes its mean, low and high. */
  const combine = (get: (v: SeriesView) => unknown): [unknown, unknown, unknown] => {
    const here = views.map(get);
    const shape = here[0];
    if (Array.isArray(shape)) return band(here as (readonly number[] | undefined)[]);
    if (typeof shape === 'object' && shape !== null) {
      const out: [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>] = [{}, {}, {}];
      for (const key of Object.keys(shape)) {
        const [m, l, h] = combine((v) => (get(v) as Record<string, unknown> | undefined)?.[key]);
        out[0][key] = m;
        out[1][key] = l;
        out[2][key] = h;
      }
      return out;
    }
    return [shape, shape, shape]; // bucket widths: the same in every replication
  };
  const [mean, lo, hi] = combine((v) => v) as [SeriesView, SeriesView, SeriesView];
  return { replications: R, confidence, mean, lo, hi };
}
