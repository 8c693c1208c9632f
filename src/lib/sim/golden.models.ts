/**
 * The models of the golden test (golden.test.ts): every example and validation model with a
 * shorter run, random networks, and hand-built models that reach every behaviour and option
 * that changes the engine's path (timeouts and retries, every router policy, every cores / NIC
 * mode, batcher policies, spawner mechanisms, replicas, cache, faults of every action).
 *
 * Documents go through `load`, so the defaults are the documented ones and a model that the
 * model layer would refuse cannot slip in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from '../model/index';
import type { NormalizedModel } from '../model/types';
import { randomNetwork } from '../../../tests/fixtures/randomNetwork';

export interface GoldenCase {
  name: string;
  model: NormalizedModel;
  replications: number[];
}

const ROOT = join(import.meta.dirname, '../../..');

function fromDoc(name: string, doc: unknown): NormalizedModel {
  const r = load(doc);
  if (!r.ok) throw new Error(`golden model ${name}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return r.value.model;
}

/** A shorter run: `until` × f, warm-up scaled alike, 200 buckets (so bucket ticks happen). */
function shorter(m: NormalizedModel, f: number): NormalizedModel {
  const until = m.run.until * f;
  const warmup = m.run.warmup === 'auto' ? 'auto' : m.run.warmup * f;
  return { ...m, run: { ...m.run, until, warmup, bucket: until / 200 } };
}

/** Events of the full runs range from 40,000 to 4.5 million: aim for a few tens of thousands each. */
const SHORTEN: Record<string, number> = { 'nic-as-os.json': 1 / 40 };

/**
 * The example and validation models that existed when the reference was taken (a listed file,
 * not a folder scan: a new example must not break this test; add it here with its values).
 */
const JSON_MODELS = [
  'static/models/batching.json',
  'static/models/metastable-retry-storm-bound-35.json',
  'static/models/metastable-retry-storm.json',
  'static/models/mm1.json',
  'static/models/nic-as-os.json',
  'static/models/spork.json',
  ...[
    'closed-mva', 'erlang-b-10', 'erlang-b', 'gim1-erlang2', 'jackson-feedback', 'jackson-tandem', 'jsq-central-queue',
    'md1-nic', 'md1', 'mg1-hyperexp', 'mg1-uniform', 'mm1-5', 'mm1-lcfs', 'mm1-overload', 'mm1-ps', 'mm1', 'mm2-3',
    'mm3-states', 'mm3', 'mminf', 'mmpp-inf', 'priority-np', 'ps-hyperexp', 'retry-amplification', 'retry-budget'
  ].map((f) => `tests/validation/models/${f}.json`)
];

function jsonModels(): GoldenCase[] {
  const out: GoldenCase[] = [];
  for (const path of JSON_MODELS) {
    const f = path.slice(path.lastIndexOf('/') + 1);
    const m = fromDoc(f, JSON.parse(readFileSync(join(ROOT, path), 'utf8')));
    const s = shorter(m, SHORTEN[f] ?? 1 / 4);
    out.push({ name: path, model: s, replications: [0, 1] });
    if (f === 'nic-as-os.json') {
      // The same host in the two other NIC modes.
      for (const mode of ['kernel', 'bypass'] as const) {
        const nodes = s.nodes.map((n) => (n.kind === 'nic' ? { ...n, params: { ...n.params, mode } } : n));
        out.push({ name: `${path} (${mode})`, model: { ...s, nodes }, replications: [0] });
      }
    }
  }
  return out;
}

const e = (from: string, to: string, weight?: number) => ({
  id: `${from}-${to}`,
  from: from.includes('.') ? from : `${from}.out`,
  to: `${to}.in`,
  ...(weight === undefined ? {} : { weight })
});

/** Edges along a chain of node ids. */
const chain = (...ids: string[]) => ids.slice(1).map((to, i) => e(ids[i], to));

function doc(name: string, run: Record<string, unknown>, nodes: unknown[], edges: unknown[], faults: unknown[] = []) {
  return { format: 'systems-sandbox/model', version: 1, name, run: { seed: 3, replications: 2, ...run }, nodes, edges, faults };
}

const n = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id, kind, params });

function handBuilt(): GoldenCase[] {
  const docs = [
    doc(
      'retries: exponential backoff, full jitter, budget, breaker, cancel, reject, faults',
      { until: '120 s', warmup: 'auto' },
      [
        n('c', 'client', {
          rate: '20/s',
          timeout: '300 ms',
          deadline: '250 ms',
          cancelOnTimeout: true,
          responseLatency: { dist: 'exp', mean: '5 ms' },
          classes: [{ name: 'a', weight: 3 }, { name: 'b', weight: 1, size: { dist: 'exp', mean: '2 KiB' } }],
          retry: {
            maxAttempts: 4,
            backoff: { kind: 'exponential', base: '10 ms', multiplier: 2, cap: '200 ms' },
            jitter: 'full',
            budget: { ratio: 0.2, minPerSecond: '5/s' },
            circuitBreaker: { failureRatio: 0.5, window: '5 s', openFor: '2 s', minRequests: 10 }
          }
        }),
        n('q', 'queue', { capacity: 10, onFull: 'reject' }),
        n('s', 'server', { service: { dist: 'exp', mean: '45 ms' } }),
        n('k', 'sink')
      ],
      chain('c', 'q', 's', 'k'),
      [
        { at: '20 s', for: '10 s', target: 'c', action: 'rate', value: '40/s' },
        { at: '50 s', for: '2 s', target: 's', action: 'pause' },
        { at: '70 s', for: '10 s', target: 's', action: 'slowdown', value: 2 }
      ]
    ),
    doc(
      'retries: closed users, decorrelated jitter, lossy link, lifo, ps with a limit, client pause',
      { until: '200 s', warmup: '20 s' },
      [
        n('c', 'client', {
          mode: 'closed',
          users: 30,
          thinkTime: { dist: 'exp', mean: '500 ms' },
          timeout: '200 ms',
          retry: { maxAttempts: 3, backoff: { kind: 'constant', base: '50 ms' }, jitter: 'decorrelated', retryOn: ['timeout', 'drop'] }
        }),
        n('l', 'link', { latency: { dist: 'exp', mean: '2 ms' }, bandwidth: '10 Mbit/s', loss: 0.05 }),
        n('q', 'queue', { discipline: 'lifo' }),
        n('s', 'server', { servers: 2, discipline: 'ps', limit: 5, service: { dist: 'lognormal', median: '20 ms', p99: '200 ms' } }),
        n('k', 'sink')
      ],
      chain('c', 'l', 'q', 's', 'k'),
      [
        { at: '60 s', for: '5 s', target: 'c', action: 'pause' },
        { at: '100 s', for: '3 s', target: 's', action: 'pause' },
        { at: '120 s', for: '20 s', target: 'l', action: 'latency', value: '30 ms' }
      ]
    ),
    doc(
      'retries: silent drops, equal jitter; deterministic and scheduled clients',
      { until: '150 s', warmup: 'auto' },
      [
        n('c', 'client', {
          rate: '8/s',
          timeout: '500 ms',
          deadline: null,
          retry: { maxAttempts: 5, backoff: { kind: 'exponential', base: '20 ms', multiplier: 3 }, jitter: 'equal', retryOn: ['timeout'] }
        }),
        n('d', 'client', { rate: '2/s', process: 'deterministic', schedule: [{ at: '50 s', rate: '6/s' }, { at: '100 s', rate: '1/s' }] }),
        n('u', 'client', { interarrival: { dist: 'uniform', min: '100 ms', max: '700 ms' } }),
        n('q', 'queue', { capacity: 3 }),
        n('s', 'server', { service: { dist: 'erlang', k: 2, mean: '90 ms' } }),
        n('k', 'sink')
      ],
      [...chain('c', 'q', 's', 'k'), e('d', 'q'), e('u', 'q')]
    ),
    doc(
      'routers: every policy, staleness, central queue, probabilistic feedback',
      { until: '300 s', warmup: 'auto' },
      [
        n('c1', 'client', { rate: '6/s', process: 'mmpp', mmpp: { burstRate: '20/s', meanOn: '2 s', meanOff: '8 s' } }),
        n('c2', 'client', { rate: '5/s' }),
        n('c3', 'client', { rate: '5/s' }),
        n('c4', 'client', { rate: '4/s' }),
        n('jsq', 'router', { policy: 'jsq', staleness: '100 ms' }),
        n('p2c', 'router', { policy: 'p2c' }),
        n('lo', 'router', { policy: 'least-outstanding' }),
        n('rr', 'router', { policy: 'round-robin' }),
        n('w', 'router', { policy: 'weighted' }),
        n('rnd', 'router', { policy: 'random' }),
        n('fb', 'router', { policy: 'probabilistic' }),
        n('cq', 'queue', {}),
        n('cj', 'router', { policy: 'jsq' }),
        n('s1', 'server', { service: { dist: 'exp', mean: '300 ms' } }),
        n('s2', 'server', { service: { dist: 'hyperexp', p: [0.9, 0.1], means: ['100 ms', '2 s'] } }),
        n('s3', 'server', { servers: 2, service: { dist: 'uniform', min: '0 s', max: '800 ms' } }),
        n('q4', 'queue', { capacity: 5 }),
        n('s4', 'server', { service: { dist: 'weibull', shape: 1.5, scale: '300 ms' } }),
        n('s5', 'server', { service: { dist: 'pareto', alpha: 2.5, min: '100 ms' } }),
        n('s6', 'server', { servers: 'infinite', service: { dist: 'bimodal', p: 0.1, fast: '10 ms', slow: '1 s' } }),
        n('s7', 'server', { servers: 1, service: { dist: 'empirical', samples: ['10 ms', '50 ms', '300 ms'] } }),
        n('k', 'sink'),
        n('k2', 'sink')
      ],
      [
        e('c1', 'jsq'),
        e('jsq', 's1'),
        e('jsq', 's2'),
        e('jsq', 's3'),
        e('c2', 'p2c'),
        e('p2c', 's1'),
        e('p2c', 'q4'),
        e('p2c', 's3'),
        e('q4', 's4'),
        e('c3', 'lo'),
        e('lo', 's4'),
        e('lo', 's5'),
        e('c4', 'rr'),
        e('rr', 'w'),
        e('rr', 'rnd'),
        e('w', 's6', 3),
        e('w', 's7', 1),
        e('rnd', 's6'),
        e('rnd', 'cq'),
        e('cq', 'cj'),
        e('cj', 's5'),
        e('cj', 's7'),
        e('s1', 'k'),
        e('s2', 'k2'),
        e('s3', 'fb'),
        e('fb', 'k', 0.7),
        e('fb', 'q4', 0.3),
        e('s4', 'k'),
        e('s5', 'k'),
        e('s6', 'k2'),
        e('s7', 'k')
      ]
    ),
    doc(
      'classes: priority queue, service by class, contention, per-class sink',
      { until: '2000 s', warmup: 'auto' },
      [
        n('c', 'client', {
          rate: '3/s',
          classes: [
            { name: 'gold', weight: 1, priority: 0 },
            { name: 'silver', weight: 2, priority: 1 },
            { name: 'bronze', weight: 3, priority: 1 }
          ]
        }),
        n('q', 'queue', { discipline: 'priority' }),
        n('s', 'server', { servers: 2, contention: '10 ms', service: { dist: 'exp', mean: '400 ms' }, serviceByClass: { gold: '100 ms' } }),
        n('k', 'sink')
      ],
      chain('c', 'q', 's', 'k')
    ),
    doc(
      'cores, OS scheduling: per-core, stealing, quantum, least-loaded; slowdown and pause',
      { until: '2 s', warmup: 'auto' },
      [
        n('c', 'client', { rate: '3000/s', classes: [{ name: 'a', service: 'web' }, { name: 'b', service: 'db', weight: 0.5 }] }),
        n('h', 'cores', {
          count: 2,
          processes: [
            { name: 'web', handler: { dist: 'exp', mean: '300 us' }, threads: 3 },
            { name: 'db', handler: { dist: 'exp', mean: '500 us' }, threads: 2 }
          ],
          placement: 'least-loaded',
          workStealing: true,
          stealCost: '5 us',
          quantum: '200 us',
          contextSwitch: '3 us',
          wakeup: { dist: 'exp', mean: '4 us' }
        }),
        n('k', 'sink')
      ],
      chain('c', 'h', 'k'),
      [
        { at: '0.5 s', for: '0.2 s', target: 'h', action: 'slowdown', value: 1.5 },
        { at: '1.2 s', for: '10 ms', target: 'h', action: 'pause' }
      ]
    ),
    doc(
      'cores, OS scheduling: global run queue, round-robin placement',
      { until: '2 s', warmup: '0.2 s' },
      [
        n('c', 'client', { rate: '5000/s' }),
        n('h', 'cores', {
          count: 3,
          scheduler: 'global',
          placement: 'round-robin',
          dispatchCost: '2 us',
          processes: [{ name: 'app', handler: { dist: 'exp', mean: '400 us' }, threads: 8 }],
          contextSwitch: '2 us',
          quantum: '1 ms'
        }),
        n('k', 'sink')
      ],
      chain('c', 'h', 'k')
    ),
    doc(
      'kernel NIC: RSS over three rings, coalescing, line rate, small rings',
      { until: '1 s', warmup: 'auto' },
      [
        n('c', 'client', { rate: '8000/s', classes: [{ name: 'x', service: 'app', size: { dist: 'exp', mean: '1 KiB' } }] }),
        n('nic', 'nic', {
          mode: 'kernel',
          lineRate: '1 Gbit/s',
          perPacket: '1 us',
          rxQueues: 3,
          ringSize: 16,
          interruptCost: '2 us',
          stackCost: { dist: 'exp', mean: '3 us' },
          coalescing: { packets: 4, delay: '20 us' }
        }),
        n('h', 'cores', { count: 2, processes: [{ name: 'app', handler: { dist: 'exp', mean: '150 us' }, threads: 4 }], wakeup: '3 us' }),
        n('k', 'sink')
      ],
      chain('c', 'nic', 'h', 'k'),
      [{ at: '0.4 s', for: '5 ms', target: 'h', action: 'pause' }]
    ),
    doc(
      'bypass NIC: pinned cores, poll cost, ring overflow',
      { until: '1 s', warmup: 'auto' },
      [
        n('c', 'client', { rate: '6000/s', classes: [{ name: 'a', service: 'a' }, { name: 'b', service: 'b' }] }),
        n('nic', 'nic', { mode: 'bypass', pollCost: '1 us', ringSize: 32, pinned: { a: [0, 1], b: [1] } }),
        n('h', 'cores', {
          count: 2,
          processes: [
            { name: 'a', handler: { dist: 'exp', mean: '200 us' }, threads: 2 },
            { name: 'b', handler: { dist: 'exp', mean: '100 us' }, threads: 1 }
          ]
        }),
        n('k', 'sink')
      ],
      chain('c', 'nic', 'h', 'k'),
      [{ at: '0.5 s', for: '5 ms', target: 'h', action: 'pause' }]
    ),
    doc(
      'coherent NIC: max threads, preempt threshold, try-again',
      { until: '1 s', warmup: 'auto' },
      [
        n('c', 'client', {
          rate: '5000/s',
          classes: [
            { name: 'a', service: 'a' },
            { name: 'b', service: 'b' },
            { name: 'c', service: 'c', weight: 0.3 }
          ]
        }),
        n('nic', 'nic', { mode: 'coherent', coherenceLatency: '1 us', processQueue: 8, tryAgain: '1 ms', maxThreads: 2, preemptAt: 0.75 }),
        n('h', 'cores', {
          count: 3,
          contextSwitch: '5 us',
          processes: [
            { name: 'a', handler: { dist: 'exp', mean: '300 us' }, threads: 3 },
            { name: 'b', handler: { dist: 'exp', mean: '200 us' }, threads: 2 },
            { name: 'c', handler: '1 ms', threads: 1 }
          ]
        }),
        n('k', 'sink')
      ],
      chain('c', 'nic', 'h', 'k'),
      [
        { at: '0.3 s', for: '5 ms', target: 'h', action: 'pause' },
        { at: '0.6 s', for: '0.1 s', target: 'h', action: 'slowdown', value: 2 }
      ]
    ),
    ...(['size', 'timeout', 'size-or-timeout', 'nagle'] as const).map((policy) =>
      doc(
        `batcher: ${policy}`,
        { until: '20 s', warmup: 'auto' },
        [
          n('c', 'client', { rate: '200/s' }),
          n('b', 'batcher', { policy, maxBatch: 8, maxWait: '20 ms', flushers: 2, flushCost: { fixed: '5 ms', perItem: { dist: 'exp', mean: '1 ms' } }, window: '1 s' }),
          n('l', 'link', { latency: { dist: 'exp', mean: '3 ms' } }),
          n('q', 'queue', { capacity: 50 }),
          n('s', 'server', { servers: 2, service: { dist: 'exp', mean: '8 ms' } }),
          n('k', 'sink')
        ],
        chain('c', 'b', 'l', 'q', 's', 'k')
      )
    ),
    doc(
      'batcher: adaptive over size-or-timeout, with retries',
      { until: '30 s', warmup: 'auto' },
      [
        n('c', 'client', { rate: '150/s', timeout: '200 ms', retry: { maxAttempts: 2 } }),
        n('b', 'batcher', { policy: 'adaptive', adaptiveBatching: 'size-or-timeout', maxBatch: 6, maxWait: '10 ms', probe: 0.25, window: '500 ms', flushCost: { fixed: '3 ms', perItem: '0.5 ms' } }),
        n('q', 'queue', {}),
        n('s', 'server', { service: { dist: 'exp', mean: '5 ms' } }),
        n('k', 'sink')
      ],
      chain('c', 'b', 'q', 's', 'k')
    ),
    doc(
      'spawner: fork-exec behind a queue; posix_spawn with its own backlog',
      { until: '200 s', warmup: '10 s' },
      [
        n('c', 'client', { rate: '10/s' }),
        n('q', 'queue', { capacity: 20 }),
        n('f', 'spawner', { mechanism: 'fork-exec', parentMemory: '1 GiB', parents: 2, service: { dist: 'exp', mean: '50 ms' } }),
        n('c2', 'client', { rate: '30/s' }),
        n('p', 'spawner', { mechanism: 'posix_spawn', spawnCost: { dist: 'exp', mean: '20 ms' } }),
        n('s', 'server', { servers: 4, service: { dist: 'exp', mean: '100 ms' } }),
        n('k', 'sink')
      ],
      [...chain('c', 'q', 'f', 'k'), ...chain('c2', 'p', 's', 'k')]
    ),
    doc(
      'replicas: Raft with failures and a crash; PBFT with domains, rejecting without quorum',
      { until: '300 s', warmup: 'auto' },
      [
        n('c', 'client', { rate: '20/s' }),
        n('r', 'replicas', { protocol: 'raft', n: 5, mttf: '60 s', mttr: '10 s', ackLatency: { dist: 'exp', mean: '2 ms' }, leaderService: { dist: 'exp', mean: '10 ms' } }),
        n('c2', 'client', { rate: '10/s' }),
        n('p', 'replicas', {
          protocol: 'pbft',
          n: 4,
          whenNoQuorum: 'reject',
          domain: ['east', 'east', 'west', 'west'],
          domains: [
            { name: 'east', mttf: '80 s', mttr: '5 s' },
            { name: 'west', mttf: '120 s', mttr: '8 s' }
          ],
          ackLatency: { dist: 'uniform', min: '1 ms', max: '5 ms' },
          leaderService: '5 ms'
        }),
        n('k', 'sink')
      ],
      [...chain('c', 'r', 'k'), ...chain('c2', 'p', 'k')],
      [
        { at: '100 s', for: '20 s', target: 'r', action: 'crash' },
        { at: '150 s', for: '20 s', target: 'r', action: 'crash', value: 4 }
      ]
    ),
    doc(
      'cache: Zipf keys, TTL, flush fault, misses to a server, retries keep their key',
      { until: '200 s', warmup: 'auto' },
      [
        n('c', 'client', { rate: '50/s', timeout: '300 ms', retry: { maxAttempts: 3 } }),
        n('x', 'cache', { capacity: 50, keys: 1000, s: 0.9, ttl: '20 s', lookupCost: { dist: 'exp', mean: '1 ms' } }),
        n('q', 'queue', { capacity: 30 }),
        n('s', 'server', { servers: 2, service: { dist: 'exp', mean: '60 ms' } }),
        n('x2', 'cache', { capacity: 100, keys: 1000, s: 0.9 }),
        n('k', 'sink')
      ],
      [e('c', 'x'), e('x.hit', 'k'), e('x.miss', 'x2'), e('x2.hit', 'k'), e('x2.miss', 'q'), ...chain('q', 's', 'k')],
      [{ at: '80 s', for: '10 s', target: 'x', action: 'flush' }]
    )
  ];
  return docs.map((d) => ({ name: d.name, model: fromDoc(d.name, d), replications: [0, 1] }));
}

function randomNetworks(): GoldenCase[] {
  return [
    { seed: 1, nodes: 20, until: 8000, feedback: false },
    { seed: 2, nodes: 40, until: 4000, feedback: true },
    { seed: 3, nodes: 100, until: 2000, feedback: true },
    { seed: 4, nodes: 60, until: 3000, feedback: true, maxUtilisation: 0.9 }
  ].map((o) => ({ name: `random network ${JSON.stringify(o)}`, model: randomNetwork({ ...o, replications: 2 }), replications: [0, 1] }));
}

export function goldenCases(): GoldenCase[] {
  return [...jsonModels(), ...handBuilt(), ...randomNetworks()];
}
