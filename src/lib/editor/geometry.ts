/**
 * The canvas geometry of a model, in world units (1 unit = 1 CSS pixel at 100% zoom): where a
 * node's box and ports are, the curve of an edge, and hit tests. Pure TypeScript (no pixi, no
 * DOM): the renderer draws from these numbers and the tools hit-test with the same ones, so
 * what is drawn is exactly what can be clicked.
 *
 * A node's `x`, `y` in the document are the centre of its box (docs/model-format.md).
 * Inputs sit on the left edge, outputs on the right edge, spread evenly.
 */
import { KINDS } from '../model/kinds/index.ts';
import type { NodeKind } from '../model/types.ts';

export const NODE_W = 120;
export const NODE_H = 36;
export const PORT_R = 5;
/** Grid step for "align to grid", nudges and pasted offsets. */
export const GRID = 20;
/** Default horizontal step between nodes placed one after another. */
export const STEP_X = 180;

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type PortDir = 'in' | 'out';

/** A port on a node: "q.out" is { node: 'q', port: 'out', dir: 'out' }. */
export interface PortHit {
  node: string;
  port: string;
  dir: PortDir;
}

/** Ports of a kind, by direction (display order). */
export function portsOf(kind: NodeKind, dir: PortDir): readonly string[] {
  return KINDS[kind].ports[dir];
}

/** Offset of port `i` of `n` from the node's centre line. */
function spread(i: number, n: number): number {
  const step = Math.min(14, (NODE_H - 8) / Math.max(1, n - 1));
  return (i - (n - 1) / 2) * step;
}

/** The centre of a port, or null when the kind has no such port. */
export function portPosition(kind: NodeKind, center: Point, port: string, dir: PortDir): Point | null {
  const names = portsOf(kind, dir);
  const i = names.indexOf(port);
  if (i < 0) return null;
  return {
    x: center.x + (dir === 'in' ? -NODE_W / 2 : NODE_W / 2),
    y: center.y + spread(i, names.length)
  };
}

export function nodeRect(center: Point): Rect {
  return { x: center.x - NODE_W / 2, y: center.y - NODE_H / 2, w: NODE_W, h: NODE_H };
}

export function rectContains(r: Rect, p: Point): boolean {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
}

export function rectsIntersect(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

/** The rectangle spanned by two corners (in any order). */
export function rectFromCorners(a: Point, b: Point): Rect {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

/** Bounds of a set of node centres (with their boxes and ports), or null for none. */
export function boundsOf(centers: Iterable<Point>): Rect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const c of centers) {
    x0 = Math.min(x0, c.x - NODE_W / 2 - PORT_R);
    y0 = Math.min(y0, c.y - NODE_H / 2);
    x1 = Math.max(x1, c.x + NODE_W / 2 + PORT_R);
    y1 = Math.max(y1, c.y + NODE_H / 2);
  }
  return Number.isFinite(x0) ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

/**
 * An edge is a cubic Bézier from the output port, leaving to the right, to the input port,
 * arriving from the left. Backward edges (target left of source) bulge further so that they
 * loop around instead of crossing the boxes.
 */
export interface Curve {
  p0: Point;
  c1: Point;
  c2: Point;
  p1: Point;
}

export function edgeCurve(from: Point, to: Point): Curve {
  const dx = to.x - from.x;
  const reach = dx >= 0 ? Math.max(30, dx / 2) : Math.max(60, Math.min(200, -dx / 2 + 40));
  return { p0: from, c1: { x: from.x + reach, y: from.y }, c2: { x: to.x - reach, y: to.y }, p1: to };
}

export function curvePoint(c: Curve, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const d = 3 * u * t * t;
  const e = t * t * t;
  return {
    x: a * c.p0.x + b * c.c1.x + d * c.c2.x + e * c.p1.x,
    y: a * c.p0.y + b * c.c1.y + d * c.c2.y + e * c.p1.y
  };
}

/** Samples along the curve (SEGMENTS + 1 points), for hit tests and moving dots. */
export const CURVE_SEGMENTS = 24;

export function sampleCurve(c: Curve, segments = CURVE_SEGMENTS): Point[] {
  const out: Point[] = [];
  for (let i = 0; i <= segments; i++) out.push(curvePoint(c, i / segments));
  return out;
}

function distToSegment(p: Point, a: Point, b: Point): number {
  const vx = b.x - a.x;
  const vy = b.y - a.y;
  const len2 = vx * vx + vy * vy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * vx + (p.y - a.y) * vy) / len2));
  const x = a.x + t * vx - p.x;
  const y = a.y + t * vy - p.y;
  return Math.sqrt(x * x + y * y);
}

/** Distance from a point to the curve (to its sampled polyline). */
export function distToCurve(p: Point, c: Curve): number {
  // Cheap reject with the control polygon's bounds (the curve lies inside their hull).
  const xs = [c.p0.x, c.c1.x, c.c2.x, c.p1.x];
  const ys = [c.p0.y, c.c1.y, c.c2.y, c.p1.y];
  const dx = Math.max(Math.min(...xs) - p.x, 0, p.x - Math.max(...xs));
  const dy = Math.max(Math.min(...ys) - p.y, 0, p.y - Math.max(...ys));
  let best = Math.sqrt(dx * dx + dy * dy);
  if (best > 50) return best;
  best = Infinity;
  let prev = c.p0;
  for (let i = 1; i <= CURVE_SEGMENTS; i++) {
    const q = curvePoint(c, i / CURVE_SEGMENTS);
    best = Math.min(best, distToSegment(p, prev, q));
    prev = q;
  }
  return best;
}

export function snap(x: number, grid = GRID): number {
  return Math.round(x / grid) * grid;
}
