import { describe, expect, it } from 'vitest';
import { analyzeShell } from './analyze';
import { awkPrintFields, SHAPES } from './shapes';
import type { PipelineInfo } from './types';

async function pipeline(src: string): Promise<PipelineInfo> {
  const r = await analyzeShell(src);
  expect(r.pipelines).toHaveLength(1);
  return r.pipelines[0];
}

const rulesOf = (p: PipelineInfo) => p.warnings.map((w) => w.rule);

describe('pipeline shapes', () => {
  it('describes each stage with its input and output', async () => {
    const p = await pipeline("cut -d' ' -f1 access.log | sort | uniq -c | sort -rn | head -n 3");
    expect(p.stages.map((s) => s.command)).toEqual(['cut', 'sort', 'uniq', 'sort', 'head']);
    expect(p.stages.map((s) => s.outputShape)).toEqual([
      'lines: any (blank)',
      'lines: any (blank), sorted',
      'lines: num any (aligned)',
      'lines: num any (aligned), sorted',
      'lines: num any (aligned), sorted'
    ]);
    expect(p.stages[2].args).toEqual(['-c']);
    expect(p.warnings).toEqual([]);
  });

  it('counts: wc -l on standard input is a single number; with files, number and name', async () => {
    expect((await pipeline('cat f | wc -l')).stages[1].outputShape).toBe('count');
    expect((await pipeline('wc -l a b | sort -n')).stages[0].outputShape).toBe('lines: num path … (aligned)');
  });

  it('warns when sort -n gets text, names or human-readable sizes', async () => {
    expect(rulesOf(await pipeline('ls | sort -n'))).toEqual(['pipe-numeric-sort']);
    expect(rulesOf(await pipeline('ls -l | sort -k9 -n'))).toEqual(['pipe-numeric-sort']);
    const du = await pipeline('du -sh * | sort -rn');
    expect(rulesOf(du)).toEqual(['pipe-numeric-sort']);
    expect(du.warnings[0].fix).toMatch(/sort -h/);
    expect(rulesOf(await pipeline('du -sh * | sort -h'))).toEqual([]);
    expect(rulesOf(await pipeline('ls -l | sort -k5 -n'))).toEqual([]);
    expect(rulesOf(await pipeline('ls -l | sort -k 5,5n'))).toEqual([]);
  });

  it('warns about fields that are not there', async () => {
    expect(rulesOf(await pipeline("wc -l < f | cut -d' ' -f2"))).toEqual(['pipe-field-range']);
    expect(rulesOf(await pipeline("grep -c x f | awk '{print $2}'"))).toEqual(['pipe-field-range']);
    expect(rulesOf(await pipeline("awk '{print $1, $2}' f | cut -d' ' -f3"))).toEqual(['pipe-field-range']);
  });

  it('warns when the separator does not match the input', async () => {
    expect(rulesOf(await pipeline('sort f | uniq -c | cut -f2'))).toEqual(['pipe-delimiter']);
    expect(rulesOf(await pipeline("sort f | uniq -c | cut -d' ' -f2"))).toEqual(['pipe-delimiter']);
    expect(rulesOf(await pipeline("ls -l | awk -F, '{print $5}'"))).toEqual(['pipe-delimiter']);
    expect(rulesOf(await pipeline("du -a | awk '{print $2}'"))).toEqual([]);
    expect(rulesOf(await pipeline("cut -d: -f1,3 /etc/passwd | awk '{print $2}'"))).toEqual(['pipe-delimiter']);
    expect(rulesOf(await pipeline("cut -d: -f1,3 /etc/passwd | cut -d: -f2"))).toEqual([]);
  });

  it('warns (deferred) when uniq gets selected fields that were never sorted', async () => {
    const p = await pipeline("awk '{print $1}' log | uniq -c");
    expect(rulesOf(p)).toEqual(['pipe-uniq-unsorted']);
    expect(p.warnings[0].deferred).toBe(true);
    expect(rulesOf(await pipeline("awk '{print $1}' log | sort | uniq -c"))).toEqual([]);
    expect(rulesOf(await pipeline('cat sorted.txt | uniq'))).toEqual([]);
    expect(rulesOf(await pipeline("tr ' ' '\\n' < f | uniq -c"))).toEqual(['pipe-uniq-unsorted']);
  });

  it('notes sorting a single count', async () => {
    expect(rulesOf(await pipeline('grep -c ERROR log | sort -n'))).toEqual(['pipe-single-line']);
  });

  it('treats unknown and compound stages as unknown shapes, without warnings', async () => {
    const p = await pipeline('jq .items data.json | while read -r x; do echo "$x"; done | sort -n');
    expect(p.stages.map((s) => s.outputShape)).toEqual(['unknown', 'unknown', 'lines, sorted']);
    expect(p.warnings).toEqual([]);
  });

  it('puts pipeline warnings among the findings at the stage', async () => {
    const r = await analyzeShell('echo start\nls /srv | sort -n');
    expect(r.findings.map((f) => [f.rule, f.line, f.column])).toEqual([['pipe-numeric-sort', 2, 11]]);
  });

  it('reads awk print programs', () => {
    expect(awkPrintFields('{print $1, $3}')).toEqual([1, 3]);
    expect(awkPrintFields('{ print }')).toEqual([0]);
    expect(awkPrintFields('{print NF}')).toBe('num');
    expect(awkPrintFields('{s += $1} END {print s}')).toBeNull();
  });

  it('covers the documented utilities', () => {
    const names = SHAPES.map((s) => s.command);
    for (const n of ['cat', 'grep', 'cut', 'sort', 'uniq', 'wc', 'awk', 'head', 'tail', 'tr', 'sed']) expect(names).toContain(n);
  });
});
