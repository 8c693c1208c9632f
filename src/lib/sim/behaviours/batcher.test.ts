/**
 * The batcher: exact event times on tiny deterministic models (size, timeout, size-or-timeout,
 * nagle), the size-B formation wait (B−1)/(2λ) against theory, the end-to-end estimate against
 * the measured latency, and the adaptive policy's choice at both ends of the load range.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chain, client, det, edge, exp, link, model, queue, router, server, sink } from '../../../../tests/fixtures/build';
import { LogHistogram } from '../histogram';
import { runReplication, simulate } from '../index';
import { meanCI } from '../stats';
import { BatcherBehaviour } from './batcher';
import { Replication } from '../engine';
import { batcher, spawner } from '../../../../tests/fixtures/batchSpawn';

type Rep = ReturnType<typeof runReplication>;
const node = (r: Rep, id: string) => r.nodes.find((n) => n.id === id)!;
const hist = (h: unknown) => LogHistogram.fromJSON(h as never);
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9);

describe('batcher: exact event times', () => {
  it('size: a batch of 3 leaves together after fixed + 3 × perItem', () => {
    // Arrivals at 1, 2, 3, ...; batches close at 3, 6, 9 and take 0.5 + 3 × 0.1 = 0.8 s.
    const m = model(
      [client('c', { process: 'deterministic', rate: 1 }), batcher('b', { policy: 'size', maxBatch: 3, flushCost: { fixed: 0.5, perItem: 0.1 } }), sink('k')],
      chain('c', 'b', 'k'),
      { until: 10.5 }
    );
    const r = runReplication(m, 0);
    const k = hist(node(r, 'k').response);
    expect(k.count).toBe(9);
    close(k.sum, 3 * (2.8 + 1.8 + 0.8));
    close(k.min, 0.8);
    close(k.max, 2.8);
    const b = node(r, 'b');
    expect(b.extras.flushes.value).toBe(3);
    expect(b.present).toBe(1); // the 10th request waits for two more
    close(b.busyArea, 3 * 0.8);
    close(hist(b.wait).sum, 3 * (2 + 1 + 0));
    expect(b.servers).toBe(1);
  });

  it('timeout: everything pending leaves maxWait after the oldest arrived', () => {
    // Arrivals every 0.25 s from 0.25; maxWait 0.6: flushes at 0.85 (3 requests) and 1.6 (3),
    // each taking 0.1 s; the requests of 1.75 and 2.0 are still waiting at 2.05.
    const m = model(
      [client('c', { process: 'deterministic', rate: 4 }), batcher('b', { policy: 'timeout', maxWait: 0.6, flushCost: { fixed: 0.1 } }), sink('k')],
      chain('c', 'b', 'k'),
      { until: 2.05 }
    );
    const r = runReplication(m, 0);
    const k = hist(node(r, 'k').response);
    expect(k.count).toBe(6);
    close(k.sum, 2 * (0.7 + 0.45 + 0.2));
    expect(node(r, 'b').present).toBe(2);
    expect(node(r, 'b').extras.flushes.value).toBe(2);
  });

  it('size-or-timeout: whichever comes first', () => {
    // Every 0.25 s; maxBatch 3, maxWait 0.4: two requests by the deadline, so batches of 2 leave
    // at 0.65, 1.15, 1.65. With maxWait 0.6 the third arrives first: batches of 3 at 0.75, 1.5.
    const run = (maxWait: number) =>
      runReplication(
        model(
          [client('c', { process: 'deterministic', rate: 4 }), batcher('b', { policy: 'size-or-timeout', maxBatch: 3, maxWait }), sink('k')],
          chain('c', 'b', 'k'),
          { until: 1.7 }
        ),
        0
      );
    const a = hist(node(run(0.4), 'k').response);
    expect(a.count).toBe(6);
    close(a.sum, 3 * (0.4 + 0.15));
    const b = hist(node(run(0.6), 'k').response);
    expect(b.count).toBe(6);
    close(b.sum, 2 * (0.5 + 0.25 + 0));
  });

  it('nagle: flush at once when nothing is in flight, else wait for the acknowledgement', () => {
    // Every 0.125 s; a flush takes 1/16 s, then 7/32 s on the wire to the sink (in flight until
    // it completes there). r1 leaves at once (done 0.40625); r2, r3 wait for it and leave
    // together (0.6875); r4, r5 wait for those (0.96875); r6, r7 are in flight at 1.2.
    const m = model(
      [
        client('c', { process: 'deterministic', rate: 8 }),
        batcher('b', { policy: 'nagle', maxBatch: 4, flushCost: { fixed: 0.0625 } }),
        link('w', { latency: det(0.21875) }),
        sink('k')
      ],
      chain('c', 'b', 'w', 'k'),
      { until: 1.2 }
    );
    const r = runReplication(m, 0);
    const k = hist(node(r, 'k').response);
    expect(k.count).toBe(5);
    close(k.sum, 0.28125 + 0.4375 + 0.3125 + 0.46875 + 0.34375);
    const b = node(r, 'b');
    expect(b.extras.flushes.value).toBe(4);
    close(hist(b.wait).sum, 0 + 0.15625 + 0.03125 + 0.1875 + 0.0625 + 0.21875 + 0.09375);
  });

  it('nagle: a full batch leaves even while one is in flight', () => {
    // maxBatch 2: r1 alone at 0.125, then every second arrival fills a batch and leaves at once.
    const m = model(
      [
        client('c', { process: 'deterministic', rate: 8 }),
        batcher('b', { policy: 'nagle', maxBatch: 2, flushCost: { fixed: 0.0625 } }),
        link('w', { latency: det(0.21875) }),
        sink('k')
      ],
      chain('c', 'b', 'w', 'k'),
      { until: 1.2 }
    );
    const r = runReplication(m, 0);
    const k = hist(node(r, 'k').response);
    // Batches flushed at 0.125 (r1), 0.375 (r2, r3), 0.625 (r4, r5), 0.875 (r6, r7); each arrives
    // 0.28125 s after its flush began; r8, r9 at 1.125 still in flight at 1.2.
    expect(k.count).toBe(7);
    close(k.sum, 7 * 0.28125 + 3 * 0.125);
    expect(node(r, 'b').extras.flushes.value).toBe(5);
  });

  it('two flushers work in parallel', () => {
    // Every 0.25 s, size 1, a flush takes 0.4 s: one flusher backs up, two keep up.
    const run = (flushers: number) =>
      runReplication(
        model(
          [client('c', { process: 'deterministic', rate: 4 }), batcher('b', { policy: 'size', maxBatch: 1, flushers, flushCost: { fixed: 0.4 } }), sink('k')],
          chain('c', 'b', 'k'),
          { until: 2.1 }
        ),
        0
      );
    const two = hist(node(run(2), 'k').response);
    expect(two.count).toBe(6); // each leaves 0.4 s after arriving: 0.25k + 0.4 ≤ 2.1 for k ≤ 6
    close(two.sum, 6 * 0.4);
    const one = hist(node(run(1), 'k').response);
    // One flusher: k-th request (k = 1..) arrives 0.25k, leaves 0.25 + 0.4k.
    const done = [1, 2, 3, 4].filter((k) => 0.25 + 0.4 * k <= 2.1);
    expect(one.count).toBe(done.length);
    close(one.sum, done.reduce((s, k) => s + 0.25 + 0.4 * k - 0.25 * k, 0));
  });
});

describe('batcher: theory', () => {
  it('size B with Poisson arrivals adds a mean wait of (B−1)/(2λ)', () => {
    const lambda = 10;
    const B = 8;
    const m = model(
      [client('c', { rate: lambda }), batcher('b', { policy: 'size', maxBatch: B }), sink('k')],
      chain('c', 'b', 'k'),
      { until: 2000, warmup: 10, replications: 20, confidence: 0.99 }
    );
    const { summary } = simulate(m);
    const w = summary.nodes.b.response;
    const expected = (B - 1) / (2 * lambda);
    expect(w.ci[0]).toBeLessThanOrEqual(expected);
    expect(w.ci[1]).toBeGreaterThanOrEqual(expected);
    expect((w.ci[1] - w.ci[0]) / 2 / expected).toBeLessThan(0.03);
    // Every request waits for the B−1 arrivals after it at most: the last of a batch waits 0.
    expect(summary.nodes.b.wait.mean).toBeCloseTo(w.mean, 12);
  });

  it('the Little estimate W = ΔS/ΔD agrees with the measured end-to-end latency', () => {
    // Poisson 800/s → nagle batcher (flush 0.5 ms + 0.1 ms per item) → queue → server (exp 0.8 ms).
    const m = model(
      [
        client('c', { rate: 800 }),
        batcher('b', { policy: 'nagle', maxBatch: 8, window: 0.5, flushCost: { fixed: 0.0005, perItem: 0.0001 } }),
        queue('q'),
        server('s', { service: exp(0.0008) }),
        sink('k')
      ],
      chain('c', 'b', 'q', 's', 'k'),
      { until: 100, warmup: 5, replications: 10, confidence: 0.99 }
    );
    const { summary, replications } = simulate(m);
    const measured = summary.nodes.k.response;
    const estimate = summary.nodes.b.extras!.estimateW;
    // Paired per replication: the estimate is a time average of window ratios, the sink a mean
    // over requests; they differ only by window edges and ratio bias.
    const gaps = replications.map((r) => {
      const e = node(r, 'b').extras.estimateW.value / (r.until - r.warmup);
      return e / hist(node(r, 'k').response).mean - 1;
    });
    const g = meanCI(gaps, 0.99);
    expect(Math.abs(g.mean)).toBeLessThan(0.01);
    expect(Math.abs(estimate.mean / measured.mean - 1)).toBeLessThan(0.01);
  });
});

describe('batcher: adaptive', () => {
  const pipe = (rate: number, policy: string, extra: Record<string, unknown> = {}) =>
    model(
      [
        client('c', { rate }),
        batcher('b', { policy, maxBatch: 16, window: 0.02, probe: 0.1, flushCost: { fixed: '40 us', perItem: '1 us' }, ...extra }),
        link('w', { latency: det(0.0001) }),
        queue('q'),
        server('s', { service: det(0.000002) }),
        sink('k')
      ],
      chain('c', 'b', 'w', 'q', 's', 'k'),
      { until: 4, warmup: 0.4, replications: 4, confidence: 0.95 }
    );

  it('flushes at once at light load and batches when flushing at once would saturate the flusher', () => {
    const light = simulate(pipe(2000, 'adaptive')).summary.nodes.b.extras!;
    const heavy = simulate(pipe(30000, 'adaptive')).summary.nodes.b.extras!;
    // Light: batching only during probes (a tenth of the windows).
    expect(light.batchingShare.mean).toBeLessThan(0.2);
    // Heavy (30,000/s × 41 µs > 1 flusher): batching all but the probes, which are cut short.
    expect(heavy.batchingShare.mean).toBeGreaterThan(0.85);
    expect(heavy.probesCut.mean).toBeGreaterThan(0);
  });

  it('exposes its mode and estimate while running', () => {
    const rep = new Replication(pipe(30000, 'adaptive'), 0);
    rep.advance(200_000);
    const b = rep.nodes.find((n) => n.id === 'b') as BatcherBehaviour;
    expect(b.state.window).toBeGreaterThan(0);
    expect(b.state.estimate).toBeGreaterThan(0.0001); // at least the wire
    expect([0, 1]).toContain(b.state.mode);
  });
});

describe('batcher: determinism and bookkeeping (property tests)', () => {
  const POLICIES = ['size', 'timeout', 'size-or-timeout', 'nagle', 'adaptive'];
  /** client → batcher → link → small queue → server → router: back to the batcher, or on through a spawner. */
  const loopy = (seed: number, policy: string, maxBatch: number, flushers: number, loop: number) =>
    model(
      [
        client('c', { rate: 2000 }),
        batcher('b', { policy, maxBatch, flushers, window: 0.01, maxWait: '300 us', flushCost: { fixed: { dist: 'exp', mean: '80 us' }, perItem: '5 us' } }),
        link('w', { latency: exp(0.0003) }),
        queue('q', { capacity: 6 }),
        server('s', { service: exp(0.0003) }),
        router('r', { policy: 'probabilistic' }),
        spawner('p', { mechanism: 'spork', spork: { rewritable: 0.7 }, forkCost: { fixed: '10 us', perMiB: '1 us' }, parentMemory: '64 MiB', spawnCost: '20 us', parents: 2 }),
        sink('k')
      ],
      [...chain('c', 'b', 'w', 'q', 's', 'r'), edge('r', 'b', loop), edge('r', 'p', 1 - loop), edge('p', 'k')],
      { until: 2, seed }
    );
  const arb = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    policy: fc.constantFrom(...POLICIES),
    maxBatch: fc.integer({ min: 1, max: 12 }),
    flushers: fc.integer({ min: 1, max: 3 }),
    loop: fc.constantFrom(0, 0.2, 0.5),
    slice: fc.integer({ min: 1, max: 3000 })
  });

  it('conservation, Little bounds, and the in-flight count equals what is really in flight', () => {
    fc.assert(
      fc.property(arb, ({ seed, policy, maxBatch, flushers, loop }) => {
        const m = loopy(seed, policy, maxBatch, flushers, loop);
        const rep = new Replication(m, 0);
        rep.advance(Infinity);
        const b = rep.nodes.find((n) => n.id === 'b') as BatcherBehaviour;
        // Requests alive and watched by b, less those waiting in b to be flushed: exactly b's
        // in-flight count (a flush in progress counts as in flight).
        const { free, freeTop } = rep.pool as unknown as { free: Int32Array; freeTop: number };
        const isFree = new Uint8Array(rep.pool.capacity);
        for (let i = 0; i < freeTop; i++) isFree[free[i]] = 1;
        let inFlight = 0;
        for (let r = 0; r < rep.pool.capacity; r++) {
          if (!isFree[r] && b.watches(r)) inFlight++;
        }
        inFlight -= b.state.pending;
        expect(rep.pool.capacity - freeTop).toBe(rep.pool.live);
        expect(b.state.inFlight).toBe(inFlight);
        const r = rep.finish();
        for (const n of r.nodes) {
          if (n.kind === 'client') continue;
          expect(n.arrivals).toBe(n.departures + n.drops.reduce((a, c) => a + c, 0) + n.present);
          if (n.kind === 'sink' || n.kind === 'router') continue; // no time in node
          const served = hist(n.response).sum;
          expect(n.area - served).toBeGreaterThanOrEqual(-1e-9 * Math.max(1, n.area));
          expect(n.area - served).toBeLessThanOrEqual(n.present * m.run.until + 1e-9 * Math.max(1, n.area));
        }
      }),
      { numRuns: 40 }
    );
  });

  it('slicing never changes the numbers', () => {
    fc.assert(
      fc.property(arb, ({ seed, policy, maxBatch, flushers, loop, slice }) => {
        const m = loopy(seed, policy, maxBatch, flushers, loop);
        expect(JSON.stringify(runReplication(m, 0, slice))).toBe(JSON.stringify(runReplication(m, 0)));
      }),
      { numRuns: 20 }
    );
  });
});
