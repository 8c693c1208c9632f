/**
 * IncrementalLoader gives load()'s answer: the same document, the same model, the same located
 * issues, over random edit sequences made by the Editor (which shares untouched nodes), and for
 * refused documents; and it takes the incremental path where it should.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Editor } from '../editor/Editor.ts';
import { load } from './restore.ts';
import { IncrementalLoader } from './incremental.ts';
import type { ModelDocument, NodeKind } from './types.ts';

function chain(n: number): Editor {
  const ed = new Editor();
  const kinds: NodeKind[] = ['client', 'queue', 'server', 'sink'];
  let prev: string | null = null;
  for (let i = 0; i < n; i++) {
    const r = ed.addNode(kinds[i % 4], { x: 200 * i, y: 100 * (i % 4) });
    if (!r.ok) throw new Error(r.issues[0].message);
    if (prev && i % 4 !== 0) ed.connect(`${prev}.out`, `${r.value}.in`);
    prev = r.value;
  }
  return ed;
}

function same(inc: IncrementalLoader, doc: ModelDocument) {
  const full = load(doc);
  const got = inc.load(doc);
  expect(got.ok).toBe(full.ok);
  if (full.ok && got.ok) {
    expect(got.value.doc).toEqual(full.value.doc);
    expect(got.value.model).toEqual(full.value.model);
  } else if (!full.ok && !got.ok) {
    expect(got.issues).toEqual(full.issues);
  }
}

describe('IncrementalLoader', () => {
  it('equals load() over random editor edits, and takes the incremental path for them', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('param' as const), i: fc.nat(), rate: fc.double({ min: 0.01, max: 100, noNaN: true }) }),
      fc.record({ t: fc.constant('servers' as const), i: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ t: fc.constant('add' as const), k: fc.constantFrom<NodeKind>('queue', 'server', 'sink', 'router', 'cache', 'link') }),
      fc.record({ t: fc.constant('delete' as const), i: fc.nat() }),
      fc.record({ t: fc.constant('move' as const), i: fc.nat(), dx: fc.integer({ min: -50, max: 50 }) }),
      fc.record({ t: fc.constant('rename' as const), i: fc.nat(), s: fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/) }),
      fc.record({ t: fc.constant('label' as const), i: fc.nat(), s: fc.string({ maxLength: 8 }) }),
      fc.record({ t: fc.constant('connect' as const), i: fc.nat(), j: fc.nat() }),
      fc.record({ t: fc.constant('paste' as const), i: fc.nat() })
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const ed = chain(24);
        const inc = new IncrementalLoader();
        same(inc, ed.doc);
        expect(inc.lastPath).toBe('full');
        const pick = (i: number) => ed.doc.nodes[i % Math.max(1, ed.doc.nodes.length)];
        for (const o of ops) {
          const n = pick('i' in o ? o.i : 0);
          switch (o.t) {
            case 'param':
              if (n?.kind === 'client') ed.setParam(n.id, 'rate', o.rate);
              break;
            case 'servers':
              if (n?.kind === 'server') ed.setParam(n.id, 'servers', o.n);
              break;
            case 'add':
              ed.addNode(o.k);
              break;
            case 'delete':
              if (n) ed.deleteItems([n.id], []);
              break;
            case 'move':
              if (n) ed.setPositions(new Map([[n.id, { x: (n.x ?? 0) + o.dx, y: n.y ?? 0 }]]));
              break;
            case 'rename':
              if (n) ed.renameNode(n.id, o.s);
              break;
            case 'label':
              if (n) ed.setLabel(n.id, o.s);
              break;
            case 'connect': {
              const m = pick(o.j);
              if (n && m) ed.connect(`${n.id}.out`, `${m.id}.in`);
              break;
            }
            case 'paste':
              if (n) {
                ed.select({ nodes: [n.id] });
                ed.copy();
                ed.paste();
              }
              break;
          }
          same(inc, ed.doc);
          expect(inc.lastPath).toBe('incremental');
        }
      }),
      { numRuns: 40 }
    );
  });

  it('refuses what load() refuses, with the same located issues', () => {
    const ed = chain(12);
    const inc = new IncrementalLoader();
    const base = ed.doc;
    same(inc, base);
    const withNode = (i: number, node: unknown): ModelDocument => {
      const nodes = base.nodes.slice();
      nodes[i] = node as ModelDocument['nodes'][number];
      return { ...base, nodes };
    };
    const cases: ModelDocument[] = [
      withNode(0, { ...base.nodes[0], params: { rate: 'fast' } }),
      withNode(2, { ...base.nodes[2], params: { servers: -1 } }),
      withNode(3, { ...base.nodes[3], kind: 'blender' }),
      withNode(1, { ...base.nodes[1], id: base.nodes[2].id }), // duplicate id: the graph rules
      withNode(1, { ...base.nodes[1], id: 'a.b' }),
      withNode(1, { ...base.nodes[1], params: { capacity: () => 3 } }), // not plain data
      withNode(1, 42),
      { ...base, edges: [...base.edges, { id: 'ex', from: base.nodes[0].id + '.out', to: 'nowhere.in' }] },
      { ...base, edges: [...base.edges, { id: 'ey', from: 'bad', to: 'x.in' }] },
      { ...withNode(0, { ...base.nodes[0], params: { rate: 'fast' } }), edges: [...base.edges, { id: 'ez', from: 'bad', to: 'x.in' }] }
    ];
    for (const doc of cases) {
      expect(load(doc).ok).toBe(false);
      same(inc, doc);
      expect(inc.lastPath).toBe('incremental');
    }
    // After refusals, the last good document still loads incrementally.
    same(inc, withNode(0, { ...base.nodes[0], params: { rate: 2 } }));
  });

  it('takes the full path when anything outside nodes and edges changes', () => {
    const ed = chain(8);
    const inc = new IncrementalLoader();
    same(inc, ed.doc);
    same(inc, { ...ed.doc, run: { until: '100 s' } });
    expect(inc.lastPath).toBe('full');
    same(inc, { ...ed.doc, name: 'other' });
    expect(inc.lastPath).toBe('full');
    same(inc, { ...ed.doc, faults: [{ at: 1, for: 1, target: ed.doc.nodes[2].id, action: 'pause' }] } as ModelDocument);
    expect(inc.lastPath).toBe('full');
  });
});
