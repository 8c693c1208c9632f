/**
 * Chart data from results: fault windows, time series of nodes and clients, the latency
 * histogram and CDF read from a quantile function, sweep bands and overlays.
 */
import { describe, expect, it } from 'vitest';
import { load } from '../../model/index.ts';
import type { NormalizedModel } from '../../model/types.ts';
import { DISTRIBUTION_LEVELS, responseDistributions, type ResponseDistribution } from '../../runner/distributions.ts';
import { simulate } from '../../sim/index.ts';
import { cdfAt, cdfOverlay, cdfPoints, coarsen, coarsenTimes, faultWindows, histogram, overlay, sweepLines, timeCharts, topLines } from './chartData.ts';
import { tickUnit } from './uplotOptions.ts';

function model(doc: Record<string, unknown>): NormalizedModel {
  const r = load({ format: 'systems-sandbox/model', version: 1, name: 't', ...doc });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.model;
}

/** Exp(1) as a quantile function at the standard levels: the exact inverse CDF. */
function exp1(): ResponseDistribution {
  const levels = [...DISTRIBUTION_LEVELS];
  return { count: 1e6, levels, values: levels.map((q) => (q >= 1 ? 20 : -Math.log(1 - q))) };
}

const retryStorm = () =>
  model({
    run: { until: '600 s', warmup: 0, seed: 3, replications: 2, bucket: '10 s' },
    nodes: [
      { id: 'c', kind: 'client', params: { rate: '5/s', timeout: '5 s', retry: { maxAttempts: 3 } } },
      { id: 'q', kind: 'queue', params: { capacity: 50 } },
      { id: 's', kind: 'server', params: { service: { dist: 'exp', mean: '100 ms' } } },
      { id: 'k', kind: 'sink' }
    ],
    edges: [
      { id: 'e1', from: 'c.out', to: 'q.in' },
      { id: 'e2', from: 'q.out', to: 's.in' },
      { id: 'e3', from: 's.out', to: 'k.in' }
    ],
    faults: [
      { at: '100 s', for: '200 s', target: 'c', action: 'rate', value: '15/s' },
      { at: '500 s', for: '1000 s', target: 's', action: 'slowdown', value: 2 }
    ]
  });

describe('fault windows and time series', () => {
  it('shades [at, at + for], clipped to the run, with the fault in words', () => {
    expect(faultWindows(retryStorm())).toEqual([
      { from: 100, to: 300, label: 'c: rate 15/s' },
      { from: 500, to: 600, label: 's: slowdown ×2' }
    ]);
  });

  it('builds throughput, goodput, queue and p99 charts aligned with the buckets', () => {
    const m = retryStorm();
    const { summary } = simulate(m);
    const { x, charts } = timeCharts(summary, m);
    expect(x.length).toBe(60);
    expect(x[0]).toBe(5);
    expect(charts.map((c) => c.key)).toEqual(['throughput', 'goodput', 'inSystem', 'p99']);
    for (const c of charts) for (const l of c.lines) expect(l.values.length).toBe(x.length);
    const goodput = charts.find((c) => c.key === 'goodput')!;
    expect(goodput.lines.map((l) => l.label)).toEqual(['c: offered', 'c: attempts', 'c: goodput']);
    // The series are the summary's, bucket by bucket (first replication).
    const queue = charts.find((c) => c.key === 'inSystem')!.lines.find((l) => l.label === 'q')!;
    expect(queue.values).toEqual(summary.series.nodes.q.inSystem);
    // During the spike the clients offer about 15/s, before it about 5/s.
    const offered = goodput.lines[0].values as number[];
    const mean = (a: number, b: number) => offered.slice(a, b).reduce((s, v) => s + v, 0) / (b - a);
    expect(mean(12, 28)).toBeGreaterThan(2 * mean(0, 10));
  });
});

describe('many nodes: the busiest lines only', () => {
  it('topLines keeps the highest-scoring lines in their own order, and counts the rest', () => {
    const line = (label: string, values: (number | null)[], color: number) => ({ label, values, color });
    const lines = [line('a', [1, 1], 0), line('b', [5, null], 1), line('c', [null, null], 2), line('d', [3, 4], 3)];
    const mean = (v: readonly (number | null)[]) => {
      const xs = v.filter((x): x is number => x !== null);
      return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : -Infinity;
    };
    const t = topLines(lines, 2, mean);
    expect(t.lines.map((l) => l.label)).toEqual(['b', 'd']);
    expect(t.omitted).toBe(2);
    expect(t.lines[1].color).toBe(3);
    expect(topLines(lines, 4, mean)).toEqual({ lines, omitted: 0 });
  });

  it('draws at most maxLines node lines per chart, the busiest, and says how many it left out', () => {
    // Twenty servers in parallel behind a router, with loads rising from the first to the last.
    const n = 20;
    const m = model({
      run: { until: '200 s', warmup: 0, seed: 5, replications: 1, bucket: '20 s' },
      nodes: [
        { id: 'c', kind: 'client', params: { rate: '20/s' } },
        { id: 'r', kind: 'router', params: { policy: 'weighted' } },
        ...Array.from({ length: n }, (_, i) => ({ id: `s${i}`, kind: 'server', params: { service: { dist: 'exp', mean: '40 ms' } } })),
        { id: 'k', kind: 'sink' }
      ],
      edges: [
        { id: 'e0', from: 'c.out', to: 'r.in' },
        ...Array.from({ length: n }, (_, i) => ({ id: `a${i}`, from: 'r.out', to: `s${i}.in`, weight: i + 1 })),
        ...Array.from({ length: n }, (_, i) => ({ id: `b${i}`, from: `s${i}.out`, to: 'k.in' }))
      ]
    });
    const { summary } = simulate(m);
    const all = timeCharts(summary, m);
    const few = timeCharts(summary, m, Infinity, 5);
    const tp = (r: typeof all) => r.charts.find((c) => c.key === 'throughput')!;
    expect(tp(all).lines.length).toBe(n + 2);
    expect(tp(all).omitted).toBeUndefined();
    expect(tp(few).lines.length).toBe(5);
    expect(tp(few).omitted).toEqual({ count: n + 2 - 5, shown: 5, by: 'the highest mean throughput' });
    // The router and the sink carry all 20/s (clients have their own chart); then the servers
    // with the heaviest weights, in the model's order.
    expect(tp(few).lines.map((l) => l.label)).toEqual(['r', 's17', 's18', 's19', 'k']);
    const queue = few.charts.find((c) => c.key === 'inSystem')!;
    expect(queue.lines.filter((l) => !l.label.endsWith('in flight')).length).toBe(5);
    expect(queue.lines.map((l) => l.label).filter((l) => l.startsWith('s'))).toContain('s19');
  });
});

describe('latency histogram and CDF', () => {
  it('reads F(x) off the quantile function', () => {
    const d = exp1();
    for (const x of [0.1, 0.5, 1, 2, 4]) expect(cdfAt(d, x)).toBeCloseTo(1 - Math.exp(-x), 3);
    expect(cdfAt(d, -1)).toBe(0);
    expect(cdfAt(d, 100)).toBe(1);
  });

  it('makes a histogram whose shares match the distribution, with the tail beyond p99.9 apart', () => {
    const h = histogram(exp1(), 40);
    expect(h.log).toBe(true); // 0.005 … 6.9 s spans more than two decades
    expect(h.share.length).toBe(40);
    expect(h.edges.length).toBe(41);
    const total = h.share.reduce((a, b) => a + b, 0) + h.beyond;
    expect(total).toBeCloseTo(1, 9);
    expect(h.beyond).toBeCloseTo(0.001, 6);
    // Each bin holds F(hi) − F(lo) of Exp(1).
    h.share.forEach((s, i) => {
      if (i === 0) return;
      expect(s).toBeCloseTo(Math.exp(-h.edges[i]) - Math.exp(-h.edges[i + 1]), 3);
    });
  });

  it('puts a deterministic time in one bin, and keeps a CDF with an atom monotone', () => {
    const levels = [...DISTRIBUTION_LEVELS];
    const det: ResponseDistribution = { count: 10, levels, values: levels.map(() => 0.25) };
    expect(histogram(det)).toMatchObject({ centres: [0.25], share: [1], beyond: 0 });
    expect(cdfPoints(det)).toEqual({ x: [0.25], y: [1] });
    // Half the requests never wait (exactly 0), the rest wait ~ uniform on (0, 1).
    const mixed: ResponseDistribution = { count: 10, levels, values: levels.map((q) => (q <= 0.5 ? 0 : (q - 0.5) * 2)) };
    const c = cdfPoints(mixed);
    expect(c.x[0]).toBe(0);
    expect(c.y[0]).toBe(0.5);
    expect(c.x.every((v, i) => i === 0 || v > c.x[i - 1])).toBe(true);
    expect(cdfAt(mixed, 0)).toBe(0.5);
  });

  it('agrees with a simulated M/M/1: sojourn ~ Exp(1) at the sink', () => {
    const m = model({
      run: { until: '20000 s', warmup: '500 s', seed: 11, replications: 3 },
      nodes: [
        { id: 'c', kind: 'client', params: { rate: '1/s' } },
        { id: 'q', kind: 'queue' },
        { id: 's', kind: 'server', params: { service: { dist: 'exp', mean: '500 ms' } } },
        { id: 'k', kind: 'sink' }
      ],
      edges: [
        { id: 'e1', from: 'c.out', to: 'q.in' },
        { id: 'e2', from: 'q.out', to: 's.in' },
        { id: 'e3', from: 's.out', to: 'k.in' }
      ]
    });
    const { summary, replications } = simulate(m);
    const d = responseDistributions(replications, summary.warmup).k;
    // About 60,000 sojourns: the empirical CDF is within a few thousandths of 1 − e^(−t).
    for (const t of [0.25, 0.5, 1, 2, 3]) expect(Math.abs(cdfAt(d, t) - (1 - Math.exp(-t)))).toBeLessThan(0.01);
  });
});

describe('sweeps and overlays', () => {
  it('draws one line per value of the second parameter, with gaps where not measured', () => {
    const pt = (a: number, b: number, mean: number | null) => ({
      values: [a, b],
      metric: mean === null ? null : { mean, ci: [mean - 0.1, mean + 0.1] as [number, number] },
      theory: a === 2 ? 7 : null
    });
    const r = sweepLines([pt(1, 10, 1), pt(2, 10, 2), pt(1, 20, 3), pt(2, 20, null)], (v) => `b=${v}`);
    expect(r.x).toEqual([1, 2]);
    expect(r.lines.map((l) => l.label)).toEqual(['b=10', 'b=20']);
    expect(r.lines[0]).toMatchObject({ mean: [1, 2], lo: [0.9, 1.9], hi: [1.1, 2.1], theory: [null, 7] });
    expect(r.lines[1].mean).toEqual([3, null]);
    const one = sweepLines([{ values: [3], metric: { mean: 5, ci: [4, 6] } }]);
    expect(one.lines).toHaveLength(1);
    expect(one.lines[0].label).toBe('mean');
  });

  it('puts two series on the union of their x', () => {
    expect(overlay([1, 3], [10, 30], [2, 3], [20, 31])).toEqual({ x: [1, 2, 3], a: [10, null, 30], b: [null, 20, 31] });
    const c = cdfOverlay(exp1(), exp1());
    expect(c.a).toEqual(c.b);
    expect(c.a.every((v, i) => i === 0 || v >= c.a[i - 1])).toBe(true);
  });
});

describe('time tick units', () => {
  it('uses minutes and hours only for whole steps of them', () => {
    expect(tickUnit(500)[1]).toBe('s');
    expect(tickUnit(1000)[1]).toBe('s');
    expect(tickUnit(600)[1]).toBe('min');
    expect(tickUnit(1800)[1]).toBe('min');
    expect(tickUnit(7200)[1]).toBe('h');
    expect(tickUnit(5)[1]).toBe('s');
    expect(tickUnit(0.02)[1]).toBe('ms');
    expect(tickUnit(2e-6)[1]).toBe('µs');
  });
});

describe('coarsening long series', () => {
  it('averages rates and keeps the highest p99 of each group', () => {
    expect(coarsen([1, 3, null, 5, 7], 2, 'mean')).toEqual([2, 5, 7]);
    expect(coarsen([1, 3, null, null], 2, 'max')).toEqual([3, null]);
    expect(coarsenTimes([0.5, 1.5, 2.5, 3.5, 4.5], 2)).toEqual([1, 3, 4.5]);
  });

  it('draws a long run in at most maxPoints steps, p99 as the maximum', () => {
    const m = retryStorm();
    const { summary } = simulate(m);
    const fine = timeCharts(summary, m);
    const coarse = timeCharts(summary, m, 25);
    expect(coarse.x.length).toBe(20);
    expect(coarse.step).toBe(30);
    const p = (t: typeof fine) => t.charts.find((c) => c.key === 'p99')!.lines[0].values;
    expect(p(coarse)[0]).toBe(Math.max(...(p(fine).slice(0, 3).filter((v) => v !== null) as number[])));
  });
});
