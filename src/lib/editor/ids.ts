/**
 * New ids for nodes and edges: the kind and the smallest free number ("queue1", "queue2"...)
 * and "e1", "e2"... for edges. Ids are never reused within one document while taken; an id
 * freed by a delete may be taken again (ids are names, not identities across time).
 */
import type { NodeKind } from '../model/types.ts';

export function uniqueId(base: string, taken: (id: string) => boolean): string {
  for (let n = 1; ; n++) {
    const id = `${base}${n}`;
    if (!taken(id)) return id;
  }
}

export function newNodeId(kind: NodeKind, taken: (id: string) => boolean): string {
  return uniqueId(kind, taken);
}

export function newEdgeId(taken: (id: string) => boolean): string {
  return uniqueId('e', taken);
}
