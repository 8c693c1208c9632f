/**
 * Chart data from results: pure functions, no DOM, no uPlot (the components turn these into
 * uPlot options). Unit-tested in chartData.test.ts.
 *
 * - time series per node and client from `SimSummary.series` and `clients[id].series` (the
 *   first replication, bucket by bucket), and the fault windows to shade (`model.faults`);
 * - the latency histogram and CDF from a node's ResponseDistribution (a quantile function);
 * - sweep points as lines with confidence bands.
 */
import type { NormalizedModel } from '../../model/types.ts';
import type { ResponseDistribution } from '../../runner/distributions.ts';
import type { SimSummary } from '../../sim/results.ts';
import type { QuantityKind } from '../format.ts';

/** A shaded interval of simulated time. */
export interface TimeWindow {
  from: number;
  to: number;
  label: string;
}

/** One line of a chart: values aligned with the chart's x, null where there is no value. */
export interface Line {
  label: string;
  values: (number | null)[];
  /** Colour index (the same node keeps its colour across charts). */
  color: number;
  dash?: boolean;
}

export interface TimeChart {
  key: 'throughput' | 'goodput' | 'inSystem' | 'p99';
  title: string;
  kind: QuantityKind;
  lines: Line[];
  /** Node lines left out to keep the chart readable (see `maxLines` of timeCharts), and how the drawn ones were picked. */
  omitted?: { count: number; shown: number; by: string };
}

/** Fault windows [at, at + for], clipped to the run; a fault without an end lasts to `until`. */
export function faultWindows(model: NormalizedModel): TimeWindow[] {
  const until = model.run.until;
  return (model.faults ?? [])
    .filter((f) => Number.isFinite(f.at) && f.at < until)
    .map((f) => {
      const end = Number.isFinite(f.for) && f.for > 0 ? f.at + f.for : until;
      const what = f.action === 'rate' ? `rate ${trimNumber(f.value)}/s` : f.action === 'slowdown' ? `slowdown ×${trimNumber(f.value)}` : f.action;
      return { from: f.at, to: Math.min(end, until), label: `${f.target}: ${what}` };
    });
}

function trimNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(3))) : '';
}

/** Bucket midpoints: bucket i covers [i·b, (i+1)·b). */
export function bucketTimes(bucket: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i + 0.5) * bucket);
}

const finite = (xs: readonly number[] | undefined, n: number): (number | null)[] =>
  Array.from({ length: n }, (_, i) => {
    const v = xs?.[i];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  });

/** Above this many clients, their series are summed into one line per measure. */
export const MAX_CLIENT_LINES = 6;

/** Node lines drawn per chart in the page: a 1,000-node model's thousand lines cannot be read,
 * and their legend rows (~35,000 elements) slowed every canvas frame to 11 fps. */
export const MAX_NODE_LINES = 12;

function meanOf(values: readonly (number | null)[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : -Infinity;
}

function maxOf(values: readonly (number | null)[]): number {
  let m = -Infinity;
  for (const v of values) if (v !== null && v > m) m = v;
  return m;
}

/** The `max` lines that score highest, in their original order (colours stay put), and how many were left out. */
export function topLines(lines: Line[], max: number, score: (values: readonly (number | null)[]) => number): { lines: Line[]; omitted: number } {
  if (lines.length <= max) return { lines, omitted: 0 };
  const keep = new Set(
    lines
      .map((l, i) => ({ i, s: score(l.values) }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .slice(0, max)
      .map((r) => r.i)
  );
  return { lines: lines.filter((_, i) => keep.has(i)), omitted: lines.length - keep.size };
}

/**
 * The four time-series charts of a run: throughput (departures per second of the nodes that
 * are not clients), goodput (per client: offered, attempts and goodput per second), queue length
 * (time-average number present; for clients, logical requests not yet ended) and p99 (sinks'
 * end-to-end and clients' response). Charts with no line are left out.
 */
export function timeCharts(summary: SimSummary, model: NormalizedModel, maxPoints = Infinity, maxLines = Infinity): { x: number[]; charts: TimeChart[]; step: number } {
  const nodes = summary.series.nodes;
  const ids = model.nodes.map((n) => n.id).filter((id) => nodes[id]);
  const n = Math.max(0, ...ids.map((id) => nodes[id].inSystem.length));
  const x = bucketTimes(summary.series.bucket, n);
  const color = new Map(ids.map((id, i) => [id, i]));
  const byId = new Map(model.nodes.map((m) => [m.id, m]));
  const label = (id: string) => byId.get(id)?.label || id;
  const kindOf = (id: string) => byId.get(id)?.kind ?? '';
  const clientIds = ids.filter((id) => kindOf(id) === 'client');
  const others = ids.filter((id) => kindOf(id) !== 'client');
  const clients = summary.clients ?? {};
  const aggregate = clientIds.length > MAX_CLIENT_LINES;

  const sum = (arrays: (readonly number[] | undefined)[]): number[] =>
    Array.from({ length: n }, (_, i) => arrays.reduce((a, xs) => a + (Number.isFinite(xs?.[i]) ? (xs![i] as number) : 0), 0));

  const throughput = topLines(
    others.map((id) => ({ label: label(id), values: finite(nodes[id].throughput, n), color: color.get(id)! })),
    maxLines,
    meanOf
  );

  const goodput: Line[] = [];
  const inFlight: Line[] = [];
  const p99: Line[] = [];
  if (aggregate) {
    const all = `all ${clientIds.length} clients`;
    const c = clientIds.map((id) => clients[id]?.series);
    goodput.push(
      { label: `${all}: offered`, values: finite(sum(c.map((s) => s?.offered)), n), color: 0, dash: true },
      { label: `${all}: attempts`, values: finite(sum(c.map((s) => s?.attempts)), n), color: 1, dash: true },
      { label: `${all}: goodput`, values: finite(sum(c.map((s) => s?.goodput)), n), color: 2 }
    );
    inFlight.push({ label: `${all}: in flight`, values: finite(sum(c.map((s) => s?.inSystem)), n), color: 0, dash: true });
  } else {
    for (const id of clientIds) {
      const s = clients[id]?.series;
      if (!s) continue;
      goodput.push(
        { label: `${label(id)}: offered`, values: finite(s.offered, n), color: color.get(id)!, dash: true },
        { label: `${label(id)}: attempts`, values: finite(s.attempts, n), color: color.get(id)! + 1, dash: true },
        { label: `${label(id)}: goodput`, values: finite(s.goodput, n), color: color.get(id)! }
      );
      inFlight.push({ label: `${label(id)}: in flight`, values: finite(s.inSystem, n), color: color.get(id)!, dash: true });
      if (s.p99.length > 0) p99.push({ label: `${label(id)}: response`, values: finite(s.p99, n), color: color.get(id)!, dash: true });
    }
  }
  const queue = topLines(
    others.filter((id) => kindOf(id) !== 'sink').map((id) => ({ label: label(id), values: finite(nodes[id].inSystem, n), color: color.get(id)! })),
    maxLines,
    meanOf
  );
  const nodeP99: Line[] = [];
  for (const id of others) {
    const s = nodes[id].p99;
    if (s && s.length > 0) nodeP99.push({ label: `${label(id)}${kindOf(id) === 'sink' ? ': end to end' : ''}`, values: finite(s, n), color: color.get(id)! });
  }
  const topP99 = topLines(nodeP99, maxLines, maxOf);
  const omitted = (t: { lines: Line[]; omitted: number }, by: string) => (t.omitted > 0 ? { omitted: { count: t.omitted, shown: t.lines.length, by } } : {});

  const charts: TimeChart[] = [
    { key: 'throughput', title: 'Throughput', kind: 'rate', lines: throughput.lines, ...omitted(throughput, 'the highest mean throughput') },
    { key: 'goodput', title: 'Clients: offered, attempts and goodput', kind: 'rate', lines: goodput },
    { key: 'inSystem', title: 'Queue length (time-average number present)', kind: 'number', lines: [...queue.lines, ...inFlight], ...omitted(queue, 'the longest mean queue') },
    { key: 'p99', title: 'p99 latency per bucket', kind: 'time', lines: [...p99, ...topP99.lines], ...omitted(topP99, 'the highest p99') }
  ];
  const kept = charts.filter((c) => c.lines.some((l) => l.values.some((v) => v !== null)));
  const k = Math.max(1, Math.ceil(n / maxPoints));
  if (k === 1) return { x, charts: kept, step: summary.series.bucket };
  return {
    x: coarsenTimes(x, k),
    // Rates and time averages average over the merged buckets; a p99 cannot be averaged, so the
    // highest bucket p99 of each group is shown (the chart says so).
    charts: kept.map((c) => ({ ...c, lines: c.lines.map((l) => ({ ...l, values: coarsen(l.values, k, c.kind === 'time' ? 'max' : 'mean') })) })),
    step: summary.series.bucket * k
  };
}

/** Midpoints of groups of k consecutive bucket midpoints. */
export function coarsenTimes(x: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i += k) {
    const g = x.slice(i, i + k);
    out.push((g[0] + g[g.length - 1]) / 2);
  }
  return out;
}

/** Groups of k consecutive values, each replaced by its mean or maximum (nulls skipped; all null → null). */
export function coarsen(values: readonly (number | null)[], k: number, how: 'mean' | 'max'): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < values.length; i += k) {
    const g = values.slice(i, i + k).filter((v): v is number => v !== null);
    out.push(g.length === 0 ? null : how === 'max' ? Math.max(...g) : g.reduce((a, b) => a + b, 0) / g.length);
  }
  return out;
}

/* ------------------------------------------------------------------ distributions */

/** F(x): the share of observations ≤ x, read off the quantile function (linear between levels). */
export function cdfAt(d: ResponseDistribution, x: number): number {
  const { levels, values } = d;
  const last = values.length - 1;
  if (!(x >= values[0])) return 0;
  if (x >= values[last]) return 1;
  // The last level whose value is ≤ x: an atom (repeated values) counts whole.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= x) lo = mid;
    else hi = mid;
  }
  const span = values[hi] - values[lo];
  return span > 0 ? levels[lo] + ((levels[hi] - levels[lo]) * (x - values[lo])) / span : levels[lo];
}

/** The CDF as points for a line chart: strictly increasing x (repeats keep their highest level). */
export function cdfPoints(d: ResponseDistribution): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  d.values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    if (x.length > 0 && v <= x[x.length - 1]) {
      y[y.length - 1] = Math.max(y[y.length - 1], d.levels[i]);
      return;
    }
    x.push(v);
    y.push(d.levels[i]);
  });
  return { x, y };
}

export interface Histogram {
  /** Bin edges (bins + 1), seconds. */
  edges: number[];
  /** Bin centres (geometric on a log axis), for plotting. */
  centres: number[];
  /** Share of all observations in each bin. */
  share: number[];
  /** Whether the bins are geometric (the distribution spans more than two decades). */
  log: boolean;
  /** Share of observations above the last edge (the histogram stops at p99.9). */
  beyond: number;
}

/**
 * A histogram of the distribution between its minimum and its p99.9 (the tail beyond is
 * reported as `beyond`), in `bins` equal bins, or geometric ones when the range spans more than
 * two decades (latency often does).
 */
export function histogram(d: ResponseDistribution, bins = 40): Histogram {
  const q = (p: number) => {
    const i = d.levels.findIndex((l) => l >= p);
    return d.values[i < 0 ? d.values.length - 1 : i];
  };
  let lo = d.values[0];
  let hi = q(0.999);
  if (!(hi > lo)) {
    // One value (a deterministic time): one bin around it.
    const w = Math.abs(lo) * 0.05 || 1e-9;
    return { edges: [lo - w, lo + w], centres: [lo], share: [1], log: false, beyond: 0 };
  }
  const positiveLo = lo > 0 ? lo : q(0.001) > 0 ? q(0.001) : hi / 1e3;
  const log = hi / positiveLo > 100;
  if (log) lo = positiveLo;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (log ? lo * Math.pow(hi / lo, i / bins) : lo + ((hi - lo) * i) / bins));
  edges[bins] = hi;
  const F = edges.map((e) => cdfAt(d, e));
  // Everything at or below the first edge belongs to the first bin.
  const share = edges.slice(1).map((_, i) => F[i + 1] - (i === 0 ? 0 : F[i]));
  const centres = edges.slice(1).map((e, i) => (log ? Math.sqrt(e * edges[i]) : (e + edges[i]) / 2));
  return { edges, centres, share, log, beyond: Math.max(0, 1 - F[bins]) };
}

/* ------------------------------------------------------------------ sweeps */

export interface BandLine {
  label: string;
  mean: (number | null)[];
  lo: (number | null)[];
  hi: (number | null)[];
  /** The analytic value at each x where one exists (dashed line), else null. */
  theory: (number | null)[];
}

export interface SweepPointLike {
  values: number[];
  metric: { mean: number; ci: [number, number] } | null;
  theory?: number | null;
}

/**
 * Lines with bands for a sweep: x is the first axis's values (ascending); one line per value of
 * the second axis (or one line). Points not measured yet (or NaN) are gaps.
 */
export function sweepLines(points: SweepPointLike[], secondLabel?: (v: number) => string): { x: number[]; lines: BandLine[] } {
  const x = [...new Set(points.map((p) => p.values[0]))].sort((a, b) => a - b);
  const groups = [...new Set(points.map((p) => (p.values.length > 1 ? p.values[1] : NaN)))];
  const num = (v: number | undefined | null) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const lines = groups.map((g): BandLine => {
    const at = (xi: number) => points.find((p) => p.values[0] === xi && (Number.isNaN(g) ? p.values.length === 1 : p.values[1] === g));
    return {
      label: Number.isNaN(g) ? 'mean' : (secondLabel?.(g) ?? String(g)),
      mean: x.map((xi) => num(at(xi)?.metric?.mean)),
      lo: x.map((xi) => num(at(xi)?.metric?.ci[0])),
      hi: x.map((xi) => num(at(xi)?.metric?.ci[1])),
      theory: x.map((xi) => num(at(xi)?.theory))
    };
  });
  return { x, lines };
}

/* ------------------------------------------------------------------ comparing two runs */

/** Two series on one x (the union of both x's, ascending); null where a series has no point. */
export function overlay(
  ax: readonly number[],
  ay: readonly (number | null)[],
  bx: readonly number[],
  by: readonly (number | null)[]
): { x: number[]; a: (number | null)[]; b: (number | null)[] } {
  const x = [...new Set([...ax, ...bx])].sort((p, q) => p - q);
  const ia = new Map(ax.map((v, i) => [v, i]));
  const ib = new Map(bx.map((v, i) => [v, i]));
  return {
    x,
    a: x.map((v) => (ia.has(v) ? (ay[ia.get(v)!] ?? null) : null)),
    b: x.map((v) => (ib.has(v) ? (by[ib.get(v)!] ?? null) : null))
  };
}

export type SeriesMeasure = 'throughput' | 'inSystem' | 'p99';

/** One node's series of one measure over time (bucket midpoints), null where there is none. */
export function nodeSeries(summary: SimSummary, id: string, measure: SeriesMeasure): { x: number[]; y: (number | null)[] } {
  const s = summary.series.nodes[id];
  const values = s ? (measure === 'p99' ? (s.p99 ?? []) : s[measure]) : [];
  return { x: bucketTimes(summary.series.bucket, values.length), y: finite(values, values.length) };
}

/** Two CDFs on one x: the union of their quantile values, each CDF read at every x. */
export function cdfOverlay(a: ResponseDistribution, b: ResponseDistribution): { x: number[]; a: number[]; b: number[] } {
  const x = [...new Set([...cdfPoints(a).x, ...cdfPoints(b).x])].sort((p, q) => p - q);
  return { x, a: x.map((v) => cdfAt(a, v)), b: x.map((v) => cdfAt(b, v)) };
}
