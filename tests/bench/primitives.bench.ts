/**
 * Micro-benchmarks of the engine's primitives (src/lib/sim: heap, rng, distributions,
 * histogram, P²). Plain script: `npx tsx tests/bench/primitives.bench.ts`, or import
 * `runPrimitiveBenchmarks` from the bench driver.
 *
 * Each case runs a warm-up pass (so V8 has optimised the code) and then three timed passes;
 * the best pass is reported, as ops/s. Results feed a sink that is printed, so the work cannot
 * be optimised away. Heap cases use the "hold" model (pop the earliest event, push one at
 * now + Exp), the classic benchmark for future-event lists, at a steady number of pending events.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Dist } from '../../src/lib/model/types';
import { makeSampler } from '../../src/lib/sim/distributions';
import { EventHeap } from '../../src/lib/sim/heap';
import { LogHistogram } from '../../src/lib/sim/histogram';
import { P2Quantile } from '../../src/lib/sim/p2';
import { substream } from '../../src/lib/sim/rng';

export interface BenchResult {
  name: string;
  opsPerSecond: number;
}

let sink = 0;

function measure(name: string, ops: number, body: () => number): BenchResult {
  sink += body(); // warm-up
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    sink += body();
    const dt = performance.now() - t0;
    if (dt < best) best = dt;
  }
  return { name, opsPerSecond: ops / (best / 1000) };
}

/** Pre-drawn Exp(1) increments, so the heap cases time the heap alone. */
const INCREMENTS = (() => {
  const rng = substream(1, 0, 0);
  const xs = new Float64Array(1 << 16);
  for (let i = 0; i < xs.length; i++) xs[i] = -Math.log(1 - rng.next());
  return xs;
})();

function heapHold(pending: number, ops: number): BenchResult {
  const heap = new EventHeap(1024);
  const inc = INCREMENTS;
  const mask = inc.length - 1;
  for (let i = 0; i < pending; i++) heap.push(inc[i & mask] * pending, i & 3, i, i);
  return measure(`heap hold (pop+push) @ ${pending.toExponential(0)} pending`, ops, () => {
    let acc = 0;
    for (let i = 0; i < ops; i++) {
      heap.pop();
      acc += heap.code;
      heap.push(heap.time + inc[i & mask] * pending, heap.priority, heap.code, heap.arg);
    }
    return acc;
  });
}

export function runPrimitiveBenchmarks(): BenchResult[] {
  const results: BenchResult[] = [];
  const N = 20_000_000;

  results.push(heapHold(2, 20_000_000));
  results.push(heapHold(100, 10_000_000));
  results.push(heapHold(10_000, 5_000_000));
  results.push(heapHold(1_000_000, 2_000_000));

  const rng = substream(2, 0, 0);
  results.push(
    measure('rng.next', N, () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc += rng.next();
      return acc;
    })
  );
  results.push(
    measure('rng.nextU32', N, () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc ^= rng.nextU32();
      return acc;
    })
  );

  const dists: [string, Dist][] = [
    ['exp', { dist: 'exp', mean: 0.5 }],
    ['lognormal', { dist: 'lognormal', median: 0.1, p99: 1 }],
    ['erlang k=4', { dist: 'erlang', k: 4, mean: 1 }],
    ['hyperexp 2', { dist: 'hyperexp', p: [0.9, 0.1], means: [0.1, 5] }]
  ];
  for (const [label, dist] of dists) {
    const sample = makeSampler(dist);
    const n = N / 2;
    results.push(
      measure(`sample ${label}`, n, () => {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += sample(rng);
        return acc;
      })
    );
  }

  // Pre-drawn values so the histogram is timed alone.
  const values = new Float64Array(1 << 20);
  const exp = makeSampler({ dist: 'exp', mean: 0.01 });
  for (let i = 0; i < values.length; i++) values[i] = i % 10 === 0 ? 0 : exp(rng);
  const hist = new LogHistogram();
  results.push(
    measure('histogram.record', N, () => {
      const mask = values.length - 1;
      for (let i = 0; i < N; i++) hist.record(values[i & mask]);
      return hist.count;
    })
  );
  const p2 = new P2Quantile(0.99);
  results.push(
    measure('p2.add', N / 2, () => {
      const mask = values.length - 1;
      for (let i = 0; i < N / 2; i++) p2.add(values[i & mask]);
      return p2.value();
    })
  );
  return results;
}

function format(r: BenchResult): string {
  const m = r.opsPerSecond / 1e6;
  return `${r.name.padEnd(44)} ${m.toFixed(m < 10 ? 2 : 1).padStart(8)} M ops/s`;
}

// Run only when executed as a script, not when the bench driver imports this module.
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;

if (invokedDirectly) {
  console.log(`Node ${process.version}, primitives micro-benchmarks (best of 3)`);
  for (const r of runPrimitiveBenchmarks()) console.log(format(r));
  console.log(`(sink ${sink.toPrecision(3)})`);
}
