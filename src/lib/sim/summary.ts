/**
 * Merge replications into the summary users read: each measure's mean over replications with
 * a Student-t confidence interval (replications are independent: separate substreams), and
 * percentiles from the pooled histogram with intervals from the per-replication percentiles.
 */
import type { NormalizedModel } from '../model/types';
import type { HistogramData, NodeResult, ReplicationResult } from './engine';
import { LogHistogram } from './histogram';
import { DROP_REASONS } from './nodeStats';
import {
  type ClientSummary,
  PERCENTILES,
  PERCENTILE_LEVELS,
  type Estimate,
  type NodeSummary,
  type PercentileName,
  type SimSummary,
  type TimeSeries,
  type TimeSummary
} from './results';
import { meanCI, mser5 } from './stats';

export interface SummarizeOptions {
  /** Events per second of the engine loop, measured by the caller (the engine has no clock). */
  eventsPerSecond?: number;
}

export function summarize(
  model: NormalizedModel,
  reps: ReplicationResult[],
  opts: SummarizeOptions = {}
): SimSummary {
  if (reps.length === 0) throw new Error('summarize needs at least one replication');
  // Delete the same warm-up from every replication, so counts per replication cover equal
  // intervals: MSER-5 on the number in system averaged over replications (Welch's idea: the
  // average series shows the transient with less noise), rounded up to a checkpoint.
  const warmup = commonWarmup(reps);
  const sorted = [...reps]
    .sort((a, b) => a.replication - b.replication)
    .map((r) => withWarmup(r, warmup));
  const conf = model.run.confidence;
  const est = (values: number[]): Estimate => {
    const r = meanCI(values, conf);
    return { mean: r.mean, ci: [r.ci[0], r.ci[1]] };
  };
  const spans = sorted.map((r) => r.until - r.warmup);

  const nodes: Record<string, NodeSummary> = {};
  const first = sorted[0];
  first.nodes.forEach((n0, i) => {
    const per = sorted.map((r) => r.nodes[i]);
    const rate = (f: (n: NodeResult) => number) => est(per.map((n, k) => f(n) / spans[k]));
    const dropsByReason: Record<string, Estimate> = {};
    DROP_REASONS.forEach((reason, k) => {
      if (per.some((n) => n.drops[k] > 0)) dropsByReason[reason] = est(per.map((n) => n.drops[k]));
    });
    const servers = n0.servers;
    const inSystem = rate((n) => n.area);
    const throughput = rate((n) => n.departures);
    const response = timeSummary(
      per.map((n) => n.response),
      conf
    );
    const s: NodeSummary = {
      id: n0.id,
      kind: n0.kind,
      arrivals: est(per.map((n) => n.arrivals)),
      departures: est(per.map((n) => n.departures)),
      dropped: est(per.map((n) => n.drops.reduce((a, b) => a + b, 0))),
      dropsByReason,
      occupancy: occupancyOf(per, spans),
      throughput,
      inSystem,
      utilisation:
        servers > 0 && Number.isFinite(servers)
          ? est(per.map((n, k) => n.busyArea / (spans[k] * servers)))
          : { mean: NaN, ci: [NaN, NaN] },
      response,
      // A queue's wait is its time in queue: one histogram serves both.
      wait: n0.kind === 'queue' ? response : timeSummary(
        per.map((n) => n.wait),
        conf
      ),
      littleGap: littleGap(inSystem.mean, throughput.mean, response.mean)
    };
    const extraNames = Object.keys(n0.extras);
    if (extraNames.length > 0) {
      s.extras = {};
      for (const name of extraNames) {
        const kind = n0.extras[name].kind;
        s.extras[name] = est(per.map((n, k) => n.extras[name].value / (kind === 'time' ? spans[k] : 1)));
      }
      if (n0.extras.hits && n0.extras.misses) {
        // A cache's hit ratio per replication (NaN where it saw no lookup).
        s.extras.hitRatio = est(
          per.map((n) => {
            const looked = n.extras.hits.value + n.extras.misses.value;
            return looked > 0 ? n.extras.hits.value / looked : NaN;
          })
        );
      }
    }
    if (n0.station) {
      s.station = {
        inSystem: rate((n) => n.station!.area),
        response: timeSummary(
          per.map((n) => n.station!.response),
          conf
        )
      };
    }
    if (n0.byClass) {
      s.byClass = {};
      const names = first.classNames;
      n0.byClass.forEach((_, k) => {
        // A single class is not recorded apart: its histogram is the node's response.
        const hs = n0.byClass!.length > 1 ? per.map((n) => n.byClass![k]) : per.map((n) => n.response);
        if (hs.some((h) => LogHistogram.fromJSON(h).count > 0)) {
          // Several clients may share a class name; the first wins the key, others get a suffix.
          let key = names[k];
          while (s.byClass![key]) key += "'";
          s.byClass![key] = timeSummary(hs, conf);
        }
      });
    }
    nodes[n0.id] = s;
  });

  const clients: Record<string, ClientSummary> = {};
  first.nodes.forEach((n0, i) => {
    if (n0.kind === 'client') clients[n0.id] = clientSummary(sorted, i, spans, est);
  });

  const events = sorted.reduce((a, r) => a + r.events, 0);
  return {
    model: model.name,
    seed: model.run.seed,
    replications: sorted.length,
    until: model.run.until,
    warmup: sorted.reduce((a, r) => a + r.warmup, 0) / sorted.length,
    confidence: conf,
    nodes,
    events,
    eventsPerSecond: opts.eventsPerSecond ?? 0,
    series: seriesOf(sorted),
    clients
  };
}

/**
 * A client's view (docs/cli.md, `clients`): rates per second of the measured window, counts per
 * replication, ratios per replication; the series is the first replication's.
 */
function clientSummary(
  reps: ReplicationResult[],
  i: number,
  spans: number[],
  est: (values: number[]) => Estimate
): ClientSummary {
  const per = reps.map((r) => r.nodes[i]);
  const x = (n: NodeResult, name: string) => n.extras[name]?.value ?? 0;
  const count = (name: string) => est(per.map((n) => x(n, name)));
  const perSecond = (f: (n: NodeResult) => number) => est(per.map((n, k) => f(n) / spans[k]));
  const failures = (n: NodeResult) => n.drops.reduce((a, b) => a + b, 0);
  const n0 = reps[0].nodes[i];
  const ser = n0.series;
  const list = (a: Float64Array | undefined | null) => (a ? Array.from(a) : []);
  return {
    id: n0.id,
    offered: perSecond((n) => n.arrivals),
    goodput: perSecond((n) => x(n, 'good')),
    throughput: perSecond((n) => n.departures),
    attempts: count('attempts'),
    retries: count('retries'),
    timeouts: count('timeouts'),
    rejections: count('rejections'),
    lost: count('lost'),
    wasted: count('wasted'),
    shortCircuited: count('shortCircuited'),
    budgetDenied: count('budgetDenied'),
    breakerOpens: count('breakerOpens'),
    amplification: est(per.map((n) => (n.arrivals > 0 ? x(n, 'attempts') / n.arrivals : NaN))),
    successRatio: est(
      per.map((n) => {
        const ended = n.departures + failures(n);
        return ended > 0 ? n.departures / ended : NaN;
      })
    ),
    series: {
      bucket: reps[0].bucket,
      offered: list(ser.extras?.offered),
      attempts: list(ser.extras?.attempts),
      goodput: list(ser.extras?.good),
      throughput: list(ser.throughput),
      timeouts: list(ser.extras?.timeouts),
      inSystem: list(ser.inSystem),
      p99: list(ser.p99)
    }
  };
}

function occupancyOf(per: NodeResult[], spans: number[]): number[] {
  const out = new Array<number>(per[0].occupancy.length).fill(0);
  per.forEach((n, k) => n.occupancy.forEach((t, i) => (out[i] += t / spans[k] / per.length)));
  let end = out.length;
  while (end > 1 && out[end - 1] === 0) end--;
  return out.slice(0, end);
}

function commonWarmup(reps: ReplicationResult[]): number {
  const r0 = reps[0];
  if (!r0.autoWarmup) return r0.warmup;
  const n = r0.systemSeries.length;
  const avg = new Float64Array(n);
  for (const r of reps) for (let k = 0; k < n; k++) avg[k] += r.systemSeries[k] / reps.length;
  const cut = mser5(avg) * r0.bucket;
  if (cut <= 0) return 0;
  const candidates = r0.windows.map((w) => w.warmup);
  return candidates.find((t) => t >= cut - 1e-9) ?? candidates[candidates.length - 1];
}

/** The replication measured after `warmup` (a checkpoint every replication has). */
function withWarmup(r: ReplicationResult, warmup: number): ReplicationResult {
  if (r.warmup === warmup) return r;
  const w = r.windows.find((x) => Math.abs(x.warmup - warmup) <= 1e-9 * Math.max(1, warmup));
  if (!w) throw new Error(`replication ${r.replication} has no measurements after a warm-up of ${warmup} s`);
  return { ...r, warmup: w.warmup, systemArea: w.systemArea, nodes: w.nodes };
}

/** |L − X·W| / L: how far a node is from Little's law (0 is exact). NaN when L is ~0. */
function littleGap(L: number, X: number, W: number): number {
  if (!(L > 1e-12) || !Number.isFinite(W)) return NaN;
  return Math.abs(L - X * W) / L;
}

function timeSummary(hists: HistogramData[], confidence: number): TimeSummary {
  const hs = hists.map((h) => LogHistogram.fromJSON(h));
  const pooled = new LogHistogram();
  for (const h of hs) pooled.merge(h);
  const withData = hs.filter((h) => h.count > 0);
  const means = meanCI(
    withData.map((h) => h.mean),
    confidence
  );
  const percentileCi = {} as Record<PercentileName, [number, number]>;
  const point = {} as Record<PercentileName, number>;
  for (const p of PERCENTILES) {
    const q = PERCENTILE_LEVELS[p];
    point[p] = pooled.count > 0 ? pooled.quantile(q) : NaN;
    const r = meanCI(
      withData.map((h) => h.quantile(q)),
      confidence
    );
    percentileCi[p] = withData.length > 0 ? [r.ci[0], r.ci[1]] : [NaN, NaN];
  }
  return {
    mean: withData.length > 0 ? means.mean : NaN,
    ci: withData.length > 0 ? [means.ci[0], means.ci[1]] : [NaN, NaN],
    ...point,
    percentileCi,
    count: pooled.count
  };
}

/** The time series of the first replication (a run the user can follow from start to end). */
function seriesOf(reps: ReplicationResult[]): TimeSeries {
  const r = reps[0];
  const nodes: TimeSeries['nodes'] = {};
  for (const n of r.nodes) {
    nodes[n.id] = {
      inSystem: Array.from(n.series.inSystem),
      throughput: Array.from(n.series.throughput),
      drops: Array.from(n.series.drops),
      ...(n.series.p99 ? { p99: Array.from(n.series.p99) } : {}),
      ...(n.series.extras && Object.keys(n.series.extras).length > 0
        ? { extras: Object.fromEntries(Object.entries(n.series.extras).map(([k, v]) => [k, Array.from(v)])) }
        : {})
    };
  }
  return { bucket: r.bucket, nodes };
}
