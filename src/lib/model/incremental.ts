/**
 * `load()` for a document that changes a little at a time (the editor's): validates and
 * normalises only the nodes and edges that changed since the last call, and re-checks the graph
 * rules (`checkGraph`) on the whole document, so an edit of one node in a 1,000-node model costs
 * a few milliseconds instead of a full `load()`.
 *
 * Why it gives `load()`'s answer: the editor builds each document from the last one, sharing the
 * node and edge objects it did not touch (Editor.ts, "one way in for edits"), and never mutates
 * them. A node object seen before was valid then and is the same value now, so its parsed and
 * normalised forms are reused (a WeakMap keyed by the object). Every node-local rule is the
 * node's schema (`NodeSchema`, parsed here with the same path prefix, so the same messages at
 * the same paths); every cross-node rule is in `checkGraph`, run in full. Changes to anything
 * else (name, notes, run settings, faults, unknown fields, format or version) take the full
 * `load()`. `incremental.test.ts` checks the answers equal `load()`'s, issues included, over
 * random edit sequences.
 *
 * Two whole-document limits are not re-checked here: the total value count and the nesting
 * depth (checked per node, 2 levels shallower than in a document). The Workspace runs a full
 * `load()` at idle time behind every incremental one as a safety net.
 *
 * Pure TypeScript: no DOM, no clock.
 */
import * as v from 'valibot';
import { EdgeSchema, NodeSchema } from './document.ts';
import { PARSE_CONFIG } from './fields.ts';
import { checkGraph } from './graph.ts';
import { fromValibot } from './issues.ts';
import { normalizeValidated } from './normalize.ts';
import { checkPlainData } from './plainData.ts';
import { load } from './restore.ts';
import { MODEL_FORMAT, MODEL_VERSION } from './types.ts';
import type { EdgeInput, ModelDocument, ModelIssue, NodeInput, NormalizedEdge, NormalizedModel, NormalizedNode, Result } from './types.ts';

export type Loaded = { doc: ModelDocument; model: NormalizedModel };

interface NodeEntry {
  out: NodeInput;
  norm: NormalizedNode;
}
interface EdgeEntry {
  out: EdgeInput;
  norm: NormalizedEdge;
}

/** `path` of a node-relative issue, placed under `nodes[i]` (or `edges[i]`). */
function under(prefix: string, path: string): string {
  if (!path) return prefix;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

export class IncrementalLoader {
  #nodes = new WeakMap<NodeInput, NodeEntry>();
  #edges = new WeakMap<EdgeInput, EdgeEntry>();
  /** The last document loaded (as given) and its result. */
  #lastIn: ModelDocument | null = null;
  #lastOut: Loaded | null = null;
  /** How the last call went: 'full' (a whole `load()`) or 'incremental'; for tests and benches. */
  lastPath: 'full' | 'incremental' | null = null;

  /** Forget everything (another model was opened). */
  reset(): void {
    this.#nodes = new WeakMap();
    this.#edges = new WeakMap();
    this.#lastIn = null;
    this.#lastOut = null;
    this.lastPath = null;
  }

  /**
   * `load(doc)`'s result: the same document and model, or the same located issues. The
   * returned document shares unchanged nodes with earlier results; treat it as immutable.
   */
  load(doc: ModelDocument): Result<Loaded> {
    const prev = this.#lastIn;
    // Only current-version documents: an older one is migrated first, which may reshape nodes.
    if (!prev || doc.format !== MODEL_FORMAT || doc.version !== MODEL_VERSION || !this.#sameOutside(prev, doc) || !Array.isArray(doc.nodes) || !Array.isArray(doc.edges)) {
      return this.#full(doc);
    }
    this.lastPath = 'incremental';

    const issues: ModelIssue[] = [];
    const nodes: NodeInput[] = new Array(doc.nodes.length);
    const norms: NormalizedNode[] = new Array(doc.nodes.length);
    doc.nodes.forEach((node, i) => {
      const e = this.#node(node, i, issues);
      if (e) {
        nodes[i] = e.out;
        norms[i] = e.norm;
      }
    });
    const edges: EdgeInput[] = new Array(doc.edges.length);
    const edgeNorms: NormalizedEdge[] = new Array(doc.edges.length);
    doc.edges.forEach((edge, i) => {
      const e = this.#edge(edge, i, issues);
      if (e) {
        edges[i] = e.out;
        edgeNorms[i] = e.norm;
      }
    });
    // The schema reports the first failing items; the graph is checked only on a valid shape.
    if (issues.length) return { ok: false, issues };
    const out: ModelDocument = { ...this.#lastOut!.doc, nodes, edges };
    const graph = checkGraph(out);
    if (graph.length) return { ok: false, issues: graph };
    const model: NormalizedModel = { ...this.#lastOut!.model, nodes: norms, edges: edgeNorms };
    this.#lastIn = doc;
    this.#lastOut = { doc: out, model };
    return { ok: true, value: this.#lastOut };
  }

  /** Whether everything but `nodes` and `edges` is the same (by identity) in both documents. */
  #sameOutside(a: ModelDocument, b: ModelDocument): boolean {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of kb) {
      if (k === 'nodes' || k === 'edges') continue;
      if (!Object.prototype.hasOwnProperty.call(a, k) || a[k] !== b[k]) return false;
    }
    return true;
  }

  #full(doc: ModelDocument): Result<Loaded> {
    this.lastPath = 'full';
    const r = load(doc);
    if (!r.ok) return r;
    // Remember each input node and edge by identity (load() keeps their order).
    if (Array.isArray(doc.nodes) && Array.isArray(doc.edges)) {
      doc.nodes.forEach((n, i) => {
        if (typeof n === 'object' && n !== null) this.#nodes.set(n, { out: r.value.doc.nodes[i], norm: r.value.model.nodes[i] });
      });
      doc.edges.forEach((e, i) => {
        if (typeof e === 'object' && e !== null) this.#edges.set(e, { out: r.value.doc.edges[i], norm: r.value.model.edges[i] });
      });
    }
    this.#lastIn = doc;
    this.#lastOut = r.value;
    return r;
  }

  #node(node: NodeInput, i: number, issues: ModelIssue[]): NodeEntry | null {
    if (typeof node === 'object' && node !== null) {
      const hit = this.#nodes.get(node);
      if (hit) return hit;
    }
    const plain = checkPlainData(node);
    if (plain) {
      issues.push({ path: under(`nodes[${i}]`, plain.path), message: plain.message });
      return null;
    }
    const parsed = v.safeParse(NodeSchema, node, PARSE_CONFIG);
    if (!parsed.success) {
      issues.push(...fromValibot(parsed.issues, ['nodes', i]));
      return null;
    }
    const out = structuredClone(parsed.output) as unknown as NodeInput;
    const norm = normalizeValidated({ format: MODEL_FORMAT, version: MODEL_VERSION, nodes: [out], edges: [] }).nodes[0];
    const entry = { out, norm };
    this.#nodes.set(node, entry);
    return entry;
  }

  #edge(edge: EdgeInput, i: number, issues: ModelIssue[]): EdgeEntry | null {
    if (typeof edge === 'object' && edge !== null) {
      const hit = this.#edges.get(edge);
      if (hit) return hit;
    }
    const plain = checkPlainData(edge);
    if (plain) {
      issues.push({ path: under(`edges[${i}]`, plain.path), message: plain.message });
      return null;
    }
    const parsed = v.safeParse(EdgeSchema, edge, PARSE_CONFIG);
    if (!parsed.success) {
      issues.push(...fromValibot(parsed.issues, ['edges', i]));
      return null;
    }
    const out = structuredClone(parsed.output) as unknown as EdgeInput;
    const norm = normalizeValidated({ format: MODEL_FORMAT, version: MODEL_VERSION, nodes: [], edges: [out] }).edges[0];
    const entry = { out, norm };
    this.#edges.set(edge, entry);
    return entry;
  }
}
