/**
 * The annotated view's segments: a finding covers exactly its [column, endColumn) on its line(s),
 * overlapping findings split the text, a finding without an end covers its word, one past the end
 * of the line gets a marker; symbolic parts of effect paths are found.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../shell/types.ts';
import { annotate, countFindings, pathParts, worstSeverity } from './annotate.ts';

const f = (p: Partial<Finding> & Pick<Finding, 'line' | 'column'>): Finding => ({
  rule: 'unquoted-expansion',
  severity: 'info',
  message: 'm',
  explanation: 'e',
  fix: 'x',
  deferred: false,
  ...p
});

/** The text of the segments covered by finding i on line n. */
const covered = (lines: ReturnType<typeof annotate>, n: number, i: number) =>
  lines[n - 1].segments.filter((s) => s.findings.includes(i)).map((s) => s.text).join('');

describe('annotate', () => {
  const src = 'cd $W\nrm -rf "$D/"*\necho done';

  it('keeps the text whole: the segments of every line join back to it', () => {
    const lines = annotate(src, [f({ line: 2, column: 8, endLine: 2, endColumn: 15 }), f({ line: 1, column: 4, endLine: 1, endColumn: 6 })]);
    expect(lines.map((l) => l.segments.map((s) => s.text).join(''))).toEqual(src.split('\n'));
    expect(lines.map((l) => l.n)).toEqual([1, 2, 3]);
  });

  it('covers [column, endColumn) exactly, with the finding\'s severity and deferral', () => {
    const lines = annotate(src, [f({ line: 2, column: 8, endLine: 2, endColumn: 15, severity: 'warning', deferred: true })]);
    expect(covered(lines, 2, 0)).toBe('"$D/"*');
    const seg = lines[1].segments.find((s) => s.findings.length > 0)!;
    expect(seg.severity).toBe('warning');
    expect(seg.deferred).toBe(true);
    expect(lines[1].starts).toEqual([0]);
    expect(lines[0].segments).toHaveLength(1);
    expect(lines[0].segments[0].severity).toBeNull();
  });

  it('splits overlapping findings; the overlap takes the worst severity and is deferred only if all are', () => {
    // rm -rf "$D/"*  : a warning on the whole word (8..15) and an info on $D (9..11)
    const lines = annotate(src, [
      f({ line: 2, column: 8, endLine: 2, endColumn: 15, severity: 'warning', deferred: false }),
      f({ line: 2, column: 9, endLine: 2, endColumn: 11, severity: 'info', deferred: true })
    ]);
    const segs = lines[1].segments;
    expect(segs.map((s) => s.text)).toEqual(['rm -rf ', '"', '$D', '/"*']);
    expect(segs.map((s) => s.findings)).toEqual([[], [0], [0, 1], [0]]);
    expect(segs[2].severity).toBe('warning');
    expect(segs[2].deferred).toBe(false);
    expect(covered(lines, 2, 1)).toBe('$D');
  });

  it('without an end, covers the word at the start; past the end of the line, a marker', () => {
    const lines = annotate(src, [f({ line: 2, column: 4 }), f({ line: 3, column: 10, severity: 'error' })]);
    expect(covered(lines, 2, 0)).toBe('-rf');
    const marker = lines[2].segments.find((s) => s.findings.includes(1))!;
    expect(marker.marker).toBe(true);
    expect(marker.severity).toBe('error');
    expect(lines[2].segments.filter((s) => !s.marker).map((s) => s.text).join('')).toBe('echo done');
  });

  it('spans lines: from the column to the end of the first line, whole middle lines, up to endColumn on the last', () => {
    const lines = annotate(src, [f({ line: 1, column: 4, endLine: 3, endColumn: 5 })]);
    expect(covered(lines, 1, 0)).toBe('$W');
    expect(covered(lines, 2, 0)).toBe('rm -rf "$D/"*');
    expect(covered(lines, 3, 0)).toBe('echo');
    expect(lines[0].starts).toEqual([0]);
    expect(lines[1].starts).toEqual([]);
  });

  it('puts a finding beyond the last line on the last line', () => {
    const lines = annotate('echo "a', [f({ line: 4, column: 1, severity: 'error' })]);
    expect(lines).toHaveLength(1);
    expect(lines[0].starts).toEqual([0]);
    expect(lines[0].segments.some((s) => s.marker && s.findings.includes(0))).toBe(true);
  });

  it('counts and ranks severities', () => {
    expect(worstSeverity(['info', 'error', 'warning'])).toBe('error');
    expect(worstSeverity([])).toBeNull();
    expect(countFindings([f({ line: 1, column: 1, deferred: true }), f({ line: 1, column: 1, severity: 'error' })])).toEqual({ error: 1, warning: 0, info: 1, deferred: 1 });
  });
});

describe('pathParts', () => {
  it('marks expansions and globs as symbolic and keeps the rest literal', () => {
    expect(pathParts('$BUILD_DIR/*')).toEqual([
      { text: '$BUILD_DIR', symbolic: true },
      { text: '/', symbolic: false },
      { text: '*', symbolic: true }
    ]);
    expect(pathParts('${1:-/var/log/a.log}').map((p) => p.symbolic)).toEqual([true]);
    expect(pathParts('/srv/backup/$(date +%F)/x').map((p) => p.text)).toEqual(['/srv/backup/', '$(date +%F)', '/x']);
    expect(pathParts('/tmp/dir/**').map((p) => p.symbolic)).toEqual([false, true]);
    expect(pathParts('/home/ci/build/app.o')).toEqual([{ text: '/home/ci/build/app.o', symbolic: false }]);
  });
});
