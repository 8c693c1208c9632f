/**
 * The script as lines of segments, each segment covered by the same set of findings, for the
 * shell panel's annotated view (ScriptView.svelte). Pure: no DOM, so it is unit-tested in Node.
 *
 * Positions are the report's: 1-based lines and columns in UTF-16 code units (the same units as
 * JavaScript string indices), `endColumn` exclusive. A finding without an end covers the word
 * at its start (up to the next blank); one at the end of a line (a syntax error at the end of
 * the file, say) gets a one-character marker after the text, so it is always visible.
 *
 * Nothing from the script is ever interpreted: the segments are plain strings, which the view
 * renders as text.
 */
import type { Finding, Severity } from '../../shell/types.ts';

export interface Segment {
  text: string;
  /** Indices into the findings array of the findings covering this segment (empty: plain text). */
  findings: number[];
  /** The most severe of those findings' severities (null: plain text). */
  severity: Severity | null;
  /** True when every finding covering it is deferred (drawn dashed: it depends on run-time values). */
  deferred: boolean;
  /** A marker after the line's text (the finding points past the last character). */
  marker?: boolean;
}

export interface AnnotatedLine {
  /** 1-based line number. */
  n: number;
  segments: Segment[];
  /** Indices of the findings that start on this line. */
  starts: number[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function worstSeverity(list: readonly Severity[]): Severity | null {
  let best: Severity | null = null;
  for (const s of list) if (best === null || RANK[s] > RANK[best]) best = s;
  return best;
}

/** The text's lines, as the shell reads them (split at \n; a \r before it stays part of the line). */
export function splitLines(source: string): string[] {
  return source.split('\n');
}

/** [from, to) columns (0-based) the finding covers on line `n` (1-based), or null. */
function rangeOn(f: Finding, n: number, text: string): [number, number] | null {
  const endLine = f.endLine ?? f.line;
  if (n < f.line || n > endLine) return null;
  const from = n === f.line ? Math.max(0, f.column - 1) : 0;
  let to: number;
  if (n === endLine && f.endLine !== undefined && f.endColumn !== undefined) to = f.endColumn - 1;
  else if (n < endLine) to = text.length;
  else {
    // no end given: the word at the start
    to = from;
    while (to < text.length && !/\s/.test(text[to])) to++;
  }
  to = Math.min(Math.max(to, from + 1), Math.max(text.length, from + 1));
  return [from, to];
}

/**
 * Every line of `source` cut into segments at the findings' boundaries. Findings whose line is
 * beyond the text are put on the last line.
 */
export function annotate(source: string, findings: readonly Finding[]): AnnotatedLine[] {
  const lines = splitLines(source);
  const byLine = new Map<number, number[]>();
  const lastLine = lines.length;
  findings.forEach((f, i) => {
    const from = Math.min(Math.max(1, f.line), lastLine);
    const to = Math.min(Math.max(from, f.endLine ?? f.line), lastLine);
    for (let n = from; n <= to; n++) {
      let list = byLine.get(n);
      if (!list) byLine.set(n, (list = []));
      list.push(i);
    }
  });
  return lines.map((text, k) => {
    const n = k + 1;
    const here = byLine.get(n) ?? [];
    const starts = here.filter((i) => Math.min(Math.max(1, findings[i].line), lastLine) === n);
    if (here.length === 0) return { n, segments: [{ text, findings: [], severity: null, deferred: false }], starts };
    const ranges: { i: number; from: number; to: number }[] = [];
    for (const i of here) {
      const f = findings[i];
      // a finding beyond the last line (clamped) covers the end of the last line
      const clamped = f.line > lastLine ? { ...f, line: n, column: text.length + 1, endLine: undefined, endColumn: undefined } : f;
      const r = rangeOn(clamped, n, text);
      if (r) ranges.push({ i, from: r[0], to: r[1] });
    }
    const cuts = new Set<number>([0, text.length]);
    for (const r of ranges) {
      cuts.add(r.from);
      cuts.add(r.to);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const segments: Segment[] = [];
    for (let j = 0; j + 1 < points.length; j++) {
      const a = points[j];
      const b = points[j + 1];
      if (b <= a) continue;
      const cover = ranges.filter((r) => r.from <= a && r.to >= b).map((r) => r.i);
      const past = a >= text.length;
      const seg: Segment = {
        text: past ? ' ' : text.slice(a, b),
        findings: cover,
        severity: worstSeverity(cover.map((i) => findings[i].severity)),
        deferred: cover.length > 0 && cover.every((i) => findings[i].deferred)
      };
      if (past) seg.marker = true;
      // merge with the previous segment when it is covered by the same findings
      const prev = segments[segments.length - 1];
      if (prev && !prev.marker && !seg.marker && sameList(prev.findings, seg.findings)) prev.text += seg.text;
      else segments.push(seg);
    }
    if (segments.length === 0) segments.push({ text: '', findings: [], severity: null, deferred: false });
    return { n, segments, starts };
  });
}

function sameList(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Counts by severity, and how many are deferred, for the panel's summary line. */
export function countFindings(findings: readonly Finding[]): { error: number; warning: number; info: number; deferred: number } {
  const c = { error: 0, warning: 0, info: 0, deferred: 0 };
  for (const f of findings) {
    c[f.severity]++;
    if (f.deferred) c.deferred++;
  }
  return c;
}

/**
 * A path from the effects table cut into literal text and the parts that are still symbolic
 * (`$VAR`, `${…}`, `$(…)`, glob characters, `/**`), so the view can mark them.
 */
export function pathParts(path: string): { text: string; symbolic: boolean }[] {
  const out: { text: string; symbolic: boolean }[] = [];
  const re = /\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?$!-]|\/\*\*|[*?]|\[[^\]]*\]/g;
  let last = 0;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m.index > last) out.push({ text: path.slice(last, m.index), symbolic: false });
    out.push({ text: m[0], symbolic: true });
    last = m.index + m[0].length;
  }
  if (last < path.length) out.push({ text: path.slice(last), symbolic: false });
  return out;
}
