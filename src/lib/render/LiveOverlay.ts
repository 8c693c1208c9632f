/**
 * The run overlay: a layer of its own above the model, fed by LiveFrames (src/lib/sim/results.ts:
 * per node [present, arrivals, departures, drops]) and, once a run is done, by its summary. It
 * never touches the document or the model's views.
 *
 * - Requests moving along wires: each frame, a node's new departures are split over its
 *   outgoing edges (by weight for routers) and *sampled*: at most a few dots per edge per frame,
 *   a few in flight per edge and MAX_DOTS on screen, the rest carried over or dropped, so ten
 *   thousand requests per second draw as a steady stream instead of freezing the page. Dots are particles of one
 *   texture in one ParticleContainer: one draw call for all of them.
 * - Fill: a bar under each node with requests in it (against the capacity of a bounded queue,
 *   else on a log scale: 1, 10, 100, 1,000), and the number present.
 * - Drops flash the node red; a client's timeouts flash it amber.
 * - While it runs: a p99 badge per node (the frame's p99 so far, read from the node's histogram
 *   once per frame in the worker), and for nodes with servers (a `cores` host's cores, a
 *   server's servers) the utilisation over the last frame interval.
 * - After the run: per-node p99 badges from the summary.
 *
 * Frames of several replications arrive at once (one per worker); the overlay follows one
 * replication — the lowest index that is still sending — so its numbers are one story.
 */
import { BitmapText, Container, Graphics, GraphicsContext, Particle, ParticleContainer, Rectangle, type Texture } from 'pixi.js';
import type { LiveFrame } from '../sim/results.ts';
import { NODE_H, NODE_W, rectsIntersect, type Point, type Rect } from '../editor/geometry.ts';
import { formatDuration } from '../model/units.ts';
import { BAD, LABEL_FONT, MUTED } from './contexts.ts';

export const MAX_DOTS = 1500;
const MAX_PER_EDGE_PER_FRAME = 3;
/** Dots on one wire at once: enough to show a stream and its direction, never a solid bar. */
const MAX_IN_FLIGHT_PER_EDGE = 6;
const DOT_MS = 800;
const FLASH_MS = 450;
/** A client's timeouts flash in amber (drops are red). */
const WARN = 0xd98a00;

export interface OverlayTopology {
  /** Outgoing edges of a node, with the share of its departures each takes. */
  out(nodeId: string): readonly { edge: string; share: number }[];
  /** A bounded queue's capacity, else Infinity. */
  capacity(nodeId: string): number;
  /** Whether a node shows a fill bar (not clients or sinks). */
  holds(nodeId: string): boolean;
  /** Servers (cores of a `cores` host) whose busy time makes a utilisation, else 0. */
  servers?(nodeId: string): number;
  center(nodeId: string): Point | null;
  /** The edge's curve sampled as a polyline, world units. */
  path(edgeId: string): readonly Point[] | null;
}

interface Dot {
  p: Particle;
  edge: string;
  path: readonly Point[] | null;
  start: number;
}

interface Badge {
  /** The badge's bar and flash, shown or hidden together (culled with the node views); the text is culled with them. */
  group: Container;
  /** The node's centre it was placed at. */
  at: Point;
  track: Graphics;
  bar: Graphics;
  text: BitmapText;
  flash: Graphics;
  flashUntil: number;
  shown: string;
}

/** What a node's live frame said last (the previous frame, for rates and flashes). */
type Prev = [present: number, arrivals: number, departures: number, drops: number, busy: number, timeouts: number, now: number];

export class LiveOverlay {
  readonly layer = new Container({ label: 'live overlay' });
  readonly #dots: ParticleContainer;
  readonly #free: Dot[] = [];
  readonly #active: Dot[] = [];
  readonly #badges = new Map<string, Badge>();
  readonly #trackCtx: GraphicsContext;
  readonly #barCtx: GraphicsContext;
  readonly #fullCtx: GraphicsContext;
  readonly #flashCtx: GraphicsContext;
  #topology: OverlayTopology | null = null;
  /** The world area whose badges are drawn (null: all). */
  #area: Rect | null = null;
  /** Badges' bars and flashes, then their texts (hidden with the labels when zoomed out). */
  readonly #parts = new Container({ label: 'badge parts' });
  readonly #texts = new Container({ label: 'badge texts' });
  #follow: number | null = null;
  #followAt = 0;
  #prev: Map<string, Prev> | null = null;
  /** Last utilisation shown per node (kept when a frame brings no simulated time). */
  #util = new Map<string, number>();
  #prevAt = 0;
  #carry = new Map<string, number>();
  #inFlight = new Map<string, number>();
  #lastStart = new Map<string, number>();
  /** Requests a frame would have drawn that the caps left out (a measure of the sampling). */
  sampledOut = 0;
  spawned = 0;
  /** Frames drawn from (of the replication followed) since the run started. */
  framesTaken = 0;
  #mode: 'off' | 'live' | 'results' = 'off';

  constructor(dotTexture: Texture) {
    this.#dots = new ParticleContainer({
      texture: dotTexture,
      dynamicProperties: { position: true, color: false, rotation: false, vertex: false, uvs: false },
      boundsArea: new Rectangle(-1e6, -1e6, 2e6, 2e6)
    });
    for (let i = 0; i < MAX_DOTS; i++) {
      const p = new Particle({ texture: dotTexture, x: -1e7, y: -1e7, anchorX: 0.5, anchorY: 0.5, tint: 0x2f6fdb });
      this.#dots.addParticle(p);
      this.#free.push({ p, edge: '', path: null, start: 0 });
    }
    this.#trackCtx = new GraphicsContext().rect(0, 0, 1, 1).fill({ color: 0xdfe4ea });
    this.#barCtx = new GraphicsContext().rect(0, 0, 1, 1).fill({ color: 0x2f6fdb });
    this.#fullCtx = new GraphicsContext().rect(0, 0, 1, 1).fill({ color: BAD });
    this.#flashCtx = new GraphicsContext()
      .roundRect(-NODE_W / 2 - 5, -NODE_H / 2 - 5, NODE_W + 10, NODE_H + 10, 9)
      .stroke({ width: 4, color: 0xffffff }); // white: each flash tints it (drops red, timeouts amber)
    for (const c of [this.#trackCtx, this.#barCtx, this.#fullCtx, this.#flashCtx]) c.batchMode = 'batch';
    this.layer.addChild(this.#dots, this.#parts, this.#texts);
    // A particle container draws every particle it holds: hidden while no dot flies.
    this.#dots.visible = false;
  }

  /**
   * Draw the dots once, all off screen, so the particle shader is compiled and their buffer
   * uploaded when the canvas starts rather than on a run's first frame: there, in software
   * WebGL, it made a 15–20 ms animation frame inside a 50 ms task at every first run.
   */
  prewarm(render: () => void): void {
    this.#dots.visible = true;
    this.#dots.update();
    render();
    this.#dots.visible = false;
  }

  get mode(): 'off' | 'live' | 'results' {
    return this.#mode;
  }

  get activeDots(): number {
    return this.#active.length;
  }

  setTopology(t: OverlayTopology): void {
    this.#topology = t;
    for (const [id, b] of this.#badges) {
      const c = t.center(id);
      if (c) this.#place(b, c);
      else this.#dropBadge(id);
    }
  }

  /** A run started: forget the last run's numbers. */
  start(): void {
    this.clear();
    this.#mode = 'live';
  }

  /** Stop drawing the run (it ended or was cancelled); dots in flight finish. */
  stop(): void {
    if (this.#mode === 'live') this.#mode = 'off';
    this.#follow = null;
    this.#prev = null;
  }

  clear(): void {
    for (const id of [...this.#badges.keys()]) this.#dropBadge(id);
    for (const d of this.#active.splice(0)) this.#freeDot(d);
    this.#follow = null;
    this.#prev = null;
    this.#carry.clear();
    this.#lastStart.clear();
    this.#util.clear();
    this.#mode = 'off';
    this.sampledOut = 0;
    this.spawned = 0;
    this.framesTaken = 0;
  }

  /** Take a frame; returns whether anything changed on screen. */
  frame(f: LiveFrame, now: number): boolean {
    const t = this.#topology;
    if (!t || this.#mode !== 'live') return false;
    if (this.#follow !== null && f.replication !== this.#follow && now - this.#followAt < 400) return false;
    if (f.replication !== this.#follow) {
      this.#follow = f.replication;
      this.#prev = null;
    }
    this.#followAt = now;
    this.framesTaken++;
    const interval = this.#prev ? Math.min(250, Math.max(16, now - this.#prevAt)) : 50;
    const cur = new Map<string, Prev>();
    let changed = false;
    for (let i = 0; i < f.nodeIds.length; i++) {
      const id = f.nodeIds[i];
      const v: Prev = [
        f.nodes[i * 4],
        f.nodes[i * 4 + 1],
        f.nodes[i * 4 + 2],
        f.nodes[i * 4 + 3],
        f.busy?.[i] ?? 0,
        f.timeouts?.[i] ?? 0,
        f.now
      ];
      cur.set(id, v);
      const center = t.center(id);
      if (!center) continue;
      const before = this.#prev?.get(id);
      const servers = t.servers?.(id) ?? 0;
      if (servers > 0 && before && v[6] > before[6]) this.#util.set(id, Math.min(1, Math.max(0, (v[4] - before[4]) / ((v[6] - before[6]) * servers))));
      const p99 = f.p99?.[i] ?? NaN;
      changed = this.#fill(id, center, v, t.holds(id) ? t.capacity(id) : null, p99, this.#util.get(id)) || changed;
      if (!before) continue;
      if (v[3] > before[3]) {
        this.#flash(id, center, now, BAD);
        changed = true;
      } else if (v[5] > before[5]) {
        this.#flash(id, center, now, WARN);
        changed = true;
      }
      const departed = v[2] - before[2];
      if (departed > 0) {
        for (const { edge, share } of t.out(id)) {
          const want = (this.#carry.get(edge) ?? 0) + departed * share;
          const n = Math.min(MAX_PER_EDGE_PER_FRAME, Math.floor(want));
          this.#carry.set(edge, want - n > MAX_PER_EDGE_PER_FRAME ? 0 : want - n);
          if (want - n > MAX_PER_EDGE_PER_FRAME) this.sampledOut += want - n;
          const path = t.path(edge);
          if (!path) continue;
          for (let k = 0; k < n; k++) {
            if (!this.#spawn(edge, path, now + (interval * k) / n)) {
              this.sampledOut += n - k;
              break;
            }
          }
          changed = changed || n > 0;
        }
      }
    }
    this.#prev = cur;
    this.#prevAt = now;
    return changed;
  }

  /** After the run: a p99 badge per node (text made by the caller, e.g. "p99 1.2 s"). */
  showResults(badges: ReadonlyMap<string, string>): void {
    const t = this.#topology;
    this.clear();
    if (!t) return;
    this.#mode = 'results';
    for (const [id, text] of badges) {
      const c = t.center(id);
      if (!c) continue;
      const b = this.#badge(id, c);
      b.track.visible = false;
      b.bar.visible = false;
      this.#setText(b, text, MUTED);
    }
  }

  /** Advance the animation; returns whether another frame is needed. */
  tick(now: number): boolean {
    let alive = false;
    for (let i = this.#active.length - 1; i >= 0; i--) {
      const d = this.#active[i];
      const path = d.path;
      const u = (now - d.start) / DOT_MS;
      if (!path || u >= 1) {
        this.#active.splice(i, 1);
        this.#freeDot(d);
        continue;
      }
      alive = true;
      if (u < 0) {
        d.p.x = -1e7;
        continue;
      }
      const x = u * (path.length - 1);
      const k = Math.min(path.length - 2, Math.floor(x));
      const f = x - k;
      d.p.x = path[k].x + (path[k + 1].x - path[k].x) * f;
      d.p.y = path[k].y + (path[k + 1].y - path[k].y) * f;
    }
    for (const b of this.#badges.values()) {
      if (b.flashUntil > 0) {
        const left = b.flashUntil - now;
        if (left <= 0) {
          b.flash.visible = false;
          b.flashUntil = 0;
        } else {
          b.flash.alpha = left / FLASH_MS;
          alive = true;
        }
      }
    }
    const flying = this.#active.length > 0;
    if (this.#dots.visible !== flying) this.#dots.visible = flying;
    if (flying) this.#dots.update();
    return alive;
  }

  #spawn(edge: string, path: readonly Point[], start: number): boolean {
    const flying = this.#inFlight.get(edge) ?? 0;
    if (flying >= MAX_IN_FLIGHT_PER_EDGE) return false;
    // Evenly spaced along the wire: a busy edge shows a steady stream, not clumps.
    const spaced = Math.max(start, (this.#lastStart.get(edge) ?? -Infinity) + DOT_MS / MAX_IN_FLIGHT_PER_EDGE);
    if (spaced - start > DOT_MS / 2) return false;
    start = spaced;
    this.#lastStart.set(edge, start);
    const d = this.#free.pop();
    if (!d) return false;
    this.#inFlight.set(edge, flying + 1);
    d.edge = edge;
    d.path = path;
    d.start = start;
    d.p.x = -1e7;
    this.#active.push(d);
    this.spawned++;
    return true;
  }

  #freeDot(d: Dot): void {
    if (d.edge) this.#inFlight.set(d.edge, (this.#inFlight.get(d.edge) ?? 1) - 1);
    d.edge = '';
    d.p.x = -1e7;
    d.p.y = -1e7;
    d.path = null;
    this.#free.push(d);
  }

  /**
   * Only badges of nodes in `area` (the renderer's culled world area) are drawn: a finished run
   * of a 1,000-node model leaves 1,000 badges, and drawing them all cost every frame of a zoom.
   */
  setArea(area: Rect): void {
    this.#area = area;
    for (const b of this.#badges.values()) this.#cull(b);
  }

  #cull(b: Badge): void {
    const a = this.#area;
    const inside = !a || rectsIntersect({ x: b.at.x - NODE_W / 2, y: b.at.y - NODE_H / 2, w: NODE_W, h: NODE_H + 24 }, a);
    if (b.group.visible !== inside) {
      b.group.visible = inside;
      b.text.visible = inside;
      this.#shownBadges += inside ? 1 : -1;
    }
  }

  /** Badges drawn now (not culled): counted as they are made, culled and dropped. */
  #shownBadges = 0;
  get shownBadges(): number {
    return this.#shownBadges;
  }

  /** Badge texts are drawn only where labels are (they are as small, and as many). */
  set textsVisible(v: boolean) {
    this.#texts.visible = v;
  }

  #badge(id: string, c: Point): Badge {
    let b = this.#badges.get(id);
    if (!b) {
      b = {
        group: new Container(),
        at: c,
        track: new Graphics(this.#trackCtx),
        bar: new Graphics(this.#barCtx),
        text: new BitmapText({ text: '', style: { fontFamily: LABEL_FONT, fontSize: 11 } }),
        flash: new Graphics(this.#flashCtx),
        flashUntil: 0,
        shown: ''
      };
      b.text.anchor.set(1, 0);
      b.flash.visible = false;
      b.group.addChild(b.track, b.bar, b.flash);
      this.#parts.addChild(b.group);
      this.#texts.addChild(b.text);
      this.#badges.set(id, b);
      this.#shownBadges++;
      this.#place(b, c);
      this.#cull(b);
    }
    return b;
  }

  #place(b: Badge, c: Point): void {
    b.at = c;
    const y = c.y + NODE_H / 2 + 4;
    b.track.position.set(c.x - NODE_W / 2, y);
    b.track.scale.set(NODE_W, 4);
    b.bar.position.set(c.x - NODE_W / 2, y);
    b.text.position.set(c.x + NODE_W / 2, y + 5);
    b.flash.position.set(c.x, c.y);
  }

  #dropBadge(id: string): void {
    const b = this.#badges.get(id);
    if (!b) return;
    if (b.group.visible) this.#shownBadges--;
    b.group.destroy({ children: true });
    b.text.destroy();
    this.#badges.delete(id);
  }

  #setText(b: Badge, text: string, tint: number): void {
    if (b.shown !== text) {
      b.text.text = text;
      b.shown = text;
    }
    b.text.tint = tint;
  }

  /**
   * A node's live badge: the fill bar (nodes that hold requests: `capacity` non-null) and a line
   * of text: requests present, utilisation, p99 so far, drops or timeouts.
   */
  #fill(id: string, c: Point, v: Prev, capacity: number | null, p99: number, util: number | undefined): boolean {
    const [present, , , drops, , timeouts] = v;
    const parts: string[] = [];
    if (capacity !== null) parts.push(`${Math.round(present)}`);
    if (util !== undefined) parts.push(`${Math.round(util * 100)}% busy`);
    if (p99 === p99) parts.push(`p99 ${formatDuration(p99, { digits: 2 })}`);
    if (drops > 0) parts.push(`${Math.round(drops)} dropped`);
    else if (timeouts > 0) parts.push(`${Math.round(timeouts)} timeouts`);
    if (parts.length === 0 && !this.#badges.has(id)) return false;
    const b = this.#badge(id, c);
    if (capacity !== null) {
      const bounded = Number.isFinite(capacity) && capacity > 0;
      const frac = bounded ? Math.min(1, present / capacity) : Math.min(1, Math.log10(1 + present) / 3);
      b.bar.context = bounded && present >= capacity ? this.#fullCtx : this.#barCtx;
      b.bar.scale.set(Math.max(0, frac * NODE_W), 4);
    }
    b.track.visible = capacity !== null;
    b.bar.visible = capacity !== null;
    this.#setText(b, parts.join(' · '), drops > 0 ? BAD : timeouts > 0 ? WARN : MUTED);
    return true;
  }

  #flash(id: string, c: Point, now: number, color: number): void {
    const b = this.#badge(id, c);
    b.flash.visible = true;
    b.flash.alpha = 1;
    b.flash.tint = color;
    b.flashUntil = now + FLASH_MS;
  }

  /** The text of every badge on show, by node id (the typed test API reads it). */
  badgeTexts(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, b] of this.#badges) if (b.shown) out[id] = b.shown;
    return out;
  }

  destroy(): void {
    this.clear();
    this.layer.destroy({ children: true });
    for (const c of [this.#trackCtx, this.#barCtx, this.#fullCtx, this.#flashCtx]) c.destroy();
  }
}
