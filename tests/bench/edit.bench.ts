/**
 * `npm run bench:edit [-- --json]`: what one edit costs on a 1,000-node, 1,500-edge model
 * (tests/fixtures/bigCanvas.ts), in Node: the Editor's own command, then loading the edited
 * document the old way (a whole `load()`: restore + normalise) and the new way
 * (`IncrementalLoader`, what `Workspace.edit` now does), per kind of edit. Reports p50, p95 and
 * max in ms. A benchmark that reports, not a timed test. Chromium's numbers are of the same
 * order (its JIT warms up more slowly; issue 6 measured 40–80 ms per edit for the whole load).
 */
import { performance } from 'node:perf_hooks';
import { bigCanvasModel } from '../fixtures/bigCanvas.ts';
import { Editor } from '../../src/lib/editor/Editor.ts';
import { load } from '../../src/lib/model/index.ts';
import { IncrementalLoader } from '../../src/lib/model/incremental.ts';
import type { ModelDocument } from '../../src/lib/model/types.ts';

const json = process.argv.includes('--json');
const EDITS = 200;

function q(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

interface Row {
  edit: string;
  editorMs: [number, number];
  fullLoadMs: [number, number, number];
  incrementalMs: [number, number, number];
}

function measure(name: string, step: (ed: Editor, k: number) => void): Row {
  const ed = new Editor();
  const first = load(bigCanvasModel());
  if (!first.ok) throw new Error('the fixture does not load');
  ed.load(first.value.doc);
  const inc = new IncrementalLoader();
  inc.load(ed.doc);
  const editor: number[] = [];
  const full: number[] = [];
  const incremental: number[] = [];
  let docs = 0;
  ed.onCommit((doc: ModelDocument) => {
    docs++;
    let t0 = performance.now();
    const a = load(doc);
    full.push(performance.now() - t0);
    t0 = performance.now();
    const b = inc.load(doc);
    incremental.push(performance.now() - t0);
    if (!a.ok || !b.ok || inc.lastPath !== 'incremental') throw new Error(`${name}: edit ${docs} did not load incrementally`);
  });
  for (let k = 0; k < EDITS; k++) {
    const t0 = performance.now();
    step(ed, k);
    editor.push(performance.now() - t0);
  }
  // The editor time includes the onCommit listeners: subtract them.
  const own = editor.map((t, i) => Math.max(0, t - (full[i] ?? 0) - (incremental[i] ?? 0)));
  return {
    edit: name,
    editorMs: [q(own, 0.5), q(own, 0.95)],
    fullLoadMs: [q(full, 0.5), q(full, 0.95), Math.max(...full)],
    incrementalMs: [q(incremental, 0.5), q(incremental, 0.95), Math.max(...incremental)]
  };
}

const rows: Row[] = [
  measure('set a parameter', (ed, k) => {
    const clients = ed.doc.nodes.filter((n) => n.kind === 'client');
    const r = ed.setParam(clients[k % clients.length].id, 'rate', 1 + (k % 7) / 10);
    if (!r.ok) throw new Error(r.issues[0].message);
  }),
  measure('move a node', (ed, k) => {
    const n = ed.doc.nodes[(k * 37) % ed.doc.nodes.length];
    ed.setPositions(new Map([[n.id, { x: (n.x ?? 0) + 10, y: n.y ?? 0 }]]));
  }),
  measure('add a node and wire it', (ed, k) => {
    const from = ed.doc.nodes.find((n, i) => n.kind === 'server' && i > k) ?? ed.doc.nodes[0];
    ed.mark('add');
    const r = ed.addNode('sink', { x: -500, y: 40 * k });
    if (r.ok) ed.connect(`${from.id}.out`, `${r.value}.in`);
    ed.commitMark();
  }),
  measure('rename a node', (ed, k) => {
    const n = ed.doc.nodes[(k * 13) % ed.doc.nodes.length];
    ed.renameNode(n.id, `${n.id}_r${k}`);
  })
];

if (json) {
  console.log(JSON.stringify({ nodes: 1000, edges: 1500, edits: EDITS, rows }, null, 2));
} else {
  const f = (x: number) => x.toFixed(2).padStart(7);
  console.log(`One edit on 1,000 nodes / 1,500 edges (${EDITS} edits each; ms p50 / p95 / max)`);
  console.log('edit                     editor p50/p95      full load()                 incremental');
  for (const r of rows) {
    console.log(
      `${r.edit.padEnd(24)} ${f(r.editorMs[0])} ${f(r.editorMs[1])}   ${r.fullLoadMs.map(f).join(' ')}   ${r.incrementalMs.map(f).join(' ')}`
    );
  }
}
