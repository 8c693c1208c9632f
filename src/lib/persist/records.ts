/**
 * The shapes of what this app stores in IndexedDB, how to make them, and how to read them back.
 *
 * What comes out of a store is untrusted: another tab may run another version of the app, a
 * write may have been cut short, a user may have edited a record in devtools. So every reader
 * here checks the value, passes the model through the codec (and so through `restore()`), and
 * never throws: a damaged record becomes a located message ("this saved model ... : ...") and
 * never replaces the model on screen.
 *
 * Records are plain data (structured clone): no classes, no functions. Times are milliseconds
 * since the epoch (`Date.now()` of the writing tab). The model itself is stored as the codec's
 * record (the share envelope), so links, files and storage share one reader.
 */
import { canonicalJson, decodeRecord, encodeRecord, type ShareEnvelope } from '../codec/index.ts';
import { describeValue } from '../model/index.ts';
import type { ModelDocument, ModelIssue, NormalizedModel, Result } from '../model/index.ts';
import type { Estimate, SimSummary } from '../sim/results.ts';
import { sha256Hex } from './hash.ts';

/** A saved model (store `models`). */
export interface ModelRecord {
  id: string;
  /** The model's `name` at the last save, so the list needs no decoding. The model's own name wins. */
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Save counter: every write adds one. Two tabs use it to notice each other's saves. */
  rev: number;
  /** Where it came from, for the list: "example mm1.json", "link", "file a.json", "copy", "". */
  origin: string;
  /** sha256Hex of the model's canonical JSON. */
  hash: string;
  envelope: ShareEnvelope;
}

/** What the Models list shows; read without decoding the model. */
export type ModelListing = Omit<ModelRecord, 'envelope'>;

export interface StoredModel extends ModelListing {
  doc: ModelDocument;
}

/** The small part of a run (store `runs`): listed without loading the results. */
export interface RunMeta {
  id: string;
  createdAt: number;
  /** The saved model it was run from, or null (an example or a link not yet saved). */
  modelId: string | null;
  modelName: string;
  /** sha256Hex of the snapshot's canonical JSON: equal hashes, same model. */
  modelHash: string;
  seed: number;
  replications: number;
  /** Simulated seconds per replication. */
  until: number;
  /** The warm-up setting: "auto" or seconds. */
  warmup: 'auto' | number;
  confidence: number;
  events: number;
  /** Approximate size of the run's data in bytes (its JSON length), for the history's limit. */
  bytes: number;
  /** One number to recognise a run by in the list: end-to-end response at the first sink. */
  headline: { node: string; response: Estimate | null; throughput: Estimate | null } | null;
}

/** The bulk of a run (store `runData`), same `id` as its RunMeta. */
export interface RunData {
  id: string;
  /** The exact model that ran (codec record), run settings included. */
  envelope: ShareEnvelope;
  /** The merged summary, time series included. */
  summary: SimSummary;
}

export interface StoredRun {
  meta: RunMeta;
  doc: ModelDocument;
  summary: SimSummary;
}

/** The hash under which a document is recognised (canonical JSON: key order never matters). */
export function modelHash(doc: ModelDocument): string {
  return sha256Hex(canonicalJson(doc));
}

/** A new id: random, so two tabs never pick the same one. */
export function newId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // Outside a secure context there is no randomUUID; ids only need to be unique here.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

export function makeModelRecord(args: {
  id: string;
  doc: ModelDocument;
  origin: string;
  now: number;
  createdAt?: number;
  rev?: number;
}): ModelRecord {
  return {
    id: args.id,
    name: typeof args.doc.name === 'string' ? args.doc.name : '',
    createdAt: args.createdAt ?? args.now,
    updatedAt: args.now,
    rev: args.rev ?? 1,
    origin: args.origin,
    hash: modelHash(args.doc),
    envelope: encodeRecord(args.doc)
  };
}

/** The first sink (end to end), or else the first node, as the run's headline. */
function headlineOf(model: NormalizedModel, summary: SimSummary): RunMeta['headline'] {
  const node = model.nodes.find((n) => n.kind === 'sink' && summary.nodes[n.id]) ?? model.nodes.find((n) => summary.nodes[n.id]);
  if (!node) return null;
  const s = summary.nodes[node.id];
  return { node: node.id, response: s.response ? { mean: s.response.mean, ci: [s.response.ci[0], s.response.ci[1]] } : null, throughput: s.throughput ?? null };
}

/**
 * A run's two records. `summary` is stored as it is (structured clone keeps NaN, which JSON
 * would turn into null); its size is estimated from its JSON length.
 */
export function makeRunRecords(args: {
  id: string;
  createdAt: number;
  modelId: string | null;
  doc: ModelDocument;
  model: NormalizedModel;
  summary: SimSummary;
}): { meta: RunMeta; data: RunData } {
  const { doc, model, summary } = args;
  const data: RunData = { id: args.id, envelope: encodeRecord(doc), summary };
  const meta: RunMeta = {
    id: args.id,
    createdAt: args.createdAt,
    modelId: args.modelId,
    modelName: typeof doc.name === 'string' ? doc.name : '',
    modelHash: modelHash(doc),
    seed: summary.seed,
    replications: summary.replications,
    until: summary.until,
    warmup: model.run.warmup,
    confidence: summary.confidence,
    events: summary.events,
    bytes: 0,
    headline: headlineOf(model, summary)
  };
  meta.bytes = JSON.stringify(data).length + JSON.stringify(meta).length;
  return { meta, data };
}

/* ------------------------------------------------------------------------------------------
 * Reading. Every function below is total: it returns a Result and never throws, whatever the
 * value (hostile getters and proxies included).
 * ---------------------------------------------------------------------------------------- */

type Obj = Record<string, unknown>;

function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

class Checker {
  issues: ModelIssue[] = [];
  constructor(readonly what: string) {}
  add(path: string, expected: string, got: unknown): void {
    this.issues.push({ path, message: `${this.what} is damaged: expected ${expected}, got ${describeValue(got)}` });
  }
  string(o: Obj, key: string, path = key): string {
    const v = o[key];
    if (typeof v !== 'string') this.add(path, 'text', v);
    return typeof v === 'string' ? v : '';
  }
  time(o: Obj, key: string, path = key): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) this.add(path, 'a time (milliseconds since 1970)', v);
    return typeof v === 'number' ? v : 0;
  }
  count(o: Obj, key: string, path = key): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.add(path, 'a whole number ≥ 0', v);
    return typeof v === 'number' ? v : 0;
  }
  number(o: Obj, key: string, path = key): number {
    const v = o[key];
    // NaN is a legitimate result ("no value"), kept by structured clone.
    if (typeof v !== 'number') this.add(path, 'a number', v);
    return typeof v === 'number' ? v : NaN;
  }
  estimate(v: unknown, path: string): boolean {
    if (!isObject(v)) {
      this.add(path, 'a mean with its interval', v);
      return false;
    }
    const ci = v.ci;
    if (typeof v.mean !== 'number' || !Array.isArray(ci) || ci.length !== 2 || typeof ci[0] !== 'number' || typeof ci[1] !== 'number') {
      this.add(path, 'a mean with its interval', v);
      return false;
    }
    return true;
  }
  timeSummary(v: unknown, path: string): void {
    if (!this.estimate(v, path)) return;
    const o = v as Obj;
    for (const p of ['p50', 'p90', 'p95', 'p99', 'p999']) this.number(o, p, `${path}.${p}`);
    if (!isObject(o.percentileCi)) this.add(`${path}.percentileCi`, 'the percentile intervals', o.percentileCi);
  }
  get ok(): boolean {
    return this.issues.length === 0;
  }
}

function guard<T>(what: string, fn: () => Result<T>): Result<T> {
  try {
    return fn();
  } catch (e) {
    let detail = 'unknown error';
    try {
      detail = e instanceof Error ? e.message : String(e);
    } catch {
      /* a value whose toString throws */
    }
    return { ok: false, issues: [{ path: '', message: `internal error while reading ${what} (please report it): ${detail}` }] };
  }
}

const SAVED_MODEL = 'this saved model';
const SAVED_RUN = 'this saved run';

/** The listing part of a model record (no model decoding). */
export function readModelListing(value: unknown): Result<ModelListing> {
  return guard(SAVED_MODEL, () => {
    if (!isObject(value)) return { ok: false, issues: [{ path: '', message: `${SAVED_MODEL} is damaged: expected a record, got ${describeValue(value)}` }] };
    const c = new Checker(SAVED_MODEL);
    const listing: ModelListing = {
      id: c.string(value, 'id'),
      name: c.string(value, 'name'),
      createdAt: c.time(value, 'createdAt'),
      updatedAt: c.time(value, 'updatedAt'),
      rev: c.count(value, 'rev'),
      // Optional in spirit: a record without an origin or hash is still readable.
      origin: typeof value.origin === 'string' ? value.origin : '',
      hash: typeof value.hash === 'string' ? value.hash : ''
    };
    return c.ok ? { ok: true, value: listing } : { ok: false, issues: c.issues };
  });
}

/** A whole model record: the listing and the model, through the codec and `restore()`. */
export function readModelRecord(value: unknown): Result<StoredModel> {
  return guard(SAVED_MODEL, () => {
    const listing = readModelListing(value);
    if (!listing.ok) return listing;
    const doc = decodeRecord((value as Obj).envelope);
    if (!doc.ok) {
      return { ok: false, issues: doc.issues.map((i) => ({ path: i.path ? `envelope.${i.path}` : 'envelope', message: i.message })) };
    }
    return { ok: true, value: { ...listing.value, doc: doc.value } };
  });
}

export function readRunMeta(value: unknown): Result<RunMeta> {
  return guard(SAVED_RUN, () => {
    if (!isObject(value)) return { ok: false, issues: [{ path: '', message: `${SAVED_RUN} is damaged: expected a record, got ${describeValue(value)}` }] };
    const c = new Checker(SAVED_RUN);
    const modelId = value.modelId;
    if (modelId !== null && typeof modelId !== 'string') c.add('modelId', 'a model id or null', modelId);
    const warmup = value.warmup;
    if (warmup !== 'auto' && (typeof warmup !== 'number' || !(warmup >= 0))) c.add('warmup', '"auto" or seconds ≥ 0', warmup);
    let headline: RunMeta['headline'] = null;
    const h = value.headline;
    if (h !== null && h !== undefined) {
      if (!isObject(h) || typeof h.node !== 'string') c.add('headline', 'a node and its numbers, or null', h);
      else {
        const est = (v: unknown, path: string): Estimate | null => (v === null || v === undefined ? null : c.estimate(v, path) ? (v as Estimate) : null);
        headline = { node: h.node, response: est(h.response, 'headline.response'), throughput: est(h.throughput, 'headline.throughput') };
      }
    }
    const meta: RunMeta = {
      id: c.string(value, 'id'),
      createdAt: c.time(value, 'createdAt'),
      modelId: typeof modelId === 'string' ? modelId : null,
      modelName: c.string(value, 'modelName'),
      modelHash: c.string(value, 'modelHash'),
      seed: c.count(value, 'seed'),
      replications: c.count(value, 'replications'),
      until: c.number(value, 'until'),
      warmup: warmup === 'auto' ? 'auto' : typeof warmup === 'number' ? warmup : 'auto',
      confidence: c.number(value, 'confidence'),
      events: c.count(value, 'events'),
      bytes: c.count(value, 'bytes'),
      headline
    };
    return c.ok ? { ok: true, value: meta } : { ok: false, issues: c.issues };
  });
}

/**
 * Check the parts of a stored summary that the results table, the comparison and the exports
 * read. Not a full schema: unknown and optional extras are left as they are.
 */
export function checkSummary(value: unknown, path = 'summary', what = SAVED_RUN): ModelIssue[] {
  const c = new Checker(what);
  if (!isObject(value)) {
    c.add(path, 'the results of a run', value);
    return c.issues;
  }
  for (const k of ['seed', 'replications', 'until', 'warmup', 'confidence', 'events']) c.number(value, k, `${path}.${k}`);
  if (typeof value.model !== 'string') c.add(`${path}.model`, 'the model name', value.model);
  const nodes = value.nodes;
  if (!isObject(nodes)) c.add(`${path}.nodes`, 'results per node', nodes);
  else {
    for (const [id, n] of Object.entries(nodes)) {
      const p = `${path}.nodes[${JSON.stringify(id)}]`;
      if (!isObject(n)) {
        c.add(p, "a node's results", n);
        continue;
      }
      if (n.id !== id) c.add(`${p}.id`, JSON.stringify(id), n.id);
      if (typeof n.kind !== 'string') c.add(`${p}.kind`, 'a node kind', n.kind);
      for (const k of ['arrivals', 'departures', 'dropped', 'throughput', 'inSystem', 'utilisation']) c.estimate(n[k], `${p}.${k}`);
      c.timeSummary(n.response, `${p}.response`);
      c.timeSummary(n.wait, `${p}.wait`);
      if (!isObject(n.dropsByReason)) c.add(`${p}.dropsByReason`, 'drops by reason', n.dropsByReason);
      if (!Array.isArray(n.occupancy)) c.add(`${p}.occupancy`, 'a list of probabilities', n.occupancy);
      if (n.station !== undefined) {
        if (!isObject(n.station)) c.add(`${p}.station`, "the station's results", n.station);
        else {
          c.estimate(n.station.inSystem, `${p}.station.inSystem`);
          c.timeSummary(n.station.response, `${p}.station.response`);
        }
      }
      if (c.issues.length > 20) return c.issues;
    }
  }
  const series = value.series;
  if (!isObject(series) || typeof series.bucket !== 'number' || !isObject(series.nodes)) c.add(`${path}.series`, 'the time series', series);
  return c.issues;
}

/** A run's data record, checked: the model through the codec, the summary by shape. */
export function readRunData(value: unknown): Result<{ doc: ModelDocument; summary: SimSummary }> {
  return guard(SAVED_RUN, () => {
    if (!isObject(value)) return { ok: false, issues: [{ path: '', message: `${SAVED_RUN} is damaged: expected a record, got ${describeValue(value)}` }] };
    const doc = decodeRecord(value.envelope);
    if (!doc.ok) {
      return { ok: false, issues: doc.issues.map((i) => ({ path: i.path ? `envelope.${i.path}` : 'envelope', message: i.message })) };
    }
    const issues = checkSummary(value.summary);
    if (issues.length) return { ok: false, issues };
    return { ok: true, value: { doc: doc.value, summary: value.summary as SimSummary } };
  });
}
