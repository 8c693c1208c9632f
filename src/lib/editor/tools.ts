/**
 * The tools: pointer and wheel input → editor operations, as one explicit state machine
 * (ARCHITECTURE.md, principle 4: input → tool state machine → command → document → views).
 * No DOM: the canvas component turns DOM events into `PointerInput` (canvas-relative CSS
 * pixels), so the tools run headless in unit tests exactly as in the browser.
 *
 * States:
 *   idle
 *   pointing-node   pressed on a node; a move past the threshold starts `dragging`,
 *                   a release selects it (alone unless Shift)
 *   dragging        the selected nodes follow the pointer: one mark, so one undo step;
 *                   Escape puts them back
 *   pointing-canvas pressed on empty canvas; a move starts `panning`, a release clears the
 *                   selection
 *   panning         drag on empty canvas, Space + drag, or the middle button
 *   box             Shift + drag on empty canvas: select the nodes the box touches (added)
 *   wiring          pressed on a port: a wire follows the pointer, says whether the port
 *                   under it may connect and why not; release on a port (or a node) connects
 *   pinching        two touch points: zoom about their midpoint and pan with it
 */
import { KINDS } from '../model/kinds/index.ts';
import type { Editor, Hit } from './Editor.ts';
import { rectFromCorners, type Point, type PortDir, type PortHit } from './geometry.ts';
import { noPortsReason } from './connect.ts';
import type { Viewport } from './viewport.ts';

export interface PointerInput {
  /** Canvas-relative CSS pixels. */
  x: number;
  y: number;
  /** 0 main, 1 middle, 2 secondary. */
  button: number;
  shift: boolean;
  /** Ctrl or Cmd. */
  mod: boolean;
  pointerId?: number;
  pointerType?: 'mouse' | 'touch' | 'pen';
}

export interface WheelInput {
  x: number;
  y: number;
  deltaX: number;
  deltaY: number;
  /** Trackpad pinches arrive as wheel events with ctrlKey. */
  ctrl: boolean;
  shift: boolean;
}

export type ToolState =
  | { name: 'idle' }
  | { name: 'pointing-node'; id: string; start: Point; wasSelected: boolean; shift: boolean }
  | { name: 'dragging'; start: Point; origins: Map<string, Point> }
  | { name: 'pointing-canvas'; start: Point; shift: boolean }
  | { name: 'panning'; start: Point; viewport: Viewport }
  | { name: 'box'; start: Point; base: { nodes: string[]; edges: string[] } }
  | { name: 'wiring'; start: PortHit }
  | { name: 'pinching'; viewport: Viewport; a0: Point; b0: Point };

/** Screen pixels a press may wobble before it becomes a drag. */
export const DRAG_THRESHOLD = 4;

export class ToolController {
  readonly editor: Editor;
  #state: ToolState = { name: 'idle' };
  #space = false;
  #touches = new Map<number, Point>();

  constructor(editor: Editor) {
    this.editor = editor;
  }

  get state(): ToolState {
    return this.#state;
  }

  /** The CSS cursor for the canvas now. */
  cursor(hover: Hit | null = null): string {
    switch (this.#state.name) {
      case 'panning':
        return 'grabbing';
      case 'dragging':
        return 'move';
      case 'wiring':
        return 'crosshair';
      case 'box':
        return 'crosshair';
      default:
        if (this.#space) return 'grab';
        if (hover?.kind === 'port') return 'crosshair';
        if (hover?.kind === 'node') return 'move';
        if (hover?.kind === 'edge') return 'pointer';
        return 'default';
    }
  }

  /** Space held: drags pan wherever they start. */
  setSpace(down: boolean): void {
    this.#space = down;
  }

  get spaceHeld(): boolean {
    return this.#space;
  }

  pointerDown(p: PointerInput): void {
    const ed = this.editor;
    if (p.pointerType === 'touch' && p.pointerId !== undefined) {
      this.#touches.set(p.pointerId, { x: p.x, y: p.y });
      if (this.#touches.size === 2) {
        // A second finger turns whatever the first one started into a pinch.
        if (this.#state.name === 'dragging') ed.commitMark();
        const [a, b] = [...this.#touches.values()];
        this.#state = { name: 'pinching', viewport: ed.viewport, a0: a, b0: b };
        ed.setEphemeral({ box: null, wire: null });
        return;
      }
    }
    if (this.#state.name !== 'idle') this.cancel();
    const at = { x: p.x, y: p.y };
    if (p.button === 1 || this.#space) {
      this.#state = { name: 'panning', start: at, viewport: ed.viewport };
      return;
    }
    if (p.button !== 0) return;
    const hit = ed.hitTest(at);
    if (hit?.kind === 'port') {
      const node = ed.node(hit.node)!;
      const start: PortHit = { node: hit.node, port: hit.port, dir: hit.dir };
      this.#state = { name: 'wiring', start };
      ed.setEphemeral({ wire: { start, to: ed.toWorld(at), target: null, valid: null, reason: null } });
      ed.setStatus(
        hit.dir === 'out'
          ? `Drag to an input port to connect ${hit.node}.${hit.port}.`
          : `Drag to an output port to connect it to ${hit.node}.${hit.port}.`
      );
      void node;
      return;
    }
    if (hit?.kind === 'node') {
      const wasSelected = ed.isSelected('node', hit.id);
      if (p.shift) ed.select({ nodes: [hit.id] }, 'toggle');
      else if (!wasSelected) ed.select({ nodes: [hit.id] });
      this.#state = { name: 'pointing-node', id: hit.id, start: at, wasSelected, shift: p.shift };
      return;
    }
    if (hit?.kind === 'edge') {
      ed.select({ edges: [hit.id] }, p.shift ? 'toggle' : 'replace');
      this.#state = { name: 'idle' };
      return;
    }
    this.#state = { name: 'pointing-canvas', start: at, shift: p.shift };
  }

  pointerMove(p: PointerInput): void {
    const ed = this.editor;
    const at = { x: p.x, y: p.y };
    if (p.pointerType === 'touch' && p.pointerId !== undefined && this.#touches.has(p.pointerId)) {
      this.#touches.set(p.pointerId, at);
    }
    const s = this.#state;
    switch (s.name) {
      case 'idle': {
        const hit = ed.hitTest(at);
        const hover = hit?.kind === 'port' ? { node: hit.node, port: hit.port, dir: hit.dir } : null;
        const cur = ed.ephemeral.hoverPort;
        if (hover?.node !== cur?.node || hover?.port !== cur?.port || hover?.dir !== cur?.dir) ed.setEphemeral({ hoverPort: hover });
        return;
      }
      case 'pointing-node': {
        if (Math.hypot(at.x - s.start.x, at.y - s.start.y) < DRAG_THRESHOLD) return;
        const origins = new Map<string, Point>();
        for (const id of ed.selection.nodes) {
          const n = ed.node(id);
          if (n) origins.set(id, ed.positionOf(n));
        }
        if (origins.size === 0) {
          this.#state = { name: 'idle' };
          return;
        }
        ed.mark(origins.size === 1 ? 'Move node' : 'Move nodes');
        this.#state = { name: 'dragging', start: s.start, origins };
        this.#drag(at);
        return;
      }
      case 'dragging':
        this.#drag(at);
        return;
      case 'pointing-canvas': {
        if (Math.hypot(at.x - s.start.x, at.y - s.start.y) < DRAG_THRESHOLD) return;
        if (s.shift) {
          const sel = ed.selection;
          this.#state = { name: 'box', start: s.start, base: { nodes: [...sel.nodes], edges: [...sel.edges] } };
          this.#box(at);
        } else {
          this.#state = { name: 'panning', start: s.start, viewport: ed.viewport };
          this.#pan(at);
        }
        return;
      }
      case 'panning':
        this.#pan(at);
        return;
      case 'box':
        this.#box(at);
        return;
      case 'wiring':
        this.#wire(at);
        return;
      case 'pinching':
        this.#pinch();
        return;
    }
  }

  pointerUp(p: PointerInput): void {
    const ed = this.editor;
    if (p.pointerType === 'touch' && p.pointerId !== undefined) {
      this.#touches.delete(p.pointerId);
      if (this.#state.name === 'pinching') {
        if (this.#touches.size === 0) this.#state = { name: 'idle' };
        return;
      }
    }
    const at = { x: p.x, y: p.y };
    const s = this.#state;
    this.#state = { name: 'idle' };
    switch (s.name) {
      case 'pointing-node':
        // A click on a node of a multiple selection selects it alone; Shift already toggled.
        if (!s.shift && s.wasSelected) ed.select({ nodes: [s.id] });
        return;
      case 'dragging': {
        ed.commitMark();
        const n = s.origins.size;
        ed.setStatus(`Moved ${n} node${n === 1 ? '' : 's'}.`);
        return;
      }
      case 'pointing-canvas':
        if (!s.shift) ed.clearSelection();
        return;
      case 'box':
        ed.setEphemeral({ box: null });
        return;
      case 'wiring': {
        const target = this.#wireTarget(s.start, at);
        ed.setEphemeral({ wire: null, hoverPort: null });
        if (target && target.valid) {
          const r = ed.connect({ node: s.start.node, port: s.start.port, dir: s.start.dir }, { node: target.port.node, port: target.port.port, dir: target.port.dir });
          if (r.ok) ed.select({ edges: [r.value] });
        } else if (target && !target.valid) {
          ed.setStatus(`Not connected: ${target.reason}.`);
        } else {
          ed.setStatus('Not connected: release the wire on a port.');
        }
        return;
      }
      default:
        return;
    }
  }

  /** Abandon the interaction in progress (Escape, pointer cancel, focus lost). */
  cancel(): void {
    const ed = this.editor;
    const s = this.#state;
    this.#state = { name: 'idle' };
    this.#touches.clear();
    switch (s.name) {
      case 'dragging':
        ed.cancelMark();
        ed.setStatus('Move cancelled.');
        return;
      case 'box':
        ed.select(s.base);
        ed.setEphemeral({ box: null });
        return;
      case 'wiring':
        ed.setEphemeral({ wire: null });
        ed.setStatus('Not connected.');
        return;
      default:
        return;
    }
  }

  /** The wheel zooms about the pointer (a trackpad pinch too); Shift + wheel pans. */
  wheel(w: WheelInput): void {
    const ed = this.editor;
    if (w.shift && !w.ctrl) {
      ed.panBy(-(w.deltaX || w.deltaY), 0);
      return;
    }
    // Pinch deltas are small and precise; mouse wheels send ±100 per notch. Clamp one event to
    // a factor of 2 either way so a fast wheel never jumps.
    const k = w.ctrl ? 0.01 : 0.0015;
    const factor = Math.min(2, Math.max(0.5, Math.exp(-w.deltaY * k)));
    ed.zoomBy(factor, { x: w.x, y: w.y });
  }

  /* ----------------------------------------------------------------- steps */

  #drag(at: Point): void {
    const s = this.#state;
    if (s.name !== 'dragging') return;
    const z = this.editor.viewport.zoom;
    const dx = (at.x - s.start.x) / z;
    const dy = (at.y - s.start.y) / z;
    const next = new Map<string, Point>();
    for (const [id, o] of s.origins) next.set(id, { x: o.x + dx, y: o.y + dy });
    this.editor.setPositions(next, s.origins.size === 1 ? 'Move node' : 'Move nodes');
  }

  #pan(at: Point): void {
    const s = this.#state;
    if (s.name !== 'panning') return;
    this.editor.setViewport({ ...s.viewport, x: s.viewport.x + at.x - s.start.x, y: s.viewport.y + at.y - s.start.y });
  }

  #box(at: Point): void {
    const s = this.#state;
    if (s.name !== 'box') return;
    const ed = this.editor;
    const rect = rectFromCorners(ed.toWorld(s.start), ed.toWorld(at));
    ed.setEphemeral({ box: rect });
    ed.select({ nodes: [...s.base.nodes, ...ed.nodesIn(rect)], edges: s.base.edges });
  }

  #pinch(): void {
    const s = this.#state;
    if (s.name !== 'pinching' || this.#touches.size < 2) return;
    const [a, b] = [...this.#touches.values()];
    const d0 = Math.hypot(s.b0.x - s.a0.x, s.b0.y - s.a0.y) || 1;
    const d1 = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const m0 = { x: (s.a0.x + s.b0.x) / 2, y: (s.a0.y + s.b0.y) / 2 };
    const m1 = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const v = s.viewport;
    // Keep the world point under the first midpoint under the current one.
    const zoom = Math.min(4, Math.max(0.05, v.zoom * (d1 / d0)));
    const wx = (m0.x - v.x) / v.zoom;
    const wy = (m0.y - v.y) / v.zoom;
    this.editor.setViewport({ zoom, x: m1.x - wx * zoom, y: m1.y - wy * zoom });
  }

  /** What releasing a wire at `at` would connect to, and whether it may. */
  #wireTarget(start: PortHit, at: Point): { port: PortHit; valid: boolean; reason: string | null } | null {
    const ed = this.editor;
    const want: PortDir = start.dir === 'out' ? 'in' : 'out';
    const hit = ed.hitTest(at);
    if (!hit) return null;
    if (hit.kind === 'port') {
      const c = ed.canConnect(start, { node: hit.node, port: hit.port, dir: hit.dir });
      return { port: { node: hit.node, port: hit.port, dir: hit.dir }, valid: c.ok, reason: c.ok ? null : c.reason };
    }
    if (hit.kind === 'node') {
      // Dropped on a node's body: its first port of the right direction that may connect.
      const node = ed.node(hit.id)!;
      const names = KINDS[node.kind].ports[want];
      if (names.length === 0) {
        if (hit.id === start.node) return { port: { node: hit.id, port: '', dir: want }, valid: false, reason: `a node cannot connect to itself` };
        return { port: { node: hit.id, port: '', dir: want }, valid: false, reason: noPortsReason(node, want) ?? 'no port' };
      }
      let firstReason: string | null = null;
      for (const port of names) {
        const c = ed.canConnect(start, { node: hit.id, port, dir: want });
        if (c.ok) return { port: { node: hit.id, port, dir: want }, valid: true, reason: null };
        firstReason ??= c.reason;
      }
      return { port: { node: hit.id, port: names[0], dir: want }, valid: false, reason: firstReason };
    }
    return null;
  }

  #wire(at: Point): void {
    const s = this.#state;
    if (s.name !== 'wiring') return;
    const ed = this.editor;
    const t = this.#wireTarget(s.start, at);
    const to = t?.valid && t.port.port ? (ed.portWorld(t.port.node, t.port.port, t.port.dir) ?? ed.toWorld(at)) : ed.toWorld(at);
    ed.setEphemeral({ wire: { start: s.start, to, target: t?.port ?? null, valid: t ? t.valid : null, reason: t?.reason ?? null } });
    if (!t) ed.setStatus(`Drag to ${s.start.dir === 'out' ? 'an input' : 'an output'} port.`);
    else if (t.valid) {
      const [from, into] = s.start.dir === 'out' ? [s.start, t.port] : [t.port, s.start];
      ed.setStatus(`Release to connect ${from.node}.${from.port} → ${into.node}.${into.port}.`);
    } else ed.setStatus(`Cannot connect: ${t.reason}.`);
  }
}
