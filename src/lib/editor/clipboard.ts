/**
 * Nodes on the system clipboard: the selected nodes and the edges among them as a small JSON
 * fragment, so a copy in one tab (or one model) pastes into another, and a model file's JSON
 * pastes as its nodes.
 *
 * What comes back from the clipboard is untrusted input, like a file: it goes through the
 * model layer's one door (`restore()`: JSON syntax with line and column, migrations, the schema,
 * the graph rules), so junk is refused with a located message and never reaches the document.
 * Faults and run settings are not part of a fragment (they belong to the model).
 *
 * Pure TypeScript, no DOM: the component layer talks to `navigator.clipboard`.
 */
import { MODEL_FORMAT, MODEL_VERSION, type EdgeInput, type ModelDocument, type ModelIssue, type NodeInput } from '../model/types.ts';
import { restore } from '../model/restore.ts';
import { findJsonError } from '../model/jsonError.ts';

/** The fragment's format tag. FROZEN: fragments on users' clipboards carry it. */
export const FRAGMENT_FORMAT = 'systems-sandbox/fragment';
/** Refuse clipboard text longer than this (characters) before parsing it. */
export const MAX_FRAGMENT_CHARS = 5_000_000;

export interface Fragment {
  nodes: NodeInput[];
  edges: EdgeInput[];
}

export type FragmentResult = { ok: true; value: Fragment } | { ok: false; issues: ModelIssue[] };

/**
 * The fragment as JSON text: `{ format, version, nodes, edges }`, version being the model
 * format's (the nodes are written as the document has them).
 */
export function encodeFragment(f: Fragment): string {
  return JSON.stringify({ format: FRAGMENT_FORMAT, version: MODEL_VERSION, nodes: f.nodes, edges: f.edges }, null, 2);
}

function refuse(message: string, path = ''): FragmentResult {
  return { ok: false, issues: [{ path, message }] };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/**
 * Read clipboard text as nodes and edges: a fragment (FRAGMENT_FORMAT) or a whole model
 * document (its nodes and edges). Edges must join nodes of the fragment. Never throws; refused
 * input returns issues whose paths are the fragment's own (`nodes[2].params.rate`).
 */
export function decodeFragment(text: string): FragmentResult {
  if (typeof text !== 'string' || text.trim() === '') return refuse('The clipboard is empty.');
  if (text.length > MAX_FRAGMENT_CHARS) {
    return refuse(`The clipboard holds ${text.length.toLocaleString('en')} characters; at most ${MAX_FRAGMENT_CHARS.toLocaleString('en')} are read.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = findJsonError(text);
    const where = at ? ` (line ${at.line}, column ${at.column}: ${at.reason})` : '';
    return refuse(`The clipboard does not hold nodes copied from Systems Sandbox: it is not JSON${where}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse(`The clipboard does not hold nodes copied from Systems Sandbox: expected an object with "format": "${FRAGMENT_FORMAT}", got ${describe(value)}.`);
  }
  const o = value as Record<string, unknown>;
  let doc: unknown;
  if (o.format === FRAGMENT_FORMAT) {
    if (!Array.isArray(o.nodes)) return refuse(`expected a list of nodes, got ${o.nodes === undefined ? 'nothing' : describe(o.nodes)}`, 'nodes');
    if (o.edges !== undefined && !Array.isArray(o.edges)) return refuse(`expected a list of edges, got ${describe(o.edges)}`, 'edges');
    // Checked as a document of its own: same messages and paths as a file's.
    doc = { format: MODEL_FORMAT, version: o.version ?? MODEL_VERSION, name: 'clipboard', nodes: o.nodes, edges: o.edges ?? [] };
  } else if (o.format === MODEL_FORMAT) {
    doc = o;
  } else {
    return refuse(
      `The clipboard holds JSON, but not nodes copied from Systems Sandbox: expected "format": "${FRAGMENT_FORMAT}" (or a model, "${MODEL_FORMAT}"), got ${o.format === undefined ? 'no format' : describe(o.format)}.`,
      'format'
    );
  }
  const r = restore(doc);
  if (!r.ok) return { ok: false, issues: r.issues };
  const d: ModelDocument = r.value;
  if (d.nodes.length === 0) return refuse('The clipboard holds no nodes.', 'nodes');
  return { ok: true, value: { nodes: d.nodes, edges: d.edges } };
}
