/**
 * The cache: its Zipf key sampler against the exact probabilities, its LRU hit ratio against
 * exact theory (King's formula for small key sets, C/N for uniform popularity, the TTL renewal
 * formula) and Che's approximation, the flush fault, and "filled on the way back".
 */
import { describe, expect, it } from 'vitest';
import type { NormalizedFault, NormalizedModel, NormalizedNode } from '../../model/types';
import { RETRY_DEFAULTS } from '../../model/kinds/client';
import { Replication, runReplication, simulate } from '../index';
import { substream } from '../rng';
import { meanCI } from '../stats';
import { CacheBehaviour, ZipfSampler } from './cache';
import { client, det, edge, model, server, sink } from '../../../../tests/fixtures/build';

const CONFIDENCE = 0.99;

function cacheNode(id: string, p: { capacity: number; keys: number; s: number; ttl?: number | null; lookupCost?: number }): NormalizedNode {
  return {
    id,
    kind: 'cache',
    label: id,
    params: { capacity: p.capacity, keys: p.keys, s: p.s, ttl: p.ttl ?? null, lookupCost: det(p.lookupCost ?? 0) }
  };
}

/** client → cache; hits to sink `h`, misses to sink `m` (a miss completes, and fills, at once). */
function lookAside(
  cache: Parameters<typeof cacheNode>[1],
  run: Partial<NormalizedModel['run']>,
  faults: NormalizedFault[] = [],
  rate = 100
): NormalizedModel {
  return model(
    [client('c', { rate }), cacheNode('x', cache), sink('h'), sink('m')],
    [edge('c', 'x'), { ...edge('x', 'h'), from: { node: 'x', port: 'hit' } }, { ...edge('x', 'm'), from: { node: 'x', port: 'miss' } }],
    run,
    faults
  );
}

function zipfP(n: number, s: number): number[] {
  const w = Array.from({ length: n }, (_, k) => Math.pow(k + 1, -s));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

/** Exact LRU hit ratio under the independent reference model (King 1971): sum over ordered C-tuples. */
function lruExact(p: number[], c: number): number {
  let hit = 0;
  const rec = (used: boolean[], depth: number, prob: number, mass: number, sumP: number) => {
    if (depth === c) {
      hit += prob * sumP;
      return;
    }
    for (let i = 0; i < p.length; i++) {
      if (used[i]) continue;
      used[i] = true;
      rec(used, depth + 1, (prob * p[i]) / (1 - mass), mass + p[i], sumP + p[i]);
      used[i] = false;
    }
  };
  rec(new Array(p.length).fill(false), 0, 1, 0, 0);
  return hit;
}

/** Che's approximation of the LRU hit ratio: Σ p_k (1 − e^{−p_k T}) with Σ (1 − e^{−p_k T}) = C. */
function lruChe(p: number[], c: number): number {
  const filled = (t: number) => p.reduce((a, q) => a + 1 - Math.exp(-q * t), 0);
  let lo = 0;
  let hi = 1;
  while (filled(hi) < c) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (filled(mid) < c) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  return p.reduce((a, q) => a + q * (1 - Math.exp(-q * t)), 0);
}

/** Per-replication hit ratios with their 99% interval. */
function hitRatio(m: NormalizedModel) {
  const { replications } = simulate(m);
  const xi = m.nodes.findIndex((n) => n.id === 'x');
  const ratios = replications.map((r) => {
    const e = r.nodes[xi].extras;
    return e.hits.value / (e.hits.value + e.misses.value);
  });
  const r = meanCI(ratios, CONFIDENCE);
  return { mean: r.mean, ci: r.ci, half: (r.ci[1] - r.ci[0]) / 2 };
}

describe('Zipf keys', () => {
  it.each([
    [20, 0.7],
    [20, 1],
    [20, 1.3],
    [5, 2.5]
  ])('n = %i, s = %f: frequencies match k^-s (chi-square at the 0.999 level)', (n, s) => {
    const z = new ZipfSampler(n, s);
    const rng = substream(42, 0, n * 100 + Math.round(s * 10));
    const counts = new Array(n).fill(0);
    const draws = 200_000;
    for (let i = 0; i < draws; i++) counts[z.sample(rng)]++;
    const p = zipfP(n, s);
    const chi2 = counts.reduce((a, o, k) => a + (o - draws * p[k]) ** 2 / (draws * p[k]), 0);
    // 0.999 quantiles of chi-square with n − 1 degrees of freedom.
    const crit: Record<number, number> = { 19: 43.82, 4: 18.47 };
    expect(chi2).toBeLessThan(crit[n - 1]);
  });

  it('s = 0 is uniform and one key is always key 0', () => {
    const rng = substream(1, 0, 1);
    const u = new ZipfSampler(10, 0);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[u.sample(rng)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const one = new ZipfSampler(1, 1.1);
    for (let i = 0; i < 100; i++) expect(one.sample(rng)).toBe(0);
  });
});

describe('LRU hit ratio after warm-up', () => {
  const run = { until: 2000, warmup: 100, replications: 20, confidence: CONFIDENCE };

  it('small key set: equals the exact LRU hit ratio (King) within the 99% interval', () => {
    const expected = lruExact(zipfP(6, 0.8), 3);
    const h = hitRatio(lookAside({ capacity: 3, keys: 6, s: 0.8 }, run));
    console.log(`LRU n=6 C=3 s=0.8: exact ${expected.toFixed(6)}, simulated ${h.mean.toFixed(6)} ± ${h.half.toFixed(6)}`);
    expect(h.ci[0]).toBeLessThanOrEqual(expected);
    expect(h.ci[1]).toBeGreaterThanOrEqual(expected);
    expect(h.half / expected).toBeLessThan(0.03);
  });

  it('uniform popularity: C/N exactly', () => {
    const h = hitRatio(lookAside({ capacity: 25, keys: 100, s: 0 }, run));
    expect(h.ci[0]).toBeLessThanOrEqual(0.25);
    expect(h.ci[1]).toBeGreaterThanOrEqual(0.25);
  });

  it("Zipf 0.8 over 1000 keys, 100 entries: Che's approximation (within 0.5% absolute: it is an approximation)", () => {
    const expected = lruChe(zipfP(1000, 0.8), 100);
    const h = hitRatio(lookAside({ capacity: 100, keys: 1000, s: 0.8 }, run));
    console.log(`LRU n=1000 C=100 s=0.8: Che ${expected.toFixed(6)}, simulated ${h.mean.toFixed(6)} ± ${h.half.toFixed(6)}`);
    expect(Math.abs(h.mean - expected)).toBeLessThan(0.005);
    expect(h.half / expected).toBeLessThan(0.03);
  });

  it('TTL with room for every key: Σ p_k·λp_kτ/(1 + λp_kτ) (a renewal per key)', () => {
    const lambda = 100;
    const ttl = 0.5;
    const p = zipfP(200, 1);
    const expected = p.reduce((a, q) => a + (q * (lambda * q * ttl)) / (1 + lambda * q * ttl), 0);
    const h = hitRatio(lookAside({ capacity: 200, keys: 200, s: 1, ttl }, run));
    console.log(`TTL 0.5 s, 200 keys: exact ${expected.toFixed(6)}, simulated ${h.mean.toFixed(6)} ± ${h.half.toFixed(6)}`);
    expect(h.ci[0]).toBeLessThanOrEqual(expected);
    expect(h.ci[1]).toBeGreaterThanOrEqual(expected);
  });

  it('capacity 0 never hits', () => {
    const r = runReplication(lookAside({ capacity: 0, keys: 10, s: 1 }, { until: 10 }), 0);
    const x = r.nodes[1].extras;
    expect(x.hits.value).toBe(0);
    expect(x.misses.value).toBe(r.nodes[0].arrivals);
  });
});

describe('flush', () => {
  it('empties the cache: no hit while it lasts, then the hit ratio climbs back', () => {
    // 1000 lookups/s over 100,000 keys (Zipf 0.8), 10,000 entries; 1 s buckets; flush during
    // [100, 102).
    const m = lookAside(
      { capacity: 10_000, keys: 100_000, s: 0.8 },
      { until: 220, warmup: 0, replications: 1 },
      [{ at: 100, for: 2, target: 'x', action: 'flush', value: NaN }],
      1000
    );
    const rep = new Replication(m, 0);
    const cache = rep.nodes[1] as CacheBehaviour;
    while (rep.now < 99.9) rep.advance(1);
    expect(cache.size).toBe(10_000);
    while (rep.now < 101) rep.advance(1);
    expect(cache.size).toBe(0);
    rep.advance(Infinity);
    const r = rep.finish();
    const { hits, misses } = r.nodes[1].series.extras;
    const ratio = (a: number, b: number) => {
      let h = 0;
      let t = 0;
      for (let k = a; k < b; k++) {
        h += hits[k];
        t += hits[k] + misses[k];
      }
      return h / t;
    };
    const steady = ratio(60, 100);
    const che = lruChe(zipfP(100_000, 0.8), 10_000);
    console.log(
      `flush: Che ${che.toFixed(3)}, steady ${steady.toFixed(3)}; after: ${[102, 103, 104, 106, 110, 120, 140, 180]
        .map((t) => `${t - 102}s ${ratio(t, t + 1).toFixed(3)}`)
        .join(', ')}`
    );
    expect(Math.abs(steady - che)).toBeLessThan(0.02);
    expect(hits[100]).toBe(0);
    expect(hits[101]).toBe(0);
    expect(misses[100]).toBeGreaterThan(900);
    // Warming: the first second after the flush is far below steady, then it climbs back.
    expect(ratio(102, 103)).toBeLessThan(0.6 * steady);
    expect(ratio(102, 103)).toBeLessThan(ratio(104, 105));
    expect(Math.abs(ratio(180, 220) - steady)).toBeLessThan(0.02);
  });
});

describe('filled on the way back', () => {
  it('a miss fills when its request completes; a retry asks for the same key', () => {
    // One request at t = 20 for a random key among a million; the miss goes through a 1 s
    // server. It times out at 20.5 and is retried at once: the retry carries the same key, misses
    // again (not filled yet) and queues behind it. The first completion (21) fills the key, the
    // second (22) refreshes it: one entry, two fills. (The retry times out at 21 too, so both
    // completions are wasted for the client, yet the data came back and fills the cache.)
    const m = model(
      [
        client('c', { process: 'deterministic', rate: 0.05, timeout: 0.5, deadline: null, retry: { ...RETRY_DEFAULTS, maxAttempts: 2, retryOn: ['timeout'] } }),
        cacheNode('x', { capacity: 10, keys: 1_000_000, s: 0 }),
        { id: 'q', kind: 'queue', label: 'q', params: { capacity: Infinity, discipline: 'fifo', target: 0.005, interval: 0.1, onFull: 'drop' } },
        server('s', { service: det(1) }),
        sink('k')
      ],
      [edge('c', 'x'), { ...edge('x', 'q'), from: { node: 'x', port: 'miss' } }, edge('q', 's'), edge('s', 'k')],
      { until: 30 }
    );
    const rep = new Replication(m, 0);
    rep.advance(Infinity);
    const r = rep.finish();
    const x = r.nodes[1].extras;
    expect(x.misses.value).toBe(2);
    expect(x.fills.value).toBe(2);
    expect((rep.nodes[1] as CacheBehaviour).size).toBe(1);
    expect(r.nodes[0].extras.wasted.value).toBe(2);
  });
});
