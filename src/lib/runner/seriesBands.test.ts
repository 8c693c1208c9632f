/**
 * seriesBands: per-bucket means and Student-t intervals over replications, in the summary's own
 * shapes. Checked against the replications' values by hand, and against M/M/1 theory.
 */
import { describe, expect, it } from 'vitest';
import { load } from '../model/index.ts';
import { Replication, summarize, type ReplicationResult } from '../sim/index.ts';
import { seriesBands } from './seriesBands.ts';

function run(reps: number, client: Record<string, unknown> = { rate: '1/s', timeout: '3 s' }) {
  const r = load({
    format: 'systems-sandbox/model',
    version: 1,
    name: 'bands',
    run: { until: '4000 s', warmup: 0, seed: 11, replications: reps, bucket: '100 s' },
    nodes: [
      { id: 'c', kind: 'client', params: client },
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
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const out: ReplicationResult[] = [];
  for (let i = 0; i < reps; i++) {
    const rep = new Replication(r.value.model, i);
    while (!rep.advance(Infinity));
    out.push(rep.finish());
  }
  return { model: r.value.model, reps: out };
}

describe('seriesBands', () => {
  it('averages each bucket over the replications, with a Student-t interval', () => {
    const { model, reps } = run(3);
    const b = seriesBands(reps, 0.95, ['c'])!;
    expect(b.replications).toBe(3);
    const k = 7;
    const xs = reps.map((r) => r.nodes[3].series.throughput[k]);
    const m = (xs[0] + xs[1] + xs[2]) / 3;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / 2);
    // t(0.975, 2) = 4.302652729911275
    const half = (4.302652729911275 * sd) / Math.sqrt(3);
    expect(b.mean.series.nodes.k.throughput[k]).toBeCloseTo(m, 12);
    expect(b.lo.series.nodes.k.throughput[k]).toBeCloseTo(m - half, 9);
    expect(b.hi.series.nodes.k.throughput[k]).toBeCloseTo(m + half, 9);
    // The same shapes as the summary's series of replication 1.
    const s = summarize(model, reps);
    expect(Object.keys(b.mean.series.nodes).sort()).toEqual(Object.keys(s.series.nodes).sort());
    expect(Object.keys(b.mean.series.nodes.c).sort()).toEqual(Object.keys(s.series.nodes.c).sort());
    expect(Object.keys(b.mean.clients.c).sort()).toEqual(Object.keys(s.clients!.c.series).sort());
    expect(b.mean.series.bucket).toBe(100);
    expect(b.mean.clients.c.offered.length).toBe(40);
  });

  it('averages a bucket p99 over the replications that have one', () => {
    const { reps } = run(2);
    // Make bucket 0 of replication 2 empty (NaN): the mean is replication 1's value, no interval.
    reps[1].nodes[3].series.p99![0] = NaN;
    const b = seriesBands(reps, 0.95, [])!;
    const v = reps[0].nodes[3].series.p99![0];
    expect(b.mean.series.nodes.k.p99![0]).toBe(v);
    expect(b.lo.series.nodes.k.p99![0]).toBe(v);
    expect(b.hi.series.nodes.k.p99![0]).toBe(v);
  });

  it('M/M/1: the band of the queue length covers L = ρ/(1 − ρ) in most buckets', () => {
    const { reps } = run(10);
    const b = seriesBands(reps, 0.95, ['c'])!;
    // Station length: queue + server. ρ = 0.5 → L = 1.
    const lo = b.lo.series.nodes.q.inSystem.map((x, i) => x + b.lo.series.nodes.s.inSystem[i]);
    const hi = b.hi.series.nodes.q.inSystem.map((x, i) => x + b.hi.series.nodes.s.inSystem[i]);
    const covered = lo.filter((l, i) => l <= 1 && 1 <= hi[i]).length;
    expect(covered / lo.length).toBeGreaterThan(0.75);
  });

  it('is null for one replication', () => {
    expect(seriesBands(run(1).reps, 0.95, [])).toBeNull();
  });
});
