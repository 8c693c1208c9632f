/**
 * SimRunner in Node: the real worker service, exposed over in-process MessageChannels instead
 * of Workers (the browser path is covered by tests/e2e). Checks that the worker count never
 * changes the numbers, that progress is reported, and that cancel works and the runner can
 * run again.
 */
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { load } from '../model/index.ts';
import type { NormalizedModel } from '../model/types.ts';
import { Replication, summarize, type ReplicationResult, type SimSummary } from '../sim/index.ts';
import { createSimService } from '../../../workers/simService.ts';
import { metric, sweep as directSweep, withParams } from '../sim/sweep.ts';
import { SimRunner, isCancelled, type RunProgress, type SweepPointResult, type WorkerLike } from './SimRunner.ts';
import { DISTRIBUTION_LEVELS } from './distributions.ts';

function inProcessWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  const service = createSimService();
  Comlink.expose(service, port2);
  return Object.assign(port1, {
    terminate() {
      service.cancel(); // a terminated Worker stops at once; in-process, its loop must be told
      port1.close();
      port2.close();
    }
  });
}

function mm1(run: Record<string, unknown>): NormalizedModel {
  const r = load({
    format: 'systems-sandbox/model',
    version: 1,
    name: 'runner test',
    run: { until: '2000 s', warmup: '100 s', seed: 7, replications: 4, ...run },
    nodes: [
      { id: 'c', kind: 'client', params: { rate: '1/s' } },
      { id: 'q', kind: 'queue' },
      { id: 's', kind: 'server', params: { servers: 1, service: { dist: 'exp', mean: '500 ms' } } },
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

function direct(model: NormalizedModel): SimSummary {
  const reps: ReplicationResult[] = [];
  for (let i = 0; i < model.run.replications; i++) {
    const rep = new Replication(model, i);
    while (!rep.advance(Infinity));
    reps.push(rep.finish());
  }
  return summarize(model, reps);
}

function withoutTiming(s: SimSummary) {
  const { eventsPerSecond: _t, ...rest } = s;
  return rest;
}

let runners: SimRunner[] = [];
function makeRunner(maxWorkers: number): SimRunner {
  const r = new SimRunner({ maxWorkers, createWorker: inProcessWorker });
  runners.push(r);
  return r;
}
afterEach(() => {
  for (const r of runners) r.dispose();
  runners = [];
});

describe('SimRunner', () => {
  it('gives the same summary as a direct run, for any worker count', async () => {
    const model = mm1({});
    const expected = withoutTiming(direct(model));
    for (const workers of [1, 2, 3]) {
      const got = await makeRunner(workers).run(model);
      expect(withoutTiming(got)).toEqual(expected);
      expect(got.eventsPerSecond).toBeGreaterThan(0);
    }
  });

  it('reports progress up to every replication done', async () => {
    const model = mm1({ replications: 3 });
    const seen: RunProgress[] = [];
    await makeRunner(2).run(model, { onProgress: (p) => seen.push(p) });
    const last = seen.at(-1)!;
    expect(last.done).toBe(3);
    expect(last.total).toBe(3);
    expect(last.fraction).toBe(1);
    expect(last.running).toEqual([]);
    expect(last.events).toBe(direct(model).events);
    expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done)).toBe(true);
  });

  it('cancels a run, then runs again', async () => {
    const runner = makeRunner(2);
    const long = mm1({ until: '100000000 s', replications: 2, warmup: 0 });
    let firstFrame: () => void = () => undefined;
    const started = new Promise<void>((res) => (firstFrame = res));
    const run = runner.run(long, { onProgress: (p) => p.events > 0 && firstFrame() });
    await started;
    runner.cancel();
    const err = await run.then(
      () => null,
      (e: unknown) => e
    );
    expect(isCancelled(err)).toBe(true);
    expect(runner.running).toBe(false);

    const model = mm1({ replications: 2 });
    expect(withoutTiming(await runner.run(model))).toEqual(withoutTiming(direct(model)));
  });

  it('pauses, steps and resumes with the numbers of a run never paused', async () => {
    const model = mm1({ until: '300000 s', replications: 3, warmup: 'auto' });
    const expected = withoutTiming(direct(model));
    const runner = makeRunner(2);
    const seen: RunProgress[] = [];
    let firstFrame: () => void = () => undefined;
    const started = new Promise<void>((res) => (firstFrame = res));
    const run = runner.run(model, {
      onProgress: (p) => {
        seen.push(p);
        if (p.events > 0) firstFrame();
      }
    });
    await started;
    runner.pause();
    expect(runner.paused).toBe(true);
    // Let the workers finish their slice and send where they stopped; then nothing moves.
    await new Promise((r) => setTimeout(r, 150));
    const held = seen.at(-1)!;
    expect(held.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.at(-1)!.events).toBe(held.events);
    expect(held.done).toBeLessThan(3);

    // Each step advances every running replication by 1% of its simulated time, and stays paused.
    let before = held;
    for (let k = 0; k < 3; k++) {
      await runner.step();
      const after = seen.at(-1)!;
      expect(after.paused).toBe(true);
      expect(after.events).toBeGreaterThan(before.events);
      for (const r of after.running) {
        const was = before.running.find((x) => x.replication === r.replication);
        if (!was) continue;
        // At least the step (3,000 s); at most the step plus a 64-event chunk (~30 s here).
        expect(r.now - was.now).toBeGreaterThanOrEqual(3000);
        expect(r.now - was.now).toBeLessThan(3000 + 200);
      }
      before = after;
    }
    // A step by events: exactly that many more events per running replication.
    const n = before.running.length;
    await runner.step({ events: 500 });
    expect(seen.at(-1)!.events - before.events).toBe(500 * n);

    runner.resume();
    expect(runner.paused).toBe(false);
    const got = await run;
    expect(withoutTiming(got)).toEqual(expected);
    expect(seen.at(-1)!.paused).toBeUndefined();

    // The next run on the same workers is not paused.
    const small = mm1({ replications: 2 });
    expect(withoutTiming(await runner.run(small))).toEqual(withoutTiming(direct(small)));
  });

  it('cancels a paused run, and the next run is not paused', async () => {
    const runner = makeRunner(2);
    const long = mm1({ until: '100000000 s', replications: 2, warmup: 0 });
    let firstFrame: () => void = () => undefined;
    const started = new Promise<void>((res) => (firstFrame = res));
    const run = runner.run(long, { onProgress: (p) => p.events > 0 && firstFrame() });
    await started;
    runner.pause();
    await new Promise((r) => setTimeout(r, 50));
    runner.cancel();
    await expect(run).rejects.toSatisfy(isCancelled);
    expect(runner.paused).toBe(false);
    const model = mm1({ replications: 2 });
    expect(withoutTiming(await runner.run(model))).toEqual(withoutTiming(direct(model)));
  });

  it('a new run cancels the one in progress', async () => {
    const runner = makeRunner(1);
    const first = runner.run(mm1({ until: '100000000 s', replications: 1, warmup: 0 }));
    const model = mm1({ replications: 2 });
    const second = runner.run(model);
    await expect(first).rejects.toSatisfy(isCancelled);
    expect(withoutTiming(await second)).toEqual(withoutTiming(direct(model)));
  });

  it('runDetailed gives the same summary, and distributions that agree with its percentiles', async () => {
    const model = mm1({ replications: 3, warmup: 'auto' });
    const { summary, distributions } = await makeRunner(2).runDetailed(model);
    expect(withoutTiming(summary)).toEqual(withoutTiming(direct(model)));
    for (const [id, s] of Object.entries(summary.nodes)) {
      const d = distributions[id];
      if (s.response.count === 0) {
        expect(d).toBeUndefined();
        continue;
      }
      expect(d.count).toBe(s.response.count);
      const at = (q: number) => d.values[d.levels.indexOf(q)];
      // The same pooled histogram after the same warm-up: the summary's percentiles exactly.
      expect(at(0.5)).toBe(s.response.p50);
      expect(at(0.9)).toBe(s.response.p90);
      expect(at(0.95)).toBe(s.response.p95);
      expect(at(0.99)).toBe(s.response.p99);
      expect(at(0.999)).toBe(s.response.p999);
      expect(d.levels).toEqual([...DISTRIBUTION_LEVELS]);
      expect(d.values.every((v, i) => i === 0 || v >= d.values[i - 1])).toBe(true);
    }
  });
});

describe('SimRunner.sweep', () => {
  const rates = [0.5, 1, 1.5];
  const metrics = { W: metric.meanResponse('k'), X: metric.throughput('k') };

  it('equals the engine\'s own sweep, point by point, for any worker count', async () => {
    const base = mm1({ until: '1000 s', replications: 3 });
    const expected = directSweep(base, rates, (m, v) => withParams(m, 'c', { rate: v }), metrics);
    for (const workers of [1, 3]) {
      const seen: number[] = [];
      const got = await makeRunner(workers).sweep(
        rates.map((v) => withParams(base, 'c', { rate: v })),
        { replications: 3, metrics, onPoint: (p) => seen.push(p.point) }
      );
      expect(got.map((p) => p.metrics)).toEqual(expected.map((p) => p.metrics));
      expect(got.map((p) => withoutTiming(p.summary))).toEqual(expected.map((p) => withoutTiming(p.summary)));
      expect([...seen].sort()).toEqual([0, 1, 2]);
    }
  });

  it('uses common random numbers: W rises with λ in every replication', async () => {
    const base = mm1({ until: '2000 s', replications: 4 });
    const got: SweepPointResult[] = await makeRunner(2).sweep(
      rates.map((v) => withParams(base, 'c', { rate: v })),
      { metrics }
    );
    // Same arrivals (scaled) and the same service draws at every point: each replication's
    // mean response grows with the load, which independent streams would not guarantee.
    for (let r = 0; r < 4; r++) {
      const w = got.map((p) => p.metrics.W.values[r]);
      expect(w[0]).toBeLessThan(w[1]);
      expect(w[1]).toBeLessThan(w[2]);
    }
    // And the means sit near M/M/1's W = 1/(μ − λ) with μ = 2.
    got.forEach((p, i) => {
      const theory = 1 / (2 - rates[i]);
      const half = (p.metrics.W.ci[1] - p.metrics.W.ci[0]) / 2;
      expect(Math.abs(p.metrics.W.mean - theory)).toBeLessThan(3 * half + 0.05 * theory);
    });
  });

  it('reports progress by points, and cancels', async () => {
    const runner = makeRunner(2);
    const base = mm1({ until: '1000 s', replications: 2 });
    const seen: RunProgress[] = [];
    await runner.sweep(
      rates.map((v) => withParams(base, 'c', { rate: v })),
      { metrics, onProgress: (p) => seen.push(p) }
    );
    const last = seen.at(-1)!;
    expect(last.total).toBe(6);
    expect(last.done).toBe(6);
    expect(last.points).toBe(3);
    expect(last.pointsDone).toBe(3);
    expect(last.fraction).toBe(1);

    const long = mm1({ until: '100000000 s', replications: 2, warmup: 0 });
    let firstFrame: () => void = () => undefined;
    const started = new Promise<void>((res) => (firstFrame = res));
    const points: number[] = [];
    const sweep = runner.sweep([long, long], { metrics, onProgress: (p) => p.events > 0 && firstFrame(), onPoint: (p) => points.push(p.point) });
    await started;
    runner.cancel();
    await expect(sweep).rejects.toSatisfy(isCancelled);
    expect(points).toEqual([]);
    expect(runner.running).toBe(false);
  });

  it('fails with the metric\'s error when a metric cannot be read', async () => {
    const base = mm1({ until: '200 s', replications: 1 });
    await expect(makeRunner(1).sweep([base], { metrics: { bad: metric.meanResponse('nope') } })).rejects.toThrow('no node "nope"');
  });
});
