/**
 * Helpers for this layer's tests (not part of the public API).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DistInput, EdgeInput, ModelDocument, NodeInput } from '../model/index.ts';

/** The repository root (this file is src/lib/codec/testing.ts). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every *.json model document under `dir` (recursive), skipping files that are not models. */
export function modelFiles(dir: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.json')) {
        const text = readFileSync(path, 'utf8');
        let format: unknown;
        try {
          format = (JSON.parse(text) as { format?: unknown }).format;
        } catch {
          format = undefined;
        }
        // Gallery indexes and other JSON live beside the models; a model says what it is.
        if (format === 'systems-sandbox/model') out.push({ name: relative(ROOT, path), text });
      }
    }
  };
  walk(dir);
  return out;
}

/** A small seeded generator (mulberry32), so a seed names a model. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A valid model of exactly `count` nodes (at least 8): clients feeding stations (queue →
 * server → router), routers splitting forward and to sinks, with a mix of distributions,
 * units, labels and positions, as an editor would write them.
 */
export function generatedModel(count: number, seed = 1): ModelDocument {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const ms = () => `${Math.round(1 + r() * 200)} ms`;
  const dists: (() => DistInput)[] = [
    () => ({ dist: 'exp', mean: ms() }),
    () => ({ dist: 'det', value: ms() }),
    () => ({ dist: 'uniform', min: '1 ms', max: ms() }),
    () => ({ dist: 'erlang', k: 1 + Math.floor(r() * 4), mean: ms() }),
    () => ({ dist: 'hyperexp', p: [0.9, 0.1], means: [ms(), ms()] }),
    () => ({ dist: 'lognormal', median: '10 ms', p99: ms().replace(' ms', '0 ms') }),
    () => ms()
  ];
  const nodes: NodeInput[] = [];
  const edges: EdgeInput[] = [];
  const edge = (from: string, to: string, weight?: number) =>
    edges.push({ id: `e${edges.length}`, from: `${from}.out`, to: `${to}.in`, ...(weight === undefined ? {} : { weight }) });
  const clients = Math.max(1, Math.floor(count / 25));
  const sinks = Math.max(1, Math.floor(count / 40));
  // Each station is 3 nodes (queue, server, router) except the last, which has no router.
  const stations = Math.floor((count - clients - sinks + 1) / 3);
  const spare = count - clients - sinks - (stations * 3 - 1);
  const at = () => ({ x: Math.round(r() * 2400), y: Math.round(r() * 1600) });
  for (let k = 0; k < sinks + spare; k++) nodes.push({ id: `sink${k}`, kind: 'sink', label: `Done ${k}`, ...at() });
  for (let i = 0; i < stations; i++) {
    nodes.push({
      id: `q${i}`,
      kind: 'queue',
      label: `Queue ${i}`,
      ...at(),
      params: r() < 0.3 ? { capacity: 10 + Math.floor(r() * 200), discipline: pick(['fifo', 'lifo'] as const) } : {}
    });
    nodes.push({
      id: `s${i}`,
      kind: 'server',
      label: `Server ${i}`,
      ...at(),
      params: { servers: 1 + Math.floor(r() * 4), service: pick(dists)() }
    });
    edge(`q${i}`, `s${i}`);
    if (i === stations - 1) {
      edge(`s${i}`, `sink${Math.floor(r() * sinks)}`);
      continue;
    }
    nodes.push({ id: `r${i}`, kind: 'router', label: `Split ${i}`, ...at(), params: { policy: 'probabilistic' } });
    edge(`s${i}`, `r${i}`);
    edge(`r${i}`, `q${i + 1 + Math.floor(r() * (stations - i - 1))}`, 0.7);
    edge(`r${i}`, `sink${Math.floor(r() * sinks)}`, 0.3);
  }
  for (let c = 0; c < clients; c++) {
    nodes.push({ id: `c${c}`, kind: 'client', label: `Clients ${c}`, ...at(), params: { rate: `${(1 + r() * 9).toFixed(1)}/s` } });
    edge(`c${c}`, `q${Math.floor(r() * Math.min(3, stations))}`);
  }
  return {
    format: 'systems-sandbox/model',
    version: 1,
    name: `generated ${count}-node model`,
    notes: 'Generated for the codec tests: stations wired forward through probabilistic splits.',
    run: { until: '1000 s', warmup: 'auto', seed, replications: 5 },
    nodes,
    edges,
    faults: [{ at: '100 s', for: '50 s', target: 'c0', action: 'rate', value: '20/s' }]
  };
}
