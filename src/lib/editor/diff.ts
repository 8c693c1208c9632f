/**
 * Recorded diffs of the document (ARCHITECTURE.md, principle 5): what undo and redo replay.
 *
 * The document is immutable plain data: every change builds a new document that shares the
 * objects it did not touch. A diff is computed between two documents by identity first (an
 * untouched node is the same object, so 1,000 unchanged nodes cost 1,000 pointer compares)
 * and deep equality second. It records, per node and per edge id, the value before and after
 * (undefined = absent), the id order when it changed, and the top-level fields that changed.
 * A diff applies in both directions, so an entry needs no copy of the whole document.
 */
import type { EdgeInput, ModelDocument, NodeInput } from '../model/types.ts';

export interface CollectionDiff<T> {
  /** [id, before, after]; undefined = not present on that side. */
  changes: [string, T | undefined, T | undefined][];
  /** Id order before and after, recorded only when the order or the set of ids changed. */
  order?: [string[], string[]];
}

export interface DocDiff {
  nodes?: CollectionDiff<NodeInput>;
  edges?: CollectionDiff<EdgeInput>;
  /** Top-level fields other than nodes and edges: [key, before, after]. */
  fields?: [string, unknown, unknown][];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function diffCollection<T extends { id: string }>(before: readonly T[], after: readonly T[]): CollectionDiff<T> | undefined {
  if (before === after) return undefined;
  const old = new Map<string, T>();
  for (const x of before) old.set(x.id, x);
  const changes: [string, T | undefined, T | undefined][] = [];
  const seen = new Set<string>();
  let sameOrder = before.length === after.length;
  after.forEach((x, i) => {
    seen.add(x.id);
    if (sameOrder && before[i].id !== x.id) sameOrder = false;
    const prev = old.get(x.id);
    if (prev === undefined) changes.push([x.id, undefined, x]);
    else if (prev !== x && !deepEqual(prev, x)) changes.push([x.id, prev, x]);
  });
  for (const x of before) if (!seen.has(x.id)) changes.push([x.id, x, undefined]);
  if (changes.length === 0 && sameOrder) return undefined;
  const d: CollectionDiff<T> = { changes };
  if (!sameOrder) d.order = [before.map((x) => x.id), after.map((x) => x.id)];
  return d;
}

/** The diff that turns `a` into `b` (empty object when they are equal). */
export function diffDocs(a: ModelDocument, b: ModelDocument): DocDiff {
  const d: DocDiff = {};
  const nodes = diffCollection(a.nodes, b.nodes);
  if (nodes) d.nodes = nodes;
  const edges = diffCollection(a.edges, b.edges);
  if (edges) d.edges = edges;
  const fields: [string, unknown, unknown][] = [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'nodes' || k === 'edges') continue;
    const x = a[k];
    const y = b[k];
    if (x !== y && !deepEqual(x, y)) fields.push([k, x, y]);
  }
  if (fields.length) d.fields = fields;
  return d;
}

export function isEmptyDiff(d: DocDiff): boolean {
  return !d.nodes && !d.edges && !d.fields;
}

function applyCollection<T extends { id: string }>(items: readonly T[], d: CollectionDiff<T>, forward: boolean): T[] {
  const byId = new Map<string, T>();
  for (const x of items) byId.set(x.id, x);
  const added: string[] = [];
  for (const [id, before, after] of d.changes) {
    const value = forward ? after : before;
    if (value === undefined) byId.delete(id);
    else {
      if (!byId.has(id)) added.push(id);
      byId.set(id, value);
    }
  }
  const order = d.order ? d.order[forward ? 1 : 0] : [...items.map((x) => x.id), ...added];
  const out: T[] = [];
  for (const id of order) {
    const x = byId.get(id);
    if (x !== undefined) {
      out.push(x);
      byId.delete(id);
    }
  }
  // Anything the recorded order does not know (cannot happen when every change is recorded)
  // is kept rather than lost.
  for (const x of byId.values()) out.push(x);
  return out;
}

/** Apply a diff forward (redo) or backward (undo); returns a new document. */
export function applyDiff(doc: ModelDocument, d: DocDiff, direction: 'forward' | 'backward'): ModelDocument {
  const forward = direction === 'forward';
  const next: ModelDocument = { ...doc };
  if (d.nodes) next.nodes = applyCollection(doc.nodes, d.nodes, forward);
  if (d.edges) next.edges = applyCollection(doc.edges, d.edges, forward);
  for (const [k, before, after] of d.fields ?? []) {
    const value = forward ? after : before;
    if (value === undefined) delete next[k];
    else next[k] = value;
  }
  return next;
}

const LAYOUT_KEYS = new Set(['x', 'y']);

/**
 * Whether a diff only moves nodes (x, y). Such an edit leaves the simulated system as it was,
 * so a run in progress may go on.
 */
export function isLayoutOnly(d: DocDiff): boolean {
  if (d.edges || d.fields || d.nodes?.order) return false;
  for (const [, before, after] of d.nodes?.changes ?? []) {
    if (!before || !after) return false;
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of keys) if (!LAYOUT_KEYS.has(k) && !deepEqual(before[k], after[k])) return false;
  }
  return true;
}

/**
 * The nodes a diff only moved (both positions set before and after; same kind, label and
 * parameters; no node or edge added, removed or reordered; no other field changed), or null
 * when it did more. A drag is a stream of such diffs, and the renderer redraws just those
 * nodes and their edges. Nodes placed by the automatic layout are excluded: which nodes lack
 * a position decides where the others go.
 */
export function movedNodes(d: DocDiff | null): string[] | null {
  if (!d || d.edges || d.fields || !d.nodes || d.nodes.order) return null;
  const ids: string[] = [];
  for (const [id, before, after] of d.nodes.changes) {
    if (!before || !after || before.kind !== after.kind || before.label !== after.label || before.params !== after.params) return null;
    if (typeof before.x !== 'number' || typeof before.y !== 'number' || typeof after.x !== 'number' || typeof after.y !== 'number') return null;
    ids.push(id);
  }
  return ids;
}
