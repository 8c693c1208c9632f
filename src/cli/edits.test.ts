/** Command-line edits of a document: parsing, applying, refusing. */
import { describe, expect, it } from 'vitest';
import { applyEdits, parseEdit, parseSweep } from './edits';
import type { ModelDocument } from '../lib/model/types';

const doc: ModelDocument = {
  format: 'systems-sandbox/model',
  version: 1,
  nodes: [
    { id: 'c', kind: 'client', params: { rate: '1/s' } },
    { id: 's', kind: 'server' }
  ],
  edges: [{ id: 'e', from: 'c.out', to: 's.in' }]
};

const edit = (t: string) => {
  const e = parseEdit(t);
  if (!e.ok) throw new Error(e.message);
  return e.edit;
};

describe('--set and --sweep', () => {
  it('reads JSON values, and keeps unit strings as strings', () => {
    expect(edit('s.params.servers=2').value).toBe(2);
    expect(edit('c.params.rate=5/s').value).toBe('5/s');
    expect(edit('s.params.service={"dist":"exp","mean":"1 s"}').value).toEqual({ dist: 'exp', mean: '1 s' });
  });

  it('applies to a copy, creating missing objects on the way', () => {
    const r = applyEdits(doc, [edit('s.params.servers=3'), edit('run.until=100 s')]);
    expect(r.ok && r.doc.nodes[1].params).toEqual({ servers: 3 });
    expect(r.ok && r.doc.run).toEqual({ until: '100 s' });
    expect(doc.nodes[1].params).toBeUndefined();
  });

  it('names the missing node, and refuses paths into prototypes', () => {
    const r = applyEdits(doc, [edit('x.params.rate=1')]);
    expect(r.ok ? '' : r.message).toMatch(/no node "x" in this model \(nodes: c, s\)/);
    expect(parseEdit('c.__proto__.x=1').ok).toBe(false);
    expect(parseEdit('c=1').ok).toBe(false);
    expect(parseEdit('noequals').ok).toBe(false);
  });

  it('splits a sweep into one edit per value', () => {
    const s = parseSweep('c.params.rate=0.5/s, 0.8/s,0.9/s');
    expect(s.ok && s.points.map((p) => p.value)).toEqual(['0.5/s', '0.8/s', '0.9/s']);
    expect(parseSweep('c.params.rate=').ok).toBe(false);
  });

  it('refuses to walk through a value that is not an object', () => {
    const r = applyEdits(doc, [edit('c.params.rate.x=1')]);
    expect(r.ok ? '' : r.message).toMatch(/c\.params\.rate is not an object/);
  });
});

describe('load=F', () => {
  it('scales every open client: rate, burst rate and schedule steps', async () => {
    const { load } = await import('../lib/model/index');
    const { loadFactor, scaleLoad } = await import('./edits');
    const r = load({
      ...doc,
      nodes: [
        { id: 'c', kind: 'client', params: { rate: '2/s', process: 'mmpp', mmpp: { burstRate: '10/s', meanOn: '1 s', meanOff: '4 s' }, schedule: [{ at: '10 s', rate: '3/s' }] } },
        { id: 'u', kind: 'client', params: { mode: 'closed', users: 5 } },
        { id: 's', kind: 'server' }
      ],
      edges: [{ id: 'e', from: 'c.out', to: 's.in' }, { id: 'f', from: 'u.out', to: 's.in' }]
    });
    if (!r.ok) throw new Error('model');
    const f = loadFactor([edit('load=0.5'), edit('load=3')]);
    expect(f).toEqual({ ok: true, factor: 1.5 });
    const m = scaleLoad(r.value.model, 1.5);
    const c = m.nodes[0];
    if (c.kind !== 'client') throw new Error('kind');
    expect(c.params.rate).toBe(3);
    expect(c.params.mmpp?.burstRate).toBe(15);
    expect(c.params.schedule[0].rate).toBeCloseTo(4.5, 12);
    expect(m.nodes[1]).toEqual(r.value.model.nodes[1]); // closed clients keep their users
    expect(loadFactor([edit('load=0')]).ok).toBe(false);
  });
});
