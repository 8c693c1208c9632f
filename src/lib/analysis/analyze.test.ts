/**
 * The matcher on small hand-built NormalizedModel objects: positive cases against
 * VALIDATION.md and the formulas, negative cases where no closed form may be claimed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type {
  ClientParams,
  Dist,
  LinkParams,
  NormalizedEdge,
  NormalizedFault,
  NormalizedModel,
  NormalizedNode,
  QueueParams,
  RouterPolicy,
  ServerParams
} from '../model/types';
import { RETRY_DEFAULTS } from '../model/kinds/client';
import { analyze } from './analyze';
import { gim1, type GIM1Result } from './gim1';
import { mmc, type MMcResult } from './mmc';
import { mvaLoadDependent } from './mva';
import { NETWORK_KEY, type AnalyticNode } from './types';

/* ---------------------------------------------------------------- builders */

const exp = (mean: number): Dist => ({ dist: 'exp', mean });
const det = (value: number): Dist => ({ dist: 'det', value });

function client(id: string, p: Partial<ClientParams> = {}): NormalizedNode {
  return {
    id,
    kind: 'client',
    label: id,
    params: {
      mode: 'open',
      rate: 1,
      process: 'poisson',
      mmpp: null,
      interarrival: null,
      schedule: [],
      users: 0,
      thinkTime: det(0),
      classes: [],
      timeout: null,
      deadline: null,
      retry: null,
      cancelOnTimeout: false,
      responseLatency: det(0),
      ...p
    }
  };
}
function queue(id: string, p: Partial<QueueParams> = {}): NormalizedNode {
  return {
    id,
    kind: 'queue',
    label: id,
    params: { capacity: Infinity, discipline: 'fifo', target: 0.005, interval: 0.1, onFull: 'drop', ...p }
  };
}
function server(id: string, p: Partial<ServerParams> = {}): NormalizedNode {
  return {
    id,
    kind: 'server',
    label: id,
    params: {
      servers: 1,
      service: exp(1),
      discipline: 'fcfs',
      limit: Infinity,
      serviceByClass: {},
      contention: 0,
      ...p
    }
  };
}
function router(id: string, policy: RouterPolicy): NormalizedNode {
  return { id, kind: 'router', label: id, params: { policy, staleness: 0 } };
}
function link(id: string, p: Partial<LinkParams> = {}): NormalizedNode {
  return { id, kind: 'link', label: id, params: { latency: det(0.01), bandwidth: Infinity, loss: 0, ...p } };
}
function sink(id: string): NormalizedNode {
  return { id, kind: 'sink', label: id, params: {} };
}
let edgeCount = 0;
function edge(from: string, to: string, weight = 1): NormalizedEdge {
  return { id: `e${++edgeCount}`, from: { node: from, port: 'out' }, to: { node: to, port: 'in' }, weight };
}
/** A chain of node ids joined by edges. */
function chain(...ids: string[]): NormalizedEdge[] {
  return ids.slice(1).map((id, i) => edge(ids[i], id));
}
function model(nodes: NormalizedNode[], edges: NormalizedEdge[], faults: NormalizedFault[] = []): NormalizedModel {
  return {
    name: 'test',
    run: { until: 1000, warmup: 'auto', seed: 1, replications: 1, confidence: 0.95, bucket: 1 },
    nodes,
    edges,
    faults
  };
}

function near(actual: number | undefined, expected: number, tol = 1e-6): void {
  expect(actual, `expected ${expected}`).toBeDefined();
  if (!(Math.abs((actual as number) - expected) <= tol)) {
    throw new Error(`expected ${expected} ± ${tol}, got ${actual}`);
  }
}

function node(report: ReturnType<typeof analyze>, id: string): AnalyticNode {
  const n = report.nodes[id];
  if (!n) throw new Error(`no analytic values for ${id}: ${JSON.stringify(Object.keys(report.nodes))}`);
  return n;
}

/** The single-station model client → queue → server → sink. */
function single(c: Partial<ClientParams>, s: Partial<ServerParams>, q: Partial<QueueParams> | null = {}) {
  const nodes = [client('c', c), ...(q ? [queue('q', q)] : []), server('s', s), sink('k')];
  return model(nodes, chain(...(q ? ['c', 'q', 's', 'k'] : ['c', 's', 'k'])));
}

/* ---------------------------------------------------------------- positive cases */

describe('analyze: single stations', () => {
  it('M/M/1 (λ=1, μ=2): per-node meanings match the simulator', () => {
    const r = analyze(single({ rate: 1 }, { service: exp(0.5) }));
    const q = node(r, 'q');
    const s = node(r, 's');
    const k = node(r, 'k');
    expect(q.formula).toBe('M/M/1');
    expect(s.stable).toBe(true);
    near(q.inSystem, 0.5); // Lq
    near(q.response, 0.5); // Wq
    near(q.wait, 0.5);
    near(q.throughput, 1);
    near(s.inSystem, 0.5); // in service
    near(s.response, 0.5); // E[S]
    near(s.wait, 0.5);
    near(s.utilisation, 0.5);
    near(s.station?.inSystem, 1.0);
    near(s.station?.response, 1.0);
    near(s.stateProbabilities?.[0], 0.5);
    near(k.response, 1.0);
    near(k.throughput, 1);
    near(k.wait, 0.5);
    near(k.responseQuantiles?.p50, 0.693147);
    near(k.responseQuantiles?.p95, 2.995732);
    near(k.responseQuantiles?.p99, 4.60517);
    near(s.responseQuantiles?.p50, 0.5 * Math.LN2, 1e-12); // service time Exp(2)
    near(node(r, 'c').throughput, 1);
    near(r.nodes[NETWORK_KEY]?.response, 1.0);
    near(r.nodes[NETWORK_KEY]?.inSystem, 1.0);
  });

  it('M/M/3 (λ=0.2, μ=0.1)', () => {
    const r = analyze(single({ rate: 0.2 }, { servers: 3, service: exp(10) }));
    const s = node(r, 's');
    expect(s.formula).toBe('M/M/c');
    near(s.wait, 4.444444);
    near(s.station?.inSystem, 2.888889);
    near(s.waitQuantiles?.p99, 37.9424, 5e-5);
    near(node(r, 'q').waitQuantiles?.p99, 37.9424, 5e-5);
    const m = mmc(0.2, 0.1, 3) as MMcResult;
    near(node(r, 'k').responseQuantiles?.p99, m.responseQuantiles.p99, 1e-12);
    near(s.utilisation, 2 / 3);
  });

  it('M/M/3 state probabilities (λ=10, μ=12)', () => {
    const s = node(analyze(single({ rate: 10 }, { servers: 3, service: exp(1 / 12) })), 's');
    near(s.stateProbabilities?.[0], 0.432133);
    near(s.stateProbabilities?.[1], 0.360111);
    near(s.stateProbabilities?.[2], 0.150046);
    near(s.stateProbabilities?.[3], 0.04168);
  });

  it('M/D/1 (λ=0.8, D=1) and the NIC-scale case', () => {
    const r = analyze(single({ rate: 0.8 }, { service: det(1) }));
    const s = node(r, 's');
    expect(s.formula).toBe('M/G/1 (Pollaczek–Khinchine)');
    near(s.wait, 2.0);
    near(s.station?.response, 3.0);
    near(node(r, 'k').response, 3.0);
    expect(node(r, 'k').responseQuantiles).toBeUndefined();
    near(s.responseQuantiles?.p99, 1, 0);
    const D = (1500 * 8) / 10e9;
    const nic = node(analyze(single({ rate: 0.8 / D }, { service: det(D) })), 's');
    expect(Math.abs((nic.wait as number) - 2.4e-6) / 2.4e-6).toBeLessThan(1e-9);
  });

  it('the NIC case as a link: 1500 B frames on 10 Gbit/s at ρ = 0.8', () => {
    const D = (1500 * 8) / 10e9;
    const m = model(
      [
        client('c', {
          rate: 0.8 / D,
          classes: [{ name: 'frame', weight: 1, service: '', priority: 0, size: det(1500) }]
        }),
        link('wire', { bandwidth: 10e9, latency: det(0) }),
        sink('k')
      ],
      chain('c', 'wire', 'k')
    );
    const r = analyze(m);
    const w = node(r, 'wire');
    // Wq + serialisation = 2.4 µs + 1.2 µs.
    expect(Math.abs((w.response as number) - 3.6e-6) / 3.6e-6).toBeLessThan(1e-9);
    expect(Math.abs((node(r, 'k').response as number) - 3.6e-6) / 3.6e-6).toBeLessThan(1e-9);
  });

  it('M/G/1 with uniform(0, 2) service (λ=0.5): Wq = 0.666667', () => {
    const s = node(analyze(single({ rate: 0.5 }, { service: { dist: 'uniform', min: 0, max: 2 } })), 's');
    near(s.wait, 0.666667);
  });

  it('M/M/2/3 as a queue of capacity 1 in front of 2 servers (λ=3, μ=4)', () => {
    const r = analyze(single({ rate: 3 }, { servers: 2, service: exp(0.25) }, { capacity: 1 }));
    const s = node(r, 's');
    const q = node(r, 'q');
    expect(s.formula).toBe('M/M/c/K');
    near(s.pBlock, 0.04936);
    near(q.pBlock, 0.04936);
    near(s.station?.inSystem, 0.76234);
    near(s.throughput, 2.85192);
    near(q.throughput, 2.85192);
    near(node(r, 'k').throughput, 2.85192);
    near(node(r, 'k').response, 0.76234 / 2.85192);
    near(s.inSystem, 2.85192 / 4);
    expect(s.stateProbabilities).toHaveLength(4);
    // Requests are lost: the network gives no single mean response.
    expect(r.nodes[NETWORK_KEY]?.response).toBeUndefined();
  });

  it('M/M/1/5 (λ=μ=1)', () => {
    const s = node(analyze(single({ rate: 1 }, { service: exp(1) }, { capacity: 4 })), 's');
    near(s.pBlock, 1 / 6, 1e-12);
    near(s.station?.inSystem, 2.5, 1e-12);
  });

  it('Erlang B: 5 servers, 3 Erlang, no queue (insensitive to the service distribution)', () => {
    for (const service of [exp(1), det(1), { dist: 'uniform', min: 0.5, max: 1.5 } as Dist]) {
      const r = analyze(single({ rate: 3 }, { servers: 5, service }, null));
      const s = node(r, 's');
      expect(s.formula).toBe('Erlang B (M/G/c/c)');
      near(s.pBlock, 0.110054);
      near(s.wait, 0, 0);
      near(s.throughput, 3 * (1 - (s.pBlock as number)), 1e-12);
      near(node(r, 'k').response, 1, 1e-12);
    }
  });

  it('M/G/1-PS and M/G/∞', () => {
    const ps = node(analyze(single({ rate: 1 }, { discipline: 'ps', service: det(0.5) }, null)), 's');
    expect(ps.formula).toBe('M/G/1-PS');
    near(ps.response, 1.0);
    near(ps.wait, 0, 0);
    const inf = analyze(single({ rate: 4 }, { servers: Infinity, service: { dist: 'lognormal', median: 1, p99: 5 } }, null));
    expect(node(inf, 's').formula).toBe('M/G/∞');
    near(node(inf, 's').wait, 0, 0);
  });

  it('LIFO gives the FIFO means without percentiles', () => {
    const r = analyze(single({ rate: 1 }, { service: exp(0.5) }, { discipline: 'lifo' }));
    near(node(r, 's').station?.response, 1.0);
    expect(node(r, 's').waitQuantiles).toBeUndefined();
    expect(node(r, 'k').responseQuantiles).toBeUndefined();
  });

  it('GI/M/1 for a deterministic client, not M/M/1', () => {
    const r = analyze(single({ rate: 0.8, process: 'deterministic' }, { service: exp(1) }));
    const s = node(r, 's');
    expect(s.formula).toBe('GI/M/1');
    const g = gim1(det(1.25), 1) as GIM1Result;
    near(s.station?.response, g.W, 1e-12);
    expect(Math.abs((s.station?.response as number) - 5)).toBeGreaterThan(0.5); // M/M/1 would say 5
    near(node(r, 'k').responseQuantiles?.p99, g.responseQuantiles.p99, 1e-12);
  });

  it('an unstable station is reported without means, and so is the network', () => {
    const r = analyze(single({ rate: 3 }, { service: exp(0.5) }));
    const s = node(r, 's');
    expect(s.stable).toBe(false);
    expect(s.note).toMatch(/ρ/);
    expect(s.response).toBeUndefined();
    expect(s.inSystem).toBeUndefined();
    expect(node(r, 'q').stable).toBe(false);
    expect(r.nodes.k).toBeUndefined();
    expect(r.nodes[NETWORK_KEY]?.stable).toBe(false);
  });
});

describe('analyze: networks', () => {
  it('Jackson tandem λ=1 → μ1=2 → μ2=3: end-to-end W = 1.5', () => {
    const m = model(
      [client('c'), queue('q1'), server('s1', { service: exp(0.5) }), queue('q2'), server('s2', { service: exp(1 / 3) }), sink('k')],
      chain('c', 'q1', 's1', 'q2', 's2', 'k')
    );
    const r = analyze(m);
    near(node(r, 'k').response, 1.5);
    expect(node(r, 'k').formula).toBe('Jackson network');
    near(node(r, 's2').station?.response, 0.5);
    expect(node(r, 'k').responseQuantiles).toBeUndefined(); // two stations
    near(r.nodes[NETWORK_KEY]?.response, 1.5);
    expect(r.nodes[NETWORK_KEY]?.formula).toBe('Jackson network');
  });

  it('Jackson feedback λ=1, μ=4, return with p=0.5: W = 1.0', () => {
    const m = model(
      [client('c'), queue('q'), server('s', { service: exp(0.25) }), router('r', 'probabilistic'), sink('k')],
      [...chain('c', 'q', 's', 'r'), edge('r', 'q', 0.5), edge('r', 'k', 0.5)]
    );
    const r = analyze(m);
    near(node(r, 'k').response, 1.0);
    near(node(r, 's').throughput, 2);
    near(node(r, 's').station?.inSystem, 1);
    near(node(r, 's').station?.response, 0.5); // per visit
    expect(node(r, 's').note).toMatch(/feedback/);
  });

  it('a probabilistic split to two sinks gives each its own mean and percentiles', () => {
    const m = model(
      [
        client('c'),
        router('r', 'random'),
        queue('qa'),
        server('sa', { service: exp(0.5) }),
        queue('qb'),
        server('sb', { service: exp(0.2) }),
        sink('ka'),
        sink('kb')
      ],
      [edge('c', 'r'), edge('r', 'qa', 1), edge('r', 'qb', 3), ...chain('qa', 'sa', 'ka'), ...chain('qb', 'sb', 'kb')]
    );
    const r = analyze(m);
    near(node(r, 'ka').throughput, 0.25);
    near(node(r, 'ka').response, 1 / (2 - 0.25));
    near(node(r, 'kb').response, 1 / (5 - 0.75));
    near(node(r, 'kb').responseQuantiles?.p50, Math.LN2 / (5 - 0.75));
    near(r.nodes[NETWORK_KEY]?.response, 0.25 / 1.75 + 0.75 / 4.25);
  });

  it('links are delay stations on the path', () => {
    const m = model(
      [client('c'), link('l', { latency: { dist: 'uniform', min: 0.1, max: 0.3 } }), queue('q'), server('s', { service: exp(0.5) }), sink('k')],
      chain('c', 'l', 'q', 's', 'k')
    );
    const r = analyze(m);
    near(node(r, 'l').response, 0.2);
    near(node(r, 'l').inSystem, 0.2);
    near(node(r, 'k').response, 1.2);
    expect(node(r, 'k').responseQuantiles).toBeUndefined();
  });

  it('non-preemptive priority classes: W_high = 2.0, W_low = 6.0', () => {
    const m = model(
      [
        client('c', {
          rate: 0.8,
          classes: [
            { name: 'high', weight: 0.2, service: '', priority: 0, size: det(100) },
            { name: 'low', weight: 0.6, service: '', priority: 1, size: det(100) }
          ]
        }),
        queue('q', { discipline: 'priority' }),
        server('s', { service: exp(1) }),
        sink('k')
      ],
      chain('c', 'q', 's', 'k')
    );
    const r = analyze(m);
    const k = node(r, 'k');
    expect(node(r, 's').formula).toBe('M/G/1 priority (non-preemptive)');
    near(k.byClass?.high.response, 2.0);
    near(k.byClass?.low.response, 6.0);
    near(node(r, 's').byClass?.high.wait, 1.0);
    near(node(r, 'q').byClass?.low.wait, 5.0);
    near(k.response, (0.2 * 2 + 0.6 * 6) / 0.8);
  });

  it('per-class service (serviceByClass) gives M/G/1 with a mixture', () => {
    const m = model(
      [
        client('c', {
          rate: 0.5,
          classes: [
            { name: 'a', weight: 1, service: '', priority: 0, size: det(1) },
            { name: 'b', weight: 1, service: '', priority: 0, size: det(1) }
          ]
        }),
        queue('q'),
        server('s', { service: exp(1), serviceByClass: { b: det(0.5) } }),
        sink('k')
      ],
      chain('c', 'q', 's', 'k')
    );
    const r = analyze(m);
    // E[S] = 0.75, E[S²] = (2 + 0.25)/2, Wq = λE[S²]/(2(1 − ρ)).
    const Wq = (0.5 * 1.125) / (2 * (1 - 0.375));
    near(node(r, 's').wait, Wq, 1e-12);
    near(node(r, 'k').byClass?.a.response, Wq + 1, 1e-12);
    near(node(r, 'k').byClass?.b.response, Wq + 0.5, 1e-12);
  });
});

describe('analyze: closed networks (MVA)', () => {
  function repairman(N: number, S: number, Z: number): { X: number; R: number } {
    let total = 0;
    let term = 1;
    for (let k = 0; k <= N; k++) {
      if (k > 0) term *= ((N - k + 1) * S) / Z;
      total += term;
    }
    const X = (1 - 1 / total) / S;
    return { X, R: N / X - Z };
  }

  it('N users, think time Z, one exponential server = M/M/1//N', () => {
    const m = model(
      [client('c', { mode: 'closed', users: 5, thinkTime: exp(3) }), queue('q'), server('s', { service: exp(0.5) }), sink('k')],
      chain('c', 'q', 's', 'k')
    );
    const r = analyze(m);
    const exact = repairman(5, 0.5, 3);
    near(node(r, 'c').throughput, exact.X, 1e-9);
    near(node(r, 'k').response, exact.R, 1e-9);
    near(node(r, 'k').throughput, exact.X, 1e-9);
    expect(node(r, 's').formula).toBe('MVA (closed)');
    near(node(r, 's').utilisation, exact.X * 0.5, 1e-9);
    near(node(r, 's').station?.response, exact.R, 1e-9);
    near(node(r, 'q').wait, exact.R - 0.5, 1e-9);
    near(r.nodes[NETWORK_KEY]?.response, exact.R, 1e-9);
  });

  it('a 3-server station and a link: load-dependent MVA with marginals', () => {
    const m = model(
      [
        client('c', { mode: 'closed', users: 12, thinkTime: exp(2), responseLatency: det(0.5) }),
        link('l', { latency: exp(0.25) }),
        queue('q'),
        server('s', { servers: 3, service: exp(1) }),
        sink('k')
      ],
      chain('c', 'l', 'q', 's', 'k')
    );
    const r = analyze(m);
    const ref = mvaLoadDependent({
      stations: [
        { type: 'delay', visits: 1, service: 0.25 },
        { type: 'ld', visits: 1, service: 1, servers: 3 }
      ],
      population: 12,
      thinkTime: 2.5
    });
    near(node(r, 'c').throughput, ref.throughput, 1e-9);
    near(node(r, 'k').response, ref.response, 1e-9);
    near(node(r, 'l').response, 0.25, 1e-12);
    const probs = node(r, 's').stateProbabilities!;
    ref.stations[1].marginal!.forEach((p, j) => near(probs[j], p, 1e-9));
  });

  it('two closed clients become two chains; a closed model with a lossy server is not claimed', () => {
    const two = model(
      [
        client('a', { mode: 'closed', users: 2, thinkTime: exp(1) }),
        client('b', { mode: 'closed', users: 3, thinkTime: exp(2) }),
        queue('q'),
        server('s', { service: exp(0.3) }),
        sink('k')
      ],
      [edge('a', 'q'), edge('b', 'q'), ...chain('q', 's', 'k')]
    );
    const r = analyze(two);
    expect(node(r, 'a').throughput).toBeGreaterThan(0);
    near(
      node(r, 'k').throughput,
      (node(r, 'a').throughput as number) + (node(r, 'b').throughput as number),
      1e-12
    );
    const lossy = analyze(
      model(
        [client('a', { mode: 'closed', users: 4, thinkTime: exp(1) }), server('s', { servers: 2, service: exp(0.3) }), sink('k')],
        chain('a', 's', 'k')
      )
    );
    expect(lossy.nodes.s).toBeUndefined();
  });
});

/* ---------------------------------------------------------------- negative cases */

describe('analyze: no claim when an assumption fails', () => {
  it('round-robin router: no M/M/1 downstream', () => {
    const m = model(
      [
        client('c', { rate: 1 }),
        router('r', 'round-robin'),
        queue('qa'),
        server('sa', { service: exp(0.5) }),
        queue('qb'),
        server('sb', { service: exp(0.5) }),
        sink('k')
      ],
      [edge('c', 'r'), edge('r', 'qa'), edge('r', 'qb'), ...chain('qa', 'sa', 'k'), ...chain('qb', 'sb', 'k')]
    );
    const r = analyze(m);
    expect(r.nodes.sa).toBeUndefined();
    expect(r.nodes.qa).toBeUndefined();
    expect(r.nodes.sb).toBeUndefined();
    expect(r.nodes.k).toBeUndefined();
  });

  it('jsq router: nothing downstream', () => {
    const m = model(
      [client('c'), router('r', 'jsq'), queue('q'), server('s', { service: exp(0.5) }), sink('k')],
      [edge('c', 'r'), ...chain('r', 'q', 's', 'k')]
    );
    expect(analyze(m).nodes.s).toBeUndefined();
  });

  it('a fault on the server: no closed form there or downstream; upstream is untouched', () => {
    const m = model(
      [client('c'), queue('q1'), server('s1', { service: exp(0.25) }), queue('q2'), server('s2', { service: exp(0.5) }), sink('k')],
      chain('c', 'q1', 's1', 'q2', 's2', 'k'),
      [{ at: 10, for: 5, target: 's2', action: 'slowdown', value: 3 }]
    );
    const r = analyze(m);
    expect(r.nodes.s2).toBeUndefined();
    expect(r.nodes.k).toBeUndefined();
    expect(r.nodes[NETWORK_KEY]).toBeUndefined();
    expect(node(r, 's1').formula).toBe('M/M/1');
  });

  it('a rate fault on the client: nothing', () => {
    const m = single({ rate: 1 }, { service: exp(0.5) });
    m.faults.push({ at: 10, for: 5, target: 'c', action: 'rate', value: 3 });
    expect(Object.keys(analyze(m).nodes)).toEqual([]);
  });

  it('contention: no closed form', () => {
    const r = analyze(single({ rate: 1 }, { service: exp(0.5), contention: 0.01 }));
    expect(r.nodes.s).toBeUndefined();
    expect(r.nodes.k).toBeUndefined();
  });

  it('a schedule, MMPP or retries: nothing', () => {
    expect(analyze(single({ schedule: [{ at: 0, rate: 1 }] }, { service: exp(0.5) })).nodes.s).toBeUndefined();
    expect(
      analyze(single({ process: 'mmpp', mmpp: { burstRate: 5, meanOn: 1, meanOff: 9 } }, { service: exp(0.5) })).nodes.s
    ).toBeUndefined();
    expect(analyze(single({ retry: { ...RETRY_DEFAULTS, maxAttempts: 3 } }, { service: exp(0.5) })).nodes.s).toBeUndefined();
  });

  it('non-exponential service on several servers: nothing', () => {
    expect(analyze(single({ rate: 1 }, { servers: 2, service: det(1) })).nodes.s).toBeUndefined();
  });

  it('a downstream station fed by an M/G/1 (non-Poisson) is not claimed, but the M/G/1 is', () => {
    const m = model(
      [client('c', { rate: 0.5 }), queue('q1'), server('s1', { service: det(1) }), queue('q2'), server('s2', { service: exp(0.5) }), sink('k')],
      chain('c', 'q1', 's1', 'q2', 's2', 'k')
    );
    const r = analyze(m);
    expect(node(r, 's1').formula).toBe('M/G/1 (Pollaczek–Khinchine)');
    expect(r.nodes.s2).toBeUndefined();
    expect(r.nodes.k).toBeUndefined();
  });

  it('a feedback loop through an M/G/1 is not claimed', () => {
    const m = model(
      [client('c'), queue('q'), server('s', { service: det(0.25) }), router('r', 'probabilistic'), sink('k')],
      [...chain('c', 'q', 's', 'r'), edge('r', 'q', 0.5), edge('r', 'k', 0.5)]
    );
    const r = analyze(m);
    expect(r.nodes.s).toBeUndefined();
    expect(r.nodes.k).toBeUndefined();
  });

  it('a server with two outputs: its split is ambiguous, so it is not claimed', () => {
    const m = model(
      [client('c'), queue('q'), server('s', { service: exp(0.25) }), sink('ka'), sink('kb')],
      [...chain('c', 'q', 's'), edge('s', 'ka'), edge('s', 'kb')]
    );
    const r = analyze(m);
    expect(r.nodes.s).toBeUndefined();
    expect(r.nodes.ka).toBeUndefined();
  });

  it('a sink also reached by a bypass gets the mixed mean but no percentiles', () => {
    const m = model(
      [client('c'), router('r', 'probabilistic'), queue('q'), server('s', { service: exp(0.25) }), sink('k')],
      [edge('c', 'r'), edge('r', 'q', 1), edge('r', 'k', 1), ...chain('q', 's', 'k')]
    );
    const k = node(analyze(m), 'k');
    near(k.response, 0.5 * (1 / (4 - 0.5)));
    near(k.throughput, 1);
    expect(k.responseQuantiles).toBeUndefined();
    expect(k.formula).toBe('Jackson network');
  });

  it('two queues in front of one server: not a station', () => {
    const m = model(
      [client('c'), router('r', 'random'), queue('qa'), queue('qb'), server('s', { service: exp(0.25) }), sink('k')],
      [edge('c', 'r'), edge('r', 'qa'), edge('r', 'qb'), edge('qa', 's'), edge('qb', 's'), edge('s', 'k')]
    );
    const r = analyze(m);
    expect(r.nodes.s).toBeUndefined();
    expect(r.nodes.qa).toBeUndefined();
  });

  it('closed clients sharing a station with open clients: no MVA', () => {
    const m = model(
      [client('o'), client('z', { mode: 'closed', users: 3, thinkTime: exp(1) }), queue('q'), server('s', { service: exp(0.25) }), sink('k')],
      [edge('o', 'q'), edge('z', 'q'), ...chain('q', 's', 'k')]
    );
    const r = analyze(m);
    expect(r.nodes.s).toBeUndefined();
    expect(r.nodes.z).toBeUndefined();
  });
});

/* ---------------------------------------------------------------- invariants */

describe('analyze: invariants on random Jackson networks', () => {
  it("Little's law holds on every reported queue, server, station and the network", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            mean: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
            servers: fc.integer({ min: 1, max: 3 })
          }),
          { minLength: 1, maxLength: 4 }
        ),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        (stations, back) => {
          const nodes: NormalizedNode[] = [client('c', { rate: 1 })];
          const edges: NormalizedEdge[] = [edge('c', 'q0')];
          stations.forEach((st, i) => {
            nodes.push(queue(`q${i}`), server(`s${i}`, { servers: st.servers, service: exp(st.mean) }));
            edges.push(edge(`q${i}`, `s${i}`));
            if (i + 1 < stations.length) edges.push(edge(`s${i}`, `q${i + 1}`));
          });
          nodes.push(router('r', 'probabilistic'), sink('k'));
          edges.push(edge(`s${stations.length - 1}`, 'r'), edge('r', 'q0', back), edge('r', 'k', 1 - back));
          const rep = analyze(model(nodes, edges));
          const k = rep.nodes.k;
          if (!k) {
            // Only allowed when some station is overloaded.
            expect(Object.values(rep.nodes).some((n) => !n.stable)).toBe(true);
            return;
          }
          for (const n of Object.values(rep.nodes)) {
            if (!n.stable || n.inSystem === undefined || n.throughput === undefined || n.response === undefined) continue;
            near(n.inSystem, n.throughput * n.response, 1e-9 * Math.max(1, n.inSystem));
            if (n.station) near(n.station.inSystem, n.throughput * (n.station.response as number), 1e-9 * Math.max(1, n.station.inSystem as number));
          }
          near(k.throughput, 1, 1e-9);
          const total = Object.entries(rep.nodes)
            .filter(([id]) => id.startsWith('s'))
            .reduce((s, [, n]) => s + (n.station?.inSystem as number), 0);
          near(k.response, total, 1e-9 * Math.max(1, total)); // λ = 1: W = L
        }
      ),
      { numRuns: 60 }
    );
  });
});
