/**
 * Clients under failure against theory: VALIDATION.md "Retry amplification" and the retry
 * budget's bound under total failure. Same rules as validation.test.ts: R ≥ 20 replications, 99%
 * intervals, seeds fixed in the model files. (The metastable retry storm is a scenario:
 * tests/scenarios/metastable-retry-storm.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/lib/model/index';
import type { NormalizedModel } from '../../src/lib/model/types';
import { simulate } from '../../src/lib/sim/index';

const within = (ci: [number, number], x: number) => ci[0] <= x && x <= ci[1];

function loadFile(path: string): NormalizedModel {
  const r = load(readFileSync(path, 'utf8'));
  if (!r.ok) throw new Error(`${path}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.value.model;
}
const loadCase = (name: string): NormalizedModel => {
  const m = loadFile(join(__dirname, 'models', `${name}.json`));
  return { ...m, run: { ...m.run, confidence: 0.99 } };
};

describe('retries against theory', () => {
  it('retry amplification: f = 0.1, 3 retries → P(success) = 0.9999, mean attempts 1.1111', () => {
    const m = loadCase('retry-amplification');
    const c = simulate(m).summary.clients!.clients;
    const attempts = (1 - 0.1 ** 4) / (1 - 0.1);
    console.log(
      `amplification ${c.amplification.mean.toFixed(5)} [${c.amplification.ci.map((x) => x.toFixed(5)).join(', ')}] (theory ${attempts.toFixed(5)}); ` +
        `P(success) ${c.successRatio.mean.toFixed(6)} [${c.successRatio.ci.map((x) => x.toFixed(6)).join(', ')}] (theory 0.9999)`
    );
    expect(within(c.amplification.ci, attempts)).toBe(true);
    expect((c.amplification.ci[1] - c.amplification.ci[0]) / 2 / attempts).toBeLessThan(0.03);
    expect(within(c.successRatio.ci, 0.9999)).toBe(true);
    expect(c.retries.mean / c.attempts.mean).toBeCloseTo(1 - 1 / attempts, 2);
  });

  it('a retry budget holds amplification to 1 + ratio + minPerSecond/rate under total failure', () => {
    const m = loadCase('retry-budget');
    const c = simulate(m).summary.clients!.clients;
    const expected = 1 + 0.1 + 1 / 100;
    console.log(`budget: amplification ${c.amplification.mean.toFixed(6)} [${c.amplification.ci.map((x) => x.toFixed(6)).join(', ')}] (theory ${expected})`);
    // Tokens are whole: a replication may end holding up to one unspent token, hence the
    // allowance of 1e-4 (one token in 10^4 requests) around the interval.
    expect(c.amplification.ci[0] - 1e-4).toBeLessThanOrEqual(expected);
    expect(c.amplification.ci[1] + 1e-4).toBeGreaterThanOrEqual(expected);
    expect(c.successRatio.mean).toBe(0);
    expect(c.budgetDenied.mean).toBeGreaterThan(0);
  });
});
