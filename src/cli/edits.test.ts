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
