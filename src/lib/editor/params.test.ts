/**
 * The inspector's fields come from the model layer's schemas: every param of every kind gets a
 * field of the right type, and its default is shown in the units a person types.
 */
import { describe, expect, it } from 'vitest';
import { KINDS } from '../model/kinds/index.ts';
import { NODE_KINDS } from '../model/types.ts';
import { distWithMean, paramFields, parseFieldText, readDist, DIST_NAMES, parseListText } from './params.ts';
import { distMean } from '../sim/distributions.ts';
import { fitBounds, toScreen, toWorld, zoomAt } from './viewport.ts';
import { formatShortcut, isTextEntry, matches } from './shortcuts.ts';
import { searchKinds, PALETTE } from './palette.ts';
import { applyDiff, diffDocs, isLayoutOnly } from './diff.ts';
import { emptyDocument } from './Editor.ts';

describe('param fields', () => {
  it('cover every param of every kind', () => {
    for (const kind of NODE_KINDS) {
      const keys = Object.keys((KINDS[kind].params as unknown as { entries: object }).entries);
      expect(paramFields(kind).map((f) => f.key)).toEqual(keys);
    }
  });

  it('are typed from the schemas', () => {
    const f = (kind: (typeof NODE_KINDS)[number], key: string) => paramFields(kind).find((x) => x.key === key)!;
    expect(f('client', 'rate').field).toEqual({ type: 'quantity', unit: 'rate', words: [] });
    expect(f('client', 'rate').unitHint).toBe('/s');
    expect(f('client', 'rate').defaultText).toBe('1/s');
    expect(f('client', 'mode').field).toEqual({ type: 'choice', options: ['open', 'closed'] });
    expect(f('client', 'cancelOnTimeout').field).toEqual({ type: 'bool' });
    expect(f('client', 'timeout').defaultText).toBe('none');
    expect(f('client', 'classes').field).toEqual({ type: 'json' });
    expect(f('server', 'service').field).toEqual({ type: 'dist', unit: 'duration' });
    expect(f('server', 'service').defaultText).toBe('exp, mean 500 ms');
    expect(f('server', 'servers').field).toEqual({ type: 'count', min: 1, infinite: true });
    expect(f('queue', 'capacity').defaultText).toBe('infinite');
    expect(f('link', 'bandwidth').field).toEqual({ type: 'quantity', unit: 'bandwidth', words: ['infinite'] });
    expect(f('link', 'loss').field).toEqual({ type: 'number', integer: false });
    expect(f('cache', 'keys').field).toEqual({ type: 'number', integer: true });
    expect(f('spawner', 'parentMemory').field).toEqual({ type: 'quantity', unit: 'size', words: [] });
  });

  it('read typed text as the document writes it', () => {
    expect(parseFieldText({ type: 'quantity', unit: 'rate', words: [] }, ' 0.9/s ')).toEqual({ ok: true, value: '0.9/s' });
    expect(parseFieldText({ type: 'quantity', unit: 'rate', words: [] }, '2')).toEqual({ ok: true, value: 2 });
    expect(parseFieldText({ type: 'count', min: 0, infinite: true }, '')).toEqual({ ok: true, value: undefined });
    expect(parseFieldText({ type: 'json' }, '{"a":')).toMatchObject({ ok: false });
    expect(parseListText('1 ms, 2, 5 ms')).toEqual(['1 ms', 2, '5 ms']);
  });

  it('switch distributions keeping the mean where the shape allows', () => {
    for (const name of DIST_NAMES) {
      const d = readDist(distWithMean(name, 0.5));
      expect(d, name).not.toBeNull();
      if (name === 'lognormal' || name === 'weibull') continue; // median/scale kept instead
      expect(distMean(d!), name).toBeCloseTo(0.5, 5);
    }
    expect(readDist({ dist: 'exp', mean: 'soon' })).toBeNull();
  });
});

describe('viewport', () => {
  it('maps screen and world both ways and zooms about a point', () => {
    const v = { x: 30, y: -20, zoom: 1.7 };
    const w = toWorld(v, { x: 100, y: 50 });
    expect(toScreen(v, w)).toEqual({ x: 100, y: 50 });
    const z = zoomAt(v, 2, { x: 100, y: 50 });
    expect(z.zoom).toBeCloseTo(3.4);
    const w2 = toWorld(z, { x: 100, y: 50 });
    expect(w2.x).toBeCloseTo(w.x, 9);
    expect(w2.y).toBeCloseTo(w.y, 9);
  });

  it('fits bounds inside the screen with a margin', () => {
    const v = fitBounds({ x: 0, y: 0, w: 2000, h: 100 }, { width: 1000, height: 500 });
    expect(v.zoom).toBeCloseTo(920 / 2000);
    const c = toScreen(v, { x: 1000, y: 50 });
    expect(c.x).toBeCloseTo(500);
    expect(c.y).toBeCloseTo(250);
  });
});

describe('shortcuts', () => {
  const k = (key: string, m: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...m
  });
  it('match with either Ctrl or Cmd as Mod, Shift exactly for letters', () => {
    expect(matches(k('z', { ctrlKey: true }), 'Mod+Z')).toBe(true);
    expect(matches(k('Z', { ctrlKey: true, shiftKey: true }), 'Mod+Z')).toBe(false);
    expect(matches(k('z'), 'Mod+Z')).toBe(false);
    expect(matches(k('+', { shiftKey: true }), '+')).toBe(true);
    expect(matches(k('0', { ctrlKey: true }), 'Mod+0')).toBe(true);
    expect(formatShortcut('Mod+Shift+Z')).toBe('Ctrl+Shift+Z');
    expect(formatShortcut('Mod+Shift+Z', true)).toBe('⇧⌘Z');
  });
  it('know text fields', () => {
    expect(isTextEntry({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTextEntry({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextEntry({ tagName: 'CANVAS' })).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });
});

describe('palette search', () => {
  it('lists every kind, finds by title first and by keyword', () => {
    expect(PALETTE.map((p) => p.kind)).toEqual([...NODE_KINDS]);
    expect(searchKinds('que')[0].kind).toBe('queue');
    expect(searchKinds('load balancer')[0].kind).toBe('router');
    expect(searchKinds('s').map((e) => e.kind).slice(0, 3)).toEqual(['server', 'spawner', 'sink']);
    expect(searchKinds('zzz')).toEqual([]);
  });
});

describe('diffs', () => {
  it('tell moves apart from other changes', () => {
    const a = { ...emptyDocument(), nodes: [{ id: 'q', kind: 'queue' as const, x: 0, y: 0, params: {} }] };
    const moved = { ...a, nodes: [{ ...a.nodes[0], x: 20 }] };
    const edited = { ...a, nodes: [{ ...a.nodes[0], params: { capacity: 3 } }] };
    expect(isLayoutOnly(diffDocs(a, moved))).toBe(true);
    expect(isLayoutOnly(diffDocs(a, edited))).toBe(false);
    expect(isLayoutOnly(diffDocs(a, { ...a, name: 'x' }))).toBe(false);
    expect(applyDiff(moved, diffDocs(a, moved), 'backward')).toEqual(a);
  });
});
