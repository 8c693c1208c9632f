/**
 * The system clipboard's fragment (clipboard.ts) and node renaming: copy → text → paste into a
 * fresh model keeps ids; colliding ids are renamed and edges follow; junk is refused with a
 * located message and changes nothing; a rename moves edges and faults, is one undo step, and
 * refuses bad or taken ids.
 */
import { describe, expect, it } from 'vitest';
import { restore } from '../model/index.ts';
import type { ModelDocument, NodeKind } from '../model/types.ts';
import { Editor } from './Editor.ts';
import { FRAGMENT_FORMAT, decodeFragment, encodeFragment } from './clipboard.ts';

function valid(doc: ModelDocument): void {
  const r = restore(doc);
  if (!r.ok) throw new Error(`invalid document: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
}

function chain(ed = new Editor()): Editor {
  const ids = (['client', 'queue', 'server', 'sink'] as NodeKind[]).map((k, i) => {
    const r = ed.addNode(k, { x: 100 + 180 * i, y: 100 });
    if (!r.ok) throw new Error(r.issues[0].message);
    return r.value;
  });
  for (let i = 0; i + 1 < ids.length; i++) {
    const r = ed.connect(`${ids[i]}.out`, `${ids[i + 1]}.in`);
    if (!r.ok) throw new Error(r.issues[0].message);
  }
  return ed;
}

describe('clipboard fragments', () => {
  it('copy → text → paste into a fresh model keeps ids, params and the inner edges', () => {
    const a = chain();
    expect(a.setParam('server1', 'servers', 3).ok).toBe(true);
    a.select({ nodes: ['queue1', 'server1', 'sink1'] });
    const text = a.copyText()!;
    expect(JSON.parse(text).format).toBe(FRAGMENT_FORMAT);

    const b = new Editor();
    const r = b.pasteText(text);
    expect(r).toEqual({ ok: true, value: 3 });
    expect(b.doc.nodes.map((n) => n.id)).toEqual(['queue1', 'server1', 'sink1']);
    expect(b.node('server1')!.params).toEqual({ servers: 3 });
    // The client → queue edge had an end outside the selection: left behind.
    expect(b.doc.edges.map((e) => [e.from, e.to])).toEqual([
      ['queue1.out', 'server1.in'],
      ['server1.out', 'sink1.in']
    ]);
    expect([...b.selection.nodes]).toEqual(['queue1', 'server1', 'sink1']);
    valid(b.doc);
    // One undo step.
    expect(b.undo()).toBe(true);
    expect(b.doc.nodes).toEqual([]);
  });

  it('renames colliding ids only, and the edges follow', () => {
    const ed = chain();
    const text = encodeFragment({
      nodes: [
        { id: 'queue1', kind: 'queue', x: 0, y: 0 },
        { id: 'fresh', kind: 'server', x: 200, y: 0 }
      ],
      edges: [{ id: 'e1', from: 'queue1.out', to: 'fresh.in' }]
    });
    expect(ed.pasteText(text).ok).toBe(true);
    const added = ed.doc.nodes.slice(4);
    expect(added.map((n) => n.id)).toEqual(['queue2', 'fresh']);
    // e1 is taken in the chain: a new edge id too.
    expect(ed.doc.edges.at(-1)).toMatchObject({ from: 'queue2.out', to: 'fresh.in' });
    expect(ed.doc.edges.at(-1)!.id).not.toBe('e1');
    valid(ed.doc);
    // The same text again: renamed again, and offset further so the copies do not stack.
    const first = ed.node('queue2')!;
    expect(ed.pasteText(text).ok).toBe(true);
    const again = ed.node('queue3')!;
    expect(again.x! - first.x!).toBe(40);
    // "fresh" is taken now: a server, so named like one.
    expect(ed.doc.nodes.slice(6).map((n) => n.id)).toEqual(['queue3', 'server2']);
  });

  it('pastes a whole model document as its nodes', () => {
    const a = chain();
    const b = new Editor();
    expect(b.pasteText(JSON.stringify(a.doc)).ok).toBe(true);
    expect(b.doc.nodes.map((n) => n.id)).toEqual(a.doc.nodes.map((n) => n.id));
    expect(b.doc.edges.length).toBe(3);
  });

  it('refuses junk with a clear, located message and changes nothing', () => {
    const ed = chain();
    const before = ed.doc;
    const cases: [string, RegExp, string?][] = [
      ['', /empty/],
      ['hello world', /not JSON \(line 1, column 1/],
      ['{"format": "systems-sandbox/fragment",\n "nodes": [}', /not JSON \(line 2, column 12/],
      ['[1, 2, 3]', /expected an object .* got a list/],
      ['{"nodes": []}', /not nodes copied from Systems Sandbox: expected "format"/, 'format'],
      [`{"format": "${FRAGMENT_FORMAT}", "nodes": 5}`, /expected a list of nodes, got number 5/, 'nodes'],
      [`{"format": "${FRAGMENT_FORMAT}", "nodes": []}`, /no nodes/, 'nodes'],
      [`{"format": "${FRAGMENT_FORMAT}", "nodes": [{"id": "q", "kind": "blender"}]}`, /node kind/, 'nodes[0].kind'],
      [`{"format": "${FRAGMENT_FORMAT}", "nodes": [{"id": "c", "kind": "client", "params": {"rate": "fast"}}]}`, /rate|expected/, 'nodes[0].params.rate'],
      [`{"format": "${FRAGMENT_FORMAT}", "nodes": [{"id": "q", "kind": "queue"}], "edges": [{"id": "e", "from": "q.out", "to": "elsewhere.in"}]}`, /elsewhere/, 'edges[0].to']
    ];
    for (const [text, message, path] of cases) {
      const r = ed.pasteText(text);
      expect(r.ok, text).toBe(false);
      if (r.ok) continue;
      expect(r.issues[0].message, text).toMatch(message);
      if (path !== undefined) expect(r.issues[0].path, text).toBe(path);
      expect(ed.status).toMatch(/^Nothing pasted: /);
    }
    expect(ed.doc).toBe(before);
    expect(decodeFragment('x'.repeat(5_000_001)).ok).toBe(false);
  });
});

describe('renaming a node', () => {
  it('moves its edges and faults, selects it, and is one undo step', () => {
    const ed = chain();
    const withFault = { ...ed.doc, faults: [{ at: 10, for: 5, target: 'server1', action: 'pause' }] } as ModelDocument;
    expect(ed.replaceDocument(withFault).ok).toBe(true);
    ed.select({ nodes: ['server1'] });
    const before = ed.doc;
    expect(ed.renameNode('server1', '  api  ').ok).toBe(true);
    expect(ed.node('server1')).toBeUndefined();
    expect(ed.node('api')).toMatchObject({ kind: 'server', x: 460 });
    expect(ed.doc.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['client1.out→queue1.in', 'queue1.out→api.in', 'api.out→sink1.in']);
    // Untouched edges are the same objects.
    expect(ed.doc.edges[0]).toBe(before.edges[0]);
    expect(ed.doc.faults![0].target).toBe('api');
    expect([...ed.selection.nodes]).toEqual(['api']);
    valid(ed.doc);
    expect(ed.undo()).toBe(true);
    expect(ed.doc).toEqual(before);
    expect(ed.redo()).toBe(true);
    expect(ed.node('api')).toBeDefined();
  });

  it('refuses an empty, dotted, too long or taken id, with the node\'s path', () => {
    const ed = chain();
    const before = ed.doc;
    for (const [id, message] of [
      ['', /cannot be empty/],
      ['a.b', /cannot contain "\."/],
      ['x'.repeat(201), /at most 200/],
      ['sink1', /already a node "sink1" \(nodes\[3\]\)/]
    ] as const) {
      const r = ed.renameNode('queue1', id);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.issues[0].message).toMatch(message);
        expect(r.issues[0].path).toBe('nodes[1].id');
      }
    }
    expect(ed.renameNode('nope', 'x').ok).toBe(false);
    expect(ed.renameNode('queue1', 'queue1').ok).toBe(true);
    expect(ed.doc).toBe(before);
  });
});
