/**
 * Texts drawn on the canvas that are worth testing without WebGL: the labels of router edges.
 * No pixi import.
 */
import type { EdgeInput, ModelDocument, NodeInput } from '../model/types.ts';

/** Labels of router edges: the weight, and the share it gets when the policy splits by weight. */
export function routerShares(doc: ModelDocument, byId: Map<string, NodeInput>): Map<string, string> {
  const out = new Map<string, string>();
  const groups = new Map<string, EdgeInput[]>();
  for (const e of doc.edges) {
    const from = byId.get(e.from.slice(0, e.from.indexOf('.')));
    if (from?.kind !== 'router') continue;
    const list = groups.get(e.from) ?? [];
    list.push(e);
    groups.set(e.from, list);
  }
  for (const [ref, list] of groups) {
    const node = byId.get(ref.slice(0, ref.indexOf('.')))!;
    const policy = (node.params?.policy as string | undefined) ?? 'random';
    const byWeight = policy === 'weighted' || policy === 'probabilistic';
    const total = list.reduce((s, e) => s + (typeof e.weight === 'number' ? e.weight : 1), 0);
    for (const e of list) {
      const w = typeof e.weight === 'number' ? e.weight : 1;
      if (byWeight) out.set(e.id, `w ${fmt(w)} · ${total > 0 ? fmt((100 * w) / total) : '0'}%`);
      else if (typeof e.weight === 'number') out.set(e.id, `w ${fmt(w)}`);
    }
  }
  return out;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(3)));
}
