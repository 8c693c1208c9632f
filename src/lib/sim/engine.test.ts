/**
 * Tiny deterministic models with exact expected event times, and invariants of the engine.
 * Exact cases compare to 1e-9 (VALIDATION.md).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Replication, runReplication, simulate, summarize, checkSimulable } from './index';
import { LogHistogram } from './histogram';
import { chain, client, det, edge, exp, link, model, queue, router, server, sink } from '../../../tests/fixtures/build';
import { randomNetwork } from '../../../tests/fixtures/randomNetwork';

const node = (r: ReturnType<typeof runReplication>, id: string) => r.nodes.find((n) => n.id === id)!;
const hist = (h: unknown) => LogHistogram.fromJSON(h as never);

describe('exact deterministic models', () => {
  it('D/D/1 below capacity: every request takes exactly the service time', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 1 }), queue('q'), server('s', { service: det(0.5) }), sink('k')],
      chain('c', 'q', 's', 'k'),
      { until: 10.5 }
    );
    const r = runReplication(m, 0);
    const k = node(r, 'k');
    expect(k.arrivals).toBe(10); // arrivals at 1, 2, ..., 10
    const h = hist(k.response);
    expect(h.count).toBe(10);
    expect(Math.abs(h.sum - 5)).toBeLessThan(1e-9);
    expect(hist(node(r, 's').wait).sum).toBe(0);
    // The server was busy 0.5 s of every second from t=1 on.
    expect(Math.abs(node(r, 's').busyArea - 5)).toBeLessThan(1e-9);
  });

  it('D/D/1 overloaded: waits grow by exactly 0.5 s per request', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 1 }), queue('q'), server('s', { service: det(1.5) }), sink('k')],
      chain('c', 'q', 's', 'k'),
      { until: 100 }
    );
    const r = runReplication(m, 0);
    // Request k (k = 1, 2, ...) arrives at k and finishes at 1 + 1.5k; it completes by t=100
    // when 1 + 1.5k ≤ 100, i.e. k ≤ 66. Its response is 1 + 0.5k.
    const done = 66;
    const expected = Array.from({ length: done }, (_, i) => 1 + 0.5 * (i + 1)).reduce((a, b) => a + b, 0);
    const k = node(r, 'k');
    expect(k.departures).toBe(done);
    expect(Math.abs(hist(k.response).sum - expected)).toBeLessThan(1e-9);
    // Conservation at every node: arrivals = departures + drops + present.
    for (const n of r.nodes) {
      if (n.kind === 'client') continue;
      expect(n.arrivals).toBe(n.departures + n.drops.reduce((a, b) => a + b, 0) + n.present);
    }
  });

  it('a full queue drops exactly the overflow', () => {
    // Arrivals every 1 s, service 10 s, room for 2 waiting: of the first 10 arrivals one is in
    // service, two wait, and the rest until the first completion (t=11) are dropped.
    const m = model(
      [client('c', { process: 'deterministic', rate: 1 }), queue('q', { capacity: 2 }), server('s', { service: det(10) }), sink('k')],
      chain('c', 'q', 's', 'k'),
      { until: 10.5 }
    );
    const r = runReplication(m, 0);
    expect(node(r, 'q').drops[0]).toBe(7); // arrivals 4..10
    expect(node(r, 'q').present).toBe(2);
  });

  it('serialisation on a link: 1500 B at 12 Mbit/s takes exactly 1 ms, FIFO on the wire', () => {
    const m = model(
      [
        client('c', { process: 'deterministic', rate: 2000, classes: [{ name: 'f', weight: 1, service: '', priority: 0, size: det(1500) }] }),
        link('w', { bandwidth: 12e6, latency: det(0.002) }),
        sink('k')
      ],
      chain('c', 'w', 'k'),
      { until: 0.01 }
    );
    const r = runReplication(m, 0);
    const k = hist(node(r, 'k').response);
    // Every 0.5 ms a frame needing 1 ms: the wire backs up by 0.5 ms per frame.
    const n = k.count;
    expect(n).toBeGreaterThan(5);
    const expected = Array.from({ length: n }, (_, i) => 0.001 * (i + 1) - 0.0005 * i + 0.002).reduce((a, b) => a + b, 0);
    expect(Math.abs(k.sum - expected)).toBeLessThan(1e-12);
  });

  it('processor sharing: two equal jobs arriving together both finish at 2 s', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 0.1, classes: [{ name: 'a', weight: 1, service: '', priority: 0, size: det(1) }] }), router('r', { policy: 'round-robin' }), server('s', { service: det(1), discipline: 'ps' }), sink('k')],
      [edge('c', 'r'), edge('r', 's'), edge('s', 'k')],
      { until: 15 }
    );
    // One arrival at t=10 only; make a second arrive at the same time with a second client.
    m.nodes.push(client('c2', { process: 'deterministic', rate: 0.1 }));
    m.edges.push(edge('c2', 's'));
    const r = runReplication(m, 0);
    const k = hist(node(r, 'k').response);
    expect(k.count).toBe(2);
    expect(Math.abs(k.sum - 4)).toBeLessThan(1e-9);
  });

  it('a closed loop with one user cycles exactly every think + service', () => {
    const m = model(
      [client('u', { mode: 'closed', users: 1, thinkTime: det(1) }), server('s', { service: det(0.5) }), sink('k')],
      chain('u', 's', 'k'),
      { until: 15.1 }
    );
    const r = runReplication(m, 0);
    // Sends at 1, 2.5, 4, ..., completes at 1.5, 3, ..., 15: ten cycles.
    expect(node(r, 'k').departures).toBe(10);
    expect(node(r, 'u').departures).toBe(10);
  });

  it('a pause fault stops the world: service in progress finishes later by the pause', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 0.1 }), server('s', { service: det(4) }), sink('k')],
      chain('c', 's', 'k'),
      { until: 30 },
      [{ at: 12, for: 3, target: 's', action: 'pause', value: NaN }]
    );
    const r = runReplication(m, 0);
    // Arrivals at 10 and 20; the first is paused 3 s (done at 17), the second is not (24).
    const k = hist(node(r, 'k').response);
    expect(k.count).toBe(2);
    expect(Math.abs(k.sum - (7 + 4))).toBeLessThan(1e-9);
  });

  it('rate and slowdown faults apply only while they last', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 1 }), server('s', { servers: Infinity, service: det(1) }), sink('k')],
      chain('c', 's', 'k'),
      { until: 100 },
      [
        { at: 20, for: 10, target: 'c', action: 'rate', value: 2 },
        { at: 50, for: 10, target: 's', action: 'slowdown', value: 3 }
      ]
    );
    const r = runReplication(m, 0);
    // 1/s except 2/s during [20, 30): 20 + 20 + 70 = 110 arrivals (the rate change restarts
    // the deterministic clock at 20 and at 30).
    const arrivals = node(r, 'c').arrivals;
    expect(arrivals).toBeGreaterThanOrEqual(108);
    expect(arrivals).toBeLessThanOrEqual(110);
    // Services starting in [50, 60) take 3 s instead of 1 s.
    const s = hist(node(r, 's').response);
    expect(s.max).toBeCloseTo(3, 9);
    expect(s.min).toBeCloseTo(1, 9);
  });

  it('round-robin and weighted routers split exactly', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 1 }), router('r', { policy: 'weighted' }), sink('a'), sink('b')],
      [edge('c', 'r'), edge('r', 'a', 3), edge('r', 'b', 1)],
      { until: 400.5 }
    );
    const r = runReplication(m, 0);
    expect(node(r, 'a').arrivals).toBe(300);
    expect(node(r, 'b').arrivals).toBe(100);
  });

  it('a priority queue serves the smaller priority number first', () => {
    const m = model(
      [
        client('c', {
          process: 'deterministic',
          rate: 1,
          classes: [
            { name: 'low', weight: 1, service: '', priority: 5, size: det(1) },
            { name: 'high', weight: 1, service: '', priority: 1, size: det(1) }
          ]
        }),
        queue('q', { discipline: 'priority' }),
        server('s', { service: det(2) }),
        sink('k')
      ],
      chain('c', 'q', 's', 'k'),
      { until: 2000 }
    );
    const s = simulate(m).summary;
    expect(s.nodes.k.byClass!.high.mean).toBeLessThan(s.nodes.k.byClass!.low.mean);
  });
});

describe('determinism', () => {
  const mm1 = model([client('c'), queue('q'), server('s'), sink('k')], chain('c', 'q', 's', 'k'), {
    until: 5000,
    warmup: 'auto',
    replications: 3
  });

  it('one call and a thousand slices give identical numbers', () => {
    const whole = runReplication(mm1, 1);
    const rep = new Replication(mm1, 1);
    let slices = 0;
    while (!rep.advance(Math.max(1, Math.floor(whole.events / 1000)))) slices++;
    expect(slices).toBeGreaterThanOrEqual(999);
    expect(JSON.stringify(rep.finish())).toBe(JSON.stringify(whole));
  });

  it('replications differ, and adding an unrelated node does not reshuffle the others', () => {
    const a = runReplication(mm1, 0);
    const b = runReplication(mm1, 1);
    expect(a.nodes[3].arrivals).not.toBe(b.nodes[3].arrivals);
    const more = { ...mm1, nodes: [...mm1.nodes, client('other'), sink('elsewhere')], edges: [...mm1.edges, edge('other', 'elsewhere')] };
    const c = runReplication(more, 0);
    expect(node(c, 'k').arrivals).toBe(node(a, 'k').arrivals);
    expect(hist(node(c, 'k').response).sum).toBe(hist(node(a, 'k').response).sum);
  });

  it('refuses what it cannot simulate yet, with located messages', () => {
    const m = model([client('c'), queue('q', { discipline: 'codel' }), server('s'), sink('k')], chain('c', 'q', 's', 'k'));
    const issues = checkSimulable(m);
    expect(issues[0].path).toBe('nodes[1].params.discipline');
    expect(() => new Replication(m, 0)).toThrow(/not simulated yet/);
  });
});

describe('invariants on random networks (property tests)', () => {
  it('conservation and Little’s law hold exactly per node', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 8, max: 40 }), (seed, size) => {
        const m = randomNetwork({ seed, nodes: size, until: 300, feedback: true });
        const r = runReplication(m, 0);
        for (const n of r.nodes) {
          const drops = n.drops.reduce((a, b) => a + b, 0);
          if (n.kind !== 'client') {
            expect(n.arrivals).toBe(n.departures + drops + n.present);
          }
          if (n.kind === 'queue' || n.kind === 'server' || n.kind === 'link') {
            // ∫ present dt = Σ time in node of those that left + the time of those still there,
            // which is between 0 and present × until.
            const served = hist(n.response).sum;
            expect(n.area - served).toBeGreaterThanOrEqual(-1e-6 * Math.max(1, n.area));
            expect(n.area - served).toBeLessThanOrEqual(n.present * m.run.until + 1e-6 * Math.max(1, n.area));
          }
        }
      }),
      { numRuns: 40 }
    );
  });

  it('slicing never changes the numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 5000 }), (seed, slice) => {
        const m = randomNetwork({ seed, nodes: 20, until: 200, feedback: true });
        const whole = runReplication(m, 0);
        const sliced = runReplication(m, 0, slice);
        expect(JSON.stringify(sliced)).toBe(JSON.stringify(whole));
      }),
      { numRuns: 20 }
    );
  });

  it('utilisation = λ·E[S]/c on a stable station', () => {
    const m = model([client('c', { rate: 2 }), queue('q'), server('s', { servers: 3, service: exp(1) }), sink('k')], chain('c', 'q', 's', 'k'), {
      until: 20000,
      warmup: 'auto',
      replications: 10,
      confidence: 0.99
    });
    const s = summarize(m, Array.from({ length: 10 }, (_, i) => runReplication(m, i)));
    const u = s.nodes.s.utilisation;
    expect(u.ci[0]).toBeLessThanOrEqual(2 / 3);
    expect(u.ci[1]).toBeGreaterThanOrEqual(2 / 3);
  });
});

describe('safety', () => {
  it('stops a model that livelocks at one instant with a clear message', () => {
    // Closed users with no think time whose every request is lost at once (a link that loses all).
    const m = model(
      [client('u', { mode: 'closed', users: 2, thinkTime: det(0) }), link('l', { loss: 1 }), sink('k')],
      chain('u', 'l', 'k'),
      { until: 10 }
    );
    const rep = new Replication(m, 0);
    expect(() => rep.advance(Infinity)).toThrow(/makes no progress/);
  });
});
