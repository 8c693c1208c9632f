/**
 * The host: cores with run queues, and the NIC modes. Exact event times for single requests
 * through each mechanism, then queueing theory where it applies.
 */
import { describe, expect, it } from 'vitest';
import { runReplication, simulate } from './index';
import { LogHistogram } from './histogram';
import { chain, client, cores, det, exp, model, nic, sink } from '../../../tests/fixtures/build';

const node = (r: ReturnType<typeof runReplication>, id: string) => r.nodes.find((n) => n.id === id)!;
const e2e = (r: ReturnType<typeof runReplication>) => LogHistogram.fromJSON(node(r, 'k').response as never);
const us = 1e-6;

/** One request at t = 1 s (a deterministic client at 1/s over 1.5 s). */
const once = { process: 'deterministic' as const, rate: 1 };
const classFor = (service: string, size = 1000) => [{ name: service, weight: 1, service, priority: 0, size: det(size) }];

describe('one request through each mechanism (exact times)', () => {
  it('straight to the cores: wake-up, then the handler', () => {
    const m = model(
      [client('c', once), cores('h', { wakeup: det(4 * us), contextSwitch: det(5 * us), processes: [{ name: 'app', handler: det(10 * us), threads: 1 }] }), sink('k')],
      chain('c', 'h', 'k'),
      { until: 1.5 }
    );
    const h = e2e(runReplication(m, 0));
    expect(h.count).toBe(1);
    // The first thread a core ever runs costs no switch (nothing was running before).
    expect(h.sum).toBeCloseTo(14 * us, 15);
  });

  it('kernel NIC: wire, interrupt, stack, wake-up, handler', () => {
    const m = model(
      [
        client('c', { ...once, classes: classFor('app') }),
        nic('n', { lineRate: 8e6, interruptCost: det(2 * us), stackCost: det(3 * us) }),
        cores('h', { wakeup: det(4 * us), processes: [{ name: 'app', handler: det(10 * us), threads: 1 }] }),
        sink('k')
      ],
      chain('c', 'n', 'h', 'k'),
      { until: 1.5 }
    );
    // 1000 B at 8 Mbit/s = 1 ms on the wire.
    expect(e2e(runReplication(m, 0)).sum).toBeCloseTo(1e-3 + 19 * us, 15);
  });

  it('kernel NIC with coalescing: a lone packet waits for the moderation delay', () => {
    const m = model(
      [
        client('c', once),
        nic('n', { coalescing: { packets: 8, delay: 50 * us }, interruptCost: det(2 * us), stackCost: det(3 * us) }),
        cores('h', { processes: [{ name: 'app', handler: det(10 * us), threads: 1 }] }),
        sink('k')
      ],
      chain('c', 'n', 'h', 'k'),
      { until: 1.5 }
    );
    const r = runReplication(m, 0);
    expect(e2e(r).sum).toBeCloseTo(65 * us, 15);
    expect(node(r, 'h').extras.interrupts.value).toBe(1);
  });

  it('kernel NIC coalescing by count: eight back-to-back packets raise one interrupt', () => {
    const m = model(
      [
        client('c', { process: 'deterministic', rate: 1e6 }),
        nic('n', { coalescing: { packets: 8, delay: 1 }, interruptCost: det(2 * us), stackCost: det(0.1 * us) }),
        cores('h', { processes: [{ name: 'app', handler: det(0.1 * us), threads: 64 }] }),
        sink('k')
      ],
      chain('c', 'n', 'h', 'k'),
      { until: 8.5 * us }
    );
    const r = runReplication(m, 0);
    // Packets at 1..8 µs; the eighth raises the interrupt at 8 µs.
    expect(node(r, 'h').extras.interrupts.value).toBe(1);
    expect(node(r, 'h').arrivals).toBe(8);
  });

  it('bypass: the pinned core polls, then runs the handler to completion', () => {
    const m = model(
      [
        client('c', once),
        nic('n', { mode: 'bypass', pollCost: det(1 * us) }),
        cores('h', { count: 2, processes: [{ name: 'app', handler: det(10 * us), threads: 1 }] }),
        sink('k')
      ],
      chain('c', 'n', 'h', 'k'),
      { until: 1.5 }
    );
    const r = runReplication(m, 0);
    expect(e2e(r).sum).toBeCloseTo(11 * us, 15);
    // Both cores are pinned to the only process and spin the whole time they are not working.
    const h = node(r, 'h');
    expect(h.extras['cpu.polling'].value + h.extras['cpu.handler'].value + h.extras['cpu.stack'].value).toBeCloseTo(2 * 1.5, 9);
    expect(h.extras['cpu.idle'].value).toBe(0);
  });

  it('coherent: an idle core is given to the process (a switch), then the hand-off and the handler', () => {
    const m = model(
      [
        client('c', once),
        nic('n', { mode: 'coherent', coherenceLatency: det(1 * us) }),
        cores('h', { count: 2, contextSwitch: det(2 * us), processes: [{ name: 'app', handler: det(10 * us), threads: 1 }] }),
        sink('k')
      ],
      chain('c', 'n', 'h', 'k'),
      { until: 1.5 }
    );
    const r = runReplication(m, 0);
    expect(e2e(r).sum).toBeCloseTo(13 * us, 15);
    // After the request the core stalls in receive for 15 ms (polling), then goes idle.
    const h = node(r, 'h');
    expect(h.extras['cpu.polling'].value).toBeCloseTo(0.015, 12);
  });

  it('coherent: a core blocked in receive takes the next request without a switch', () => {
    const m = model(
      [
        client('c', { process: 'deterministic', rate: 1000 }), // every 1 ms, within the 15 ms try-again
        nic('n', { mode: 'coherent', coherenceLatency: det(1 * us) }),
        cores('h', { count: 1, contextSwitch: det(2 * us), processes: [{ name: 'app', handler: det(10 * us), threads: 1 }] }),
        sink('k')
      ],
      chain('c', 'n', 'h', 'k'),
      { until: 0.0105 }
    );
    const r = runReplication(m, 0);
    const h = e2e(r);
    expect(h.count).toBe(10);
    expect(h.sum).toBeCloseTo(13 * us + 9 * 11 * us, 14);
    expect(node(r, 'h').extras.contextSwitches.value).toBe(1);
  });

  it('a time slice: two CPU-bound threads on one core alternate every quantum', () => {
    const m = model(
      [
        client('a', { process: 'deterministic', rate: 1, classes: classFor('A') }),
        client('b', { process: 'deterministic', rate: 1, classes: classFor('B') }),
        cores('h', {
          quantum: 1e-3,
          contextSwitch: det(0.1e-3),
          processes: [
            { name: 'A', handler: det(3e-3), threads: 1 },
            { name: 'B', handler: det(3e-3), threads: 1 }
          ]
        }),
        sink('k')
      ],
      [...chain('a', 'h'), ...chain('b', 'h'), ...chain('h', 'k')],
      { until: 1.5 }
    );
    const r = runReplication(m, 0);
    // A [0,1] sw B [1.1,2.1] sw A [2.2,3.2] sw B [3.3,4.3] sw A [4.4,5.4] sw B [5.5,6.5] (ms).
    const h = e2e(r);
    expect(h.count).toBe(2);
    expect(h.sum).toBeCloseTo(5.4e-3 + 6.5e-3, 12);
    expect(node(r, 'h').extras.preemptions.value).toBe(4);
  });
});

describe('cores against queueing theory', () => {
  const run = (p: Parameters<typeof cores>[1]) =>
    simulate(
      model([client('c', { rate: 3 }), cores('h', p), sink('k')], chain('c', 'h', 'k'), {
        until: 40000,
        warmup: 'auto',
        replications: 10,
        // 99.9%: this file checks several intervals against theory, and each fixed-seed check
        // at 99% misses by luck once in a hundred random streams (seen when the exponential
        // sampler changed: W 1.5052 against 1.5094, the six next seeds all inside).
        confidence: 0.999
      })
    ).summary.nodes.k.response;
  const four = { count: 4, processes: [{ name: 'app', handler: exp(1), threads: 1000 }] };

  it('a global run queue, run to completion, exponential handlers: M/M/4 (Erlang C)', () => {
    // λ = 3, μ = 1, c = 4: P(wait) = 0.509434, Wq = 0.509434, W = 1.509434.
    const w = run({ ...four, scheduler: 'global' });
    expect(w.ci[0]).toBeLessThanOrEqual(1.509434);
    expect(w.ci[1]).toBeGreaterThanOrEqual(1.509434);
  });

  it('per-core run queues with random placement: four M/M/1 queues, worse than one shared queue', () => {
    // Each core sees λ/4 = 0.75: W = 1/(1 − 0.75) = 4, against 1.509 for the shared queue.
    const w = run({ ...four, scheduler: 'per-core', placement: 'hash' });
    expect(w.ci[0]).toBeLessThanOrEqual(4);
    expect(w.ci[1]).toBeGreaterThanOrEqual(4);
  });

  it('work stealing brings per-core queues close to the shared queue', () => {
    const w = run({ ...four, scheduler: 'per-core', placement: 'hash', workStealing: true });
    expect(w.mean).toBeLessThan(1.7);
    expect(w.mean).toBeGreaterThan(1.4);
  });
});
