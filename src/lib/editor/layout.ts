/**
 * Where a node without `x`/`y` is drawn: a layered layout by distance from the sources (nodes
 * with no incoming edge), left to right. It is a view of the document, not part of it: the
 * positions are written only when the user moves a node (or aligns to the grid).
 */
import type { ModelDocument } from '../model/types.ts';
import { STEP_X, type Point } from './geometry.ts';

const STEP_Y = 60;

export function autoPositions(doc: ModelDocument): Map<string, Point> {
  const out = new Map<string, Point>();
  const missing = doc.nodes.filter((n) => typeof n.x !== 'number' || typeof n.y !== 'number');
  if (missing.length === 0) return out;
  const next = new Map<string, string[]>();
  const indeg = new Map<string, number>();
  for (const n of doc.nodes) {
    next.set(n.id, []);
    indeg.set(n.id, 0);
  }
  for (const e of doc.edges) {
    const a = e.from.split('.')[0];
    const b = e.to.split('.')[0];
    if (!next.has(a) || !next.has(b) || a === b) continue;
    next.get(a)!.push(b);
    indeg.set(b, (indeg.get(b) ?? 0) + 1);
  }
  // Breadth-first layers from the sources; nodes on cycles only (no source reaches them) start
  // a layer of their own.
  const layer = new Map<string, number>();
  const queue: string[] = [];
  for (const n of doc.nodes) {
    if ((indeg.get(n.id) ?? 0) === 0) {
      layer.set(n.id, 0);
      queue.push(n.id);
    }
  }
  for (let i = 0; i < doc.nodes.length; i++) {
    if (queue.length === 0) {
      const rest = doc.nodes.find((n) => !layer.has(n.id));
      if (!rest) break;
      layer.set(rest.id, 0);
      queue.push(rest.id);
    }
    while (queue.length) {
      const id = queue.shift()!;
      const l = layer.get(id)!;
      for (const m of next.get(id) ?? []) {
        if (!layer.has(m)) {
          layer.set(m, l + 1);
          queue.push(m);
        }
      }
    }
  }
  const rows = new Map<number, number>();
  for (const n of doc.nodes) {
    const l = layer.get(n.id) ?? 0;
    const row = rows.get(l) ?? 0;
    rows.set(l, row + 1);
    if (typeof n.x !== 'number' || typeof n.y !== 'number') {
      out.set(n.id, { x: 80 + l * STEP_X, y: 60 + row * STEP_Y });
    }
  }
  return out;
}
