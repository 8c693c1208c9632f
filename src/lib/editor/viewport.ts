/**
 * The camera: session state (ARCHITECTURE.md, principle 2), never in the document or a link.
 * screen = world · zoom + (x, y), in CSS pixels relative to the canvas' top-left corner.
 * Plain immutable values and functions, so tools and tests can reason about them.
 */
import type { Point, Rect } from './geometry.ts';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 4;
/** Zoom factor of one + / − key press or toolbar click. */
export const ZOOM_STEP = 1.25;

export const IDENTITY: Viewport = { x: 0, y: 0, zoom: 1 };

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

export function toWorld(v: Viewport, p: Point): Point {
  return { x: (p.x - v.x) / v.zoom, y: (p.y - v.y) / v.zoom };
}

export function toScreen(v: Viewport, p: Point): Point {
  return { x: p.x * v.zoom + v.x, y: p.y * v.zoom + v.y };
}

/** Zoom by `factor` keeping the world point under `around` (screen) fixed. */
export function zoomAt(v: Viewport, factor: number, around: Point): Viewport {
  const zoom = clampZoom(v.zoom * factor);
  const w = toWorld(v, around);
  return { zoom, x: around.x - w.x * zoom, y: around.y - w.y * zoom };
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { ...v, x: v.x + dx, y: v.y + dy };
}

/** The viewport that shows `bounds` centred in a screen of `size`, with a margin, at most 100%. */
export function fitBounds(bounds: Rect | null, size: { width: number; height: number }, margin = 40, maxZoom = 1): Viewport {
  if (!bounds || size.width <= 0 || size.height <= 0) return { ...IDENTITY, x: size.width / 2, y: size.height / 2 };
  const zx = (size.width - 2 * margin) / Math.max(1, bounds.w);
  const zy = (size.height - 2 * margin) / Math.max(1, bounds.h);
  const zoom = clampZoom(Math.min(maxZoom, zx, zy));
  const cx = bounds.x + bounds.w / 2;
  const cy = bounds.y + bounds.h / 2;
  return { zoom, x: size.width / 2 - cx * zoom, y: size.height / 2 - cy * zoom };
}

/** The world rectangle visible on a screen of `size`. */
export function visibleWorld(v: Viewport, size: { width: number; height: number }): Rect {
  const a = toWorld(v, { x: 0, y: 0 });
  return { x: a.x, y: a.y, w: size.width / v.zoom, h: size.height / v.zoom };
}
