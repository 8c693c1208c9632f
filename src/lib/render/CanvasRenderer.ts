/**
 * The pixi.js 8 scene (ARCHITECTURE.md, principle 6): a keyed projection of the editor's
 * document — node id → NodeView, edge id → EdgeView — with an explicit lifecycle, shared
 * GraphicsContexts per kind, pooled views, and the live run overlay in a layer of its own.
 *
 * One-way: it subscribes to the Editor and reads its document, selection, viewport and
 * ephemeral state; it never writes the document (input goes DOM → tools → editor, see
 * src/lib/editor/tools.ts). pixi's own event system is switched off: hit tests are the
 * editor's (the same geometry the views are drawn from), so a 1,000-node scene costs nothing
 * per pointer move.
 *
 * It renders on demand: a change marks what is dirty and asks for one animation frame; while
 * the overlay animates it keeps asking. An idle editor draws nothing.
 *
 * Layers, bottom to top, inside one render-group `world` (panning and zooming change only its
 * transform, which the GPU applies; the batches are not rebuilt):
 *   edges · edge labels · cards · selection rings · labels · live overlay · ui (wire, box, ports)
 */
import { Application, BitmapFont, Container, Graphics, GraphicsContext, type Texture } from 'pixi.js';
import type { Editor, EditorChange, Selection } from '../editor/Editor.ts';
import { movedNodes } from '../editor/diff.ts';
import { checkConnection } from '../editor/connect.ts';
import { edgeCurve, nodeRect, portPosition, rectsIntersect, sampleCurve, type Curve, type Point, type Rect } from '../editor/geometry.ts';
import { visibleWorld } from '../editor/viewport.ts';
import { KINDS } from '../model/kinds/index.ts';
import type { EdgeInput, ModelDocument, NodeInput } from '../model/types.ts';
import type { LiveFrame } from '../sim/results.ts';
import { ACCENT, BAD, LABEL_FONT, OK, bakeCards, installLabelFont, makeContexts, resetLabelFont, type CardTextures, type SharedContexts } from './contexts.ts';
import { LiveOverlay, type OverlayTopology } from './LiveOverlay.ts';
import { EdgeView, NodeView, Pool, type EdgeLayers, type NodeLayers } from './views.ts';
import { routerShares } from './labels.ts';

/** Below this zoom, labels are too small to read and are hidden (one switch for all of them). */
export const LABEL_MIN_ZOOM = 0.4;
/** Views are kept for this much of a screen beyond each edge of the view: a whole screen, so
 * zooming out re-culls (and pixi rebuilds its batches) less often; at half a screen the canvas
 * bench zoomed at 41–50 fps, at a whole one 49–50 (1,000 nodes, SwiftShader). */
const CULL_MARGIN = 1;
/** Culled views kept hidden (with their geometry) per kind of view, before they are pooled. */
const KEEP_HIDDEN = 5000;

/** The bounds of a curve's control polygon (the curve lies inside). */
function curveBounds(c: Curve): Rect {
  const x0 = Math.min(c.p0.x, c.c1.x, c.c2.x, c.p1.x);
  const y0 = Math.min(c.p0.y, c.c1.y, c.c2.y, c.p1.y);
  const x1 = Math.max(c.p0.x, c.c1.x, c.c2.x, c.p1.x);
  const y1 = Math.max(c.p0.y, c.c1.y, c.c2.y, c.p1.y);
  return { x: x0 - 10, y: y0 - 10, w: x1 - x0 + 20, h: y1 - y0 + 20 };
}

export interface RendererStats {
  /** Frames drawn since creation. */
  frames: number;
  /** CPU time of the last frame (sync + draw submission), ms. */
  lastFrameMs: number;
  /** Of which the keyed projection's sync (views updated to the document), ms. */
  lastSyncMs: number;
  /** Nodes and edges in the document last synced. */
  modelNodes: number;
  modelEdges: number;
  /** Views shown: the nodes and edges in or near view (the projection is culled). */
  nodeViews: number;
  edgeViews: number;
  /** Views waiting in the pools. */
  pooled: number;
  dots: number;
  /** Run badges drawn (those of nodes near the view). */
  badges: number;
}

export interface RendererOptions {
  antialias?: boolean;
  resolution?: number;
  /** Called after each drawn frame (the grid background follows the viewport through it). */
  onFrame?: (r: CanvasRenderer) => void;
}

export class CanvasRenderer {
  readonly editor: Editor;
  readonly canvas: HTMLCanvasElement;
  readonly #app: Application;
  readonly #world = new Container({ isRenderGroup: true, label: 'world' });
  readonly #edgeLayers: EdgeLayers = { lines: new Container({ label: 'edges' }), labels: new Container({ label: 'edge labels' }) };
  readonly #nodeLayers: NodeLayers = {
    cards: new Container({ label: 'cards' }),
    rings: new Container({ label: 'rings' }),
    labels: new Container({ label: 'labels' })
  };
  readonly #ui = new Container({ label: 'ui' });
  readonly #wire = new Graphics(new GraphicsContext());
  readonly #box = new Graphics(new GraphicsContext());
  readonly #candidates = new Graphics(new GraphicsContext());
  readonly #hover: Graphics;
  readonly #target: Graphics;
  readonly #shared: SharedContexts;
  readonly #cards: CardTextures;
  readonly #nodes = new Map<string, NodeView>();
  readonly #edges = new Map<string, EdgeView>();
  readonly #nodePool = new Pool(() => new NodeView());
  readonly #edgePool = new Pool(() => new EdgeView());
  readonly #overlay: LiveOverlay;
  readonly #dotTexture: Texture;
  readonly #onFrame?: (r: CanvasRenderer) => void;
  #unsubscribe: () => void;
  #raf = 0;
  #dirty = { doc: true, selection: true, viewport: true, ephemeral: true };
  /** Nodes moved since the last frame, when that is all that changed (see movedNodes). */
  #moved = new Set<string>();
  /** The selection the views were last synced with (a change event may repeat it). */
  #syncedSelection: Selection | null = null;
  /** Each node's edges, rebuilt with the document (a moved node redraws only its own). */
  #edgesOf = new Map<string, EdgeInput[]>();
  #candidatesFor = '';
  #paths = new Map<string, Point[]>();
  /** Each edge's label, recomputed only when the document changes. */
  #edgeText = new Map<string, string>();
  /** The world area the views were last synced for (see #sync). */
  #attached: Rect | null = null;
  #destroyed = false;
  readonly stats: RendererStats = { frames: 0, lastFrameMs: 0, lastSyncMs: 0, modelNodes: 0, modelEdges: 0, nodeViews: 0, edgeViews: 0, pooled: 0, dots: 0, badges: 0 };

  /** Create the pixi application (async: WebGL initialises) inside `host`. */
  static async create(host: HTMLElement, editor: Editor, opts: RendererOptions = {}): Promise<CanvasRenderer> {
    const app = new Application();
    await app.init({
      width: Math.max(1, host.clientWidth),
      height: Math.max(1, host.clientHeight),
      backgroundAlpha: 0,
      antialias: opts.antialias ?? false,
      resolution: opts.resolution ?? globalThis.devicePixelRatio ?? 1,
      autoDensity: true,
      autoStart: false,
      preference: 'webgl',
      // Input is the editor's (DOM → tools); pixi's federated events stay idle.
      eventMode: 'none',
      eventFeatures: { move: false, globalMove: false, click: false, wheel: false }
    });
    return new CanvasRenderer(app, host, editor, opts);
  }

  private constructor(app: Application, host: HTMLElement, editor: Editor, opts: RendererOptions) {
    this.#app = app;
    this.editor = editor;
    this.#onFrame = opts.onFrame;
    this.canvas = app.canvas;
    this.canvas.setAttribute('aria-hidden', 'true');
    this.canvas.style.display = 'block';
    host.appendChild(this.canvas);
    installLabelFont();
    this.#shared = makeContexts();
    // Sharp to 3× zoom on this screen; beyond, slightly soft (MAX_ZOOM is 4).
    this.#cards = bakeCards(app.renderer, this.#shared, Math.min(6, 3 * (opts.resolution ?? globalThis.devicePixelRatio ?? 1)));
    this.#hover = new Graphics(this.#shared.portHover);
    this.#target = new Graphics(this.#shared.portOk);
    this.#hover.visible = false;
    this.#target.visible = false;
    const dot = new Graphics().circle(0, 0, 3).fill(0xffffff);
    this.#dotTexture = app.renderer.generateTexture({ target: dot, resolution: 2 });
    dot.destroy();
    this.#overlay = new LiveOverlay(this.#dotTexture);
    this.#ui.addChild(this.#candidates, this.#wire, this.#box, this.#hover, this.#target);
    this.#world.addChild(
      this.#edgeLayers.lines,
      this.#edgeLayers.labels,
      this.#nodeLayers.cards,
      this.#nodeLayers.rings,
      this.#nodeLayers.labels,
      this.#overlay.layer,
      this.#ui
    );
    app.stage.eventMode = 'none';
    app.stage.addChild(this.#world);
    this.#overlay.prewarm(() => app.render());
    this.#unsubscribe = editor.subscribe((c) => this.#onChange(c));
    this.#invalidate();
  }

  get overlay(): LiveOverlay {
    return this.#overlay;
  }

  #onChange(c: EditorChange): void {
    if (c.doc) {
      const moved = this.#dirty.doc ? null : movedNodes(c.doc.diff);
      if (moved) for (const id of moved) this.#moved.add(id);
      else this.#dirty.doc = true;
    }
    if (c.selection && this.editor.selection !== this.#syncedSelection) this.#dirty.selection = true;
    if (c.viewport) this.#dirty.viewport = true;
    if (c.ephemeral) this.#dirty.ephemeral = true;
    if (this.#dirty.doc || this.#dirty.selection || this.#moved.size || c.viewport || c.ephemeral) this.#invalidate();
  }

  /** Ask for a frame (at most one pending). */
  #invalidate(): void {
    if (this.#raf || this.#destroyed) return;
    this.#raf = requestAnimationFrame(this.#frame);
  }

  /** Draw now, synchronously (tests, the benchmark, a resize). */
  renderNow(): void {
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#frame(performance.now());
  }

  #frame = (now: number): void => {
    this.#raf = 0;
    if (this.#destroyed) return;
    const t0 = performance.now();
    const d = this.#dirty;
    const moved = this.#moved.size > 0;
    if (d.doc || d.selection || (d.viewport && this.#needsCull())) this.#sync(d.doc);
    else if (moved) this.#syncMoved();
    this.#moved.clear();
    this.stats.lastSyncMs = performance.now() - t0;
    if (d.viewport) this.#applyViewport();
    if (d.ephemeral || d.doc || moved) this.#drawEphemeral();
    this.#dirty = { doc: false, selection: false, viewport: false, ephemeral: false };
    const animating = this.#overlay.tick(now);
    this.#app.render();
    this.stats.frames++;
    this.stats.lastFrameMs = performance.now() - t0;
    this.stats.dots = this.#overlay.activeDots;
    this.stats.badges = this.#overlay.shownBadges;
    this.#onFrame?.(this);
    if (animating) this.#invalidate();
  };

  resize(width: number, height: number): void {
    const w = Math.max(1, Math.floor(width));
    const h = Math.max(1, Math.floor(height));
    this.#app.renderer.resize(w, h);
    this.editor.setScreenSize(w, h);
    this.#dirty.viewport = true;
    this.renderNow();
  }

  /* ------------------------------------------------------ keyed projection */

  #sync(docChanged: boolean): void {
    const ed = this.editor;
    const doc = ed.doc;
    const sel = ed.selection;
    // Culling: only what is in (or near) view is drawn — the visible world rectangle grown by
    // half a screen each way, so a pan re-syncs only when it leaves that margin. A view that
    // leaves is hidden but kept with its geometry (returning costs nothing); views of deleted
    // items, and hidden ones beyond KEEP_HIDDEN, go back to their pools.
    this.#syncedSelection = sel;
    const view = visibleWorld(ed.viewport, ed.screen);
    const mx = view.w * CULL_MARGIN;
    const my = view.h * CULL_MARGIN;
    const area: Rect = { x: view.x - mx, y: view.y - my, w: view.w + 2 * mx, h: view.h + 2 * my };
    this.#attached = area;
    this.#overlay.setArea(area);
    const present = new Set<string>();
    let shownNodes = 0;
    for (const n of doc.nodes) {
      present.add(n.id);
      if (this.#projectNode(n, area, sel)) shownNodes++;
    }
    let hidden = this.#nodes.size - shownNodes;
    for (const [id, v] of this.#nodes) {
      if (present.has(id) && (v.shown || hidden <= KEEP_HIDDEN)) continue;
      if (present.has(id)) hidden--;
      v.detach();
      if (!this.#nodePool.release(v)) v.destroy();
      this.#nodes.delete(id);
    }

    const byId = new Map<string, NodeInput>();
    for (const n of doc.nodes) byId.set(n.id, n);
    if (docChanged) {
      this.#paths.clear();
      this.#edgeText = routerShares(doc, byId);
      this.#edgesOf.clear();
      for (const e of doc.edges) {
        for (const end of [e.from, e.to]) {
          const id = end.slice(0, end.indexOf('.'));
          const list = this.#edgesOf.get(id);
          if (list) list.push(e);
          else this.#edgesOf.set(id, [e]);
        }
      }
    }
    const presentEdges = new Set<string>();
    let shownEdges = 0;
    for (const e of doc.edges) {
      const shown = this.#projectEdge(e, area, sel);
      if (shown === null) continue;
      presentEdges.add(e.id);
      if (shown) shownEdges++;
    }
    hidden = this.#edges.size - shownEdges;
    for (const [id, v] of this.#edges) {
      if (presentEdges.has(id) && (v.shown || hidden <= KEEP_HIDDEN)) continue;
      if (presentEdges.has(id)) hidden--;
      v.detach();
      if (!this.#edgePool.release(v)) v.destroy();
      this.#edges.delete(id);
    }
    if (docChanged) this.#overlay.setTopology(this.#topology(doc, byId));
    this.stats.modelNodes = doc.nodes.length;
    this.stats.modelEdges = doc.edges.length;
    this.stats.nodeViews = shownNodes;
    this.stats.edgeViews = shownEdges;
    this.stats.pooled = this.#nodePool.size + this.#edgePool.size;
  }

  /**
   * One node's view brought up to date: shown (taken from the pool if it had none) when its
   * card meets `area`, else hidden. Returns whether it is shown.
   */
  #projectNode(n: NodeInput, area: Rect, sel: Selection): boolean {
    const at = this.editor.positionOf(n);
    let v = this.#nodes.get(n.id);
    if (!rectsIntersect(nodeRect(at), area)) {
      v?.setShown(false);
      return false;
    }
    if (!v) {
      v = this.#nodePool.acquire();
      v.attach(this.#nodeLayers);
      this.#nodes.set(n.id, v);
    }
    v.setShown(true);
    v.update(n.kind, n.label || n.id, at, sel.nodes.has(n.id), this.#cards, this.#nodeLayers);
    return true;
  }

  /** The same for an edge; null when an end is missing (no view is touched). */
  #projectEdge(e: EdgeInput, area: Rect, sel: Selection): boolean | null {
    const ends = this.editor.edgeEnds(e);
    if (!ends) return null;
    let v = this.#edges.get(e.id);
    if (!rectsIntersect(curveBounds(edgeCurve(ends.from, ends.to)), area)) {
      v?.setShown(false);
      return false;
    }
    if (!v) {
      v = this.#edgePool.acquire();
      v.attach(this.#edgeLayers);
      this.#edges.set(e.id, v);
    }
    v.setShown(true);
    v.update({ from: ends.from, to: ends.to, selected: sel.edges.has(e.id), text: this.#edgeText.get(e.id) ?? '' }, this.#edgeLayers);
    return true;
  }

  /**
   * A drag's frame: only the moved nodes and their edges are re-projected (the full sync walks
   * all 1,000 nodes and 1,500 edges of a big model: 2.6 ms a frame in the canvas bench).
   */
  #syncMoved(): void {
    const ed = this.editor;
    const area = this.#attached;
    if (!area) return this.#sync(true);
    const sel = ed.selection;
    const edges = new Set<EdgeInput>();
    for (const id of this.#moved) {
      const n = ed.node(id);
      if (!n) continue;
      for (const e of this.#edgesOf.get(id) ?? []) edges.add(e);
      const was = this.#nodes.get(id)?.shown ?? false;
      this.stats.nodeViews += Number(this.#projectNode(n, area, sel)) - Number(was);
    }
    for (const e of edges) {
      this.#paths.delete(e.id);
      const was = this.#edges.get(e.id)?.shown ?? false;
      const shown = this.#projectEdge(e, area, sel);
      if (shown !== null) this.stats.edgeViews += Number(shown) - Number(was);
    }
  }

  /** Whether the view left the area synced last (or shrank well inside it): time to re-cull. */
  #needsCull(): boolean {
    const a = this.#attached;
    if (!a) return true;
    const v = visibleWorld(this.editor.viewport, this.editor.screen);
    const inside = v.x >= a.x && v.y >= a.y && v.x + v.w <= a.x + a.w && v.y + v.h <= a.y + a.h;
    return !inside || v.w * v.h * 16 < a.w * a.h;
  }

  #applyViewport(): void {
    const v = this.editor.viewport;
    this.#world.position.set(v.x, v.y);
    this.#world.scale.set(v.zoom);
    const labels = v.zoom >= LABEL_MIN_ZOOM;
    this.#nodeLayers.labels.visible = labels;
    this.#edgeLayers.labels.visible = labels;
    this.#overlay.textsVisible = labels;
  }

  /** Wire preview, box selection, hovered port, and the ports a wire may go to. */
  #drawEphemeral(): void {
    const ed = this.editor;
    const eph = ed.ephemeral;
    const z = ed.viewport.zoom;
    const wire = this.#wire.context;
    wire.clear();
    const w = eph.wire;
    if (w) {
      const start = ed.portWorld(w.start.node, w.start.port, w.start.dir);
      if (start) {
        const [a, b] = w.start.dir === 'out' ? [start, w.to] : [w.to, start];
        const c = edgeCurve(a, b);
        const color = w.valid === false ? BAD : w.valid ? OK : ACCENT;
        wire.moveTo(c.p0.x, c.p0.y).bezierCurveTo(c.c1.x, c.c1.y, c.c2.x, c.c2.y, c.p1.x, c.p1.y).stroke({ width: 2 / Math.min(1, z), color });
      }
      this.#drawCandidates(w.start);
      const t = w.target && w.target.port ? ed.portWorld(w.target.node, w.target.port, w.target.dir) : null;
      this.#target.visible = !!t;
      if (t) {
        this.#target.context = w.valid ? this.#shared.portOk : this.#shared.portBad;
        this.#target.position.set(t.x, t.y);
      }
    } else {
      this.#candidates.context.clear();
      this.#candidatesFor = '';
      this.#target.visible = false;
    }
    const box = this.#box.context;
    box.clear();
    if (eph.box) {
      box.rect(eph.box.x, eph.box.y, eph.box.w, eph.box.h).fill({ color: ACCENT, alpha: 0.08 }).stroke({ width: 1 / z, color: ACCENT });
    }
    const h = !w ? eph.hoverPort : null;
    const hp = h ? ed.portWorld(h.node, h.port, h.dir) : null;
    this.#hover.visible = !!hp;
    if (hp) this.#hover.position.set(hp.x, hp.y);
  }

  /** Rings on every port the wire from `start` may connect to (computed once per wire). */
  #drawCandidates(start: { node: string; port: string; dir: 'in' | 'out' }): void {
    const key = `${start.node}.${start.port}.${start.dir}`;
    if (key === this.#candidatesFor && !this.#dirty.doc) return;
    this.#candidatesFor = key;
    const ed = this.editor;
    const doc = ed.doc;
    const ctx = this.#candidates.context;
    ctx.clear();
    const want = start.dir === 'out' ? 'in' : 'out';
    for (const n of doc.nodes) {
      for (const port of KINDS[n.kind].ports[want]) {
        if (!checkConnection(doc, start, { node: n.id, port, dir: want }).ok) continue;
        const p = portPosition(n.kind, ed.positionOf(n), port, want)!;
        ctx.circle(p.x, p.y, 9);
      }
    }
    ctx.fill({ color: OK, alpha: 0.18 });
  }

  /* ------------------------------------------------------------ live overlay */

  #topology(doc: ModelDocument, byId: Map<string, NodeInput>): OverlayTopology {
    const ed = this.editor;
    const out = new Map<string, { edge: string; share: number }[]>();
    const weights = new Map<string, number>();
    for (const e of doc.edges) {
      const from = e.from.slice(0, e.from.indexOf('.'));
      const list = out.get(from) ?? [];
      list.push({ edge: e.id, share: 0 });
      out.set(from, list);
      weights.set(e.id, typeof e.weight === 'number' ? e.weight : 1);
    }
    for (const [id, list] of out) {
      const node = byId.get(id);
      const policy = node?.kind === 'router' ? (node.params?.policy as string | undefined) : undefined;
      const byWeight = policy === 'weighted' || policy === 'probabilistic';
      const total = list.reduce((s, x) => s + (byWeight ? weights.get(x.edge)! : 1), 0);
      for (const x of list) x.share = total > 0 ? (byWeight ? weights.get(x.edge)! : 1) / total : 0;
    }
    const edgesById = new Map<string, EdgeInput>();
    for (const e of doc.edges) edgesById.set(e.id, e);
    return {
      out: (id) => out.get(id) ?? [],
      capacity: (id) => {
        const n = byId.get(id);
        const c = n?.kind === 'queue' ? n.params?.capacity : undefined;
        return typeof c === 'number' ? c : Infinity;
      },
      holds: (id) => {
        const k = byId.get(id)?.kind;
        return k !== undefined && k !== 'client' && k !== 'sink';
      },
      servers: (id) => {
        const n = byId.get(id);
        // The document's params (defaults absent): a host's cores, a server's servers.
        const c = n?.kind === 'cores' ? (n.params?.count ?? 1) : n?.kind === 'server' ? (n.params?.servers ?? 1) : 0;
        return typeof c === 'number' && c > 0 ? c : 0;
      },
      center: (id) => {
        // The current node, not the one of this topology's document: a drag moves nodes
        // without rebuilding the topology.
        const n = ed.node(id);
        return n ? ed.positionOf(n) : null;
      },
      path: (edgeId) => {
        let p = this.#paths.get(edgeId);
        if (!p) {
          const e = edgesById.get(edgeId);
          const ends = e ? ed.edgeEnds(e) : null;
          if (!ends) return null;
          p = sampleCurve(edgeCurve(ends.from, ends.to), 16);
          this.#paths.set(edgeId, p);
        }
        return p;
      }
    };
  }

  /** A run started: the overlay follows its frames. */
  liveStart(): void {
    this.#overlay.start();
    this.#invalidate();
  }

  liveFrame(f: LiveFrame): void {
    if (this.#overlay.frame(f, performance.now())) this.#invalidate();
  }

  liveStop(): void {
    this.#overlay.stop();
    this.#invalidate();
  }

  /** Per-node badges from a finished run ("p99 1.2 s"); an empty map clears them. */
  showResults(badges: ReadonlyMap<string, string>): void {
    if (badges.size === 0) this.#overlay.clear();
    else this.#overlay.showResults(badges);
    this.#invalidate();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#unsubscribe();
    for (const v of this.#nodes.values()) v.destroy();
    for (const v of this.#edges.values()) v.destroy();
    for (const v of this.#nodePool.drain()) v.destroy();
    for (const v of this.#edgePool.drain()) v.destroy();
    this.#nodes.clear();
    this.#edges.clear();
    this.#overlay.destroy();
    this.#app.destroy({ removeView: true, releaseGlobalResources: true }, { children: true, context: true });
    this.#shared.destroy();
    this.#cards.destroy();
    this.#dotTexture.destroy(true);
    BitmapFont.uninstall(LABEL_FONT);
    resetLabelFont();
  }
}
