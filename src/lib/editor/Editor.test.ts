/**
 * Headless tests of the Editor: commands, connection rules, history (a drag is one entry; undo
 * and redo round-trip) and the tools, driven as the canvas drives them. Every document the
 * editor produces must pass the model layer's one door, `restore()`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { load, restore } from '../model/index.ts';
import type { ModelDocument, NodeKind } from '../model/types.ts';
import { NODE_KINDS } from '../model/types.ts';
import { Editor, emptyDocument, type DocChange } from './Editor.ts';
import { ToolController, type PointerInput } from './tools.ts';
import { runCommand, commandForKey, COMMANDS } from './commands.ts';
import { deepEqual, movedNodes } from './diff.ts';

function valid(doc: ModelDocument): void {
  const r = restore(doc);
  if (!r.ok) throw new Error(`invalid document: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
}

/** client → queue → server → sink, built with commands. */
function chain(ed = new Editor()): { ed: Editor; ids: string[] } {
  const ids = (['client', 'queue', 'server', 'sink'] as NodeKind[]).map((k, i) => {
    const r = ed.addNode(k, { x: 100 + 180 * i, y: 100 });
    if (!r.ok) throw new Error(r.issues[0].message);
    return r.value;
  });
  for (let i = 0; i + 1 < ids.length; i++) {
    const r = ed.connect(`${ids[i]}.out`, `${ids[i + 1]}.in`);
    if (!r.ok) throw new Error(r.issues[0].message);
  }
  return { ed, ids };
}

const ptr = (x: number, y: number, extra: Partial<PointerInput> = {}): PointerInput => ({ x, y, button: 0, shift: false, mod: false, ...extra });

describe('adding nodes', () => {
  it('gives kind-numbered ids, no params (defaults apply) and a valid document', () => {
    const ed = new Editor();
    expect(ed.addNode('queue').ok && ed.doc.nodes[0].id).toBe('queue1');
    const second = ed.addNode('queue');
    expect(second.ok && second.value).toBe('queue2');
    expect(ed.doc.nodes[1].params).toEqual({});
    valid(ed.doc);
    // The new node is selected, so the inspector shows it.
    expect([...ed.selection.nodes]).toEqual(['queue2']);
  });

  it('adds every kind of MODEL.md, and the result loads', () => {
    const ed = new Editor();
    for (const k of NODE_KINDS) expect(ed.addNode(k).ok).toBe(true);
    expect(ed.doc.nodes.map((n) => n.kind)).toEqual([...NODE_KINDS]);
    const loaded = load(ed.doc);
    expect(loaded.ok).toBe(true);
  });

  it('refuses an unknown kind with a message', () => {
    const ed = new Editor();
    const r = ed.addNode('blender' as NodeKind);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].message).toMatch(/unknown node kind "blender"/);
    expect(ed.doc.nodes).toHaveLength(0);
  });

  it('never stacks a new node exactly on another', () => {
    const ed = new Editor();
    ed.addNode('queue', { x: 100, y: 100 });
    ed.addNode('queue', { x: 100, y: 100 });
    const [a, b] = ed.doc.nodes;
    expect(a.y).not.toBe(b.y);
  });
});

describe('connection rules', () => {
  it('connects an output to an input, and reads a drag from an input backwards', () => {
    const ed = new Editor();
    ed.addNode('client');
    ed.addNode('queue');
    const r = ed.connect('queue1.in', 'client1.out');
    expect(r.ok).toBe(true);
    expect(ed.doc.edges[0]).toMatchObject({ id: 'e1', from: 'client1.out', to: 'queue1.in' });
    valid(ed.doc);
  });

  it('refuses self-loops, input to input, output to output, ports that do not exist', () => {
    const { ed } = chain();
    const reason = (a: string, b: string) => {
      const r = ed.connect(a, b);
      return r.ok ? 'connected' : r.issues[0].message;
    };
    expect(reason('queue1.out', 'queue1.in')).toMatch(/cannot connect to itself/);
    expect(reason('queue1.in', 'server1.in')).toMatch(/both ends are inputs/);
    expect(reason('client1.out', 'queue1.out')).toMatch(/both ends are outputs/);
    expect(reason('sink1.out', 'queue1.in')).toMatch(/has no port "out"/);
    expect(reason('nowhere.out', 'queue1.in')).toMatch(/no node "nowhere"/);
    expect(ed.doc.edges).toHaveLength(3);
  });

  it('lets only a router fan out, and says so', () => {
    const { ed } = chain();
    ed.addNode('server');
    const r = ed.connect('queue1.out', 'server2.in');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].message).toMatch(/already has an edge \(to server1\.in\); only a router/);

    ed.addNode('router');
    expect(ed.connect('router1.out', 'server1.in').ok).toBe(true);
    expect(ed.connect('router1.out', 'server2.in').ok).toBe(true);
    const dup = ed.connect('router1.out', 'server2.in');
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.issues[0].message).toMatch(/already connected/);
    valid(ed.doc);
  });

  it('lets several edges enter one input', () => {
    const ed = new Editor();
    ed.addNode('client');
    ed.addNode('client');
    ed.addNode('sink');
    expect(ed.connect('client1.out', 'sink1.in').ok).toBe(true);
    expect(ed.connect('client2.out', 'sink1.in').ok).toBe(true);
    valid(ed.doc);
  });

  it('uses a cache\'s two outputs', () => {
    const ed = new Editor();
    ed.addNode('cache');
    ed.addNode('sink');
    ed.addNode('sink');
    expect(ed.connect('cache1.hit', 'sink1.in').ok).toBe(true);
    expect(ed.connect('cache1.miss', 'sink2.in').ok).toBe(true);
    valid(ed.doc);
  });
});

describe('history', () => {
  it('undoes and redoes each command exactly', () => {
    const steps: ModelDocument[] = [];
    const ed = new Editor();
    steps.push(ed.doc);
    ed.addNode('client');
    steps.push(ed.doc);
    ed.addNode('sink');
    steps.push(ed.doc);
    ed.connect('client1.out', 'sink1.in');
    steps.push(ed.doc);
    ed.setParam('client1', 'rate', '0.9/s');
    steps.push(ed.doc);
    for (let i = steps.length - 2; i >= 0; i--) {
      expect(ed.undo()).toBe(true);
      expect(deepEqual(ed.doc, steps[i])).toBe(true);
    }
    expect(ed.undo()).toBe(false);
    for (let i = 1; i < steps.length; i++) {
      expect(ed.redo()).toBe(true);
      expect(deepEqual(ed.doc, steps[i])).toBe(true);
    }
  });

  it('brings back a deleted node with its edges and faults, in the same order', () => {
    const { ed } = chain();
    const withFault: ModelDocument = {
      ...ed.doc,
      faults: [{ at: '10 s', for: '5 s', target: 'server1', action: 'slowdown', value: 2 }]
    };
    expect(ed.replaceDocument(withFault, 'Add fault').ok).toBe(true);
    const before = ed.doc;
    ed.select({ nodes: ['queue1'] });
    expect(ed.deleteSelection()).toBe(true);
    expect(ed.doc.edges.map((e) => e.id)).toEqual(['e3']);
    ed.select({ nodes: ['server1'] });
    ed.deleteSelection();
    expect(ed.doc.faults).toEqual([]);
    valid(ed.doc);
    ed.undo();
    ed.undo();
    expect(ed.doc).toEqual(before);
  });

  it('records a drag as one entry, and Escape puts the nodes back', () => {
    const { ed } = chain();
    ed.setScreenSize(1000, 600);
    const tools = new ToolController(ed);
    const entries = ed.history.size.undo;
    const commits: DocChange[] = [];
    ed.onCommit((_d, c) => commits.push(c));
    const start = ed.toScreen({ x: 280, y: 100 }); // queue1's centre
    tools.pointerDown(ptr(start.x, start.y));
    for (let i = 1; i <= 10; i++) tools.pointerMove(ptr(start.x + 10 * i, start.y + 5 * i));
    tools.pointerUp(ptr(start.x + 100, start.y + 50));
    expect(ed.history.size.undo).toBe(entries + 1);
    expect(commits).toHaveLength(1);
    expect(ed.node('queue1')).toMatchObject({ x: 380, y: 150 });
    ed.undo();
    expect(ed.node('queue1')).toMatchObject({ x: 280, y: 100 });
    ed.redo();
    expect(ed.node('queue1')).toMatchObject({ x: 380, y: 150 });

    // Escape (cancel) during a drag: no entry, nodes where they were.
    const at = ed.toScreen({ x: 380, y: 150 });
    tools.pointerDown(ptr(at.x, at.y));
    tools.pointerMove(ptr(at.x + 50, at.y));
    expect(ed.node('queue1')!.x).toBe(430);
    tools.cancel();
    expect(ed.node('queue1')).toMatchObject({ x: 380, y: 150 });
    expect(ed.history.size.undo).toBe(entries + 1);
  });

  it("tells each step of a drag's moved nodes (the renderer redraws only them); other edits are not moves", () => {
    const { ed } = chain();
    ed.setScreenSize(1000, 600);
    const tools = new ToolController(ed);
    const steps: (string[] | null)[] = [];
    ed.subscribe((c) => {
      if (c.doc) steps.push(movedNodes(c.doc.diff));
    });
    ed.select({ nodes: ['queue1', 'server1'] });
    const start = ed.toScreen({ x: 280, y: 100 });
    tools.pointerDown(ptr(start.x, start.y));
    for (let i = 1; i <= 3; i++) tools.pointerMove(ptr(start.x + 10 * i, start.y));
    expect(steps).toEqual([
      ['queue1', 'server1'],
      ['queue1', 'server1'],
      ['queue1', 'server1']
    ]);
    tools.pointerUp(ptr(start.x + 30, start.y));
    // The commit at the end is the whole drag: still only moves.
    expect(steps.at(-1)).toEqual(['queue1', 'server1']);
    steps.length = 0;
    ed.undo();
    expect(steps).toEqual([['queue1', 'server1']]);
    steps.length = 0;
    ed.setParam('server1', 'servers', 2);
    ed.addNode('sink', { x: 900, y: 300 });
    ed.select({ nodes: ['queue1'] });
    ed.deleteSelection();
    expect(steps).toEqual([null, null, null]);
  });

  it('movedNodes: only position changes of placed nodes count as moves', () => {
    const a = { id: 'a', kind: 'queue' as const, x: 0, y: 0 };
    const nodes = (before: unknown, after: unknown) => ({ nodes: { changes: [['a', before, after]] } }) as Parameters<typeof movedNodes>[0];
    expect(movedNodes(nodes(a, { ...a, x: 5 }))).toEqual(['a']);
    expect(movedNodes(null)).toBeNull();
    expect(movedNodes({})).toBeNull();
    expect(movedNodes(nodes(a, { ...a, x: 5, label: 'A' }))).toBeNull();
    expect(movedNodes(nodes(a, { ...a, kind: 'server' }))).toBeNull();
    expect(movedNodes(nodes(a, { ...a, params: { capacity: 3 } }))).toBeNull();
    expect(movedNodes(nodes(a, undefined))).toBeNull();
    expect(movedNodes(nodes(undefined, a))).toBeNull();
    // Placed by the automatic layout before: where the others go may change too.
    expect(movedNodes(nodes({ id: 'a', kind: 'queue' }, a))).toBeNull();
    expect(movedNodes({ ...nodes(a, { ...a, x: 5 }), edges: { changes: [] } })).toBeNull();
    expect(movedNodes({ ...nodes(a, { ...a, x: 5 }), fields: [['name', 'x', 'y']] })).toBeNull();
  });

  it('coalesces typing in one field into one step', () => {
    let now = 0;
    const ed = new Editor({ history: { now: () => now } });
    ed.addNode('client');
    const n = ed.history.size.undo;
    for (const text of ['1', '1/', '1/s', '12/s']) {
      now += 200;
      ed.setParam('client1', 'rate', text === '1' ? 1 : text === '1/' ? 1 : text);
    }
    expect(ed.history.size.undo).toBe(n + 1);
    now += 5000;
    ed.setParam('client1', 'rate', '3/s');
    expect(ed.history.size.undo).toBe(n + 2);
    ed.undo();
    expect(ed.node('client1')!.params!.rate).toBe('12/s');
    ed.undo();
    expect(ed.node('client1')!.params!.rate).toBeUndefined();
  });

  it('never records loading, and clears the history on load', () => {
    const { ed } = chain();
    expect(ed.canUndo).toBe(true);
    const commits: DocChange[] = [];
    ed.onCommit((_d, c) => commits.push(c));
    ed.load(emptyDocument('Other'));
    expect(ed.canUndo).toBe(false);
    expect(ed.canRedo).toBe(false);
    expect(commits).toEqual([]);
    ed.newModel();
    expect(commits.map((c) => c.origin)).toEqual(['new']);
    expect(ed.doc.nodes).toEqual([]);
    valid(ed.doc);
  });

  it('round-trips random command sequences: undo all gives the start, redo all the end', () => {
    const kinds = ['client', 'queue', 'server', 'router', 'sink', 'cache'] as const;
    const op = fc.oneof(
      fc.record({ t: fc.constant('add' as const), kind: fc.constantFrom(...kinds), x: fc.integer({ min: -500, max: 500 }), y: fc.integer({ min: -500, max: 500 }) }),
      fc.record({ t: fc.constant('connect' as const), a: fc.nat(20), b: fc.nat(20) }),
      fc.record({ t: fc.constant('delete' as const), i: fc.nat(20) }),
      fc.record({ t: fc.constant('move' as const), i: fc.nat(20), dx: fc.integer({ min: -99, max: 99 }) }),
      fc.record({ t: fc.constant('param' as const), i: fc.nat(20), v: fc.constantFrom('2/s', '100 ms', 'fast', 7) }),
      fc.record({ t: fc.constant('dup' as const), i: fc.nat(20) }),
      fc.record({ t: fc.constant('align' as const) })
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const ed = new Editor({ history: { coalesceMs: -1 } });
        const start = ed.doc;
        const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
        for (const o of ops) {
          const nodes = ed.doc.nodes;
          switch (o.t) {
            case 'add':
              ed.addNode(o.kind, { x: o.x, y: o.y });
              break;
            case 'connect': {
              const a = pick(nodes, o.a);
              const b = pick(nodes, o.b);
              if (a && b) ed.connect(`${a.id}.out`, `${b.id}.in`);
              break;
            }
            case 'delete': {
              const a = pick(nodes, o.i);
              if (a) ed.deleteItems([a.id], []);
              break;
            }
            case 'move': {
              const a = pick(nodes, o.i);
              if (a) ed.setPositions(new Map([[a.id, { x: (a.x ?? 0) + o.dx, y: a.y ?? 0 }]]));
              break;
            }
            case 'param': {
              const a = pick(nodes, o.i);
              if (a) ed.setParam(a.id, a.kind === 'client' ? 'rate' : 'service', o.v);
              break;
            }
            case 'dup': {
              const a = pick(nodes, o.i);
              if (a) {
                ed.select({ nodes: [a.id] });
                ed.duplicate();
              }
              break;
            }
            case 'align':
              ed.alignToGrid();
              break;
          }
          valid(ed.doc);
        }
        const end = ed.doc;
        while (ed.undo());
        expect(deepEqual(ed.doc, start)).toBe(true);
        while (ed.redo());
        expect(deepEqual(ed.doc, end)).toBe(true);
      }),
      { numRuns: 150 }
    );
  });
});

describe('setting values', () => {
  it('writes a valid param as typed, with its unit', () => {
    const ed = new Editor();
    ed.addNode('client');
    expect(ed.setParam('client1', 'rate', '0.9/s').ok).toBe(true);
    expect(ed.node('client1')!.params).toEqual({ rate: '0.9/s' });
    const m = load(ed.doc);
    expect(m.ok && m.value.model.nodes[0].params).toMatchObject({ rate: 0.9 });
  });

  it('refuses an invalid value with the located message and changes nothing', () => {
    const ed = new Editor();
    ed.addNode('queue');
    ed.addNode('client');
    const before = ed.doc;
    const undo = ed.history.size.undo;
    const r = ed.setParam('client1', 'rate', 'fast');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0].path).toBe('nodes[1].params.rate');
      expect(r.issues[0].message).toMatch(/expected .*rate/);
    }
    const cap = ed.setParam('queue1', 'capacity', 'ten');
    expect(cap.ok).toBe(false);
    if (!cap.ok) expect(cap.issues[0]).toEqual({ path: 'nodes[0].params.capacity', message: 'expected a whole number ≥ 0, got "ten"' });
    expect(ed.doc).toBe(before);
    expect(ed.history.size.undo).toBe(undo);
  });

  it('removes a param when set to undefined (its default applies)', () => {
    const ed = new Editor();
    ed.addNode('server');
    ed.setParam('server1', 'service', { dist: 'exp', mean: '1 s' });
    expect(ed.setParam('server1', 'service', undefined).ok).toBe(true);
    expect(ed.node('server1')!.params).toEqual({});
  });

  it('sets edge weights, refusing negative ones with their path', () => {
    const ed = new Editor();
    ed.addNode('router');
    ed.addNode('sink');
    ed.connect('router1.out', 'sink1.in');
    expect(ed.setEdgeWeight('e1', 3).ok).toBe(true);
    expect(ed.edge('e1')!.weight).toBe(3);
    const bad = ed.setEdgeWeight('e1', -1);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0].path).toBe('edges[0].weight');
    valid(ed.doc);
  });

  it('refuses a whole document that does not validate (settings editor)', () => {
    const { ed } = chain();
    const r = ed.replaceDocument({ ...ed.doc, run: { until: 'soon' } }, 'Edit run');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].path).toBe('run.until');
    expect(ed.replaceDocument({ ...ed.doc, name: 'Renamed' }, 'Rename model').ok).toBe(true);
    expect(ed.doc.name).toBe('Renamed');
  });
});

describe('clipboard, selection, grid', () => {
  it('pastes copies with new ids, their inner edges, offset, selected', () => {
    const { ed } = chain();
    ed.select({ nodes: ['queue1', 'server1'] });
    expect(ed.copy()).toBe(true);
    expect(ed.paste()).toBe(true);
    const added = ed.doc.nodes.slice(4);
    expect(added.map((n) => n.id)).toEqual(['queue2', 'server2']);
    expect(added[0].x).toBe(ed.node('queue1')!.x! + 40);
    expect(ed.doc.edges.at(-1)).toMatchObject({ from: 'queue2.out', to: 'server2.in' });
    expect([...ed.selection.nodes]).toEqual(['queue2', 'server2']);
    valid(ed.doc);
    expect(ed.duplicate()).toBe(true);
    expect(ed.doc.nodes.map((n) => n.id).slice(6)).toEqual(['queue3', 'server3']);
    valid(ed.doc);
  });

  it('selects all, snaps to the grid', () => {
    const ed = new Editor();
    ed.addNode('queue', { x: 13, y: 27 });
    ed.setPositions(new Map([['queue1', { x: 13, y: 27 }]]));
    runCommand(ed, 'select-all');
    expect(ed.selection.nodes.size).toBe(1);
    runCommand(ed, 'align-to-grid');
    expect(ed.node('queue1')).toMatchObject({ x: 20, y: 20 });
  });

  it('drops deleted items from the selection, also on undo', () => {
    const { ed } = chain();
    ed.addNode('sink');
    expect([...ed.selection.nodes]).toEqual(['sink2']);
    ed.undo();
    expect(ed.selection.nodes.size).toBe(0);
  });
});

describe('tools', () => {
  function setup() {
    const { ed } = chain();
    ed.setScreenSize(1000, 600);
    ed.fitView();
    return { ed, tools: new ToolController(ed) };
  }

  it('wires port to port by dragging, with feedback on what may connect', () => {
    const { ed, tools } = setup();
    ed.addNode('sink', { x: 460, y: 300 });
    const from = ed.toScreen(ed.portWorld('queue1', 'out')!);
    const sinkIn = ed.toScreen(ed.portWorld('sink2', 'in')!);
    tools.pointerDown(ptr(from.x, from.y));
    expect(tools.state.name).toBe('wiring');
    tools.pointerMove(ptr(sinkIn.x, sinkIn.y));
    // queue1.out already feeds server1: refused, and the reason is on show.
    expect(ed.ephemeral.wire?.valid).toBe(false);
    expect(ed.status).toMatch(/only a router/);
    tools.pointerUp(ptr(sinkIn.x, sinkIn.y));
    expect(ed.doc.edges).toHaveLength(3);

    ed.select({ edges: ['e2'] });
    runCommand(ed, 'delete');
    tools.pointerDown(ptr(from.x, from.y));
    tools.pointerMove(ptr(sinkIn.x, sinkIn.y));
    expect(ed.ephemeral.wire?.valid).toBe(true);
    expect(ed.status).toBe('Release to connect queue1.out → sink2.in.');
    tools.pointerUp(ptr(sinkIn.x, sinkIn.y));
    expect(ed.doc.edges.at(-1)).toMatchObject({ from: 'queue1.out', to: 'sink2.in' });
    expect(ed.ephemeral.wire).toBeNull();
  });

  it('connects a wire dropped on a node body to its free input', () => {
    const { ed, tools } = setup();
    ed.addNode('queue', { x: 460, y: 300 });
    ed.addNode('client', { x: 100, y: 300 });
    const from = ed.toScreen(ed.portWorld('client2', 'out')!);
    const body = ed.toScreen({ x: 470, y: 300 });
    tools.pointerDown(ptr(from.x, from.y));
    tools.pointerMove(ptr(body.x, body.y));
    tools.pointerUp(ptr(body.x, body.y));
    expect(ed.doc.edges.at(-1)).toMatchObject({ from: 'client2.out', to: 'queue2.in' });
  });

  it('says why a client cannot take a wire', () => {
    const { ed, tools } = setup();
    const from = ed.toScreen(ed.portWorld('server1', 'out')!);
    const client = ed.toScreen({ x: 100, y: 100 });
    ed.select({ edges: ['e3'] });
    ed.deleteSelection();
    tools.pointerDown(ptr(from.x, from.y));
    tools.pointerMove(ptr(client.x, client.y));
    expect(ed.status).toBe('Cannot connect: a client has no input port.');
  });

  it('clicks, shift-clicks and box-selects', () => {
    const { ed, tools } = setup();
    const q = ed.toScreen({ x: 280, y: 100 });
    const s = ed.toScreen({ x: 460, y: 100 });
    tools.pointerDown(ptr(q.x, q.y));
    tools.pointerUp(ptr(q.x, q.y));
    expect([...ed.selection.nodes]).toEqual(['queue1']);
    tools.pointerDown(ptr(s.x, s.y, { shift: true }));
    tools.pointerUp(ptr(s.x, s.y, { shift: true }));
    expect([...ed.selection.nodes].sort()).toEqual(['queue1', 'server1']);
    // Click on empty canvas clears.
    tools.pointerDown(ptr(5, 5));
    tools.pointerUp(ptr(5, 5));
    expect(ed.selection.nodes.size).toBe(0);
    // Shift-drag a box around the first two nodes.
    const a = ed.toScreen({ x: 20, y: 60 });
    const b = ed.toScreen({ x: 300, y: 140 });
    tools.pointerDown(ptr(a.x, a.y, { shift: true }));
    tools.pointerMove(ptr(b.x, b.y, { shift: true }));
    expect(ed.ephemeral.box).not.toBeNull();
    tools.pointerUp(ptr(b.x, b.y, { shift: true }));
    expect([...ed.selection.nodes].sort()).toEqual(['client1', 'queue1']);
    expect(ed.ephemeral.box).toBeNull();
  });

  it('selects an edge by clicking its curve', () => {
    const { ed, tools } = setup();
    const mid = ed.toScreen({ x: 190, y: 100 });
    tools.pointerDown(ptr(mid.x, mid.y));
    tools.pointerUp(ptr(mid.x, mid.y));
    expect([...ed.selection.edges]).toEqual(['e1']);
  });

  it('pans by dragging empty canvas, zooms with the wheel about the pointer and pinches', () => {
    const { ed, tools } = setup();
    const v0 = ed.viewport;
    tools.pointerDown(ptr(5, 590));
    tools.pointerMove(ptr(55, 560));
    tools.pointerUp(ptr(55, 560));
    expect(ed.viewport.x).toBeCloseTo(v0.x + 50);
    expect(ed.viewport.y).toBeCloseTo(v0.y - 30);
    expect(ed.history.size.redo + ed.history.size.undo).toBeGreaterThan(0); // viewport is not recorded...
    const entries = ed.history.size.undo;
    const under = ed.toWorld({ x: 300, y: 200 });
    tools.wheel({ x: 300, y: 200, deltaX: 0, deltaY: -100, ctrl: false, shift: false });
    expect(ed.viewport.zoom).toBeGreaterThan(v0.zoom);
    const still = ed.toWorld({ x: 300, y: 200 });
    expect(still.x).toBeCloseTo(under.x, 6);
    expect(still.y).toBeCloseTo(under.y, 6);
    expect(ed.history.size.undo).toBe(entries); // ...never
    const z = ed.viewport.zoom;
    tools.pointerDown(ptr(400, 300, { pointerId: 1, pointerType: 'touch' }));
    tools.pointerDown(ptr(500, 300, { pointerId: 2, pointerType: 'touch' }));
    tools.pointerMove(ptr(550, 300, { pointerId: 2, pointerType: 'touch' }));
    expect(ed.viewport.zoom).toBeCloseTo(z * 1.5, 6);
    tools.pointerUp(ptr(550, 300, { pointerId: 2, pointerType: 'touch' }));
    tools.pointerUp(ptr(400, 300, { pointerId: 1, pointerType: 'touch' }));
    expect(tools.state.name).toBe('idle');
  });

  it('pans with Space + drag even over a node', () => {
    const { ed, tools } = setup();
    const q = ed.toScreen({ x: 280, y: 100 });
    const before = ed.node('queue1');
    tools.setSpace(true);
    tools.pointerDown(ptr(q.x, q.y));
    tools.pointerMove(ptr(q.x + 40, q.y));
    tools.pointerUp(ptr(q.x + 40, q.y));
    tools.setSpace(false);
    expect(ed.node('queue1')).toBe(before);
  });
});

describe('commands', () => {
  it('are unique, named, and found by their shortcuts', () => {
    const ids = COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of COMMANDS) expect(c.label.length).toBeGreaterThan(2);
    const key = (k: string, m: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
      ...m
    });
    expect(commandForKey(key('z', { ctrlKey: true }))?.id).toBe('undo');
    expect(commandForKey(key('z', { metaKey: true }))?.id).toBe('undo');
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }))?.id).toBe('redo');
    expect(commandForKey(key('Delete'))?.id).toBe('delete');
    expect(commandForKey(key('Backspace'))?.id).toBe('delete');
    expect(commandForKey(key('+', { shiftKey: true }))?.id).toBe('zoom-in');
    expect(commandForKey(key('a'))?.id).toBe('quick-add');
    expect(commandForKey(key('a', { ctrlKey: true }))?.id).toBe('select-all');
    expect(commandForKey(key('ArrowLeft', { shiftKey: true }))?.id).toBe('nudge-left-far');
    expect(commandForKey(key('q'))).toBeNull();
  });

  it('run only when enabled', () => {
    const ed = new Editor();
    expect(runCommand(ed, 'undo')).toBe(false);
    expect(runCommand(ed, 'delete')).toBe(false);
    ed.addNode('queue');
    expect(runCommand(ed, 'delete')).toBe(true);
    expect(ed.doc.nodes).toHaveLength(0);
    expect(runCommand(ed, 'undo')).toBe(true);
    expect(ed.doc.nodes).toHaveLength(1);
  });

  it('ask the UI for the quick-add and connect dialogs', () => {
    const ed = new Editor();
    const asked: string[] = [];
    ed.subscribe((c) => c.ui && asked.push(c.ui));
    runCommand(ed, 'quick-add');
    expect(runCommand(ed, 'connect')).toBe(false); // nothing selected
    ed.addNode('client');
    runCommand(ed, 'connect');
    expect(asked).toEqual(['quick-add', 'connect']);
  });
});
