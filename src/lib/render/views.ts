/**
 * The views of the keyed projection: one NodeView per node id, one EdgeView per edge id. A
 * view has an explicit lifecycle — `attach` (taken from the pool and added to its layers),
 * `update` (only what changed is redrawn), `detach` (hidden and returned to the pool) and
 * `destroy` (with the renderer) — and never reads or writes the document itself: the renderer
 * hands it plain values.
 *
 * A node's parts live in separate layers (cards, rings, labels) so that the many cards batch
 * together and the labels batch together, and so the labels can be hidden in one step when
 * zoomed too far out to read.
 */
import { BitmapText, Container, Graphics, GraphicsContext, Sprite } from 'pixi.js';
import { BAND, CARD_FRAME, INK, LABEL_FONT, MUTED, ACCENT, RING_FRAME, type CardTextures } from './contexts.ts';
import { NODE_W, PORT_R, curvePoint, edgeCurve, type Point } from '../editor/geometry.ts';
import type { NodeKind } from '../model/types.ts';

export interface NodeLayers {
  cards: Container;
  rings: Container;
  labels: Container;
}

const LABEL_SIZE = 12;
/** Characters that fit beside the band at the label size. */
const LABEL_CHARS = 14;

function fit(text: string): string {
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
}

/** Where a card's centre sits in its baked texture. */
const ANCHOR_X = -CARD_FRAME.x / CARD_FRAME.w;
const ANCHOR_Y = -CARD_FRAME.y / CARD_FRAME.h;
const RING_X = -RING_FRAME.x / RING_FRAME.w;
const RING_Y = -RING_FRAME.y / RING_FRAME.h;

export class NodeView {
  /** A sprite of the kind's baked card (contexts.ts, bakeCards). */
  readonly card = new Sprite();
  readonly label = new BitmapText({ text: '', style: { fontFamily: LABEL_FONT, fontSize: LABEL_SIZE } });
  ring: Sprite | null = null;
  #kind: NodeKind | null = null;
  #text = '';
  #x = NaN;
  #y = NaN;
  #selected = false;

  constructor() {
    this.label.tint = INK;
    this.label.anchor.set(0, 0.5);
    this.card.anchor.set(ANCHOR_X, ANCHOR_Y);
  }

  attach(layers: NodeLayers): void {
    layers.cards.addChild(this.card);
    layers.labels.addChild(this.label);
    this.card.visible = true;
    this.label.visible = true;
  }

  update(kind: NodeKind, text: string, at: Point, selected: boolean, cards: CardTextures, layers: NodeLayers): void {
    if (kind !== this.#kind) {
      this.card.texture = cards.node[kind];
      this.#kind = kind;
    }
    if (text !== this.#text) {
      this.label.text = fit(text);
      this.#text = text;
    }
    if (at.x !== this.#x || at.y !== this.#y) {
      this.card.position.set(at.x, at.y);
      this.label.position.set(at.x - NODE_W / 2 + BAND + 8, at.y);
      this.ring?.position.set(at.x, at.y);
      this.#x = at.x;
      this.#y = at.y;
    }
    if (selected !== this.#selected) {
      if (selected && !this.ring) {
        this.ring = new Sprite(cards.ring);
        this.ring.anchor.set(RING_X, RING_Y);
        layers.rings.addChild(this.ring);
      }
      if (this.ring) {
        this.ring.visible = selected;
        this.ring.position.set(at.x, at.y);
      }
      this.#selected = selected;
    }
  }

  /** Out of view (culled): hidden but kept, with its texture, text and position, for when it returns. */
  setShown(shown: boolean): void {
    if (this.card.visible === shown) return;
    this.card.visible = shown;
    this.label.visible = shown;
    if (this.ring) this.ring.visible = shown && this.#selected;
  }

  get shown(): boolean {
    return this.card.visible;
  }

  detach(): void {
    this.card.removeFromParent();
    this.label.removeFromParent();
    if (this.ring) this.ring.visible = false;
    this.#selected = false;
    this.#text = '';
    this.#x = NaN;
  }

  destroy(): void {
    this.card.destroy();
    this.label.destroy();
    this.ring?.destroy();
  }
}

export interface EdgeLayers {
  lines: Container;
  labels: Container;
}

export interface EdgeLook {
  from: Point;
  to: Point;
  selected: boolean;
  /** Text on the edge (router weights), or ''. */
  text: string;
}

export class EdgeView {
  /** Each edge has its own geometry, so its own context (redrawn only when an end moves). */
  readonly line = new Graphics(new GraphicsContext());
  label: BitmapText | null = null;
  #look: EdgeLook | null = null;

  attach(layers: EdgeLayers): void {
    layers.lines.addChild(this.line);
    this.line.visible = true;
  }

  update(look: EdgeLook, layers: EdgeLayers): void {
    const prev = this.#look;
    const moved = !prev || prev.from.x !== look.from.x || prev.from.y !== look.from.y || prev.to.x !== look.to.x || prev.to.y !== look.to.y;
    if (moved || prev.selected !== look.selected) this.#draw(look);
    if (look.text) {
      if (!this.label) {
        this.label = new BitmapText({ text: '', style: { fontFamily: LABEL_FONT, fontSize: 11 } });
        this.label.anchor.set(0.5, 1);
        this.label.tint = MUTED;
      }
      if (!this.label.parent) layers.labels.addChild(this.label);
      if (this.label.text !== look.text) this.label.text = look.text;
      if (moved) {
        const m = curvePoint(edgeCurve(look.from, look.to), 0.5);
        this.label.position.set(m.x, m.y - 4);
      }
      this.label.tint = look.selected ? ACCENT : MUTED;
    } else if (this.label?.parent) this.label.removeFromParent();
    this.#look = look;
  }

  #draw(look: EdgeLook): void {
    const c = edgeCurve(look.from, look.to);
    const color = look.selected ? ACCENT : 0x8a94a6;
    const width = look.selected ? 2.5 : 1.6;
    const ctx = this.line.context;
    ctx.clear();
    // The arrow's tip touches the input port's rim; the line stops at the arrow's base.
    const dx = c.p1.x - c.c2.x;
    const dy = c.p1.y - c.c2.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const tip = { x: c.p1.x - ux * PORT_R, y: c.p1.y - uy * PORT_R };
    const base = { x: tip.x - ux * 8, y: tip.y - uy * 8 };
    ctx.moveTo(c.p0.x, c.p0.y).bezierCurveTo(c.c1.x, c.c1.y, c.c2.x, c.c2.y, base.x, base.y).stroke({ width, color });
    ctx.poly([tip.x, tip.y, base.x - uy * 4.5, base.y + ux * 4.5, base.x + uy * 4.5, base.y - ux * 4.5], true).fill(color);
  }

  /** Out of view (culled): hidden but kept with its geometry, for when it returns. */
  setShown(shown: boolean): void {
    if (this.line.visible === shown) return;
    this.line.visible = shown;
    if (this.label) this.label.visible = shown;
  }

  get shown(): boolean {
    return this.line.visible;
  }

  detach(): void {
    this.line.removeFromParent();
    this.label?.removeFromParent();
    if (this.label) this.label.visible = true;
    this.#look = null;
  }

  destroy(): void {
    this.line.destroy({ context: true });
    this.label?.destroy();
  }
}

/** Objects kept for reuse instead of destroyed and rebuilt (a delete then undo is free). */
export class Pool<T> {
  readonly #free: T[] = [];
  readonly #make: () => T;
  readonly limit: number;

  constructor(make: () => T, limit = 2000) {
    this.#make = make;
    this.limit = limit;
  }

  acquire(): T {
    return this.#free.pop() ?? this.#make();
  }

  /** Keep `x` for reuse; returns false when the pool is full (the caller destroys it). */
  release(x: T): boolean {
    if (this.#free.length >= this.limit) return false;
    this.#free.push(x);
    return true;
  }

  drain(): T[] {
    return this.#free.splice(0);
  }

  get size(): number {
    return this.#free.length;
  }
}
