import { describe, expect, it } from 'vitest';
import { CSV_HEADER, fileNameFor, resultsCsv, resultsReport } from './export.ts';
import { mm1, runDoc } from './testing.ts';

const { model, summary } = runDoc(mm1());

/** A minimal CSV reader (quoted fields, CRLF) to check what we write. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('results exports', () => {
  it('JSON is the CLI report: format, version, every node, analytic and series', () => {
    const r = resultsReport(model, summary);
    expect(r.format).toBe('systems-sandbox/results');
    expect(r.version).toBe(1);
    expect(Object.keys(r.nodes as object)).toEqual(Object.keys(summary.nodes));
    expect((r.analytic as Record<string, { formula: string }>).srv.formula).toBe('M/M/1');
    expect(r.series).toBe(summary.series);
    // NaN becomes null in JSON text, as in the CLI.
    const text = JSON.stringify(r);
    expect(JSON.parse(text).nodes.done.utilisation.mean).toBeNull();
  });

  it('CSV has one row per node and measure, with the numbers of the summary', () => {
    const rows = parseCsv(resultsCsv(model, summary));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    const find = (node: string, measure: string) => rows.find((r) => r[0] === node && r[2] === measure);
    const x = find('srv', 'throughput')!;
    expect(Number(x[4])).toBe(summary.nodes.srv.throughput.mean);
    expect(Number(x[5])).toBe(summary.nodes.srv.throughput.ci[0]);
    expect(find('done', 'response_p99')![4]).toBe(String(summary.nodes.done.response.p99));
    expect(find('srv', 'station_response')).toBeDefined();
    // No utilisation at a sink: an empty cell, not "NaN".
    expect(find('done', 'utilisation')![4]).toBe('');
    for (const r of rows) expect(r).toHaveLength(CSV_HEADER.length);
    // Nodes in model order.
    expect([...new Set(rows.slice(1).map((r) => r[0]))]).toEqual(['clients', 'q', 'srv', 'done']);
  });

  it('CSV quotes commas and defuses spreadsheet formulas in ids', () => {
    const s = structuredClone(summary);
    s.nodes['=cmd,x'] = { ...s.nodes.srv, id: '=cmd,x' };
    const text = resultsCsv(model, s);
    expect(text).toContain(`"'=cmd,x"`);
    expect(parseCsv(text).some((r) => r[0] === "'=cmd,x")).toBe(true);
  });

  it('file names are safe and never empty', () => {
    expect(fileNameFor('M/M/1 queue', '.json')).toBe('mm1-queue.json');
    expect(fileNameFor('  ', '-results.csv')).toBe('model-results.csv');
    expect(fileNameFor('Retry storm: 5/s → 15/s', '.json')).toBe('retry-storm-5s-15s.json');
  });
});
