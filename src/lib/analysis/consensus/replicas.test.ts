/**
 * analyzeReplicas on params as the model layer normalises them (written documents → load()),
 * so drift in the normalised `replicas` shape shows up here, and on bad input.
 */
import { describe, expect, it } from 'vitest';
import { load } from '../../model/restore';
import { oneNode } from '../../model/testing';
import { formatPercent } from './format';
import { perNodeConsensus, uniformConsensus } from './probability';
import { analyzeReplicas, type ReplicasAnalysis } from './replicas';

/** The normalised params of one replicas node written with `params`. */
function normalised(params: Record<string, unknown>): Record<string, unknown> {
  const r = load(oneNode('replicas', params));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.model.nodes[0].params as Record<string, unknown>;
}

function ok(r: ReturnType<typeof analyzeReplicas>): ReplicasAnalysis {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}

describe('analyzeReplicas on loaded documents', () => {
  it('Raft, 3 nodes at 1%: 99.9702% safe and live, exact', () => {
    const r = ok(analyzeReplicas(normalised({ protocol: 'raft', n: 3, failureProbability: 0.01 })));
    expect(r.method).toBe('exact');
    expect(formatPercent(r.pSafeAndLive)).toBe('99.9702%');
    expect(r.pSafe).toBe(1);
    expect(r.quorums).toMatchObject({ persistence: 2, viewChange: 2 });
    expect(r.nines.safeAndLive).toBeCloseTo(3.5258, 4);
    expect(r.ci).toBeUndefined();
    expect(r.faultPmf).toHaveLength(4);
    expect(r.notes.join(' ')).toMatch(/binomial/);
    expect(structuredClone(r)).toEqual(r);
  });

  it('Raft, 9 nodes at 8%: 99.9686%', () => {
    const r = ok(analyzeReplicas(normalised({ n: 9, failureProbability: 0.08 })));
    expect(formatPercent(r.pSafeAndLive)).toBe('99.9686%');
    expect(r.tolerates).toBe(4);
  });

  it('the default document (Raft, 3 nodes, p = 0) is certainly safe and live', () => {
    const r = ok(analyzeReplicas(normalised({})));
    expect(r).toMatchObject({ protocol: 'raft', n: 3, pSafe: 1, pLive: 1, pSafeAndLive: 1, pNotSafeAndLive: 0 });
    expect(r.nines.safeAndLive).toBe(Infinity);
  });

  it('one probability per node equals the Poisson-binomial', () => {
    const ps = [0.01, 0.02, 0.03, 0.2, 0.4];
    const r = ok(analyzeReplicas(normalised({ n: 5, failureProbability: ps })));
    expect(r.pSafeAndLive).toBe(perNodeConsensus('raft', ps).pSafeAndLive);
    expect(r.nodeFailureProbability).toEqual(ps);
    expect(r.notes.join(' ')).toMatch(/Poisson-binomial/);
  });

  it('PBFT defaults: quorums ⌈(n + f + 1)/2⌉ (2f + 1 when n = 3f + 1) and a trigger of f + 1', () => {
    const r4 = ok(analyzeReplicas(normalised({ protocol: 'pbft', failureProbability: 0.01 })));
    expect(r4.quorums).toEqual({ persistence: 3, viewChange: 3, equivocation: 3, viewChangeTrigger: 2 });
    expect(r4.tolerates).toBe(1);
    expect(r4.pSafeAndLive).toBe(uniformConsensus('pbft', 4, 0.01).pSafeAndLive);
    expect(r4.notes.join(' ')).not.toMatch(/above f \+ 1/);
    const r5 = ok(analyzeReplicas(normalised({ protocol: 'pbft', n: 5, failureProbability: 0.01 })));
    expect(r5.quorums.persistence).toBe(4);
    expect(r5.tolerates).toBe(1);
  });

  it('a trigger above f + 1 is kept as written, with a note on what it costs', () => {
    const r = ok(analyzeReplicas(normalised({ protocol: 'pbft', failureProbability: 0.01, quorums: { viewChangeTrigger: 3 } })));
    expect(r.quorums.viewChangeTrigger).toBe(3);
    expect(r.pLive).toBeCloseTo(0.99 ** 4, 12);
    expect(r.notes.join(' ')).toMatch(/viewChangeTrigger = 3 is above f \+ 1 = 2/);
  });

  it('PBFT n = 5 with 2f + 1 quorums written out: a note proposes ⌈(n + f + 1)/2⌉ = 4', () => {
    const q3 = { persistence: 3, viewChange: 3, equivocation: 3, viewChangeTrigger: 2 };
    const r = ok(analyzeReplicas(normalised({ protocol: 'pbft', n: 5, failureProbability: 0.01, quorums: q3 })));
    expect(r.quorums.persistence).toBe(3);
    expect(r.tolerates).toBe(0);
    expect(r.notes.join(' ')).toMatch(/⌈\(n \+ f \+ 1\)\/2⌉ = 4/);
  });

  it('failure domains: exact by convolution, by enumeration, and Monte Carlo within its interval', () => {
    const params = normalised({
      n: 5,
      failureProbability: [0.01, 0.01, 0.02, 0.02, 0.05],
      domain: ['rack1', 'rack1', 'rack2', 'rack2', 'rack3'],
      domains: [
        { name: 'rack1', failureProbability: 0.02 },
        { name: 'rack2', failureProbability: 0.01 },
        { name: 'rack3' }
      ]
    });
    const exact = ok(analyzeReplicas(params));
    const enumerated = ok(analyzeReplicas(params, { method: 'enumeration' }));
    const mc = ok(analyzeReplicas(params, { method: 'monte-carlo', samples: 100_000, seed: 11 }));
    expect(exact.method).toBe('exact');
    expect(enumerated.method).toBe('exact');
    expect(Math.abs(exact.pSafeAndLive - enumerated.pSafeAndLive)).toBeLessThan(1e-15);
    expect(mc.method).toBe('monte-carlo');
    expect(mc.samples).toBe(100_000);
    expect(mc.ci).toBeDefined();
    const [lo, hi] = mc.ci!.safeAndLive;
    expect(exact.pSafeAndLive).toBeGreaterThanOrEqual(lo);
    expect(exact.pSafeAndLive).toBeLessThanOrEqual(hi);
    expect(exact.nodeFailureProbability[0]).toBeCloseTo(0.02 + 0.98 * 0.01, 15);
    expect(exact.nodeFailureProbability[4]).toBe(0.05);
    // Racks hurt: the same marginals without correlation are more available.
    const independent = perNodeConsensus('raft', exact.nodeFailureProbability);
    expect(independent.pLive).toBeGreaterThan(exact.pLive);
  });

  it('each node in its own domain equals per-node independence', () => {
    const ps = [0.01, 0.03, 0.05];
    const r = ok(
      analyzeReplicas(
        normalised({ n: 3, failureProbability: ps, domain: ['a', 'b', 'c'], domains: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] })
      )
    );
    expect(Math.abs(r.pSafeAndLive - perNodeConsensus('raft', ps).pSafeAndLive)).toBeLessThan(1e-15);
  });

  it('enumeration falls back to Monte Carlo beyond 16 domains', () => {
    const n = 20;
    const params = normalised({
      n,
      failureProbability: 0.01,
      domain: Array.from({ length: n }, (_, i) => `d${i}`),
      domains: Array.from({ length: n }, (_, i) => ({ name: `d${i}`, failureProbability: 0.001 }))
    });
    const r = ok(analyzeReplicas(params, { method: 'enumeration', samples: 20_000 }));
    expect(r.method).toBe('monte-carlo');
    expect(r.notes.join(' ')).toMatch(/too many to enumerate/);
    expect(ok(analyzeReplicas(params)).method).toBe('exact');
  });

  it('domain names without a domains list never fail as a whole (with a note)', () => {
    const r = ok(analyzeReplicas(normalised({ n: 3, failureProbability: 0.01, domain: ['a', 'a', 'b'] })));
    expect(r.pSafeAndLive).toBeCloseTo(0.999702, 12);
    expect(r.notes.join(' ')).toMatch(/never fail as a whole/);
  });
});

describe('analyzeReplicas on bad input: located issues, no exceptions', () => {
  const issues = (params: unknown, path?: string) => {
    const r = analyzeReplicas(params, path === undefined ? {} : { path });
    expect(r.ok).toBe(false);
    return r.ok ? [] : r.issues;
  };

  it('locates each problem', () => {
    expect(issues(null)[0].message).toMatch(/an object/);
    expect(issues({ protocol: 'paxos' })[0]).toEqual({ path: 'protocol', message: 'expected "raft" or "pbft", got "paxos"' });
    expect(issues({ n: 0 })[0].path).toBe('n');
    expect(issues({ n: 3, quorums: { persistence: 4 } })[0].path).toBe('quorums.persistence');
    expect(issues({ n: 3, failureProbability: [0.1, 0.1] })[0].path).toBe('failureProbability');
    expect(issues({ n: 2, failureProbability: [0.1, 2] })[0].path).toBe('failureProbability[1]');
    expect(issues({ n: 2, failureProbability: 'often' })[0].path).toBe('failureProbability');
    expect(issues({ n: 2, domain: ['a'] })[0].path).toBe('domain');
    expect(issues({ n: 2, domain: ['a', 'b'], domains: [{ name: 'a' }] })[0]).toEqual({
      path: 'domain[1]',
      message: 'no domain named "b" in domains'
    });
    expect(issues({ n: 2, domains: [{ name: 'a', failureProbability: -1 }] })[0].path).toBe('domains[0].failureProbability');
    expect(issues({ n: 2, domains: [{ name: 'a' }, { name: 'a' }] })[0].path).toBe('domains[1].name');
  });

  it('prefixes paths with the node', () => {
    expect(issues({ n: 3, quorums: { persistence: 4 } }, 'nodes[2].params')[0].path).toBe('nodes[2].params.quorums.persistence');
  });

  it('bad options are issues too', () => {
    expect(analyzeReplicas({}, { samples: 0 }).ok).toBe(false);
    expect(analyzeReplicas({}, { method: 'guess' as never }).ok).toBe(false);
  });

  it('fills what a hand-written params object leaves out with the defaults (PBFT trigger f + 1)', () => {
    const r = ok(analyzeReplicas({ protocol: 'pbft', n: 4, failureProbability: 0.01 }));
    expect(r.quorums).toEqual({ persistence: 3, viewChange: 3, equivocation: 3, viewChangeTrigger: 2 });
    expect(r.notes.join(' ')).toMatch(/Default quorums used/);
  });
});
