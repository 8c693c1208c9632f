/**
 * The spawner: exact event times (a fork at 1 GiB, requests queued behind forks, posix_spawn,
 * spork's one-time analysis), and theory: throughput ceiling parents / E[spawn cost] under
 * overload, CPU lost to spawning = λ·E[cost], M/D/1 waiting behind forks, spork's fork share.
 */
import { describe, expect, it } from 'vitest';
import { batcher, spawner } from '../../../../tests/fixtures/batchSpawn';
import { chain, client, edge, exp, model, queue, sink } from '../../../../tests/fixtures/build';
import { LogHistogram } from '../histogram';
import { runReplication, simulate } from '../index';

type Rep = ReturnType<typeof runReplication>;
const node = (r: Rep, id: string) => r.nodes.find((n) => n.id === id)!;
const hist = (h: unknown) => LogHistogram.fromJSON(h as never);
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9);
const inCI = (e: { ci: [number, number] }, x: number) => {
  expect(e.ci[0]).toBeLessThanOrEqual(x);
  expect(e.ci[1]).toBeGreaterThanOrEqual(x);
};

/** The calibration of PAPERS.md §3, the documented defaults. */
const forkCost = (mib: number) => 0.0017 + 38e-6 * mib;

describe('spawner: exact event times', () => {
  it('a fork at 1 GiB takes 1.7 ms + 38 µs × 1024 = 40.612 ms (the default calibration)', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 8 }), spawner('p', { parentMemory: '1 GiB' }), sink('k')],
      chain('c', 'p', 'k'),
      { until: 0.99 }
    );
    const r = runReplication(m, 0);
    const k = hist(node(r, 'k').response);
    expect(k.count).toBe(7); // arrivals at 0.125 … 0.875, each done 40.612 ms later
    close(forkCost(1024), 0.040612);
    close(k.sum, 7 * 0.040612);
    close(k.max, 0.040612);
    const p = node(r, 'p');
    expect(p.extras.forks.value).toBe(7);
    expect(p.extras.posixSpawns.value).toBe(0);
    close(p.extras.spawnCpu.value, 7 * 0.040612); // ∫ parents busy dt
    close(p.busyArea, 7 * 0.040612);
    expect(p.servers).toBe(1);
  });

  it('per-bucket series: the CPU lost in each bucket, forks straddling bucket edges', () => {
    const c = 0.040612;
    const width = 0.15;
    const m = model(
      [client('c', { process: 'deterministic', rate: 8 }), spawner('p', { parentMemory: '1 GiB' }), sink('k')],
      chain('c', 'p', 'k'),
      { until: 0.9, bucket: width }
    );
    const s = node(runReplication(m, 0), 'p').series.extras;
    // Spawn k busies the parent over [k/8, k/8 + c]; a bucket's value is its overlap / width.
    for (let b = 0; b < 6; b++) {
      let busy = 0;
      let started = 0;
      for (let k = 1; k / 8 <= 0.9; k++) {
        busy += Math.max(0, Math.min(k / 8 + c, (b + 1) * width, 0.9) - Math.max(k / 8, b * width));
        if (k / 8 >= b * width && k / 8 < (b + 1) * width) started++;
      }
      close(s.spawnCpu[b], busy / width);
      close(s.forks[b], started / width); // a count per second
    }
  });

  it('requests queue behind forks: at 4 GiB a fork outlasts the gap between arrivals', () => {
    const c = forkCost(4096); // 157.348 ms > 125 ms between arrivals
    const m = model(
      [client('c', { process: 'deterministic', rate: 8 }), spawner('p', { parentMemory: '4 GiB' }), sink('k')],
      chain('c', 'p', 'k'),
      { until: 2.99 }
    );
    const r = runReplication(m, 0);
    // Request j (j = 1, 2, …) arrives at j/8 and starts when the parent frees.
    let free = 0;
    let sum = 0;
    let waits = 0;
    let started = 0;
    let n = 0;
    for (let j = 1; j / 8 <= 2.99; j++) {
      const start = Math.max(j / 8, free);
      if (start > 2.99) break;
      started++;
      waits += start - j / 8;
      free = start + c;
      if (free <= 2.99) {
        sum += free - j / 8;
        n++;
      }
    }
    const k = hist(node(r, 'k').response);
    expect(k.count).toBe(n);
    close(k.sum, sum);
    const p = node(r, 'p');
    expect(hist(p.wait).count).toBe(started);
    close(hist(p.wait).sum, waits);
    expect(p.present).toBe(23 - n); // 23 arrivals by 2.99 s: the backlog grows
  });

  it('posix_spawn is flat (1 ms by default) at any parent memory; the child runs `service` after', () => {
    const m = model(
      [
        client('c', { process: 'deterministic', rate: 8 }),
        spawner('p', { mechanism: 'posix_spawn', parentMemory: '8 GiB', service: '50 ms' }),
        sink('k')
      ],
      chain('c', 'p', 'k'),
      { until: 0.99 }
    );
    const r = runReplication(m, 0);
    const k = hist(node(r, 'k').response);
    expect(k.count).toBe(7);
    close(k.sum, 7 * 0.051);
    const p = node(r, 'p');
    close(p.extras.spawnCpu.value, 7 * 0.001);
    close(p.extras.children.value, 7 * 0.05);
    expect(p.extras.posixSpawns.value).toBe(7);
  });

  it('spork: the first spawn analyses the binary; spawns that start meanwhile still fork', () => {
    // Two clients send at the same instants (1/8 s apart); two parents. At 0.125 the first
    // spawn analyses (5 ms) and then posix_spawns (1 ms); the second starts during the analysis
    // and forks (1 GiB: 40.612 ms). Afterwards every spawn is rewritten.
    const m = model(
      [
        client('a', { process: 'deterministic', rate: 8 }),
        client('b', { process: 'deterministic', rate: 8 }),
        spawner('p', { mechanism: 'spork', parentMemory: '1 GiB', parents: 2, spork: { rewritable: 1, analysisCost: '5 ms' } }),
        sink('k')
      ],
      [edge('a', 'p'), edge('b', 'p'), edge('p', 'k')],
      { until: 0.99 }
    );
    const r = runReplication(m, 0);
    const a = hist(node(r, 'a').response);
    const b = hist(node(r, 'b').response);
    expect(a.count).toBe(7);
    close(a.sum, 0.006 + 6 * 0.001);
    close(b.sum, 0.040612 + 6 * 0.001);
    const p = node(r, 'p');
    expect(p.extras.forks.value).toBe(1);
    expect(p.extras.posixSpawns.value).toBe(13);
    close(p.extras.spawnCpu.value, 0.006 + 0.040612 + 12 * 0.001);
  });

  it('a queue in front holds the backlog (its capacity applies); without one the spawner does', () => {
    const build = (withQueue: boolean) =>
      model(
        [
          client('c', { process: 'deterministic', rate: 100 }),
          ...(withQueue ? [queue('q', { capacity: 3 })] : []),
          spawner('p', { parentMemory: '1 GiB' }),
          sink('k')
        ],
        withQueue ? chain('c', 'q', 'p', 'k') : chain('c', 'p', 'k'),
        { until: 0.995 }
      );
    const q = runReplication(build(true), 0);
    expect(node(q, 'q').drops[0]).toBeGreaterThan(0);
    expect(node(q, 'p').present).toBe(1); // only the request being spawned
    const own = runReplication(build(false), 0);
    expect(own.nodes.reduce((s, n) => s + n.drops.reduce((a, b) => a + b, 0), 0)).toBe(0);
    // 99 arrivals by 0.995 s, 24 spawns done (24 × 40.612 ms = 0.975 s), one in progress.
    expect(node(own, 'p').present).toBe(99 - 24);
    expect(node(own, 'k').arrivals).toBe(24);
    // The same spawns in both: the queue only moved where the backlog waits.
    expect(node(q, 'k').arrivals).toBe(24);
  });
});

describe('spawner: theory', () => {
  it('an overloaded fork spawner runs at its ceiling: parents / (fixed + perMiB × memory)', () => {
    // A closed population that always has work waiting; fork's fixed part exponential so the
    // throughput varies between replications.
    const parents = 2;
    const m = model(
      [
        client('c', { mode: 'closed', users: 12, thinkTime: { dist: 'det', value: 0 } }),
        spawner('p', { parentMemory: '512 MiB', parents, forkCost: { fixed: { dist: 'exp', mean: '1.7 ms' } } }),
        sink('k')
      ],
      chain('c', 'p', 'k'),
      { until: 200, warmup: 10, replications: 20, confidence: 0.99 }
    );
    const { summary } = simulate(m);
    const ceiling = parents / forkCost(512); // 94.53/s
    const x = summary.nodes.k.throughput;
    inCI(x, ceiling);
    expect((x.ci[1] - x.ci[0]) / 2 / ceiling).toBeLessThan(0.03);
    // Every parent spawns all the time: two CPUs lost to forking.
    expect(summary.nodes.p.extras!.spawnCpu.mean).toBeCloseTo(parents, 6);
  });

  it('CPU lost to forking is λ·E[cost]; requests wait behind forks as in M/D/1', () => {
    const lambda = 20;
    const c = forkCost(256); // 11.428 ms; ρ = 0.229
    const m = model(
      [client('c', { rate: lambda }), spawner('p', { parentMemory: '256 MiB' }), sink('k')],
      chain('c', 'p', 'k'),
      { until: 4000, warmup: 20, replications: 20, confidence: 0.99 }
    );
    const { summary } = simulate(m);
    const rho = lambda * c;
    inCI(summary.nodes.p.extras!.spawnCpu, rho);
    inCI(summary.nodes.p.utilisation, rho);
    const wq = (rho * c) / (2 * (1 - rho)); // Pollaczek–Khinchine, deterministic service
    inCI(summary.nodes.p.wait, wq);
    inCI(summary.nodes.k.response, wq + c);
    expect((summary.nodes.k.response.ci[1] - summary.nodes.k.response.ci[0]) / 2 / (wq + c)).toBeLessThan(0.03);
  });

  it('spork forks the unrewritable fraction', () => {
    const m = model(
      [client('c', { rate: 50 }), spawner('p', { mechanism: 'spork', parentMemory: '2 GiB', parents: 8, spork: { rewritable: 0.9 } }), sink('k')],
      chain('c', 'p', 'k'),
      { until: 400, warmup: 0, replications: 20, confidence: 0.99 }
    );
    const { summary } = simulate(m);
    const x = summary.nodes.p.extras!;
    const share = { ci: [x.forks.ci[0] / (x.forks.mean + x.posixSpawns.mean), x.forks.ci[1] / (x.forks.mean + x.posixSpawns.mean)] as [number, number] };
    inCI(share, 0.1);
    // CPU: 0.1 × fork(2 GiB) + 0.9 × 1 ms per spawn, at 50 spawns/s.
    inCI(x.spawnCpu, 50 * (0.1 * forkCost(2048) + 0.9 * 0.001));
  });
});

describe('spawner: composition', () => {
  it('feeds and is fed by other kinds; slicing never changes the numbers', () => {
    const m = model(
      [
        client('c', { rate: 300 }),
        batcher('b', { policy: 'nagle', maxBatch: 4, flushCost: { fixed: '100 us' } }),
        spawner('p', { mechanism: 'spork', parents: 3, spork: { rewritable: 0.5, analysisCost: { dist: 'exp', mean: '20 ms' } }, parentMemory: '128 MiB', service: exp(0.01) }),
        sink('k')
      ],
      chain('c', 'b', 'p', 'k'),
      { until: 20 }
    );
    const whole = runReplication(m, 0);
    expect(JSON.stringify(runReplication(m, 0, 37))).toBe(JSON.stringify(whole));
    const p = node(whole, 'p');
    expect(p.arrivals).toBe(p.departures + p.present);
    expect(p.departures).toBeGreaterThan(5000);
  });
});
