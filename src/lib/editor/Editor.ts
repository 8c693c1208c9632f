/**
 * The Editor: the one place the model document changes while a person draws (ARCHITECTURE.md,
 * principles 2, 4 and 5). No Svelte, no pixi, no DOM: the canvas, the panels, the keyboard and
 * the tests all drive the same object.
 *
 * It holds three scopes of state:
 *  - the document (persisted, shared, undoable): an immutable `ModelDocument`. Every change
 *    builds a new document sharing the untouched nodes and edges, so diffs are cheap and the
 *    renderer can tell what changed by identity;
 *  - the session (per tab, never in a link): selection, viewport, clipboard;
 *  - the ephemeral (hover, box, wire preview, status line), written by the tools.
 *
 * Every user change goes through `#apply`, which records one history entry (or, inside a mark,
 * defers to the mark's commit) and then *commits*: `onCommit` listeners (the page's Workspace,
 * for autosave) receive the new document. Loading a model is never recorded and clears the
 * history. Documents the editor produces always pass `restore()`: commands build valid data
 * by construction (ids, ports, fan-out, fault targets) and values are validated by the model
 * layer before they are written.
 */
import { KINDS } from '../model/kinds/index.ts';
import { validate } from '../model/restore.ts';
import { NODE_ID_PATTERN } from '../model/document.ts';
import { decodeFragment, encodeFragment } from './clipboard.ts';
import {
  MODEL_FORMAT,
  MODEL_VERSION,
  NODE_KINDS,
  type EdgeInput,
  type ModelDocument,
  type ModelIssue,
  type NodeInput,
  type NodeKind
} from '../model/types.ts';
import { checkConnection, portRef, type ConnectCheck, type PortEnd } from './connect.ts';
import { applyDiff, diffDocs, isEmptyDiff, type DocDiff } from './diff.ts';
import {
  boundsOf,
  distToCurve,
  edgeCurve,
  GRID,
  nodeRect,
  PORT_R,
  portPosition,
  rectContains,
  rectsIntersect,
  snap,
  STEP_X,
  NODE_H,
  NODE_W,
  type Point,
  type PortDir,
  type PortHit,
  type Rect
} from './geometry.ts';
import { History, type HistoryOptions } from './history.ts';
import { newEdgeId, newNodeId } from './ids.ts';
import { autoPositions } from './layout.ts';
import { validateNodeParams } from './params.ts';
import { fitBounds, IDENTITY, panBy, toScreen, toWorld, zoomAt, ZOOM_STEP, type Viewport } from './viewport.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; issues: ModelIssue[] };

export interface Selection {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
}

export const EMPTY_SELECTION: Selection = Object.freeze({ nodes: new Set<string>(), edges: new Set<string>() });

/** Where a document change came from. `new` is a fresh empty model (a load the host saves). */
export type ChangeOrigin = 'load' | 'new' | 'user' | 'undo' | 'redo';

export interface DocChange {
  origin: ChangeOrigin;
  /** The diff from the previous document; null for a load. */
  diff: DocDiff | null;
  /** The history entry's label (user, undo, redo). */
  label?: string;
}

/** A request for the UI (a dialog to open). */
export type UiRequest = 'quick-add' | 'connect';

export interface EditorChange {
  doc?: DocChange;
  selection?: true;
  viewport?: true;
  ephemeral?: true;
  ui?: UiRequest;
}

export interface WirePreview {
  start: PortHit;
  /** Pointer, world units. */
  to: Point;
  /** The port the wire would connect to, when over one. */
  target: PortHit | null;
  /** null: over no port; true: may connect; false: may not (see `reason`). */
  valid: boolean | null;
  reason: string | null;
}

export interface Ephemeral {
  /** Box selection, world units. */
  box: Rect | null;
  wire: WirePreview | null;
  hoverPort: PortHit | null;
}

export type Hit =
  | { kind: 'port'; node: string; port: string; dir: PortDir }
  | { kind: 'node'; id: string }
  | { kind: 'edge'; id: string };

export interface Clipboard {
  nodes: NodeInput[];
  edges: EdgeInput[];
}

export interface EditorOptions {
  doc?: ModelDocument;
  history?: HistoryOptions;
}

/** A new, empty model document. */
export function emptyDocument(name = 'Untitled model'): ModelDocument {
  return { format: MODEL_FORMAT, version: MODEL_VERSION, name, nodes: [], edges: [] };
}

function fail<T>(message: string, path = ''): Result<T> {
  return { ok: false, issues: [{ path, message }] };
}

const round = (x: number) => Math.round(x);

export class Editor {
  readonly history: History;
  #doc: ModelDocument;
  #selection: Selection = EMPTY_SELECTION;
  #viewport: Viewport = IDENTITY;
  #screen = { width: 800, height: 500 };
  #ephemeral: Ephemeral = { box: null, wire: null, hoverPort: null };
  #status = '';
  #clipboard: Clipboard | null = null;
  #pasteCount = 0;
  /** The system clipboard text last pasted (a repeat paste is offset further). */
  #pastedText: string | null = null;
  #listeners = new Set<(c: EditorChange) => void>();
  #commitListeners = new Set<(doc: ModelDocument, change: DocChange) => void>();
  /** Positions for nodes the document does not place, per nodes array. */
  #auto: { nodes: readonly NodeInput[]; edges: readonly EdgeInput[]; map: Map<string, Point> } | null = null;
  #index: { nodes: readonly NodeInput[]; map: Map<string, number> } | null = null;

  constructor(opts: EditorOptions = {}) {
    this.history = new History(opts.history);
    this.#doc = opts.doc ?? emptyDocument();
  }

  /* ------------------------------------------------------------------ reading */

  get doc(): ModelDocument {
    return this.#doc;
  }
  get selection(): Selection {
    return this.#selection;
  }
  get viewport(): Viewport {
    return this.#viewport;
  }
  get screen(): { width: number; height: number } {
    return this.#screen;
  }
  get ephemeral(): Ephemeral {
    return this.#ephemeral;
  }
  /** A line for the status bar (what a drag will do, why a wire cannot connect, what just happened). */
  get status(): string {
    return this.#status;
  }
  get clipboard(): Clipboard | null {
    return this.#clipboard;
  }

  node(id: string): NodeInput | undefined {
    const i = this.indexOf(id);
    return i < 0 ? undefined : this.#doc.nodes[i];
  }

  edge(id: string): EdgeInput | undefined {
    return this.#doc.edges.find((e) => e.id === id);
  }

  /** Index of a node in the document, or -1 (cached per nodes array). */
  indexOf(id: string): number {
    const nodes = this.#doc.nodes;
    if (this.#index?.nodes !== nodes) {
      const map = new Map<string, number>();
      nodes.forEach((n, i) => map.set(n.id, i));
      this.#index = { nodes, map };
    }
    return this.#index.map.get(id) ?? -1;
  }

  /** Where a node is drawn (its centre, world units). */
  positionOf(node: NodeInput): Point {
    if (typeof node.x === 'number' && typeof node.y === 'number') return { x: node.x, y: node.y };
    const doc = this.#doc;
    if (this.#auto?.nodes !== doc.nodes || this.#auto.edges !== doc.edges) {
      this.#auto = { nodes: doc.nodes, edges: doc.edges, map: autoPositions(doc) };
    }
    return this.#auto.map.get(node.id) ?? { x: 0, y: 0 };
  }

  portWorld(nodeId: string, port: string, dir?: PortDir): Point | null {
    const n = this.node(nodeId);
    if (!n) return null;
    const p = KINDS[n.kind].ports;
    const d = dir ?? (p.out.includes(port) ? 'out' : 'in');
    return portPosition(n.kind, this.positionOf(n), port, d);
  }

  /** The two ends of an edge, world units, or null when an end is missing. */
  edgeEnds(e: EdgeInput): { from: Point; to: Point } | null {
    const [fn, fp] = e.from.split('.');
    const [tn, tp] = e.to.split('.');
    const from = this.portWorld(fn, fp, 'out');
    const to = this.portWorld(tn, tp, 'in');
    return from && to ? { from, to } : null;
  }

  isSelected(kind: 'node' | 'edge', id: string): boolean {
    return (kind === 'node' ? this.#selection.nodes : this.#selection.edges).has(id);
  }

  /** The one selected node, if exactly one node and no edge is selected. */
  get selectedNode(): NodeInput | null {
    const s = this.#selection;
    if (s.nodes.size !== 1 || s.edges.size !== 0) return null;
    return this.node([...s.nodes][0]) ?? null;
  }

  get selectedEdge(): EdgeInput | null {
    const s = this.#selection;
    if (s.edges.size !== 1 || s.nodes.size !== 0) return null;
    return this.edge([...s.edges][0]) ?? null;
  }

  get hasSelection(): boolean {
    return this.#selection.nodes.size + this.#selection.edges.size > 0;
  }

  /* -------------------------------------------------------------- listeners */

  /** Every change (document, selection, viewport, ephemeral). Returns an unsubscribe. */
  subscribe(fn: (c: EditorChange) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /**
   * Finished document changes only (not each step of a drag): what the host persists. `new`
   * asks the host to open the document as a new model.
   */
  onCommit(fn: (doc: ModelDocument, change: DocChange) => void): () => void {
    this.#commitListeners.add(fn);
    return () => this.#commitListeners.delete(fn);
  }

  #emit(c: EditorChange): void {
    for (const fn of this.#listeners) fn(c);
  }

  #commit(change: DocChange): void {
    for (const fn of this.#commitListeners) fn(this.#doc, change);
  }

  setStatus(text: string): void {
    if (text === this.#status) return;
    this.#status = text;
    this.#emit({ ephemeral: true });
  }

  /** Ask the UI to open a dialog (quick add, connect). */
  requestUi(ui: UiRequest): void {
    this.#emit({ ui });
  }

  /* -------------------------------------------------------- loading (not recorded) */

  /**
   * Show a document that came from elsewhere (an example, a file, a link, another tab). Never
   * recorded: the history is cleared, the selection too. `fit` frames it.
   */
  load(doc: ModelDocument, opts: { fit?: boolean } = {}): void {
    this.history.clear();
    this.#doc = doc;
    this.#selection = EMPTY_SELECTION;
    this.#ephemeral = { box: null, wire: null, hoverPort: null };
    this.#pasteCount = 0;
    this.#emit({ doc: { origin: 'load', diff: null }, selection: true, ephemeral: true });
    if (opts.fit) this.fitView();
  }

  /** Start a new, empty model (the "New model" command). */
  newModel(): void {
    this.load(emptyDocument());
    this.#viewport = { x: this.#screen.width / 2 - 300, y: this.#screen.height / 2 - 150, zoom: 1 };
    this.#emit({ viewport: true });
    this.#commit({ origin: 'new', diff: null });
  }

  /* ------------------------------------------------------------- the core */

  /**
   * Replace the document by a user edit. Inside a mark (a drag) the change is shown but not
   * recorded or committed until the mark ends.
   */
  #apply(next: ModelDocument, label: string, opts: { coalesce?: string } = {}): boolean {
    const prev = this.#doc;
    if (next === prev) return false;
    this.#doc = next;
    this.#pruneSelection();
    if (this.history.marking) {
      // Shown, not recorded; the step's diff lets the renderer redraw only what moved.
      this.#emit({ doc: { origin: 'user', diff: diffDocs(prev, next), label }, selection: true });
      return true;
    }
    const entry = this.history.record(label, prev, next, opts);
    const diff = diffDocs(prev, next);
    if (isEmptyDiff(diff)) return false;
    this.#emit({ doc: { origin: 'user', diff, label }, selection: true });
    this.#commit({ origin: 'user', diff, label: entry?.label ?? label });
    return true;
  }

  /** Begin an interaction recorded as one entry (a drag). */
  mark(label: string): void {
    if (this.history.marking) this.commitMark();
    this.history.mark(label, this.#doc);
  }

  /** End it: one history entry, one commit. */
  commitMark(): void {
    const base = this.history.markBase;
    const entry = this.history.commit(this.#doc);
    if (entry && base) {
      const diff = diffDocs(base, this.#doc);
      this.#emit({ doc: { origin: 'user', diff, label: entry.label } });
      this.#commit({ origin: 'user', diff, label: entry.label });
    }
  }

  /** Abandon it: back to the document at the mark. */
  cancelMark(): void {
    const base = this.history.cancel();
    if (base && base !== this.#doc) {
      this.#doc = base;
      this.#pruneSelection();
      this.#emit({ doc: { origin: 'user', diff: null, label: 'cancel' }, selection: true });
    }
  }

  #pruneSelection(): void {
    const s = this.#selection;
    if (s.nodes.size === 0 && s.edges.size === 0) return;
    const nodes = new Set([...s.nodes].filter((id) => this.indexOf(id) >= 0));
    const edgeIds = new Set(this.#doc.edges.map((e) => e.id));
    const edges = new Set([...s.edges].filter((id) => edgeIds.has(id)));
    if (nodes.size !== s.nodes.size || edges.size !== s.edges.size) this.#selection = { nodes, edges };
  }

  /* ------------------------------------------------------------- undo / redo */

  get canUndo(): boolean {
    return this.history.canUndo && !this.history.marking;
  }
  get canRedo(): boolean {
    return this.history.canRedo && !this.history.marking;
  }

  undo(): boolean {
    if (this.history.marking) this.cancelMark();
    const r = this.history.undo(this.#doc);
    if (!r) return false;
    this.#doc = r.doc;
    this.#pruneSelection();
    this.#emit({ doc: { origin: 'undo', diff: r.entry.diff, label: r.entry.label }, selection: true });
    this.#commit({ origin: 'undo', diff: r.entry.diff, label: r.entry.label });
    this.setStatus(`Undid ${r.entry.label.toLowerCase()}.`);
    return true;
  }

  redo(): boolean {
    if (this.history.marking) return false;
    const r = this.history.redo(this.#doc);
    if (!r) return false;
    this.#doc = r.doc;
    this.#pruneSelection();
    this.#emit({ doc: { origin: 'redo', diff: r.entry.diff, label: r.entry.label }, selection: true });
    this.#commit({ origin: 'redo', diff: r.entry.diff, label: r.entry.label });
    this.setStatus(`Redid ${r.entry.label.toLowerCase()}.`);
    return true;
  }

  /**
   * Take back the newest change without a redo step: the host refused the document (it must
   * not happen, as every change is validated, but the host is the last gate).
   */
  revertLast(): void {
    const r = this.history.undo(this.#doc);
    if (!r) return;
    this.history.redo(r.doc); // keep the stacks consistent, then drop the entry
    this.history.dropLast();
    this.#doc = r.doc;
    this.#pruneSelection();
    this.#emit({ doc: { origin: 'undo', diff: r.entry.diff, label: r.entry.label }, selection: true });
  }

  /* -------------------------------------------------------------- selection */

  select(ids: { nodes?: Iterable<string>; edges?: Iterable<string> }, mode: 'replace' | 'add' | 'toggle' = 'replace'): void {
    const nodes = new Set(mode === 'replace' ? [] : this.#selection.nodes);
    const edges = new Set(mode === 'replace' ? [] : this.#selection.edges);
    const apply = (set: Set<string>, id: string) => {
      if (mode === 'toggle' && set.has(id)) set.delete(id);
      else set.add(id);
    };
    for (const id of ids.nodes ?? []) if (this.indexOf(id) >= 0) apply(nodes, id);
    const edgeIds = new Set(this.#doc.edges.map((e) => e.id));
    for (const id of ids.edges ?? []) if (edgeIds.has(id)) apply(edges, id);
    this.#setSelection({ nodes, edges });
  }

  selectAll(): void {
    this.#setSelection({ nodes: new Set(this.#doc.nodes.map((n) => n.id)), edges: new Set(this.#doc.edges.map((e) => e.id)) });
  }

  clearSelection(): void {
    this.#setSelection(EMPTY_SELECTION);
  }

  #setSelection(s: Selection): void {
    const cur = this.#selection;
    const same =
      s.nodes.size === cur.nodes.size &&
      s.edges.size === cur.edges.size &&
      [...s.nodes].every((id) => cur.nodes.has(id)) &&
      [...s.edges].every((id) => cur.edges.has(id));
    if (same) return;
    this.#selection = s.nodes.size + s.edges.size === 0 ? EMPTY_SELECTION : s;
    this.#emit({ selection: true });
  }

  /* --------------------------------------------------------------- viewport */

  setScreenSize(width: number, height: number): void {
    if (width === this.#screen.width && height === this.#screen.height) return;
    this.#screen = { width, height };
    this.#emit({ viewport: true });
  }

  setViewport(v: Viewport): void {
    if (v.x === this.#viewport.x && v.y === this.#viewport.y && v.zoom === this.#viewport.zoom) return;
    this.#viewport = v;
    this.#emit({ viewport: true });
  }

  toWorld(screen: Point): Point {
    return toWorld(this.#viewport, screen);
  }

  toScreen(world: Point): Point {
    return toScreen(this.#viewport, world);
  }

  panBy(dx: number, dy: number): void {
    this.setViewport(panBy(this.#viewport, dx, dy));
  }

  zoomBy(factor: number, around: Point = { x: this.#screen.width / 2, y: this.#screen.height / 2 }): void {
    this.setViewport(zoomAt(this.#viewport, factor, around));
  }

  zoomIn(): void {
    this.zoomBy(ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomBy(1 / ZOOM_STEP);
  }

  zoomReset(): void {
    this.zoomBy(1 / this.#viewport.zoom);
  }

  /** The bounds of every node, world units, or null for an empty model. */
  contentBounds(): Rect | null {
    return boundsOf(this.#doc.nodes.map((n) => this.positionOf(n)));
  }

  fitView(): void {
    this.setViewport(fitBounds(this.contentBounds(), this.#screen));
  }

  /** Pan so that a node is in view (keyboard selection from the outline). */
  reveal(id: string): void {
    const n = this.node(id);
    if (!n) return;
    const s = this.toScreen(this.positionOf(n));
    const m = 60;
    const { width, height } = this.#screen;
    if (s.x >= m && s.x <= width - m && s.y >= m && s.y <= height - m) return;
    this.setViewport({ ...this.#viewport, x: this.#viewport.x + width / 2 - s.x, y: this.#viewport.y + height / 2 - s.y });
  }

  /* --------------------------------------------------------------- hit tests */

  /** What is under a screen point: a port first, then the topmost node, then an edge. */
  hitTest(screen: Point, opts: { ports?: boolean } = {}): Hit | null {
    const w = this.toWorld(screen);
    const z = this.#viewport.zoom;
    const portR = Math.max(PORT_R + 4, 9 / z);
    const nodes = this.#doc.nodes;
    if (opts.ports !== false) {
      // The nearest port in reach; where two touch (an output beside the next node's input),
      // the output wins, as wires are usually drawn from outputs.
      let best: { hit: Hit; d: number } | null = null;
      for (let i = nodes.length - 1; i >= 0; i--) {
        const n = nodes[i];
        const c = this.positionOf(n);
        if (Math.abs(w.x - c.x) > NODE_W / 2 + portR || Math.abs(w.y - c.y) > NODE_H / 2 + portR) continue;
        for (const dir of ['out', 'in'] as const) {
          for (const port of KINDS[n.kind].ports[dir]) {
            const p = portPosition(n.kind, c, port, dir)!;
            const d = Math.hypot(p.x - w.x, p.y - w.y) + (dir === 'in' ? 0.5 : 0);
            if (d <= portR && (!best || d < best.d)) best = { hit: { kind: 'port', node: n.id, port, dir }, d };
          }
        }
      }
      if (best) return best.hit;
    }
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i];
      if (rectContains(nodeRect(this.positionOf(n)), w)) return { kind: 'node', id: n.id };
    }
    const tol = Math.max(4, 6 / z);
    let best: { id: string; d: number } | null = null;
    for (const e of this.#doc.edges) {
      const ends = this.edgeEnds(e);
      if (!ends) continue;
      const d = distToCurve(w, edgeCurve(ends.from, ends.to));
      if (d <= tol && (!best || d < best.d)) best = { id: e.id, d };
    }
    return best ? { kind: 'edge', id: best.id } : null;
  }

  /** Nodes whose boxes meet a world rectangle. */
  nodesIn(rect: Rect): string[] {
    return this.#doc.nodes.filter((n) => rectsIntersect(nodeRect(this.positionOf(n)), rect)).map((n) => n.id);
  }

  setEphemeral(patch: Partial<Ephemeral>): void {
    this.#ephemeral = { ...this.#ephemeral, ...patch };
    this.#emit({ ephemeral: true });
  }

  /* ------------------------------------------------------------------ edits */

  #takenNode = (id: string) => this.indexOf(id) >= 0;

  /** A free spot near `at`: no other node's box within a few units (stepping down). */
  #freeSpot(at: Point): Point {
    let p = { x: snap(at.x), y: snap(at.y) };
    for (let tries = 0; tries < 50; tries++) {
      const clash = this.#doc.nodes.some((n) => {
        const c = this.positionOf(n);
        return Math.abs(c.x - p.x) < 100 && Math.abs(c.y - p.y) < NODE_H + 4;
      });
      if (!clash) return p;
      p = { x: p.x, y: p.y + 2 * GRID + GRID };
    }
    return p;
  }

  /** Where "add" puts a node with no position given: right of the selected node, else mid-screen. */
  defaultSpot(): Point {
    const sel = this.selectedNode;
    if (sel) {
      const c = this.positionOf(sel);
      return { x: c.x + STEP_X, y: c.y };
    }
    return this.toWorld({ x: this.#screen.width / 2, y: this.#screen.height / 2 });
  }

  /**
   * Add a node of `kind` at `at` (world units; default: `defaultSpot()`), with no params (so
   * every param takes its documented default, shown in the inspector). Selects it.
   */
  addNode(kind: NodeKind, at?: Point, opts: { label?: string; params?: Record<string, unknown> } = {}): Result<string> {
    if (!(NODE_KINDS as readonly string[]).includes(kind)) return fail(`unknown node kind "${kind}"; kinds: ${NODE_KINDS.join(', ')}`);
    const id = newNodeId(kind, this.#takenNode);
    const p = this.#freeSpot(at ?? this.defaultSpot());
    const node: NodeInput = { id, kind, x: round(p.x), y: round(p.y), params: { ...(opts.params ?? {}) } };
    if (opts.label !== undefined) node.label = opts.label;
    if (opts.params && Object.keys(opts.params).length) {
      const issues = validateNodeParams({ ...this.#doc, nodes: [...this.#doc.nodes, node] }, this.#doc.nodes.length, node.params!);
      if (issues.length) return { ok: false, issues };
    }
    this.#apply({ ...this.#doc, nodes: [...this.#doc.nodes, node] }, `Add ${KINDS[kind].title}`);
    this.select({ nodes: [id] });
    // Placed by the editor (not dropped where the user looks): bring it into view.
    if (!at) this.reveal(id);
    this.setStatus(`Added ${id}.`);
    return { ok: true, value: id };
  }

  /** Delete the selected nodes and edges (and the edges and faults of deleted nodes). */
  deleteSelection(): boolean {
    const s = this.#selection;
    return this.deleteItems([...s.nodes], [...s.edges]);
  }

  deleteItems(nodeIds: readonly string[], edgeIds: readonly string[]): boolean {
    if (nodeIds.length + edgeIds.length === 0) return false;
    const goneNodes = new Set(nodeIds);
    const goneEdges = new Set(edgeIds);
    const doc = this.#doc;
    const ends = (ref: string) => ref.slice(0, ref.indexOf('.'));
    const nodes = doc.nodes.filter((n) => !goneNodes.has(n.id));
    const edges = doc.edges.filter((e) => !goneEdges.has(e.id) && !goneNodes.has(ends(e.from)) && !goneNodes.has(ends(e.to)));
    const next: ModelDocument = { ...doc, nodes, edges };
    // A fault on a deleted node would make the document invalid: it goes with its node (and
    // comes back with it on undo).
    if (Array.isArray(doc.faults) && doc.faults.some((f) => goneNodes.has(f.target))) {
      next.faults = doc.faults.filter((f) => !goneNodes.has(f.target));
    }
    const n = doc.nodes.length - nodes.length;
    const m = doc.edges.length - edges.length;
    const label = n && m ? 'Delete' : n ? (n === 1 ? 'Delete node' : 'Delete nodes') : m === 1 ? 'Delete edge' : 'Delete edges';
    const changed = this.#apply(next, label);
    if (changed) this.setStatus(`Deleted ${[n ? `${n} node${n === 1 ? '' : 's'}` : '', m ? `${m} edge${m === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ')}.`);
    return changed;
  }

  /** Move nodes to positions (world units, rounded). One entry unless inside a mark. */
  setPositions(positions: ReadonlyMap<string, Point>, label = 'Move'): boolean {
    if (positions.size === 0) return false;
    let changed = false;
    const nodes = this.#doc.nodes.map((n) => {
      const p = positions.get(n.id);
      if (!p) return n;
      const x = round(p.x);
      const y = round(p.y);
      if (n.x === x && n.y === y) return n;
      changed = true;
      return { ...n, x, y };
    });
    if (!changed) return false;
    return this.#apply({ ...this.#doc, nodes }, label, { coalesce: label === 'Nudge' ? 'nudge' : undefined });
  }

  /** Move the selected nodes by (dx, dy) world units: arrow-key nudges. */
  nudge(dx: number, dy: number): boolean {
    const ids = [...this.#selection.nodes];
    const map = new Map<string, Point>();
    for (const id of ids) {
      const n = this.node(id);
      if (!n) continue;
      const c = this.positionOf(n);
      map.set(id, { x: c.x + dx, y: c.y + dy });
    }
    return this.setPositions(map, 'Nudge');
  }

  /** Snap the selected nodes (all nodes when none is selected) to the grid. */
  alignToGrid(): boolean {
    const ids = this.#selection.nodes.size ? this.#selection.nodes : new Set(this.#doc.nodes.map((n) => n.id));
    const map = new Map<string, Point>();
    for (const n of this.#doc.nodes) {
      if (!ids.has(n.id)) continue;
      const c = this.positionOf(n);
      map.set(n.id, { x: snap(c.x), y: snap(c.y) });
    }
    const changed = this.setPositions(map, 'Align to grid');
    this.setStatus(changed ? 'Aligned to the grid.' : 'Already on the grid.');
    return changed;
  }

  canConnect(a: PortEnd & { dir?: PortDir }, b: PortEnd & { dir?: PortDir }): ConnectCheck {
    return checkConnection(this.#doc, a, b);
  }

  /** Connect two ports ("q.out" or {node, port}); the order may be either. */
  connect(a: string | (PortEnd & { dir?: PortDir }), b: string | (PortEnd & { dir?: PortDir })): Result<string> {
    const parse = (x: string | PortEnd): PortEnd | null => {
      if (typeof x !== 'string') return x;
      const dot = x.indexOf('.');
      return dot > 0 ? { node: x.slice(0, dot), port: x.slice(dot + 1) } : null;
    };
    const pa = parse(a);
    const pb = parse(b);
    if (!pa || !pb) return fail(`expected ports written "nodeId.port" like "q.out"`);
    const c = checkConnection(this.#doc, pa, pb);
    if (!c.ok) {
      this.setStatus(`Cannot connect: ${c.reason}.`);
      return fail(c.reason);
    }
    const id = newEdgeId((x) => this.#doc.edges.some((e) => e.id === x));
    const edge: EdgeInput = { id, from: portRef(c.from), to: portRef(c.to) };
    this.#apply({ ...this.#doc, edges: [...this.#doc.edges, edge] }, 'Connect');
    this.setStatus(`Connected ${edge.from} → ${edge.to}.`);
    return { ok: true, value: id };
  }

  disconnect(edgeIds: readonly string[]): boolean {
    return this.deleteItems([], edgeIds);
  }

  /**
   * Set one param of a node (undefined removes it, so its default applies). The value is
   * validated by the model layer first: an invalid one returns located issues and changes
   * nothing.
   */
  setParam(nodeId: string, key: string, value: unknown): Result<null> {
    const i = this.indexOf(nodeId);
    if (i < 0) return fail(`there is no node "${nodeId}"`);
    const node = this.#doc.nodes[i];
    const params: Record<string, unknown> = { ...(node.params ?? {}) };
    if (value === undefined) delete params[key];
    else params[key] = value;
    const issues = validateNodeParams(this.#doc, i, params);
    if (issues.length) return { ok: false, issues };
    const nodes = this.#doc.nodes.slice();
    nodes[i] = { ...node, params };
    this.#apply({ ...this.#doc, nodes }, `Set ${key}`, { coalesce: `param:${nodeId}:${key}` });
    return { ok: true, value: null };
  }

  /** A node's label; empty removes it (the id is shown). */
  setLabel(nodeId: string, label: string): Result<null> {
    const i = this.indexOf(nodeId);
    if (i < 0) return fail(`there is no node "${nodeId}"`);
    const node = { ...this.#doc.nodes[i] };
    if (label === '') delete node.label;
    else node.label = label;
    const nodes = this.#doc.nodes.slice();
    nodes[i] = node;
    this.#apply({ ...this.#doc, nodes }, 'Rename', { coalesce: `label:${nodeId}` });
    return { ok: true, value: null };
  }

  /**
   * Rename a node: its edges' ends and the faults that target it follow, in one undoable step.
   * The new id must be free and valid (non-empty, no ".", at most 200 characters); surrounding
   * spaces are trimmed. Renaming to the same id does nothing.
   */
  renameNode(oldId: string, newId: string): Result<null> {
    const i = this.indexOf(oldId);
    if (i < 0) return fail(`there is no node "${oldId}"`);
    const id = newId.trim();
    const path = `nodes[${i}].id`;
    if (id === oldId) return { ok: true, value: null };
    if (!NODE_ID_PATTERN.test(id)) {
      return fail(id === '' ? 'a node id cannot be empty' : `a node id cannot contain "." (edges write "id.port"), got ${JSON.stringify(id)}`, path);
    }
    if (id.length > 200) return fail(`a node id has at most 200 characters, got ${id.length}`, path);
    const other = this.indexOf(id);
    if (other >= 0) return fail(`there is already a node "${id}" (nodes[${other}])`, path);
    const doc = this.#doc;
    const nodes = doc.nodes.slice();
    nodes[i] = { ...nodes[i], id };
    const end = (ref: string) => {
      const dot = ref.indexOf('.');
      return ref.slice(0, dot) === oldId ? `${id}${ref.slice(dot)}` : ref;
    };
    // Untouched edges stay the same objects (diffs and the renderer compare by identity).
    const edges = doc.edges.map((e) => {
      const from = end(e.from);
      const to = end(e.to);
      return from === e.from && to === e.to ? e : { ...e, from, to };
    });
    const next: ModelDocument = { ...doc, nodes, edges };
    if (Array.isArray(doc.faults) && doc.faults.some((f) => f.target === oldId)) {
      next.faults = doc.faults.map((f) => (f.target === oldId ? { ...f, target: id } : f));
    }
    const wasSelected = this.#selection.nodes.has(oldId);
    this.#apply(next, 'Rename node');
    if (wasSelected) this.select({ nodes: [...this.#selection.nodes, id], edges: this.#selection.edges });
    this.setStatus(`Renamed ${oldId} to ${id}.`);
    return { ok: true, value: null };
  }

  /** An edge's weight (for weighted and probabilistic routers); undefined removes it (1). */
  setEdgeWeight(edgeId: string, weight: unknown): Result<null> {
    const i = this.#doc.edges.findIndex((e) => e.id === edgeId);
    if (i < 0) return fail(`there is no edge "${edgeId}"`);
    const path = `edges[${i}].weight`;
    if (weight !== undefined && !(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0)) {
      return fail(`expected a number ≥ 0, got ${typeof weight === 'string' ? JSON.stringify(weight) : String(weight)}`, path);
    }
    const edge = { ...this.#doc.edges[i] };
    if (weight === undefined) delete edge.weight;
    else edge.weight = weight as number;
    const edges = this.#doc.edges.slice();
    edges[i] = edge;
    this.#apply({ ...this.#doc, edges }, 'Set weight', { coalesce: `weight:${edgeId}` });
    return { ok: true, value: null };
  }

  /**
   * Replace the whole document by an edited one (name, notes, run settings, the JSON editor).
   * Validated by the model layer; recorded (typing in one field coalesces by `coalesce`).
   */
  replaceDocument(doc: ModelDocument, label = 'Edit model', coalesce?: string): Result<null> {
    const r = validate(doc);
    if (!r.ok) return r;
    this.#apply(doc, label, coalesce !== undefined ? { coalesce } : {});
    return { ok: true, value: null };
  }

  /* ---------------------------------------------------------- clipboard */

  /** The selected nodes, and the edges among them (selected or not), as plain data. */
  #gather(): Clipboard | null {
    const ids = this.#selection.nodes;
    if (ids.size === 0) return null;
    const nodes = this.#doc.nodes.filter((n) => ids.has(n.id)).map((n) => structuredClone(n));
    const inside = (ref: string) => ids.has(ref.slice(0, ref.indexOf('.')));
    const edges = this.#doc.edges.filter((e) => inside(e.from) && inside(e.to)).map((e) => structuredClone(e));
    return { nodes, edges };
  }

  copy(): boolean {
    const c = this.#gather();
    if (!c) return false;
    this.#clipboard = c;
    this.#pasteCount = 0;
    this.setStatus(`Copied ${c.nodes.length} node${c.nodes.length === 1 ? '' : 's'}.`);
    return true;
  }

  cut(): boolean {
    if (!this.copy()) return false;
    return this.deleteSelection();
  }

  /**
   * Paste the clipboard (or `data`), offset so copies do not hide the originals; selects them.
   * Ids are kept where free; an id the document already has is renamed (`queue1` → `queue2`),
   * and the pasted edges follow.
   */
  paste(data: Clipboard | null = this.#clipboard, label = 'Paste'): boolean {
    if (!data || data.nodes.length === 0) return false;
    this.#pasteCount++;
    const offset = 2 * GRID * this.#pasteCount;
    const taken = new Set(this.#doc.nodes.map((n) => n.id));
    const rename = new Map<string, string>();
    const nodes: NodeInput[] = data.nodes.map((n) => {
      const id = taken.has(n.id) ? newNodeId(n.kind, (x) => taken.has(x)) : n.id;
      taken.add(id);
      rename.set(n.id, id);
      const c = this.positionOf(n);
      return { ...structuredClone(n), id, x: round(c.x + offset), y: round(c.y + offset) };
    });
    const edgeTaken = new Set(this.#doc.edges.map((e) => e.id));
    const edges: EdgeInput[] = [];
    for (const e of data.edges) {
      const [fn, fp] = e.from.split('.');
      const [tn, tp] = e.to.split('.');
      const a = rename.get(fn);
      const b = rename.get(tn);
      if (!a || !b) continue;
      const id = edgeTaken.has(e.id) ? newEdgeId((x) => edgeTaken.has(x)) : e.id;
      edgeTaken.add(id);
      edges.push({ ...structuredClone(e), id, from: `${a}.${fp}`, to: `${b}.${tp}` });
    }
    this.#apply({ ...this.#doc, nodes: [...this.#doc.nodes, ...nodes], edges: [...this.#doc.edges, ...edges] }, label);
    this.select({ nodes: nodes.map((n) => n.id), edges: edges.map((e) => e.id) });
    this.setStatus(`${label === 'Duplicate' ? 'Duplicated' : 'Pasted'} ${nodes.length} node${nodes.length === 1 ? '' : 's'}.`);
    return true;
  }

  /**
   * Copy the selection and return it as JSON text for the system clipboard (clipboard.ts);
   * the in-app clipboard keeps it too, the fallback when the page may not use the system's.
   */
  copyText(): string | null {
    if (!this.copy()) return null;
    return encodeFragment(this.#clipboard!);
  }

  /**
   * Paste text from the system clipboard: untrusted, so decoded and validated first
   * (clipboard.ts). Junk changes nothing and returns located issues; the status line says why.
   */
  pasteText(text: string): Result<number> {
    const r = decodeFragment(text);
    if (!r.ok) {
      this.setStatus(`Nothing pasted: ${r.issues[0].path ? `${r.issues[0].path}: ` : ''}${r.issues[0].message}`);
      return r;
    }
    // The same text pasted again (Ctrl+V twice) keeps stepping the offset, as the in-app paste does.
    if (text !== this.#pastedText) {
      this.#pastedText = text;
      this.#pasteCount = 0;
    }
    this.#clipboard = r.value;
    this.paste(r.value);
    return { ok: true, value: r.value.nodes.length };
  }

  duplicate(): boolean {
    const c = this.#gather();
    if (!c) return false;
    const saved = this.#pasteCount;
    this.#pasteCount = 0;
    const ok = this.paste(c, 'Duplicate');
    this.#pasteCount = saved;
    return ok;
  }

  /** A model's ready-made summary for messages: "4 nodes, 3 edges". */
  describe(): string {
    const n = this.#doc.nodes.length;
    const m = this.#doc.edges.length;
    return `${n} node${n === 1 ? '' : 's'}, ${m} edge${m === 1 ? '' : 's'}`;
  }

  /** The undo step that would be recorded between two documents (for tests and the host). */
  static diff(a: ModelDocument, b: ModelDocument): DocDiff {
    return diffDocs(a, b);
  }

  static apply(doc: ModelDocument, d: DocDiff, direction: 'forward' | 'backward'): ModelDocument {
    return applyDiff(doc, d, direction);
  }
}
