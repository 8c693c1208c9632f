/**
 * The gallery's index and its copies of the validation models are in step with the sources
 * (scripts/sync-gallery.ts), every entry opens a valid model, and the helpers behave.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../model/index.ts';
import { checkSimulable } from '../sim/index.ts';
import { firstSentence, galleryOnStart, IDEAS, mergeIndex, readIndex, readScriptIndex, SCRIPT_FILE, serializeIndex, validationEntry } from './gallery.ts';

const ROOT = join(import.meta.dirname, '../../..');
const MODELS = join(ROOT, 'static/models');
const SOURCES = join(ROOT, 'tests/validation/models');
const indexText = readFileSync(join(MODELS, 'index.json'), 'utf8');
const index = readIndex(JSON.parse(indexText));
const SCRIPTS = join(ROOT, 'static/scripts');
const scriptsText = readFileSync(join(SCRIPTS, 'index.json'), 'utf8');
const scripts = readScriptIndex(JSON.parse(scriptsText));

describe('static/models/index.json', () => {
  it('keeps every entry (nothing of the wrong shape) and lists every top-level model', () => {
    expect(index.length).toBe((JSON.parse(indexText) as unknown[]).length);
    const top = readdirSync(MODELS).filter((f) => f.endsWith('.json') && f !== 'index.json');
    for (const f of top) expect(index.map((e) => e.file)).toContain(f);
  });

  it('is in step with tests/validation/models (run: npx tsx scripts/sync-gallery.ts)', () => {
    const names = readdirSync(SOURCES).filter((f) => f.endsWith('.json')).sort();
    for (const f of names) {
      expect(readFileSync(join(MODELS, 'validation', f), 'utf8'), `static/models/validation/${f}`).toBe(readFileSync(join(SOURCES, f), 'utf8'));
    }
    expect(readdirSync(join(MODELS, 'validation')).filter((f) => f.endsWith('.json')).sort()).toEqual(names);
    const entries = names.map((f) => validationEntry(f, JSON.parse(readFileSync(join(SOURCES, f), 'utf8'))));
    expect(serializeIndex(mergeIndex(index, entries))).toBe(indexText);
  });

  it('gives every entry a group and a summary, and idea entries an idea of PAPERS.md', () => {
    for (const e of index) {
      expect(e.group, e.file).toMatch(/^(idea|validation)$/);
      expect(e.summary?.length ?? 0, e.file).toBeGreaterThan(10);
      if (e.group === 'idea') expect(IDEAS.map((i) => i.n)).toContain(e.idea);
    }
    // Ideas without a scenario (a model, or a shell script for idea 5) say so; those with one do not.
    for (const idea of IDEAS) {
      const has = index.some((e) => e.group === 'idea' && e.idea === idea.n) || scripts.some((e) => e.idea === idea.n);
      expect(has, `idea ${idea.n}`).toBe(idea.coming === undefined);
    }
  });

  it.each(index.map((e) => [e.file]))('%s loads, can be simulated, and has notes to explain it', (file) => {
    const path = join(MODELS, file);
    expect(existsSync(path)).toBe(true);
    const r = load(JSON.parse(readFileSync(path, 'utf8')));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(checkSimulable(r.value.model)).toEqual([]);
    expect((r.value.doc.notes ?? '').length).toBeGreaterThan(20);
  });
});

describe('static/scripts/index.json (the shell scripts of idea 5)', () => {
  it('keeps every entry, lists every script, and each has an idea, a summary and notes', () => {
    expect(scripts.length).toBe((JSON.parse(scriptsText) as unknown[]).length);
    const files = readdirSync(SCRIPTS).filter((f) => f.endsWith('.sh'));
    expect(scripts.map((e) => e.file).sort()).toEqual(files.sort());
    for (const e of scripts) {
      expect(IDEAS.map((i) => i.n)).toContain(e.idea);
      expect(e.summary.length, e.file).toBeGreaterThan(10);
      expect(e.notes.length, e.file).toBeGreaterThan(100);
    }
  });

  it('reads only plain .sh names with the fields it needs', () => {
    expect(readScriptIndex([{ file: '../x.sh', name: 'a', idea: 5 }, { file: 'x.json', name: 'a', idea: 5 }, { file: 'x.sh', name: 'a' }, { file: 'x.sh', name: 'a', idea: 5 }])).toEqual([
      { file: 'x.sh', name: 'a', idea: 5, summary: '', notes: '' }
    ]);
    expect(readScriptIndex({})).toEqual([]);
    expect(SCRIPT_FILE.test('sub/x.sh')).toBe(false);
  });
});

describe('gallery helpers', () => {
  it('takes the first sentence of notes, not stopping inside numbers', () => {
    expect(firstSentence('λ=0.8, D=1: Wq=2.0, W=3.0.')).toBe('λ=0.8, D=1: Wq=2.0, W=3.0.');
    expect(firstSentence('One thing. Another thing.')).toBe('One thing.');
    expect(firstSentence('')).toBe('');
    expect(firstSentence('x'.repeat(400)).length).toBeLessThanOrEqual(220);
  });

  it('reads only entries of the right shape, and file names inside static/models', () => {
    expect(
      readIndex([
        { file: 'a.json', name: 'A', group: 'idea', idea: 2, summary: 's' },
        { file: 'validation/b.json', name: 'B', group: 'other' },
        { file: '../secret.json', name: 'C' },
        { file: 'https://x/y.json', name: 'D' },
        { name: 'E' },
        null
      ])
    ).toEqual([
      { file: 'a.json', name: 'A', group: 'idea', idea: 2, summary: 's' },
      { file: 'validation/b.json', name: 'B' }
    ]);
    expect(readIndex({})).toEqual([]);
  });

  it('opens on a first visit only, never over a link or under automation', () => {
    expect(galleryOnStart({ seen: false, hash: '', automated: false })).toBe(true);
    expect(galleryOnStart({ seen: true, hash: '', automated: false })).toBe(false);
    expect(galleryOnStart({ seen: false, hash: '#m=abc', automated: false })).toBe(false);
    expect(galleryOnStart({ seen: false, hash: '', automated: true })).toBe(false);
  });
});
