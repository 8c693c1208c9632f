import { describe, expect, it } from 'vitest';
import { load } from '../restore.ts';
import { oneNode } from '../testing.ts';
import { NODE_KINDS, type NodeKind, type NormalizedNode } from '../types.ts';
import { CLIENT_DEFAULTS, RETRY_DEFAULTS } from './client.ts';
import { KINDS, kindDef } from './index.ts';
import { LINK_DEFAULTS } from './link.ts';
import { QUEUE_DEFAULTS } from './queue.ts';
import { ROUTER_DEFAULTS } from './router.ts';
import { SERVER_DEFAULTS } from './server.ts';

/** Normalised params of a single node, or the issues. */
function params(kind: NodeKind, p?: Record<string, unknown>): NormalizedNode['params'] {
  const r = load(oneNode(kind, p));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value.model.nodes[0].params;
}

function issues(kind: NodeKind, p?: Record<string, unknown>) {
  const r = load(oneNode(kind, p));
  return r.ok ? [] : r.issues;
}

describe('registry', () => {
  it('has every kind of MODEL.md §3, keyed by its kind string', () => {
    expect(Object.keys(KINDS).sort()).toEqual([...NODE_KINDS].sort());
    for (const k of NODE_KINDS) expect(KINDS[k].kind).toBe(k);
    expect(kindDef('queue')).toBe(KINDS.queue);
    expect(kindDef('toString')).toBeUndefined();
  });

  it('declares the ports of the brief', () => {
    const ports = Object.fromEntries(NODE_KINDS.map((k) => [k, KINDS[k].ports]));
    expect(ports).toEqual({
      client: { in: [], out: ['out'] },
      link: { in: ['in'], out: ['out'] },
      queue: { in: ['in'], out: ['out'] },
      server: { in: ['in'], out: ['out'] },
      router: { in: ['in'], out: ['out'] },
      sink: { in: ['in'], out: [] },
      cache: { in: ['in'], out: ['hit', 'miss'] },
      cores: { in: ['in'], out: ['out'] },
      nic: { in: ['in'], out: ['out'] },
      batcher: { in: ['in'], out: ['out'] },
      spawner: { in: ['in'], out: ['out'] },
      replicas: { in: ['in'], out: ['out'] }
    });
    expect(NODE_KINDS.filter((k) => KINDS[k].fanOut)).toEqual(['router']);
  });

  it('freezes defaults', () => {
    expect(Object.isFrozen(KINDS.client.defaults)).toBe(true);
    expect(Object.isFrozen(KINDS.client.defaults.classes[0].size)).toBe(true);
  });

  it('fills every default when params are omitted, for every kind', () => {
    for (const k of NODE_KINDS) {
      expect(params(k)).toEqual(KINDS[k].defaults);
      expect(params(k, {})).toEqual(KINDS[k].defaults);
    }
  });

  it('returns fresh objects, never the shared defaults', () => {
    const a = params('client') as typeof CLIENT_DEFAULTS;
    a.classes[0].name = 'changed';
    expect(KINDS.client.defaults.classes[0].name).toBe('default');
  });
});

describe('documented defaults', () => {
  it('client', () => {
    expect(CLIENT_DEFAULTS).toEqual({
      mode: 'open',
      rate: 1,
      process: 'poisson',
      mmpp: null,
      interarrival: null,
      schedule: [],
      users: 10,
      thinkTime: { dist: 'exp', mean: 1 },
      classes: [{ name: 'default', weight: 1, service: '', priority: 0, size: { dist: 'det', value: 1024 } }],
      timeout: null,
      deadline: null,
      retry: null,
      cancelOnTimeout: false,
      responseLatency: { dist: 'det', value: 0 }
    });
  });
  it('link, queue, server, router, sink', () => {
    expect(LINK_DEFAULTS).toEqual({ latency: { dist: 'det', value: 0 }, bandwidth: Infinity, loss: 0 });
    expect(QUEUE_DEFAULTS).toEqual({ capacity: Infinity, discipline: 'fifo', target: 0.005, interval: 0.1, onFull: 'drop' });
    expect(SERVER_DEFAULTS).toEqual({
      servers: 1,
      service: { dist: 'exp', mean: 0.5 },
      discipline: 'fcfs',
      limit: Infinity,
      serviceByClass: {},
      contention: 0
    });
    expect(ROUTER_DEFAULTS).toEqual({ policy: 'random', staleness: 0 });
    expect(KINDS.sink.defaults).toEqual({});
  });
});

describe('client', () => {
  it('converts units', () => {
    expect(
      params('client', {
        mode: 'closed',
        rate: '30/min',
        users: 5,
        thinkTime: '2 s',
        timeout: '5 s',
        responseLatency: { dist: 'exp', mean: '1 ms' }
      })
    ).toMatchObject({
      mode: 'closed',
      rate: 0.5,
      users: 5,
      thinkTime: { dist: 'det', value: 2 },
      timeout: 5,
      deadline: 5, // = timeout
      responseLatency: { dist: 'exp', mean: 0.001 }
    });
  });

  it('deadline: explicit value or explicit null win over the timeout', () => {
    expect(params('client', { timeout: '5 s', deadline: '1 s' })).toMatchObject({ timeout: 5, deadline: 1 });
    expect(params('client', { timeout: '5 s', deadline: null })).toMatchObject({ timeout: 5, deadline: null });
    expect(params('client', { timeout: null })).toMatchObject({ timeout: null, deadline: null });
  });

  it('MMPP: required with process "mmpp", null otherwise', () => {
    expect(params('client', { process: 'mmpp', mmpp: { burstRate: '20/s', meanOn: '10 s', meanOff: '1 min' } })).toMatchObject({
      process: 'mmpp',
      mmpp: { burstRate: 20, meanOn: 10, meanOff: 60 }
    });
    expect(params('client', { mmpp: { burstRate: 1, meanOn: 1, meanOff: 1 } })).toMatchObject({ process: 'poisson', mmpp: null });
    expect(issues('client', { process: 'mmpp' })).toEqual([
      {
        path: 'nodes[0].params.mmpp',
        message: 'expected MMPP settings {burstRate, meanOn, meanOff} when process is "mmpp", got nothing'
      }
    ]);
    expect(issues('client', { process: 'mmpp', mmpp: { burstRate: 1, meanOn: 0, meanOff: 1 } })[0].path).toBe(
      'nodes[0].params.mmpp.meanOn'
    );
    expect(issues('client', { process: 'mmpp', mmpp: { burstRate: 1, meanOff: 1 } })).toEqual([
      { path: 'nodes[0].params.mmpp.meanOn', message: 'expected a duration > 0 like "100 ms", got nothing' }
    ]);
  });

  it('sorts the schedule by time, stably', () => {
    expect(
      params('client', {
        schedule: [
          { at: '2 min', rate: '3/s' },
          { at: 0, rate: 1 },
          { at: '60 s', rate: 2 },
          { at: '1 min', rate: 5 }
        ]
      })
    ).toMatchObject({
      schedule: [
        { at: 0, rate: 1 },
        { at: 60, rate: 2 },
        { at: 60, rate: 5 },
        { at: 120, rate: 3 }
      ]
    });
  });

  it('fills class fields and names; sizes take size units or size distributions', () => {
    const p = params('client', {
      classes: [{ weight: 3 }, { name: 'bulk', size: '1 MiB', priority: 2 }, { size: { dist: 'exp', mean: '2 KiB' } }]
    }) as typeof CLIENT_DEFAULTS;
    expect(p.classes).toEqual([
      { name: 'default', weight: 3, service: '', priority: 0, size: { dist: 'det', value: 1024 } },
      { name: 'bulk', weight: 1, service: '', priority: 2, size: { dist: 'det', value: 1048576 } },
      { name: 'class3', weight: 1, service: '', priority: 0, size: { dist: 'exp', mean: 2048 } }
    ]);
  });

  it('refuses duplicate class names, zero total weight and empty class lists', () => {
    expect(issues('client', { classes: [{ name: 'a' }, { name: 'a' }] })).toEqual([
      { path: 'nodes[0].params.classes[1].name', message: 'duplicate class name "a" (also classes[0])' }
    ]);
    expect(issues('client', { classes: [{}, { name: 'default' }] })[0].path).toBe('nodes[0].params.classes[1].name');
    expect(issues('client', { classes: [{ weight: 0 }] })[0].path).toBe('nodes[0].params.classes');
    expect(issues('client', { classes: [] })[0].message).toContain('at least one');
  });

  it('retry: converts units and fills the documented defaults', () => {
    const retry = { maxAttempts: 6, backoff: { kind: 'exponential', base: '10 ms' } };
    expect(params('client', { retry })).toMatchObject({
      retry: {
        maxAttempts: 6,
        backoff: { kind: 'exponential', base: 0.01, multiplier: 2, cap: Infinity },
        jitter: 'none',
        retryOn: ['timeout', 'reject', 'drop'],
        budget: null,
        circuitBreaker: null
      },
      cancelOnTimeout: false
    });
    expect(params('client', { retry: {} })).toMatchObject({ retry: RETRY_DEFAULTS });
    expect(
      params('client', {
        retry: { budget: {}, circuitBreaker: { window: '1 min' }, retryOn: ['drop', 'drop'], jitter: 'full' },
        cancelOnTimeout: true
      })
    ).toMatchObject({
      retry: {
        budget: { ratio: 0.2, minPerSecond: 10 },
        circuitBreaker: { failureRatio: 0.5, window: 60, openFor: 5, minRequests: 10 },
        retryOn: ['drop'],
        jitter: 'full'
      },
      cancelOnTimeout: true
    });
  });

  it('retry: locates bad values', () => {
    expect(issues('client', { retry: 3 })[0]).toEqual({
      path: 'nodes[0].params.retry',
      message: 'expected retry settings {maxAttempts, backoff, jitter, retryOn, budget, circuitBreaker}, got 3'
    });
    expect(issues('client', { retry: { maxAttempts: 0 } })).toEqual([
      { path: 'nodes[0].params.retry.maxAttempts', message: 'expected a whole number ≥ 1, got 0' }
    ]);
    expect(issues('client', { retry: { retryOn: ['timeout', 'error'] } })[0].path).toBe('nodes[0].params.retry.retryOn[1]');
    expect(issues('client', { retry: { jitter: 'random' } })[0].message).toBe(
      'expected one of "none", "full", "equal" or "decorrelated", got "random"'
    );
    expect(issues('client', { retry: { backoff: { kind: 'exponential', base: '1 s', cap: '100 ms' } } })).toEqual([
      { path: 'nodes[0].params.retry.backoff.cap', message: 'expected a cap ≥ base ("1 s"), got "100 ms"' }
    ]);
    expect(issues('client', { retry: { backoff: { multiplier: 0.5 } } })[0].path).toBe('nodes[0].params.retry.backoff.multiplier');
    expect(issues('client', { retry: { circuitBreaker: { failureRatio: 0 } } })[0].path).toBe(
      'nodes[0].params.retry.circuitBreaker.failureRatio'
    );
    expect(issues('client', { retry: { budget: { ratio: -1 } } })[0].path).toBe('nodes[0].params.retry.budget.ratio');
    expect(issues('client', { cancelOnTimeout: 'yes' })[0]).toEqual({
      path: 'nodes[0].params.cancelOnTimeout',
      message: 'expected true or false, got "yes"'
    });
  });

  it('locates bad values', () => {
    expect(issues('client', { mode: 'half-open' })).toEqual([
      { path: 'nodes[0].params.mode', message: 'expected one of "open" or "closed", got "half-open"' }
    ]);
    expect(issues('client', { rate: '5 per second' })[0].path).toBe('nodes[0].params.rate');
    expect(issues('client', { users: 2.5 })).toEqual([
      { path: 'nodes[0].params.users', message: 'expected a whole number ≥ 1, got 2.5' }
    ]);
    expect(issues('client', { timeout: 0 })[0].message).toBe('expected a duration > 0 like "100 ms", got 0');
  });
});

describe('queue, server, link, router', () => {
  it('queue', () => {
    expect(params('queue', { capacity: 0, discipline: 'codel', target: '10 ms', interval: '200 ms', onFull: 'reject' })).toEqual({
      capacity: 0,
      discipline: 'codel',
      target: 0.01,
      interval: 0.2,
      onFull: 'reject'
    });
    expect(params('queue', { capacity: 'infinite' })).toMatchObject({ capacity: Infinity });
    expect(issues('queue', { capacity: 'ten' })).toEqual([
      { path: 'nodes[0].params.capacity', message: 'expected a whole number ≥ 0, got "ten"' }
    ]);
    expect(issues('queue', { capacity: 'unlimited' })[0].message).toBe(
      'expected a whole number ≥ 0 or "infinite" (exactly so), got "unlimited"'
    );
    expect(issues('queue', { capacity: -1 })[0].message).toBe('expected a whole number ≥ 0, got -1');
    expect(issues('queue', { discipline: 'random' })[0].message).toBe(
      'expected one of "fifo", "lifo", "priority", "codel" or "adaptive-lifo", got "random"'
    );
  });

  it('server', () => {
    expect(
      params('server', {
        servers: 'infinite',
        service: '20 ms',
        discipline: 'ps',
        limit: 8,
        serviceByClass: { bulk: { dist: 'exp', mean: '1 s' }, 'odd name': 1 },
        contention: '1 ms'
      })
    ).toEqual({
      servers: Infinity,
      service: { dist: 'det', value: 0.02 },
      discipline: 'ps',
      limit: 8,
      serviceByClass: { bulk: { dist: 'exp', mean: 1 }, 'odd name': { dist: 'det', value: 1 } },
      contention: 0.001
    });
    expect(issues('server', { servers: 0 })[0]).toEqual({
      path: 'nodes[0].params.servers',
      message: 'expected a whole number ≥ 1, got 0'
    });
    expect(issues('server', { servers: 1.5 })[0].message).toBe('expected a whole number ≥ 1, got 1.5');
    expect(issues('server', { serviceByClass: { 'odd name': { dist: 'exp', mean: 0 } } })[0].path).toBe(
      'nodes[0].params.serviceByClass["odd name"].mean'
    );
    expect(issues('server', { serviceByClass: [] })[0].path).toBe('nodes[0].params.serviceByClass');
  });

  it('link', () => {
    expect(params('link', { latency: { dist: 'uniform', min: '1 ms', max: '2 ms' }, bandwidth: '10 Gbit/s', loss: 0.01 })).toEqual({
      latency: { dist: 'uniform', min: 0.001, max: 0.002 },
      bandwidth: 1e10,
      loss: 0.01
    });
    expect(params('link', { bandwidth: 'infinite' })).toMatchObject({ bandwidth: Infinity });
    expect(issues('link', { loss: 1.5 })[0]).toEqual({
      path: 'nodes[0].params.loss',
      message: 'expected a probability between 0 and 1, got 1.5'
    });
    expect(issues('link', { bandwidth: 0 })[0].message).toBe(
      'expected a bandwidth > 0 like "10 Gbit/s" or "infinite", got 0'
    );
    expect(issues('link', { bandwidth: '10 GB/s' })[0].message).toContain('unknown unit "GB/s"');
  });

  it('router', () => {
    expect(params('router', { policy: 'p2c', staleness: '50 ms' })).toEqual({ policy: 'p2c', staleness: 0.05 });
    expect(issues('router', { policy: 'fastest' })[0].path).toBe('nodes[0].params.policy');
  });
});

describe('kinds kept for later issues: validated, converted, unknown fields kept', () => {
  it('cores', () => {
    const p = params('cores', {
      count: 8,
      processes: [{ name: 'web', handler: { dist: 'exp', mean: '200 us' }, threads: 4, extra: true }, { name: 'db', handler: '1 ms' }],
      scheduler: 'global',
      quantum: '4 ms',
      contextSwitch: '5 us',
      future: { anything: 1 }
    });
    expect(p).toMatchObject({
      count: 8,
      processes: [
        { name: 'web', handler: { dist: 'exp', mean: 0.0002 }, threads: 4, extra: true },
        { name: 'db', handler: { dist: 'det', value: 0.001 }, threads: 1 }
      ],
      scheduler: 'global',
      placement: 'hash',
      workStealing: false,
      quantum: 0.004,
      contextSwitch: { dist: 'det', value: 5e-6 },
      future: { anything: 1 }
    });
    expect(issues('cores', { count: 0 })[0]).toEqual({ path: 'nodes[0].params.count', message: 'expected a whole number ≥ 1, got 0' });
    expect(issues('cores', { processes: [{ name: 'a', handler: 1 }, { name: 'a', handler: 1 }] })[0]).toEqual({
      path: 'nodes[0].params.processes[1].name',
      message: 'duplicate process name "a" (also processes[0])'
    });
    expect(issues('cores', { processes: [{ name: 'a' }] })[0].path).toBe('nodes[0].params.processes[0].handler');
    expect(issues('cores', { scheduler: 'cfs' })[0].path).toBe('nodes[0].params.scheduler');
  });

  it('nic', () => {
    expect(
      params('nic', { mode: 'coherent', lineRate: '100 Gbit/s', ringSize: 512, perPacket: '50 ns', coalescing: { packets: 8 }, tryAgain: '10 ms' })
    ).toMatchObject({
      mode: 'coherent',
      lineRate: 1e11,
      ringSize: 512,
      rxQueues: 1,
      perPacket: { dist: 'det', value: 5e-8 },
      coalescing: { packets: 8, delay: 0 },
      tryAgain: 0.01,
      preemptAt: 0.5
    });
    expect(issues('nic', { mode: 'dpdk' })[0].path).toBe('nodes[0].params.mode');
    expect(issues('nic', { preemptAt: 2 })[0].path).toBe('nodes[0].params.preemptAt');
    expect(issues('nic', { lineRate: '10 furlongs' })[0].message).toContain('unknown unit');
  });

  it('batcher', () => {
    expect(params('batcher', { policy: 'nagle', maxBatch: 64, flushCost: { fixed: '20 us' } })).toMatchObject({
      policy: 'nagle',
      maxBatch: 64,
      maxWait: 0.001,
      flushCost: { fixed: { dist: 'det', value: 2e-5 }, perItem: { dist: 'det', value: 0 } },
      flushers: 1
    });
    expect(issues('batcher', { flushers: 0 })[0].path).toBe('nodes[0].params.flushers');
    expect(issues('batcher', { probe: -0.1 })[0].path).toBe('nodes[0].params.probe');
    expect(params('batcher')).toMatchObject({ policy: 'size-or-timeout', window: 1, probe: 0.1, adaptiveBatching: 'nagle' });
    expect(issues('batcher', { adaptiveBatching: 'timeout' })[0].path).toBe('nodes[0].params.adaptiveBatching');
  });

  it('spawner', () => {
    expect(params('spawner', { mechanism: 'spork', parentMemory: '2 GiB', forkCost: { fixed: '100 us', perMiB: '5 us' }, spork: { rewritable: 0.9 } })).toMatchObject({
      mechanism: 'spork',
      parentMemory: 2 * 1024 ** 3,
      forkCost: { fixed: { dist: 'det', value: 1e-4 }, perMiB: 5e-6 },
      spork: { rewritable: 0.9, analysisCost: { dist: 'det', value: 0 } },
      parents: 1
    });
    expect(issues('spawner', { parentMemory: '2 GHz' })[0].path).toBe('nodes[0].params.parentMemory');
    expect(issues('spawner', { mechanism: 'vfork' })[0].path).toBe('nodes[0].params.mechanism');
    // Defaults: the calibration of PAPERS.md §3 (fork 1.7 ms + 38 µs/MiB, posix_spawn 1 ms).
    expect(params('spawner')).toMatchObject({
      forkCost: { fixed: { dist: 'det', value: 0.0017 }, perMiB: 38e-6 },
      spawnCost: { dist: 'det', value: 0.001 },
      service: { dist: 'det', value: 0 }
    });
    expect(params('spawner', { forkCost: { perMiB: '50 us' } })).toMatchObject({ forkCost: { fixed: { dist: 'det', value: 0.0017 }, perMiB: 5e-5 } });
    expect(issues('spawner', { service: '-1 ms' })[0].path).toBe('nodes[0].params.service');
  });

  it('replicas: quorum defaults by protocol and n', () => {
    expect(params('replicas')).toMatchObject({ protocol: 'raft', n: 3, quorums: { persistence: 2, viewChange: 2 } });
    expect(params('replicas', { n: 5 })).toMatchObject({ quorums: { persistence: 3, equivocation: 3 } });
    expect(params('replicas', { protocol: 'pbft' })).toMatchObject({ n: 4, quorums: { persistence: 3 } });
    expect(params('replicas', { protocol: 'pbft', n: 7, quorums: { viewChangeTrigger: 3 } })).toMatchObject({
      quorums: { persistence: 5, viewChange: 5, equivocation: 5, viewChangeTrigger: 3 }
    });
    expect(params('replicas', { electionTimeout: ['150 ms', '300 ms'], mttf: '1 h' })).toMatchObject({
      electionTimeout: [0.15, 0.3],
      mttf: 3600,
      mttr: null
    });
  });

  it('replicas: lengths, names and bounds', () => {
    expect(issues('replicas', { n: 3, failureProbability: [0.1, 0.1] })[0]).toEqual({
      path: 'nodes[0].params.failureProbability',
      message: 'expected one failure probability per node (3), got 2'
    });
    expect(issues('replicas', { n: 3, quorums: { persistence: 4 } })[0]).toEqual({
      path: 'nodes[0].params.quorums.persistence',
      message: 'expected a quorum of at most n = 3, got 4'
    });
    expect(issues('replicas', { n: 2, domain: ['a', 'b'], domains: [{ name: 'a' }] })[0]).toEqual({
      path: 'nodes[0].params.domain[1]',
      message: 'no domain named "b" in domains'
    });
    expect(issues('replicas', { n: 2, domain: ['a'] })[0].path).toBe('nodes[0].params.domain');
    expect(issues('replicas', { electionTimeout: ['300 ms', '150 ms'] })[0].path).toBe('nodes[0].params.electionTimeout[1]');
    expect(issues('replicas', { electionTimeout: ['300 ms'] })[0].path).toBe('nodes[0].params.electionTimeout');
    expect(issues('replicas', { failureProbability: 1.5 })[0].path).toBe('nodes[0].params.failureProbability');
    expect(params('replicas', { n: 2, failureProbability: [0.1, 0.2], domain: ['a', 'a'], domains: [{ name: 'a' }] })).toMatchObject({
      failureProbability: [0.1, 0.2],
      domains: [{ name: 'a', failureProbability: 0 }]
    });
  });

  it('cache', () => {
    expect(params('cache', { capacity: 500, keys: 1e6, s: 0.99, ttl: '60 s', lookupCost: '100 us' })).toEqual({
      capacity: 500,
      keys: 1e6,
      s: 0.99,
      ttl: 60,
      lookupCost: { dist: 'det', value: 1e-4 }
    });
    expect(issues('cache', { capacity: -5 })[0].path).toBe('nodes[0].params.capacity');
    expect(issues('cache', { ttl: 0 })[0].path).toBe('nodes[0].params.ttl');
  });
});
