/**
 * Queues with `onFull: "block"` (blocking after service): exact event times of tiny
 * deterministic pipelines (a buffer of 1; a rendezvous of capacity 0 behind a spawner that
 * spawns once per N requests), and theory: a saturated exponential tandem with a finite buffer
 * K, whose throughput comes from its small CTMC solved here; conservation and Little's law.
 */
import { describe, expect, it } from 'vitest';
import { spawner } from '../../../../tests/fixtures/batchSpawn';
import { chain, client, det, exp, model, queue, server, sink } from '../../../../tests/fixtures/build';
import { LogHistogram } from '../histogram';
import { runReplication, simulate } from '../index';
import { DROP_REASONS } from '../nodeStats';

type Rep = ReturnType<typeof runReplication>;
const node = (r: Rep, id: string) => r.nodes.find((n) => n.id === id)!;
const hist = (h: unknown) => LogHistogram.fromJSON(h as never);
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9);

/** A saturated source: closed users with no think time, queued in an unbounded `file`. */
const saturated = (users: number) => client('src', { mode: 'closed', users, thinkTime: det(0) });

describe('blocking after service: exact event times', () => {
  it('s1 (1 s) → buffer of 1 → s2 (3 s): s1 is blocked 2 s of every 3 once the buffer fills', () => {
    // Hand-computed: s1 finishes jobs at 1 (straight to s2), 2 (into the buffer), 3 (buffer
    // full: blocked until s2 frees at 4), then starts one every 3 s: done at 5, 8 → blocked until
    // 7, 10. s2 finishes at 4, 7, 10. Until 10.5.
    const m = model(
      [saturated(10), queue('file'), server('s1', { service: det(1) }), queue('buf', { capacity: 1, onFull: 'block' }), server('s2', { service: det(3) }), sink('out')],
      chain('src', 'file', 's1', 'buf', 's2', 'out'),
      { until: 10.5 }
    );
    const r = runReplication(m, 0);
    const out = hist(node(r, 'out').response);
    expect(out.count).toBe(3); // done at 4, 7, 10; every request was sent at 0
    close(out.sum, 4 + 7 + 10);
    const s1 = node(r, 's1');
    expect(s1.departures).toBe(5); // left s1 at 1, 2, 4, 7, 10
    close(s1.busyArea, 1 + 1 + 1 + 1 + 1 + 0.5); // serving [0,3], [4,5], [7,8], [10,10.5]
    close(s1.extras.blocked.value, 1 + 2 + 2); // blocked [3,4], [5,7], [8,10]
    const s1r = hist(s1.response); // in s1 (service + blocked): 1, 1, 2, 3, 3
    close(s1r.sum, 1 + 1 + 2 + 3 + 3);
    close(s1r.max, 3);
    close(s1.area, 10.5); // s1 always holds one request: serving or blocked
    const buf = node(r, 'buf');
    close(buf.area, 2 + 3 + 3 + 0.5); // job 2 [2,4], job 3 [4,7], job 4 [7,10], job 5 [10,10.5]
    expect(buf.drops.reduce((a, b) => a + b, 0)).toBe(0);
    close(node(r, 's2').busyArea, 9.5);
  });

  it('spawner (posix_spawn 2 s, one spawn per 2 requests) → rendezvous (capacity 0) → server (1 s)', () => {
    // Hand-computed: job 1 spawns [0,2], served [2,3]; job 2 reuses the process (no cost) at 2,
    // is held by the parent until the server frees at 3, served [3,4]; job 3 spawns [3,5],
    // served [5,6]; job 4 held [5,6], served [6,7]; job 5 spawns [6,8], served [8,9]; job 6 held
    // [8,9], served [9,10]; job 7 starts its spawn at 9. Until 9.5.
    const m = model(
      [
        saturated(20),
        queue('file'),
        spawner('sp', { mechanism: 'posix_spawn', spawnCost: '2 s', requestsPerSpawn: 2 }),
        queue('stdin', { capacity: 0, onFull: 'block' }),
        server('p', { service: det(1) }),
        sink('out')
      ],
      chain('src', 'file', 'sp', 'stdin', 'p', 'out'),
      { until: 9.5 }
    );
    const r = runReplication(m, 0);
    const out = hist(node(r, 'out').response);
    expect(out.count).toBe(5);
    close(out.sum, 3 + 4 + 6 + 7 + 9);
    const sp = node(r, 'sp');
    expect(sp.extras.posixSpawns.value).toBe(4); // at 0, 3, 6, 9
    close(sp.extras.spawnCpu.value, 2 + 2 + 2 + 0.5);
    close(sp.extras.blocked.value, 1 + 1 + 1); // jobs 2, 4, 6 held by the parent
    const stdin = node(r, 'stdin');
    expect(stdin.arrivals).toBe(6); // jobs 1–6 passed through it, none stayed
    close(stdin.area, 0);
    expect(stdin.drops.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('an open client cannot be blocked: a full blocking queue rejects what it offers', () => {
    const m = model(
      [client('src', { rate: 2, process: 'deterministic' }), queue('q', { capacity: 1, onFull: 'block' }), server('s', { service: det(1) }), sink('out')],
      chain('src', 'q', 's', 'out'),
      { until: 10.25 }
    );
    const r = runReplication(m, 0);
    const q = node(r, 'q');
    // Arrivals at 0.5, 1, …, 10: the server takes one per second, the buffer one more.
    const rejected = q.drops[DROP_REASONS.indexOf('rejected')];
    expect(rejected).toBeGreaterThan(0);
    expect(q.arrivals).toBe(20);
    expect(node(r, 'out').arrivals + rejected + q.present + node(r, 's').present).toBe(20);
    expect(q.drops[DROP_REASONS.indexOf('full')]).toBe(0);
  });

  it('without blocking queues the numbers do not change: a drop queue in the same place drops instead', () => {
    const build = (onFull: 'drop' | 'block') =>
      model(
        [saturated(10), queue('file'), server('s1', { service: det(1) }), queue('buf', { capacity: 1, onFull }), server('s2', { service: det(3) }), sink('out')],
        chain('src', 'file', 's1', 'buf', 's2', 'out'),
        { until: 10.5 }
      );
    const drop = runReplication(build('drop'), 0);
    expect(node(drop, 'buf').drops[DROP_REASONS.indexOf('full')]).toBeGreaterThan(0);
    expect(node(drop, 's1').extras.blocked).toBeUndefined();
    expect(node(runReplication(build('block'), 0), 'buf').drops[DROP_REASONS.indexOf('full')]).toBe(0);
  });
});

/**
 * The tandem's CTMC, built and solved here: n = requests at station 2 (in its buffer or in
 * service), 0..K+1, and one more state for "buffer full and station 1 holds a finished
 * request" (blocked). Station 1 always works unless blocked.
 */
function tandemThroughput(mu1: number, mu2: number, K: number): { throughput: number; blocked: number } {
  const S = K + 3; // states 0..K+1, then K+2 = (K+1, blocked)
  const Q: number[][] = Array.from({ length: S }, () => new Array<number>(S).fill(0));
  const add = (from: number, to: number, rate: number) => {
    Q[from][to] += rate;
    Q[from][from] -= rate;
  };
  for (let n = 0; n <= K + 1; n++) {
    add(n, n <= K ? n + 1 : K + 2, mu1); // station 1 finishes: into the buffer, or blocked
    if (n > 0) add(n, n - 1, mu2);
  }
  add(K + 2, K + 1, mu2); // station 2 finishes: the held request moves in, station 1 restarts
  // Solve π Q = 0, Σπ = 1: the transposed system with the last equation replaced by Σπ = 1.
  const A = Q[0].map((_, j) => Q.map((row) => row[j]));
  const b = new Array<number>(S).fill(0);
  A[S - 1] = new Array<number>(S).fill(1);
  b[S - 1] = 1;
  for (let c = 0; c < S; c++) {
    let p = c;
    for (let i = c + 1; i < S; i++) if (Math.abs(A[i][c]) > Math.abs(A[p][c])) p = i;
    [A[c], A[p]] = [A[p], A[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let i = 0; i < S; i++) {
      if (i === c) continue;
      const f = A[i][c] / A[c][c];
      for (let j = c; j < S; j++) A[i][j] -= f * A[c][j];
      b[i] -= f * b[c];
    }
  }
  const pi = b.map((x, i) => x / A[i][i]);
  return { throughput: mu2 * (1 - pi[0]), blocked: pi[K + 2] };
}

describe('blocking after service: theory', () => {
  it('the CTMC solver agrees with the birth–death closed form it reduces to', () => {
    // The chain is a line 0 … K+2 with births μ1 and deaths μ2: π_i ∝ ρ^i.
    const [mu1, mu2, K] = [1, 1.25, 2];
    const rho = mu1 / mu2;
    const p0 = (1 - rho) / (1 - rho ** (K + 3));
    const t = tandemThroughput(mu1, mu2, K);
    close(t.throughput, mu2 * (1 - p0));
    close(t.blocked, p0 * rho ** (K + 2));
  });

  for (const [mu1, mu2, K] of [
    [1, 1.25, 2],
    [2, 1, 1]
  ] as const) {
    it(`saturated exponential tandem μ1=${mu1}, μ2=${mu2}, buffer K=${K}: throughput and blocking from the CTMC (99% CI)`, () => {
      const theory = tandemThroughput(mu1, mu2, K);
      const m = model(
        [
          saturated(K + 20),
          queue('file'),
          server('s1', { service: exp(1 / mu1) }),
          queue('buf', { capacity: K, onFull: 'block' }),
          server('s2', { service: exp(1 / mu2) }),
          sink('out')
        ],
        chain('src', 'file', 's1', 'buf', 's2', 'out'),
        { until: 20000, warmup: 200, replications: 10, confidence: 0.99, seed: 11 }
      );
      const { summary, replications } = simulate(m);
      const x = summary.nodes.out.throughput;
      expect(x.ci[0]).toBeLessThanOrEqual(theory.throughput);
      expect(x.ci[1]).toBeGreaterThanOrEqual(theory.throughput);
      // Station 1 is busy X/μ1 of the time and blocked the rest.
      const u1 = summary.nodes.s1.utilisation;
      expect(u1.ci[0]).toBeLessThanOrEqual(theory.throughput / mu1);
      expect(u1.ci[1]).toBeGreaterThanOrEqual(theory.throughput / mu1);
      const b1 = summary.nodes.s1.extras!.blocked;
      expect(b1.ci[0]).toBeLessThanOrEqual(theory.blocked);
      expect(b1.ci[1]).toBeGreaterThanOrEqual(theory.blocked);
      // Little's law holds at every node, blocked time included in s1's response.
      for (const id of ['s1', 'buf', 's2']) expect(summary.nodes[id].littleGap).toBeLessThan(0.01);
      // Conservation over the whole run of one replication without warm-up.
      const r0 = runReplication({ ...m, run: { ...m.run, warmup: 0, until: 500 } }, 0);
      for (const n of r0.nodes) {
        if (n.kind === 'client' || n.kind === 'sink') continue;
        expect(n.arrivals, n.id).toBe(n.departures + n.drops.reduce((a, b) => a + b, 0) + n.present);
      }
      const buf = node(r0, 'buf');
      expect(buf.drops.reduce((a, b) => a + b, 0)).toBe(0);
      // The buffer never holds more than K.
      expect(buf.occupancy.slice(K + 1).every((v) => v === 0)).toBe(true);
      expect(replications.length).toBe(10);
    });
  }
});
