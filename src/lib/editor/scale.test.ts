/**
 * The editor at the scale the canvas is benchmarked at (1,000 nodes, 1,500 edges): the generated
 * model is valid, and the editor's diffs and hit tests stay proportionate (a move records one
 * node, not a thousand).
 */
import { describe, expect, it } from 'vitest';
import { load } from '../model/index.ts';
import { bigCanvasModel } from '../../../tests/fixtures/bigCanvas.ts';
import { Editor } from './Editor.ts';

describe('a 1,000-node model', () => {
  const doc = bigCanvasModel();

  it('has 1,000 nodes and 1,500 edges and loads', () => {
    expect(doc.nodes).toHaveLength(1000);
    expect(doc.edges).toHaveLength(1500);
    const r = load(doc);
    if (!r.ok) throw new Error(r.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; '));
  });

  it('records a move as a diff of one node, and undoes it', () => {
    const ed = new Editor({ doc });
    ed.setPositions(new Map([['n10_5', { x: 5, y: 5 }]]));
    // The history holds the change to one node; the other 999 are shared, not copied.
    const next = ed.doc;
    expect(next.nodes.filter((n, i) => n !== doc.nodes[i])).toHaveLength(1);
    expect(next.edges).toBe(doc.edges);
    ed.undo();
    expect(ed.doc.nodes.find((n) => n.id === 'n10_5')).toMatchObject({ x: 80 + 10 * 180, y: 60 + 5 * 60 });
  });

  it('finds what is under the pointer', () => {
    const ed = new Editor({ doc });
    ed.setScreenSize(1000, 600);
    expect(ed.hitTest(ed.toScreen({ x: 80 + 3 * 180, y: 60 + 7 * 60 }))).toEqual({ kind: 'node', id: 'n3_7' });
    expect(ed.hitTest(ed.toScreen({ x: 80 + 3 * 180 + 60, y: 60 + 7 * 60 }))).toMatchObject({ kind: 'port', node: 'n3_7', dir: 'out' });
  });
});
