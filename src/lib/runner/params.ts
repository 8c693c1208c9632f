/**
 * The numeric parameters of a model that a sweep can vary, and how to set one.
 *
 * Parameters are listed from the NORMALISED model (every default filled in, base units:
 * seconds, 1/s, bytes, bit/s), so a parameter the document leaves to its default can be swept
 * too. A value is set in the DOCUMENT (a number in base units is a valid document value, MODEL.md
 * §1) and the document goes through `load()` again, so a value the kind refuses (2.5 servers, a
 * negative rate) gets the same located message as in a file, and derived settings are
 * recomputed by the model layer rather than patched here.
 *
 * The unit of a parameter is read from how the document writes it ("500 ms" is a duration)
 * and otherwise from its name; it only picks how values are shown and parsed in the form.
 */
import { parseQuantity, type UnitKind } from '../model/index.ts';
import type { ModelDocument, NormalizedModel, NormalizedNode } from '../model/types.ts';

export type ParamUnit = 'time' | 'rate' | 'size' | 'bandwidth' | 'fraction' | 'count' | 'number';

export type ParamPath = (string | number)[];

export interface NumericParam {
  node: string;
  /** Path inside the node's `params`, e.g. ["service", "mean"]. */
  path: ParamPath;
  /** Stable key: "srv:service.mean". */
  key: string;
  /** For people: "srv · service.mean". */
  label: string;
  /** Current value in base units. */
  value: number;
  unit: ParamUnit;
  /** Whole numbers only (servers, capacity, attempts…). */
  integer: boolean;
}

/** Leaf names that are whole numbers in the model format. */
const INTEGER = new Set([
  'servers', 'capacity', 'maxAttempts', 'parents', 'maxBatch', 'flushers', 'users', 'count', 'threads', 'n',
  'ringSize', 'rxQueues', 'limit', 'packets', 'keys', 'processQueue', 'maxThreads', 'k', 'priority', 'weight'
]);
const RATE = new Set(['rate', 'burstRate', 'minPerSecond']);
const SIZE = new Set(['parentMemory', 'size']);
const BANDWIDTH = new Set(['bandwidth', 'lineRate']);
const FRACTION = new Set(['loss', 'p', 'rewritable', 'failureRatio', 'probe', 'preemptAt', 'failureProbability', 'ratio']);
const NUMBER = new Set(['multiplier', 'alpha', 'shape', 's', 'factor']);
/** Fields whose numbers are durations when the name alone does not say (distribution fields). */
const DIST_TIME = new Set(['mean', 'value', 'min', 'max', 'median', 'p99', 'scale', 'fast', 'slow', 'means', 'samples']);

/** Parameters that mean nothing in the node's current mode: not offered. */
function irrelevant(node: NormalizedNode, top: string): boolean {
  if (node.kind === 'client') {
    const p = node.params;
    if (p.mode === 'open') return top === 'users' || top === 'thinkTime';
    return top === 'rate' || top === 'process' || top === 'mmpp' || top === 'interarrival';
  }
  if (node.kind === 'queue') return (top === 'target' || top === 'interval') && node.params.discipline !== 'codel';
  return false;
}

const UNIT_OF_KIND: Record<UnitKind, ParamUnit> = { duration: 'time', rate: 'rate', size: 'size', bandwidth: 'bandwidth' };

/** The unit a document value is written in ("500 ms" → time), if it is a string with a unit. */
function unitOfWritten(v: unknown): ParamUnit | null {
  if (typeof v !== 'string') return null;
  for (const kind of ['duration', 'rate', 'size', 'bandwidth'] as const) {
    if (parseQuantity(kind, v).ok && /[a-zµ/]/i.test(v)) return UNIT_OF_KIND[kind];
  }
  return null;
}

function unitOfName(path: ParamPath): ParamUnit {
  const names = path.filter((p): p is string => typeof p === 'string');
  const leaf = names[names.length - 1] ?? '';
  if (INTEGER.has(leaf)) return 'count';
  if (RATE.has(leaf)) return 'rate';
  if (BANDWIDTH.has(leaf)) return 'bandwidth';
  if (names.some((n) => SIZE.has(n))) return 'size';
  if (FRACTION.has(leaf)) return 'fraction';
  if (NUMBER.has(leaf)) return 'number';
  if (DIST_TIME.has(leaf) || /(time|timeout|deadline|latency|cost|wait|delay|window|interval|cap|base|openFor|quantum|switch|wakeup|perMiB|meanOn|meanOff|target)/i.test(leaf))
    return 'time';
  return 'number';
}

/**
 * A normalised value as a document value: a deep copy without non-finite numbers, which the
 * normalised form uses for "none" (a backoff `cap` of Infinity) and a document writes by leaving
 * the field out.
 */
function documentForm(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(documentForm);
  if (typeof x !== 'object' || x === null) return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === 'number' && !Number.isFinite(v)) continue;
    out[k] = documentForm(v);
  }
  return out;
}

function read(root: unknown, path: ParamPath): unknown {
  let x = root;
  for (const k of path) {
    if (typeof x !== 'object' || x === null) return undefined;
    x = (x as Record<string | number, unknown>)[k];
  }
  return x;
}

/**
 * "Total load ×": not a node's parameter but a factor on every open client's arrivals
 * (src/lib/model/scaleLoad.ts), 1 for the model as it is. A sweep over it is the load sweep of a
 * model with many clients (the NIC scenario's sixteen services).
 */
export const LOAD_KEY = '*:load';
export const LOAD_PARAM: NumericParam = {
  node: '*',
  path: ['load'],
  key: LOAD_KEY,
  label: 'Total load × (every open client)',
  value: 1,
  unit: 'number',
  integer: false
};

/**
 * Every finite number in a node's normalised params that a sweep may vary; last, when the model
 * has an open client, the total-load factor.
 */
export function numericParams(model: NormalizedModel, doc?: ModelDocument): NumericParam[] {
  const out: NumericParam[] = [];
  // By id, not a search per node: quadratic on a 1,000-node model.
  const writtenById = new Map(doc?.nodes.map((n) => [n.id, n.params]));
  for (const node of model.nodes) {
    const written = writtenById.get(node.id);
    const walk = (x: unknown, path: ParamPath) => {
      if (typeof x === 'number') {
        if (!Number.isFinite(x)) return;
        const top = String(path[0]);
        if (irrelevant(node, top)) return;
        const unit = unitOfWritten(read(written, path)) ?? unitOfName(path);
        const dotted = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);
        out.push({
          node: node.id,
          path,
          key: `${node.id}:${dotted}`,
          label: `${node.label || node.id} · ${dotted}`,
          value: x,
          unit,
          integer: unit === 'count'
        });
      } else if (Array.isArray(x)) {
        x.forEach((v, i) => walk(v, [...path, i]));
      } else if (typeof x === 'object' && x !== null) {
        for (const [k, v] of Object.entries(x)) walk(v, [...path, k]);
      }
    };
    walk(node.params, []);
  }
  if (model.nodes.some((n) => n.kind === 'client' && n.params.mode === 'open')) out.push(LOAD_PARAM);
  return out;
}

/**
 * A copy of the document with `params.<path>` of node `nodeId` set to `value` (base units). Where
 * the document leaves part of the path to defaults, the normalised value (`model`) fills it in
 * first, so a distribution keeps its `dist` when only its mean is swept.
 */
export function setParam(
  doc: ModelDocument,
  model: NormalizedModel,
  nodeId: string,
  path: ParamPath,
  value: number
): ModelDocument {
  if (path.length === 0) throw new Error('setParam: empty path');
  const out = structuredClone(doc);
  const node = out.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`setParam: the model has no node "${nodeId}"`);
  const normal = model.nodes.find((n) => n.id === nodeId)?.params as unknown;
  const params = (node.params ?? {}) as Record<string | number, unknown>;
  node.params = params as typeof node.params;
  let target: Record<string | number, unknown> = params;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    const next = target[k];
    if (typeof next !== 'object' || next === null) {
      // Absent (a default) or a bare value standing for an object (a duration for a `det`
      // distribution): start from the normalised form, which is a valid document value.
      const filled = read(normal, path.slice(0, i + 1));
      if (typeof filled !== 'object' || filled === null) throw new Error(`setParam: ${nodeId}.${path.slice(0, i + 1).join('.')} is not an object`);
      target[k] = documentForm(filled);
    }
    target = target[k] as Record<string | number, unknown>;
  }
  target[path[path.length - 1]] = value;
  return out;
}
