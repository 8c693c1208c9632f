/**
 * `npm run bench [-- --json] [-- --quick]`: engine throughput and memory on this machine.
 *
 * Cases: the classic "hold" model on the bare event heap with 10², 10⁴ and 10⁶ pending events;
 * M/M/1 with 1,000,000 customers (statistics on); M/M/4; a tandem of three queues; a 100-node
 * random network; and the time of the whole validation suite's simulations. Timings belong here,
 * not in tests: a busy machine would make a timed test flaky.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NormalizedModel, NormalizedNode } from '../../src/lib/model/types';
import { load } from '../../src/lib/model/index';
import { EventHeap } from '../../src/lib/sim/heap';
import { Replication } from '../../src/lib/sim/engine';
import { substream } from '../../src/lib/sim/rng';
import { randomNetwork } from '../fixtures/randomNetwork';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  case: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  peakMemoryMB: number;
  note?: string;
}
const rows: Row[] = [];

function memMB(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20 + process.memoryUsage().arrayBuffers / 2 ** 20;
}

function hold(pending: number, steps: number): void {
  gc?.();
  const before = memMB();
  const heap = new EventHeap(1024);
  const rng = substream(1, 0, 1);
  for (let i = 0; i < pending; i++) heap.push(-Math.log(1 - rng.next()), 2, 0, i);
  const filled = memMB() - before;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    heap.pop();
    heap.push(heap.time - Math.log(1 - rng.next()), 2, heap.code, heap.arg);
  }
  const s = (performance.now() - t0) / 1000;
  rows.push({
    case: `hold, ${pending.toLocaleString('en-US')} pending`,
    events: steps,
    seconds: s,
    eventsPerSecond: steps / s,
    peakMemoryMB: filled,
    note: 'bare heap: pop + push + one exponential draw'
  });
}

function runModel(name: string, model: NormalizedModel, note?: string): void {
  // One untimed pass first, so the numbers are those of optimised code (as in a long run).
  const warm = new Replication({ ...model, run: { ...model.run, until: model.run.until / 10 } }, 99);
  warm.advance(Infinity);
  gc?.();
  const before = memMB();
  let peak = 0;
  let events = 0;
  let seconds = 0;
  for (let r = 0; r < model.run.replications; r++) {
    const rep = new Replication(model, r);
    const t0 = performance.now();
    while (!rep.advance(1_000_000)) peak = Math.max(peak, memMB() - before);
    seconds += (performance.now() - t0) / 1000;
    events += rep.events;
    rep.finish();
  }
  rows.push({ case: name, events, seconds, eventsPerSecond: events / seconds, peakMemoryMB: peak, note });
}

const exp = (mean: number) => ({ dist: 'exp' as const, mean });
function station(id: string, servers: number, mean: number): NormalizedNode[] {
  return [
    { id: `q${id}`, kind: 'queue', label: '', params: { capacity: Infinity, discipline: 'fifo', target: 0.005, interval: 0.1, onFull: 'drop' } },
    { id: `s${id}`, kind: 'server', label: '', params: { servers, service: exp(mean), discipline: 'fcfs', limit: Infinity, serviceByClass: {}, contention: 0 } }
  ];
}
function openModel(name: string, stations: { servers: number; mean: number }[], until: number): NormalizedModel {
  const nodes: NormalizedNode[] = [
    {
      id: 'c',
      kind: 'client',
      label: '',
      params: {
        mode: 'open', rate: 1, process: 'poisson', mmpp: null, interarrival: null, schedule: [], users: 0,
        thinkTime: exp(1),
        classes: [{ name: 'default', weight: 1, service: '', priority: 0, size: { dist: 'det', value: 1024 } }],
        timeout: null, deadline: null, retry: null, cancelOnTimeout: false, responseLatency: { dist: 'det', value: 0 }
      }
    }
  ];
  const ids = ['c'];
  stations.forEach((s, i) => {
    nodes.push(...station(String(i), s.servers, s.mean));
    ids.push(`q${i}`, `s${i}`);
  });
  nodes.push({ id: 'done', kind: 'sink', label: '', params: {} });
  ids.push('done');
  const edges = ids.slice(1).map((to, i) => ({
    id: `e${i}`,
    from: { node: ids[i], port: 'out' },
    to: { node: to, port: 'in' },
    weight: 1
  }));
  return {
    name,
    run: { until, warmup: 'auto', seed: 1, replications: 1, confidence: 0.95, bucket: until / 2000 },
    nodes,
    edges,
    faults: []
  };
}

const scale = quick ? 0.1 : 1;
hold(100, 5_000_000 * scale);
hold(10_000, 5_000_000 * scale);
hold(1_000_000, 3_000_000 * scale);
runModel('M/M/1, 1,000,000 customers (ρ=0.5)', openModel('mm1', [{ servers: 1, mean: 0.5 }], 1_000_000 * scale), 'statistics on');
runModel('M/M/4 (ρ=0.8)', openModel('mm4', [{ servers: 4, mean: 3.2 }], 1_000_000 * scale));
runModel('tandem of 3 queues', openModel('tandem', [{ servers: 1, mean: 0.5 }, { servers: 1, mean: 0.6 }, { servers: 1, mean: 0.7 }], 500_000 * scale));
runModel('100-node random network', randomNetwork({ seed: 3, nodes: 100, until: 50_000 * scale, feedback: true }));

// Scenario 1 (the NIC as part of the OS, coherent mode) until 1,000,000 requests have arrived.
{
  const r = load(readFileSync(join(import.meta.dirname, '../../static/models/nic-as-os.json'), 'utf8'));
  if (!r.ok) throw new Error('nic-as-os.json: invalid');
  const m = r.value.model;
  // The callers offer about 272,000 requests/s in all: 1,000,000 arrive in about 3.7 s.
  const until = (1_000_000 * scale) / 272_000;
  runModel('NIC scenario, 1,000,000 requests (one core)', { ...m, run: { ...m.run, until, replications: 1, bucket: until / 2000 } }, 'coherent mode');
}

// Scenario 6: the metastable retry storm (timeouts, retries, abandoned attempts: the client's
// failure path is the hot path here).
{
  const r = load(readFileSync(join(import.meta.dirname, '../../static/models/metastable-retry-storm.json'), 'utf8'));
  if (!r.ok) throw new Error('metastable-retry-storm.json: invalid');
  const m = r.value.model;
  runModel('retry storm (bound 150), 2700 s × 10', { ...m, run: { ...m.run, until: 2700 * 10 * scale, replications: 1 } }, 'stuck: ~30 attempts/s');
}

// Scenario 2: adaptive batching (end-to-end counters on every request, windows, probes) until
// 1,000,000 requests have arrived.
{
  const r = load(readFileSync(join(import.meta.dirname, '../../static/models/batching.json'), 'utf8'));
  if (!r.ok) throw new Error('batching.json: invalid');
  const m = r.value.model;
  const until = (1_000_000 * scale) / 23_000;
  runModel('batching scenario, 1,000,000 requests', { ...m, run: { ...m.run, until, replications: 1, bucket: until / 2000 } }, 'adaptive policy');
}

// The validation suite's simulations (the tests add only comparisons on top).
{
  const dir = join(import.meta.dirname, '../validation/models');
  const t0 = performance.now();
  let events = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const r = load(readFileSync(join(dir, f), 'utf8'));
    if (!r.ok) throw new Error(`${f}: invalid`);
    for (let i = 0; i < r.value.model.run.replications; i++) {
      const rep = new Replication(r.value.model, i);
      rep.advance(Infinity);
      events += rep.events;
      rep.finish();
    }
  }
  const s = (performance.now() - t0) / 1000;
  rows.push({ case: 'whole validation suite (simulations)', events, seconds: s, eventsPerSecond: events / s, peakMemoryMB: NaN });
}

// The metastability CTMC (PAPERS.md §6): the running example with queue bound 150 and the orbit
// cut at 330, i.e. 152 × 331 = 50,312 states. "events" here are states; the note splits the time.
{
  const ms = await import('../../src/lib/analysis/metastability/index');
  const params = { arrivalRate: 5, serviceRate: 10, servers: 1, capacity: 150, timeout: 5, retries: 5 };
  const O = quick ? 120 : 330;
  gc?.();
  const before = memMB();
  const lap = (() => {
    let t = performance.now();
    return () => {
      const now = performance.now();
      const d = (now - t) / 1000;
      t = now;
      return d;
    };
  })();
  const t0 = performance.now();
  const c = ms.buildCtmc(params, O);
  const tBuild = lap();
  const pi = ms.stationaryByElimination(c.generator);
  const tStationary = lap();
  const target = new Uint8Array(c.generator.n);
  for (let o = 0; o <= 1; o++) for (let q = 0; q <= 1; q++) target[ms.stateIndex(c.N, q, o)] = 1;
  ms.hittingTimes(c.generator, target);
  const tHitting = lap();
  const mix = ms.mixingTime(c.generator, ms.stateIndex(c.N, c.N, Math.min(150, O)), pi);
  const tMixing = lap();
  const f = ms.fluidModel(params);
  ms.driftField(f, ms.equilibria(f));
  const tField = lap();
  const s = (performance.now() - t0) / 1000;
  const n = c.generator.n;
  rows.push({
    case: `metastability CTMC, ${n.toLocaleString('en-US')} states`,
    events: n,
    seconds: s,
    eventsPerSecond: n / s,
    peakMemoryMB: memMB() - before,
    note: `states/s; build ${tBuild.toFixed(2)} s, stationary ${tStationary.toFixed(2)} s, recovery ${tHitting.toFixed(2)} s, mixing ${tMixing.toFixed(2)} s (${mix.products} products), drift field ${tField.toFixed(2)} s`
  });
}

if (json) {
  process.stdout.write(JSON.stringify({ node: process.version, quick, rows }, null, 2) + '\n');
} else {
  const fmt = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
  process.stdout.write(`engine benchmark (Node ${process.version}, one core${quick ? ', quick' : ''})\n\n`);
  for (const r of rows) {
    process.stdout.write(
      `${r.case.padEnd(40)} ${fmt(r.eventsPerSecond).padStart(12)} events/s  ${fmt(r.events).padStart(12)} events  ${r.seconds.toFixed(2).padStart(7)} s  ${Number.isFinite(r.peakMemoryMB) ? r.peakMemoryMB.toFixed(1).padStart(7) + ' MB' : ''}${r.note ? '  (' + r.note + ')' : ''}\n`
    );
  }
}
