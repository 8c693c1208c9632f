/** The catalogue editor's texts → the StageCatalogue pipelineToModel merges: parsing, validation, storage. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_CATALOGUE, planPipeline } from './pipelineModel.ts';
import type { PipelineInfo } from './types.ts';
import { catalogueRows, formatRate, loadEdits, parseRate, readEdits, saveEdits } from './catalogueDraft.ts';

const ok = (text: string) => {
  const r = parseRate(text);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return [r.rate, r.unit];
};
const bad = (text: string) => {
  const r = parseRate(text);
  if (r.ok) throw new Error(`${text} parsed as ${r.rate} ${r.unit}`);
  return r.message;
};

/** A pipeline as the analysis reports it (only the fields the editor reads matter). */
function pipeline(...commands: string[]): PipelineInfo {
  return {
    line: 1,
    column: 1,
    warnings: [],
    stages: commands.map((c, i) => ({ line: 1, column: 1 + 10 * i, command: c, args: [], input: { kind: 'unknown' }, output: { kind: 'unknown' }, inputShape: '', outputShape: '' }))
  } as unknown as PipelineInfo;
}

describe('parseRate', () => {
  it('reads SI and binary prefixes, bytes and lines, and the spellings of per second', () => {
    expect(ok('40 MB/s')).toEqual([40e6, 'bytes/s']);
    expect(ok(' 1.5GB/s ')).toEqual([1.5e9, 'bytes/s']);
    expect(ok('500 MiB/s')).toEqual([500 * 1048576, 'bytes/s']);
    expect(ok('64 KiB/s')).toEqual([65536, 'bytes/s']);
    expect(ok('10 kB/s')).toEqual([1e4, 'bytes/s']);
    expect(ok('2e6 bytes per second')).toEqual([2e6, 'bytes/s']);
    expect(ok('3 M lines/s')).toEqual([3e6, 'lines/s']);
    expect(ok('1500000 lines/sec')).toEqual([1.5e6, 'lines/s']);
    expect(ok('.5 G lines / s')).toEqual([5e8, 'lines/s']);
  });

  it('refuses what is not a rate, with a message that says what to write', () => {
    expect(bad('')).toMatch(/Empty/);
    expect(bad('40')).toMatch(/needs a unit: 40 MB\/s, or 40 lines\/s/);
    expect(bad('40 MB')).toMatch(/per second/);
    expect(bad('fast')).toMatch(/does not start with a number/);
    expect(bad('-5 MB/s')).toMatch(/positive/);
    expect(bad('0 MB/s')).toMatch(/out of range|positive/);
    expect(bad('40 Mb/s')).toMatch(/b is bits/);
    expect(bad('40 mB/s')).toMatch(/m is milli/);
    expect(bad('40 furlongs/s')).toMatch(/“furlongs” is not a unit/);
    expect(bad('3 Mi lines/s')).toMatch(/binary prefixes/);
    expect(bad('1,000 MB/s')).toMatch(/separators/);
    expect(bad('1e400 MB/s')).toMatch(/positive|range/);
    expect(bad('5 B/s')).toMatch(/between 1 kB\/s and 100 GB\/s/);
    expect(bad('2 TB/s')).toMatch(/out of range/);
    expect(bad('1 '.repeat(30) + 'MB/s')).toMatch(/Too long/);
    // markup is only text: the message quotes it, the caller renders it as text
    expect(bad('<img src=x> MB/s')).toContain('<img src=x>');
  });

  it('reads back what formatRate writes, for every default entry', () => {
    for (const [key, spec] of Object.entries(DEFAULT_STAGE_CATALOGUE)) {
      expect(ok(formatRate(spec)), key).toEqual([spec.rate, spec.unit]);
    }
    expect(formatRate({ rate: 40e6, unit: 'bytes/s' })).toBe('40 MB/s');
    expect(formatRate({ rate: 3e6, unit: 'lines/s' })).toBe('3 M lines/s');
    expect(formatRate({ rate: 500, unit: 'lines/s' })).toBe('500 lines/s');
  });
});

describe('readEdits', () => {
  it('gives only the valid edits, each the default entry with the new rate, and locates the bad ones', () => {
    const { catalogue, issues } = readEdits({ grep: '10 MB/s', sort: 'slow', uniq: '1 M lines/s', cat: '2 GB/s', jq: '' });
    expect(Object.keys(catalogue).sort()).toEqual(['grep', 'uniq']); // cat typed as its default: no entry; jq empty: as other commands
    expect(catalogue.grep).toMatchObject({ rate: 10e6, unit: 'bytes/s' });
    expect(catalogue.grep.why).toContain('default 1 GB/s');
    expect(catalogue.uniq).toMatchObject({ rate: 1e6, unit: 'lines/s' });
    expect(issues).toHaveLength(1);
    expect(issues[0].key).toBe('sort');
    expect(issues[0].message).toContain('slow');
  });

  it('keeps barrier and keeps from the default entry, and an empty known command is an error', () => {
    expect(readEdits({ sort: '20 MB/s' }).catalogue.sort.barrier).toBe(true);
    expect(readEdits({ grep: '  ' }).issues[0]).toMatchObject({ key: 'grep' });
  });

  it('moves the predicted bottleneck through planPipeline', () => {
    const p = pipeline('cat', 'grep', 'cut', 'sort', 'uniq', 'sort', 'head');
    expect(planPipeline(p, { catalogue: readEdits({}).catalogue }).bottleneck).toBe(3); // sort, 40 MB/s
    const plan = planPipeline(p, { catalogue: readEdits({ grep: '10 MB/s' }).catalogue });
    expect(plan.bottleneck).toBe(1);
    expect(plan.capacity).toBe(10e6);
    // an unknown command given its own rate is found by name, not as `*`
    const q = pipeline('cat', 'jq', 'wc');
    expect(planPipeline(q, { catalogue: readEdits({ jq: '5 MB/s' }).catalogue }).stages[1]).toMatchObject({ known: true, capacity: 5e6 });
    expect(planPipeline(q, { catalogue: readEdits({ '*': '7 MB/s' }).catalogue }).stages[1]).toMatchObject({ known: false, capacity: 7e6 });
  });
});

describe('catalogueRows', () => {
  it('one row per entry the stages use, aliases shared, unknown commands by name, then other commands', () => {
    const rows = catalogueRows(pipeline('/usr/bin/cat', 'gawk', 'sort', 'jq', 'awk', 'sort'), {});
    expect(rows.map((r) => [r.key, r.stages])).toEqual([
      ['cat', [1]],
      ['awk', [2, 5]],
      ['sort', [3, 6]],
      ['jq', [4]],
      ['*', []]
    ]);
    expect(rows[0]).toMatchObject({ text: '2 GB/s', edited: false, inherits: false, error: null });
    expect(rows[3]).toMatchObject({ text: '', inherits: true, edited: false, why: DEFAULT_STAGE_CATALOGUE['*'].why });
  });

  it('shows the typed text, whether it differs from the default, and its problem', () => {
    const rows = catalogueRows(pipeline('grep', 'sort'), { grep: '10 MB/s', sort: '40 M', '*': '100 MB/s' });
    expect(rows[0]).toMatchObject({ key: 'grep', text: '10 MB/s', edited: true, error: null, defaultText: '1 GB/s' });
    expect(rows[1]).toMatchObject({ key: 'sort', text: '40 M', edited: true });
    expect(rows[1].error).toMatch(/per second/);
    expect(rows[2]).toMatchObject({ key: '*', edited: false });
  });
});

describe('storage', () => {
  it('round-trips the valid edits and leaves out half-typed ones', () => {
    const raw = saveEdits({ grep: ' 10 MB/s ', sort: '40 M', '*': '50 MB/s' });
    expect(loadEdits(raw)).toEqual({ edits: { grep: '10 MB/s', '*': '50 MB/s' }, dropped: 0 });
  });

  it('drops whatever is not a valid edit (untrusted text)', () => {
    expect(loadEdits(null)).toEqual({ edits: {}, dropped: 0 });
    expect(loadEdits('{not json')).toEqual({ edits: {}, dropped: 1 });
    expect(loadEdits('{"v":2,"rates":{}}').dropped).toBe(1);
    expect(loadEdits('[1,2]').dropped).toBe(1);
    const r = loadEdits(JSON.stringify({ v: 1, rates: { grep: '10 MB/s', sort: 'fast', cut: 42, 'a b': '1 MB/s', ['x'.repeat(80)]: '1 MB/s' } }));
    expect(r).toEqual({ edits: { grep: '10 MB/s' }, dropped: 4 });
    const proto = loadEdits('{"v":1,"rates":{"__proto__":"10 MB/s"}}');
    expect(Object.getPrototypeOf(proto.edits)).toBe(Object.prototype);
    expect(Object.keys(proto.edits)).toEqual([]);
  });
});
