/**
 * The node kinds' icons as plain vector data on a 24 × 24 grid, and their colours: one source
 * for the pixi canvas (render/contexts.ts draws them into shared GraphicsContexts) and for the
 * DOM (the palette and the outline show the same icon as SVG). No pixi import here, so the
 * Svelte panels can use it without loading the renderer.
 *
 * Each icon says what the kind is: a person (client), a chain link (link), slots filling from
 * the front (queue), a rack (server), a chip (cores), a card with a socket (nic), items gathered
 * into a box (batcher), a fork (spawner), three peers (replicas), a split (router), a bolt (cache)
 * and a finish check (sink).
 */
import type { NodeKind } from '../model/types.ts';

export type IconShape =
  | { t: 'circle'; cx: number; cy: number; r: number; fill?: boolean }
  | { t: 'rect'; x: number; y: number; w: number; h: number; r?: number; fill?: boolean }
  /** An open polyline, stroked. */
  | { t: 'line'; pts: readonly number[] }
  /** A closed polygon, stroked, or filled when `fill`. */
  | { t: 'poly'; pts: readonly number[]; fill?: boolean };

export const ICON_SIZE = 24;
export const ICON_STROKE = 1.8;

export const ICONS: Record<NodeKind, readonly IconShape[]> = {
  client: [
    { t: 'circle', cx: 12, cy: 7.5, r: 3.6 },
    { t: 'line', pts: [4.5, 20.5, 4.5, 18, 6.5, 14.8, 9.5, 13.6, 14.5, 13.6, 17.5, 14.8, 19.5, 18, 19.5, 20.5] }
  ],
  link: [
    { t: 'rect', x: 2.5, y: 8.5, w: 10, h: 7, r: 3.5 },
    { t: 'rect', x: 11.5, y: 8.5, w: 10, h: 7, r: 3.5 }
  ],
  queue: [
    { t: 'rect', x: 2.5, y: 7.5, w: 19, h: 9, r: 1.5 },
    { t: 'line', pts: [7.25, 7.5, 7.25, 16.5] },
    { t: 'line', pts: [12, 7.5, 12, 16.5] },
    { t: 'line', pts: [16.75, 7.5, 16.75, 16.5] },
    { t: 'rect', x: 13.6, y: 9.2, w: 1.9, h: 5.6, fill: true },
    { t: 'rect', x: 18.35, y: 9.2, w: 1.9, h: 5.6, fill: true }
  ],
  server: [
    { t: 'rect', x: 3.5, y: 4, w: 17, h: 6.5, r: 1.5 },
    { t: 'rect', x: 3.5, y: 13.5, w: 17, h: 6.5, r: 1.5 },
    { t: 'circle', cx: 7, cy: 7.25, r: 1.1, fill: true },
    { t: 'circle', cx: 7, cy: 16.75, r: 1.1, fill: true },
    { t: 'line', pts: [11, 7.25, 17, 7.25] },
    { t: 'line', pts: [11, 16.75, 17, 16.75] }
  ],
  cores: [
    { t: 'rect', x: 6.5, y: 6.5, w: 11, h: 11, r: 1.5 },
    { t: 'rect', x: 9.5, y: 9.5, w: 5, h: 5, fill: true },
    { t: 'line', pts: [9.5, 2.5, 9.5, 6.5] },
    { t: 'line', pts: [14.5, 2.5, 14.5, 6.5] },
    { t: 'line', pts: [9.5, 17.5, 9.5, 21.5] },
    { t: 'line', pts: [14.5, 17.5, 14.5, 21.5] },
    { t: 'line', pts: [2.5, 9.5, 6.5, 9.5] },
    { t: 'line', pts: [2.5, 14.5, 6.5, 14.5] },
    { t: 'line', pts: [17.5, 9.5, 21.5, 9.5] },
    { t: 'line', pts: [17.5, 14.5, 21.5, 14.5] }
  ],
  nic: [
    { t: 'rect', x: 2.5, y: 5.5, w: 19, h: 10.5, r: 1.5 },
    { t: 'rect', x: 14.5, y: 8, w: 4.5, h: 5, fill: true },
    { t: 'line', pts: [5.5, 16, 5.5, 19.5] },
    { t: 'line', pts: [8.5, 16, 8.5, 19.5] },
    { t: 'line', pts: [11.5, 16, 11.5, 19.5] },
    { t: 'line', pts: [5.5, 9, 11, 9] },
    { t: 'line', pts: [5.5, 12.5, 11, 12.5] }
  ],
  batcher: [
    { t: 'rect', x: 2.5, y: 4, w: 4.5, h: 4.5, fill: true },
    { t: 'rect', x: 2.5, y: 10, w: 4.5, h: 4.5, fill: true },
    { t: 'rect', x: 2.5, y: 16, w: 4.5, h: 4.5, fill: true },
    { t: 'line', pts: [8.5, 6.25, 11.5, 12.25, 8.5, 18.25] },
    { t: 'line', pts: [8.5, 12.25, 13, 12.25] },
    { t: 'rect', x: 13.5, y: 6.5, w: 8, h: 11.5, r: 1.5 }
  ],
  spawner: [
    { t: 'circle', cx: 5.5, cy: 12, r: 2.6, fill: true },
    { t: 'line', pts: [8, 12, 11, 12, 17, 5.5] },
    { t: 'line', pts: [11, 12, 17, 18.5] },
    { t: 'circle', cx: 18.5, cy: 5, r: 2.4 },
    { t: 'circle', cx: 18.5, cy: 19, r: 2.4 }
  ],
  replicas: [
    { t: 'line', pts: [12, 6.5, 6.5, 16.5, 17.5, 16.5, 12, 6.5] },
    { t: 'circle', cx: 12, cy: 6, r: 3.2, fill: true },
    { t: 'circle', cx: 6, cy: 17, r: 3.2, fill: true },
    { t: 'circle', cx: 18, cy: 17, r: 3.2, fill: true }
  ],
  router: [
    { t: 'line', pts: [2.5, 12, 9, 12] },
    { t: 'line', pts: [9, 12, 19, 4.5] },
    { t: 'line', pts: [9, 12, 19.5, 12] },
    { t: 'line', pts: [9, 12, 19, 19.5] },
    { t: 'poly', pts: [21.5, 3, 16.2, 3.6, 19, 7.2], fill: true },
    { t: 'poly', pts: [22, 12, 18, 9.6, 18, 14.4], fill: true },
    { t: 'poly', pts: [21.5, 21, 19, 16.8, 16.2, 20.4], fill: true }
  ],
  cache: [{ t: 'poly', pts: [13.5, 2, 5, 13.5, 11, 13.5, 9.5, 22, 19, 9.5, 13, 9.5], fill: true }],
  sink: [
    { t: 'circle', cx: 12, cy: 12, r: 8.5 },
    { t: 'line', pts: [7.8, 12.3, 10.8, 15.3, 16.4, 8.9] }
  ]
};

/** One colour per kind (RGB, 0xRRGGBB): the node's band and icon on the canvas. */
export const KIND_COLORS: Record<NodeKind, number> = {
  client: 0x2f6fdb,
  link: 0x0f8b8d,
  queue: 0xc27a0e,
  server: 0x2e8b3e,
  cores: 0x1f6b4a,
  nic: 0x52606d,
  batcher: 0x7b4fc4,
  spawner: 0xc2417a,
  replicas: 0x4553b8,
  router: 0xd0661a,
  cache: 0xa8841a,
  sink: 0x6b46a8
};

export function cssColor(c: number): string {
  return `#${c.toString(16).padStart(6, '0')}`;
}

function points(pts: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < pts.length; i += 2) out.push(`${pts[i]},${pts[i + 1]}`);
  return out.join(' ');
}

/** The icon as SVG markup (our own constant data, no user text), for the DOM panels. */
export function iconSvg(kind: NodeKind, size = 20, color = cssColor(KIND_COLORS[kind])): string {
  const parts = ICONS[kind].map((s) => {
    const paint = (fill?: boolean) => (fill ? `fill="${color}" stroke="none"` : `fill="none" stroke="${color}"`);
    switch (s.t) {
      case 'circle':
        return `<circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" ${paint(s.fill)}/>`;
      case 'rect':
        return `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r ?? 0}" ${paint(s.fill)}/>`;
      case 'line':
        return `<polyline points="${points(s.pts)}" ${paint(false)}/>`;
      case 'poly':
        return `<polygon points="${points(s.pts)}" ${paint(s.fill)}/>`;
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="${size}" height="${size}" stroke-width="${ICON_STROKE}" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${parts.join('')}</svg>`;
}
