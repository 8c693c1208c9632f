/**
 * Command-line edits of a model document: `--set c0.params.rate=2500/s` and
 * `--sweep nic.params.mode=kernel,bypass,coherent`. A path starts with a node id (or `run`, or
 * `name`), then names fields inside it; the value is read as JSON when it parses (numbers,
 * booleans, objects), else kept as a string (so units such as "5/s" or "100 ms" work). Edits
 * apply to the document, which then goes through `load()` again: a bad value gets the same
 * located message as in a file. The path `load` is special: `load=2` multiplies the arrival
 * rates of every open client (rate, MMPP burst rate, schedule steps), so a whole model's offered
 * load can be swept with one parameter.
 */
import type { ModelDocument } from '../lib/model/types';
import type { OptionReader } from './args';

export interface Edit {
  /** As written, for messages and reports. */
  text: string;
  path: string[];
  value: unknown;
}

/** Paths may not walk into prototypes or invent node ids. */
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

export function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** "node.field.sub=value" → an edit, or a message. */
export function parseEdit(text: string): { ok: true; edit: Edit } | { ok: false; message: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { ok: false, message: `"${text}": expected PATH=VALUE, e.g. srv.params.servers=2` };
  const path = text.slice(0, eq).split('.');
  if (path.some((p) => p === '' || FORBIDDEN.has(p))) return { ok: false, message: `"${text}": not a usable path` };
  if (path.length < 2 && path[0] !== 'name' && path[0] !== 'load') return { ok: false, message: `"${text}": name a field of the node, e.g. ${path[0]}.params.rate` };
  return { ok: true, edit: { text, path, value: parseValue(text.slice(eq + 1)) } };
}

/**
 * The options of every command that runs a model: `--json`, and `--set path=value`
 * (repeatable). Returns whether `option` was one of them.
 */
export function modelOption(option: string, read: OptionReader, args: { json: boolean; sets: Edit[] }): boolean {
  if (option === '--json') {
    args.json = true;
    return true;
  }
  if (option === '--set') {
    const e = parseEdit(read.value());
    if (!e.ok) throw new Error(`--set ${e.message}`);
    args.sets.push(e.edit);
    return true;
  }
  return false;
}

/** "node.field=v1,v2,v3" → the edits of each sweep point. */
export function parseSweep(text: string): { ok: true; points: Edit[] } | { ok: false; message: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { ok: false, message: `"${text}": expected PATH=V1,V2,..., e.g. c.params.rate=0.5/s,0.8/s,0.9/s` };
  const values = text.slice(eq + 1).split(',').map((v) => v.trim()).filter(Boolean);
  if (values.length === 0) return { ok: false, message: `"${text}": no values to sweep` };
  const points: Edit[] = [];
  for (const v of values) {
    const e = parseEdit(`${text.slice(0, eq)}=${v}`);
    if (!e.ok) return e;
    points.push(e.edit);
  }
  return { ok: true, points };
}

/** Apply edits to a copy of the document; a message names the first edit that cannot apply. */
export function applyEdits(doc: ModelDocument, edits: Edit[]): { ok: true; doc: ModelDocument } | { ok: false; message: string } {
  const out = structuredClone(doc) as ModelDocument & Record<string, unknown>;
  for (const e of edits) {
    if (e.path.length === 1 && e.path[0] === 'load') continue; // applied after loading: scaleLoad
    const [head, ...rest] = e.path;
    let target: Record<string, unknown>;
    if (head === 'run') {
      out.run = (out.run ?? {}) as ModelDocument['run'];
      target = out.run as Record<string, unknown>;
    } else if (head === 'name' && rest.length === 0) {
      out.name = String(e.value);
      continue;
    } else {
      const node = out.nodes.find((n) => n.id === head);
      if (!node) return { ok: false, message: `${e.text}: no node "${head}" in this model (nodes: ${out.nodes.map((n) => n.id).join(', ')})` };
      target = node as unknown as Record<string, unknown>;
    }
    for (let i = 0; i < rest.length - 1; i++) {
      const k = rest[i];
      const next = Object.prototype.hasOwnProperty.call(target, k) ? target[k] : undefined;
      if (next === undefined) target[k] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        return { ok: false, message: `${e.text}: ${e.path.slice(0, i + 2).join('.')} is not an object` };
      }
      target = target[k] as Record<string, unknown>;
    }
    Object.defineProperty(target, rest[rest.length - 1], { value: e.value, enumerable: true, writable: true, configurable: true });
  }
  return { ok: true, doc: out };
}

/** The product of the `load=F` edits (1 when none), or a message. */
export function loadFactor(edits: Edit[]): { ok: true; factor: number } | { ok: false; message: string } {
  let f = 1;
  for (const e of edits) {
    if (e.path.length !== 1 || e.path[0] !== 'load') continue;
    if (typeof e.value !== 'number' || !(e.value > 0) || !Number.isFinite(e.value)) {
      return { ok: false, message: `${e.text}: expected a load factor > 0, e.g. load=0.5` };
    }
    f *= e.value;
  }
  return { ok: true, factor: f };
}

/** Every open client's load × factor: the model layer's scaleLoad (rates, MMPP, schedule, inter-arrival times). */
export { scaleLoad } from '../lib/model/scaleLoad';
