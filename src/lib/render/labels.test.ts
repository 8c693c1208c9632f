/** Router edges carry their weight, and their share when the policy splits by weight. */
import { describe, expect, it } from 'vitest';
import type { ModelDocument } from '../model/types.ts';
import { routerShares } from './labels.ts';

function doc(policy: string, weights: (number | undefined)[]): ModelDocument {
  return {
    format: 'systems-sandbox/model',
    version: 1,
    nodes: [
      { id: 'r', kind: 'router', params: { policy } },
      ...weights.map((_, i) => ({ id: `s${i}`, kind: 'sink' as const }))
    ],
    edges: weights.map((w, i) => ({ id: `e${i}`, from: 'r.out', to: `s${i}.in`, ...(w === undefined ? {} : { weight: w }) }))
  };
}

describe('router edge labels', () => {
  it('show weight and share for weighted and probabilistic routers', () => {
    const m = routerShares(doc('weighted', [1, 3]), new Map(doc('weighted', [1, 3]).nodes.map((n) => [n.id, n])));
    expect(m.get('e0')).toBe('w 1 · 25%');
    expect(m.get('e1')).toBe('w 3 · 75%');
    const d = doc('probabilistic', [undefined, 2, 1]);
    const p = routerShares(d, new Map(d.nodes.map((n) => [n.id, n])));
    expect(p.get('e0')).toBe('w 1 · 25%');
    expect(p.get('e1')).toBe('w 2 · 50%');
  });

  it('show only explicit weights for other policies, and nothing on other edges', () => {
    const d = doc('round-robin', [undefined, 2]);
    const m = routerShares(d, new Map(d.nodes.map((n) => [n.id, n])));
    expect(m.has('e0')).toBe(false);
    expect(m.get('e1')).toBe('w 2');
  });
});
