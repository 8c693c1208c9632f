/**
 * Behaviours whose outcome is an ordering or an exact count rather than a closed form:
 * rate schedules, reject versus drop, and load-aware routing.
 */
import { describe, expect, it } from 'vitest';
import { runReplication, simulate } from './index';
import { chain, client, det, edge, exp, model, queue, router, server, sink } from '../../../tests/fixtures/build';

const node = (r: ReturnType<typeof runReplication>, id: string) => r.nodes.find((n) => n.id === id)!;

describe('client rate schedule', () => {
  it('a deterministic client follows its schedule exactly', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 1, schedule: [{ at: 10, rate: 4 }, { at: 20, rate: 0.5 }] }), sink('k')],
      chain('c', 'k'),
      { until: 40 }
    );
    const r = runReplication(m, 0);
    // 1/s: t = 1..9 (9), the change at 10 restarts the clock: 10.25 … 19.75 at 4/s (39),
    // then 0.5/s from 20: 22, 24, …, 40 (10).
    expect(node(r, 'k').arrivals).toBe(9 + 39 + 10);
  });

  it('a Poisson client with a schedule has the scheduled mean rate', () => {
    const m = model([client('c', { rate: 2, schedule: [{ at: 5000, rate: 6 }] }), sink('k')], chain('c', 'k'), {
      until: 10000,
      replications: 10
    });
    const s = simulate(m).summary;
    const x = s.nodes.k.throughput;
    expect(x.ci[0]).toBeLessThanOrEqual(4);
    expect(x.ci[1]).toBeGreaterThanOrEqual(4);
  });
});

describe('a full queue drops or rejects', () => {
  it('counts rejections apart from drops, and tells the client at once', () => {
    const build = (onFull: 'drop' | 'reject') =>
      model(
        [client('c', { process: 'deterministic', rate: 1 }), queue('q', { capacity: 1, onFull }), server('s', { service: det(3) }), sink('k')],
        chain('c', 'q', 's', 'k'),
        { until: 30.5 }
      );
    const dropped = runReplication(build('drop'), 0);
    const rejected = runReplication(build('reject'), 0);
    expect(node(dropped, 'q').drops[0]).toBeGreaterThan(0); // full
    expect(node(dropped, 'q').drops[1]).toBe(0);
    expect(node(rejected, 'q').drops[1]).toBe(node(dropped, 'q').drops[0]); // rejected
    expect(node(rejected, 'c').drops[1]).toBe(node(rejected, 'q').drops[1]); // the client learns
  });
});

describe('load-aware routing', () => {
  // Three single-server stations behind a router, at ρ = 0.8 per server.
  const farm = (policy: 'random' | 'round-robin' | 'jsq' | 'p2c' | 'least-outstanding', staleness = 0) =>
    model(
      [
        client('c', { rate: 2.4 }),
        router('lb', { policy, staleness }),
        ...[1, 2, 3].flatMap((i) => [queue(`q${i}`), server(`s${i}`, { service: exp(1) })]),
        sink('k')
      ],
      [
        edge('c', 'lb'),
        ...[1, 2, 3].flatMap((i) => [edge('lb', `q${i}`), edge(`q${i}`, `s${i}`), edge(`s${i}`, 'k')])
      ],
      { until: 20000, warmup: 'auto', replications: 6 }
    );
  const W = (policy: Parameters<typeof farm>[0], staleness = 0) =>
    simulate(farm(policy, staleness)).summary.nodes.k.response;

  it('random splitting is three M/M/1 queues: W = 1/(μ − λ/3) = 5', () => {
    const w = W('random');
    expect(w.ci[0]).toBeLessThanOrEqual(5);
    expect(w.ci[1]).toBeGreaterThanOrEqual(5);
  });

  it('knowing the load beats not knowing it: jsq < p2c < round-robin < random, least-outstanding < round-robin', () => {
    const random = W('random').mean;
    const rr = W('round-robin').mean;
    const jsq = W('jsq').mean;
    const p2c = W('p2c').mean;
    const lo = W('least-outstanding').mean;
    expect(rr).toBeLessThan(random);
    expect(p2c).toBeLessThan(rr);
    expect(jsq).toBeLessThan(p2c);
    expect(lo).toBeLessThan(rr);
    // The M/M/3 central queue is the floor no per-server policy can beat: W = 1 + 1.0787 ≈ 2.08.
    expect(jsq).toBeGreaterThan(2.0);
  });

  it('stale load information makes jsq herd onto the same server', () => {
    expect(W('jsq', 5).mean).toBeGreaterThan(W('jsq', 0).mean * 1.2);
  });
});
