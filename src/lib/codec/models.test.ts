/**
 * Every example and validation model survives every form (link, file, record) unchanged, and
 * fits a link of at most MAX_EXAMPLE_FRAGMENT characters.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { restore, type ModelDocument } from '../model/index.ts';
import { makeEnvelope } from './envelope.ts';
import { decodeFile, encodeFile } from './file.ts';
import { decodeRecord, encodeRecord } from './record.ts';
import { readFragment, shareFragment } from './share.ts';
import { generatedModel, modelFiles, ROOT } from './testing.ts';

/** Longest fragment any shipped model may need: short enough for chat apps and QR codes. */
const MAX_EXAMPLE_FRAGMENT = 2000;

const MODELS = [...modelFiles(join(ROOT, 'static/models')), ...modelFiles(join(ROOT, 'tests/validation/models'))];

function roundTrips(doc: ModelDocument): string {
  const hash = shareFragment(makeEnvelope(doc));
  expect(readFragment(hash)).toEqual({ ok: true, value: makeEnvelope(doc) });
  expect(decodeFile(encodeFile(doc), 'model.json')).toEqual({ ok: true, value: doc });
  expect(decodeRecord(structuredClone(encodeRecord(doc)))).toEqual({ ok: true, value: doc });
  return hash;
}

describe('shipped models in every form', () => {
  it('finds the models', () => {
    expect(MODELS.some((m) => m.name.startsWith('static/models/'))).toBe(true);
    expect(MODELS.filter((m) => m.name.startsWith('tests/validation/models/')).length).toBeGreaterThan(10);
  });

  it.each(MODELS.map((m) => [m.name, m.text]))('%s round-trips and fits a short link', (name, text) => {
    const restored = restore(text);
    if (!restored.ok) throw new Error(`${name} does not restore: ${JSON.stringify(restored.issues)}`);
    const hash = roundTrips(restored.value);
    expect(hash.length).toBeLessThanOrEqual(MAX_EXAMPLE_FRAGMENT);
  });

  it('reports the fragment lengths', () => {
    const lengths = MODELS.map((m) => {
      const r = restore(m.text);
      if (!r.ok) throw new Error(m.name);
      return { name: m.name, json: m.text.length, fragment: shareFragment(makeEnvelope(r.value)).length };
    }).sort((a, b) => b.fragment - a.fragment);
    const longest = lengths[0];
    console.log(
      `fragment lengths (${lengths.length} models): longest ${longest.fragment} characters (${longest.name}, ${longest.json} characters of JSON), ` +
        `shortest ${lengths[lengths.length - 1].fragment}; limit ${MAX_EXAMPLE_FRAGMENT}\n` +
        lengths.map((l) => `  ${String(l.fragment).padStart(5)}  ${l.name}`).join('\n')
    );
    expect(longest.fragment).toBeLessThanOrEqual(MAX_EXAMPLE_FRAGMENT);
  });
});

describe('a large generated model', () => {
  it('200 nodes round-trip in every form', () => {
    const doc = generatedModel(200);
    expect(doc.nodes).toHaveLength(200);
    const restored = restore(doc);
    if (!restored.ok) throw new Error(JSON.stringify(restored.issues));
    const hash = roundTrips(restored.value);
    console.log(
      `200-node model: ${hash.length} characters of fragment for ${JSON.stringify(doc).length} characters of JSON (${doc.edges.length} edges)`
    );
    // Not a hard requirement, but a regression guard: links of big models stay shareable.
    expect(hash.length).toBeLessThan(16_000);
  });
});
