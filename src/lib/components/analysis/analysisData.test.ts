/** The Analysis panel's pure helpers: which views a model gets, P(stuck), lists, domain tables. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../model/index.ts';
import { analyzeMetastability, metastabilityParamsFromModel } from '../../analysis/metastability/index.ts';
import { consensusTable, domainConsensus } from '../../analysis/consensus/index.ts';
import { analysisTargets, domainTable, hasAnalysis, parseList, replicasAnalyses, speedColour, stuckProbability } from './analysisData.ts';

const gallery = (file: string) => {
  const r = load(readFileSync(join(__dirname, '..', '..', '..', '..', 'static', 'models', file), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.model;
};

describe('analysisTargets', () => {
  it('the metastable retry storm gets metastability and the experiments; consensus odds gets its four groups', () => {
    const m = analysisTargets(gallery('metastable-retry-storm.json'));
    expect(m.metastability.ok).toBe(true);
    expect(m.experimentClient).toBe('clients');
    expect(m.replicas).toEqual([]);
    const c = analysisTargets(gallery('consensus-odds.json'));
    expect(c.metastability.ok).toBe(false);
    expect(c.experimentClient).toBeNull(); // no timeout, no retries: nothing to sweep
    expect(c.replicas.map((r) => r.id)).toEqual(['good3', 'cheap9', 'good3racks', 'cheap9racks']);
    expect(hasAnalysis(c)).toBe(true);
    expect(hasAnalysis(analysisTargets(gallery('mm1.json')))).toBe(false);
  });
});

describe('stuckProbability', () => {
  it('is the stationary mass beyond the saddle: ≈ 1 for bound 150, null without a stuck state (bound 35)', () => {
    for (const [file, expectStuck] of [['metastable-retry-storm.json', true], ['metastable-retry-storm-bound-35.json', false]] as const) {
      const x = metastabilityParamsFromModel(gallery(file));
      if (!x.ok) throw new Error(x.notApplicable);
      const r = analyzeMetastability(x.params, { mixing: false });
      if (!r.ok) throw new Error('analysis');
      const p = stuckProbability(r);
      if (!expectStuck) expect(p).toBeNull();
      else {
        // By hand: the stuck state holds the chain ~10^17 times longer than the drained one.
        expect(p).toBeGreaterThan(1 - 1e-9);
        const saddle = r.equilibria.find((e) => e.kind === 'saddle')!;
        const q = r.chain!.stationary.queue;
        expect(p).toBeCloseTo(q.slice(Math.ceil(saddle.q)).reduce((s, v) => s + v, 0), 15);
      }
    }
  });
});

describe('parseList and speedColour', () => {
  it('reads lists and refuses what is not a number, saying which', () => {
    expect(parseList('0.5, 1 2', 'Base loads')).toEqual({ ok: true, value: [0.5, 1, 2] });
    expect(parseList('1, x', 'Base loads')).toEqual({ ok: false, message: 'Base loads: "x" is not a number > 0' });
    expect(parseList('0', 'Rates', 0, false)).toEqual({ ok: true, value: [0] });
    expect(parseList('', 'Rates').ok).toBe(false);
  });
  it('colours run from blue (slowest) to red (fastest)', () => {
    expect(speedColour(0.01, 0.01, 100)).toBe('rgb(86, 180, 233)');
    expect(speedColour(100, 0.01, 100)).toBe('rgb(178, 34, 34)');
    expect(speedColour(1, 0.01, 100)).toBe('rgb(230, 159, 0)');
  });
});

describe('domainTable', () => {
  it('with domains that never fail it is the independent table', () => {
    const ns = [3, 5, 9];
    const ps = [0.01, 0.08];
    const plain = consensusTable({ protocol: 'raft', ns, ps }).rows;
    const d = domainTable({ protocol: 'raft', ns, ps, domains: [0, 0, 0] });
    d.forEach((row, i) => row.cells.forEach((c, j) => expect(c.pSafeAndLive).toBeCloseTo(plain[i].cells[j].pSafeAndLive, 14)));
  });
  it('spreads N nodes over D domains in blocks, and reproduces the model’s rack groups', () => {
    const rows = domainTable({ protocol: 'raft', ns: [9], ps: [0.08], domains: [0.005, 0.005, 0.005] });
    const byHand = domainConsensus('raft', {
      nodeP: new Array(9).fill(0.08),
      domains: [0, 1, 2].map((j) => ({ failureProbability: 0.005, members: [3 * j, 3 * j + 1, 3 * j + 2] }))
    });
    expect(rows[0].cells[0].pSafeAndLive).toBe(byHand.pSafeAndLive);
    const model = replicasAnalyses(gallery('consensus-odds.json'));
    const cheapRacks = model.find((m) => m.id === 'cheap9racks')!;
    expect(cheapRacks.domains).toEqual([0.005, 0.005, 0.005]);
    if (!cheapRacks.result.ok) throw new Error('analysis');
    expect(rows[0].cells[0].pSafeAndLive).toBeCloseTo(cheapRacks.result.pSafeAndLive, 14);
  });
});
