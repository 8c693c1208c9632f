/**
 * The trigger sweep on the running example of PAPERS.md §6 (static/models/metastable-retry-storm*.json:
 * λ = 5/s, μ = 10/s, one server, τ = 5 s, 5 retries). A small grid, simulated and classed from
 * the client's goodput, beside the fluid model's class (src/lib/analysis/metastability):
 *  - bound 150 at the paper's trigger (15/s for 600 s) is metastable, and so is half the base load;
 *  - bound 35 recovers (stable or vulnerable) at every point;
 *  - the two levels agree at every point of this grid;
 *  - a load ramp 2.5 → 12.5/s and back shows the loop exactly where the fluid model has two
 *    steady states (bound 150), and none with bound 35.
 * By hand: with bound 150 a full queue is a 15 s wait, three times the timeout, and the stuck
 * state needs λ(R+1) = 30/s of attempts > μ = 10/s; at half the load (2.5/s) it still needs 15/s
 * > 10/s. With bound 35 the longest wait is 3.5 s < τ, so there is no stuck state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../../src/lib/model/index';
import type { NormalizedModel } from '../../src/lib/model/types';
import { hysteresis, triggerSweep, type TriggerPointResult } from '../../src/lib/experiments/index';

function loadStatic(file: string): NormalizedModel {
  const r = load(readFileSync(join(__dirname, '..', '..', 'static', 'models', file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.value.model;
}

const grid = { baseLoad: [0.5, 1], triggerRate: [15], triggerLength: [120, 600] };

function sweep(file: string): TriggerPointResult[] {
  const r = triggerSweep(loadStatic(file), grid, { replications: 3 });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  expect(r.value.at).toBe(300); // the model's own trigger time
  for (const p of r.value.points) {
    console.log(
      `${file}: λ = ${p.rate}/s, ${p.triggerRate}/s for ${p.triggerLength} s → ${p.class} ${JSON.stringify(p.counts)}` +
        `${p.recoveryTime ? `, back ${p.recoveryTime.mean.toFixed(0)} s after` : ''}; final goodput ${p.finalGoodput.mean.toFixed(2)}/s of ${p.finalOffered.mean.toFixed(2)}/s; ` +
        `fluid: ${p.analytic.applicable ? p.analytic.class : 'n/a'}`
    );
  }
  return r.value.points;
}

describe('trigger sweep of the running example (PAPERS.md §6)', () => {
  it('bound 150: metastable at the paper’s trigger and around it, as the fluid model says', () => {
    const points = sweep('metastable-retry-storm.json');
    const paper = points.find((p) => p.baseLoad === 1 && p.triggerLength === 600)!;
    expect(paper.counts.metastable).toBe(3);
    expect(paper.finalGoodput.ci[1]).toBeLessThan(0.25);
    for (const p of points) {
      expect(p.class).toBe('metastable');
      expect(p.analytic.applicable && p.analytic.class).toBe('metastable');
      expect(p.agrees).toBe(true);
    }
  });

  it('bound 35: every point recovers, well within the trigger’s length, as the fluid model says', () => {
    const points = sweep('metastable-retry-storm-bound-35.json');
    for (const p of points) {
      expect(['stable', 'vulnerable']).toContain(p.class);
      expect(p.counts.metastable + p.counts.overloaded).toBe(0);
      expect(p.analytic.applicable && p.analytic.class).toBe('stable');
      expect(p.agrees).toBe(true);
      // Goodput is the offered load again by the end.
      expect(Math.abs(p.finalRatio.mean - 1)).toBeLessThan(0.1);
    }
    const paper = points.find((p) => p.baseLoad === 1 && p.triggerLength === 600)!;
    expect(paper.class).toBe('stable');
    // The fluid model drains in 39 s; the simulation within a few minutes (a full queue of 36,
    // an orbit of ~150 retries, 5 spare requests/s).
    expect(paper.recoveryTime!.mean).toBeLessThan(180);
  });

  it('hysteresis: ramped 2.5 → 12.5/s and back, bound 150 stays stuck on the way down where the fluid model has two steady states; bound 35 does not', () => {
    const spec = { from: 0.5, to: 2.5, steps: 5, dwell: 600 };
    const stuck = hysteresis(loadStatic('metastable-retry-storm.json'), spec, { replications: 3 });
    const fine = hysteresis(loadStatic('metastable-retry-storm-bound-35.json'), spec, { replications: 3 });
    if (!stuck.ok || !fine.ok) throw new Error('hysteresis');
    for (const [name, r] of [['bound 150', stuck.value], ['bound 35', fine.value]] as const) {
      console.log(
        `${name}: ` +
          r.levels
            .map((l) => `${l.rate}/s up ${l.up.goodput.mean.toFixed(2)} down ${l.down ? l.down.goodput.mean.toFixed(2) : '—'}${l.differs ? ' (differs)' : ''} [fluid ${l.analytic ? Object.entries(l.analytic).filter(([, v]) => v).map(([k]) => k).join('+') : '—'}]`)
            .join('; ')
      );
    }
    // Below μ = 10/s with bound 150 the fluid model has a drained and a stuck state (λ(R+1) > μ
    // down to λ = 10/6): exactly the loads where the ramp differs up and down.
    const bistable = stuck.value.levels.filter((l) => l.analytic?.drained && l.analytic.stuck).map((l) => l.factor);
    expect(bistable).toEqual([0.5, 1, 1.5]);
    expect(stuck.value.differsAt).toEqual(bistable);
    for (const l of stuck.value.levels.filter((x) => x.differs)) {
      expect(Math.abs(l.up.goodput.mean - l.rate) / l.rate).toBeLessThan(0.1);
      expect(l.down!.goodput.mean).toBeLessThan(0.05 * l.rate);
    }
    expect(fine.value.differsAt).toEqual([]);
    // Bound 35 has one steady state at every load (drained below μ, the full queue at and above it).
    expect(fine.value.levels.filter((l) => l.analytic?.drained && l.analytic.stuck)).toEqual([]);
  });
});
