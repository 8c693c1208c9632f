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
import { SimRunner, isCancelled, type RunProgress, type WorkerLike } from './SimRunner.ts';

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

  it('a new run cancels the one in progress', async () => {
    const runner = makeRunner(1);
    const first = runner.run(mm1({ until: '100000000 s', replications: 1, warmup: 0 }));
    const model = mm1({ replications: 2 });
    const second = runner.run(model);
    await expect(first).rejects.toSatisfy(isCancelled);
    expect(withoutTiming(await second)).toEqual(withoutTiming(direct(model)));
  });
});
