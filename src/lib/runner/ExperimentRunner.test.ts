/**
 * ExperimentRunner in Node: the real experiment service over in-process MessageChannels. The
 * pool must give exactly the sequential drivers' results (src/lib/experiments) for any worker
 * count, report progress by points, and cancel.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { load } from '../model/index.ts';
import type { NormalizedModel } from '../model/types.ts';
import { hysteresis, planHysteresis, planTriggerSweep, triggerSweep, type TriggerPointResult } from '../experiments/index.ts';
import { createExperimentService } from '../../../workers/experimentService.ts';
import { ExperimentRunner, isCancelled, type ExperimentProgress } from './ExperimentRunner.ts';
import type { WorkerLike } from './SimRunner.ts';

function inProcessWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(createExperimentService(), port2);
  return Object.assign(port1, {
    terminate() {
      port1.close();
      port2.close();
    }
  });
}

/** The running example of PAPERS.md §6 with a queue bound of `capacity`. */
function loop(capacity: number): NormalizedModel {
  const r = load({
    format: 'systems-sandbox/model',
    version: 1,
    name: 'loop',
    run: { until: '1000 s', seed: 3, replications: 2, bucket: '10 s' },
    nodes: [
      { id: 'c', kind: 'client', params: { rate: '5/s', timeout: '5 s', retry: { maxAttempts: 6, retryOn: ['timeout'] } } },
      { id: 'q', kind: 'queue', params: { capacity } },
      { id: 's', kind: 'server', params: { service: { dist: 'exp', mean: '100 ms' } } },
      { id: 'k', kind: 'sink' }
    ],
    edges: [
      { id: 'e1', from: 'c.out', to: 'q.in' },
      { id: 'e2', from: 'q.out', to: 's.in' },
      { id: 'e3', from: 's.out', to: 'k.in' }
    ]
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.model;
}

const grid = { baseLoad: [1], triggerRate: [8, 15], triggerLength: [60] };
const opts = { at: 100 };

describe('ExperimentRunner', () => {
  it('a trigger sweep on 1 and 3 workers equals the sequential driver, point by point', async () => {
    const model = loop(150);
    const direct = triggerSweep(model, grid, opts);
    if (!direct.ok) throw new Error('plan');
    // The grid straddles the boundary: 8/s recovers, 15/s for a minute sticks (bound 150).
    expect(direct.value.points.map((p) => p.class)).toEqual(['stable', 'metastable']);
    const plan = planTriggerSweep(model, grid, opts);
    if (!plan.ok) throw new Error('plan');
    for (const workers of [1, 3]) {
      const runner = new ExperimentRunner({ maxWorkers: 1, createWorker: inProcessWorker });
      const seen: TriggerPointResult[] = [];
      const progress: ExperimentProgress[] = [];
      const r = await runner.triggerSweep(plan.value, { workers, onPoint: (p) => seen.push(p), onProgress: (p) => progress.push(p) });
      expect(r).toEqual(direct.value);
      expect(seen.map((p) => p.index).sort()).toEqual([0, 1]);
      const last = progress[progress.length - 1];
      expect(last).toMatchObject({ total: 4, done: 4, fraction: 1, points: 2, pointsDone: 2, workers: Math.min(workers, 4) });
      expect(last.events).toBe(direct.value.points.reduce((s, p) => s + p.replications.reduce((t, x) => t + x.events, 0), 0));
      runner.dispose();
    }
  });

  it('a hysteresis ramp on 2 workers equals the sequential driver', async () => {
    const model = loop(35);
    const spec = { from: 0.5, to: 1.5, steps: 3, dwell: 200 };
    const direct = hysteresis(model, spec, { replications: 3 });
    const plan = planHysteresis(model, spec, { replications: 3 });
    if (!direct.ok || !plan.ok) throw new Error('plan');
    const runner = new ExperimentRunner({ createWorker: inProcessWorker, maxWorkers: 2 });
    expect(await runner.hysteresis(plan.value)).toEqual(direct.value);
    runner.dispose();
  });

  it('cancel rejects with a CancelledError, and the runner runs again', async () => {
    const model = loop(150);
    const plan = planTriggerSweep(model, { baseLoad: [1], triggerRate: [8, 15], triggerLength: [60, 120] }, opts);
    if (!plan.ok) throw new Error('plan');
    const runner = new ExperimentRunner({ createWorker: inProcessWorker, maxWorkers: 2 });
    const p = runner.triggerSweep(plan.value);
    expect(runner.running).toBe(true);
    runner.cancel();
    await expect(p).rejects.toSatisfy(isCancelled);
    expect(runner.running).toBe(false);
    const small = planTriggerSweep(model, grid, { ...opts, replications: 1 });
    if (!small.ok) throw new Error('plan');
    const r = await runner.triggerSweep(small.value);
    expect(r.points).toHaveLength(2);
    runner.dispose();
  });
});
