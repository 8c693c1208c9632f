import { describe, expect, it } from 'vitest';
import { baseDoc } from '../model/testing.ts';
import { canonicalJson } from './canonical.ts';
import { makeEnvelope, SHARE_FORMAT } from './envelope.ts';
import { decodeFile, encodeFile } from './file.ts';
import { encodeShare } from './share.ts';
import { MAX_TEXT_LENGTH, type ModelDocument, type ModelIssue, type Result } from '../model/index.ts';

function issues<T>(r: Result<T>): ModelIssue[] {
  if (r.ok) throw new Error('expected the input to be refused');
  expect(r.issues.length).toBeGreaterThan(0);
  return r.issues;
}

describe('encodeFile', () => {
  it('writes the plain model document as indented canonical JSON with a final newline', () => {
    const text = encodeFile(baseDoc());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toBe(canonicalJson(baseDoc(), { indent: 2 }) + '\n');
    expect(JSON.parse(text)).toEqual(baseDoc());
    expect(text.indexOf('"edges"')).toBeLessThan(text.indexOf('"format"'));
  });

  it('gives the same bytes whatever the key order', () => {
    const doc = baseDoc();
    const reversed = Object.fromEntries(Object.entries(doc).reverse()) as ModelDocument;
    expect(encodeFile(reversed)).toBe(encodeFile(doc));
  });
});

describe('decodeFile', () => {
  it('round-trips', () => {
    expect(decodeFile(encodeFile(baseDoc()), 'm.json')).toEqual({ ok: true, value: baseDoc() });
  });

  it('also accepts a share envelope as JSON, and a byte-order mark', () => {
    expect(decodeFile(JSON.stringify(makeEnvelope(baseDoc())), 'shared.json')).toEqual({ ok: true, value: baseDoc() });
    expect(decodeFile('\ufeff' + encodeFile(baseDoc())).ok).toBe(true);
  });

  it('names the file in messages about the file', () => {
    expect(issues(decodeFile('', 'a.json'))).toEqual([{ path: '', message: 'the file "a.json" is empty' }]);
    expect(issues(decodeFile('  \n'))).toEqual([{ path: '', message: 'the file is empty' }]);
    expect(issues(decodeFile('{\n  "format": "systems-sandbox/model",\n  nodes: []\n}', 'a.json'))).toEqual([
      {
        path: '',
        message:
          'the file "a.json" is not a Systems Sandbox model: it is not valid JSON (unexpected "n" where a property name in double quotes should be at line 3, column 3)'
      }
    ]);
    expect(issues(decodeFile('x'.repeat(MAX_TEXT_LENGTH + 1), 'big.json'))[0].message).toBe(
      'the file "big.json" is too large (5,000,001 characters; the limit is 5,000,000)'
    );
  });

  it('recognises a share link saved as a file', () => {
    const link = encodeShare(makeEnvelope(baseDoc()));
    expect(issues(decodeFile(link, 'link.txt'))[0].message).toMatch(/looks like a share link/);
    expect(issues(decodeFile(`https://example.org/#m=${link}`, 'link.txt'))[0].message).toMatch(/looks like a share link/);
  });

  it('names the file in located model issues, keeping the path', () => {
    const doc = baseDoc();
    (doc.nodes[1].params as Record<string, unknown>).capacity = 'ten';
    const found = issues(decodeFile(JSON.stringify(doc), 'model.json'));
    expect(found).toContainEqual({
      path: 'nodes[1].params.capacity',
      message: expect.stringMatching(/^expected .*, got "ten" \(in "model\.json"\)$/)
    });
    expect(issues(decodeFile('[1]', 'list.json'))[0].message).toMatch(/expected a model document .*got a list \(in "list\.json"\)/);
  });

  it('locates model issues inside an envelope under model.', () => {
    const doc = baseDoc();
    doc.edges[0].from = 'ghost.out';
    const found = issues(decodeFile(JSON.stringify(makeEnvelope(doc)), 'shared.json'));
    expect(found.every((i) => i.path.startsWith('model.') && i.message.endsWith('(in "shared.json")'))).toBe(true);
  });

  it('refuses an envelope from a newer version, naming the file', () => {
    expect(issues(decodeFile(JSON.stringify({ format: SHARE_FORMAT, version: 3, model: baseDoc() }), 'new.json'))).toEqual([
      {
        path: 'version',
        message: 'the file "new.json" was made by a newer version (v3) of Systems Sandbox; this app reads up to v1. Reload the page to get the newest version'
      }
    ]);
  });

  it('never throws on a value that is not text', () => {
    expect(issues(decodeFile(42 as unknown as string, 'n.json'))[0].message).toBe('the file "n.json" could not be read as text');
  });
});
