/**
 * `window.__sandbox.editor`: the canvas editor's typed test API (ARCHITECTURE.md, principle 6).
 * A canvas has no DOM to query, so end-to-end tests ask where things are drawn (client
 * coordinates, to click and drag there as a person does) and read the document and selection
 * exactly. Edits through it go through the same Editor commands as the UI.
 */
import type { Editor } from '../editor/Editor.ts';
import type { Viewport } from '../editor/viewport.ts';
import type { ModelDocument, ModelIssue, NodeKind } from '../model/types.ts';
import type { RendererStats } from '../render/CanvasRenderer.ts';
import type { EditorState } from './editorState.svelte.ts';

export interface Point {
  x: number;
  y: number;
}

export interface EditorTestApi {
  /** True once the pixi canvas is drawing. */
  ready(): boolean;
  /** Add a node (at world point `at`, else beside the selection); returns its id. */
  addNode(kind: NodeKind, at?: Point): { ok: true; id: string } | { ok: false; issues: ModelIssue[] };
  connect(from: string, to: string): { ok: true; id: string } | { ok: false; message: string };
  /** Select nodes and edges by id (node ids first, then edge ids); [] clears. */
  select(ids: string[]): void;
  selection(): { nodes: string[]; edges: string[] };
  /** Where a node's centre is drawn, in client (page viewport) pixels, or null. */
  nodeScreenPosition(id: string): Point | null;
  /** Where a port's centre is drawn, in client pixels, or null. */
  portScreenPosition(id: string, port: string): Point | null;
  setParam(id: string, key: string, value: unknown): { ok: true } | { ok: false; issues: ModelIssue[] };
  undo(): boolean;
  redo(): boolean;
  /** The editor's document (a copy). */
  document(): ModelDocument;
  history(): { undo: number; redo: number };
  viewport(): Viewport;
  setViewport(v: Viewport): void;
  fit(): void;
  /** The renderer's counters (frames drawn, views alive), or null before it starts. */
  stats(): RendererStats | null;
  /** Draw a frame now (the benchmark times frames it forces). */
  renderNow(): void;
  /** The run overlay's badge text per node id ("3 · 72% busy · p99 1.2 s"), live or after a run. */
  liveBadges(): Record<string, string>;
  /** Live frames the overlay has drawn from since the run started (a step while paused adds one). */
  liveFrames(): number;
}

export function makeEditorTestApi(es: EditorState): EditorTestApi {
  const ed: Editor = es.editor;
  return {
    ready: () => es.canvasReady === true,
    addNode(kind, at) {
      const r = ed.addNode(kind, at);
      return r.ok ? { ok: true, id: r.value } : r;
    },
    connect(from, to) {
      const r = ed.connect(from, to);
      return r.ok ? { ok: true, id: r.value } : { ok: false, message: r.issues[0].message };
    },
    select(ids) {
      const nodes = ids.filter((id) => ed.node(id));
      const edges = ids.filter((id) => !ed.node(id) && ed.edge(id));
      ed.select({ nodes, edges });
    },
    selection: () => ({ nodes: [...ed.selection.nodes], edges: [...ed.selection.edges] }),
    nodeScreenPosition(id) {
      const n = ed.node(id);
      return n ? es.worldToClient(ed.positionOf(n)) : null;
    },
    portScreenPosition(id, port) {
      const p = ed.portWorld(id, port);
      return p ? es.worldToClient(p) : null;
    },
    setParam(id, key, value) {
      const r = ed.setParam(id, key, value);
      return r.ok ? { ok: true } : r;
    },
    undo: () => ed.undo(),
    redo: () => ed.redo(),
    document: () => structuredClone(ed.doc),
    history: () => ed.history.size,
    viewport: () => ed.viewport,
    setViewport: (v) => ed.setViewport(v),
    fit: () => ed.fitView(),
    stats: () => (es.renderer ? { ...es.renderer.stats } : null),
    renderNow: () => es.renderer?.renderNow(),
    liveBadges: () => es.renderer?.overlay.badgeTexts() ?? {},
    liveFrames: () => es.renderer?.overlay.framesTaken ?? 0
  };
}
