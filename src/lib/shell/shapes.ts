/**
 * Pipeline shapes: what the text flowing through each pipe looks like, for a documented set of
 * text utilities, and the mismatches between what a stage produces and what the next expects.
 *
 * A shape is a coarse description of a stream of lines: plain lines, lines of fields (how they
 * are separated and, where known, what each field holds), a single count, or raw bytes.
 * `SHAPES` is the catalogue as data (what each command expects and produces, by flags);
 * `inferStage` applies one entry to an input shape and reports mismatches.
 */
import type { ParsedArgs } from './effects';

/** What a field holds, where known: a number, a human-readable size (4.0K), text, a path, or anything. */
export type FieldType = 'num' | 'size' | 'text' | 'path' | 'any';

export interface Shape {
  kind: 'lines' | 'count' | 'bytes' | 'unknown';
  /**
   * How fields are separated: 'blank' (runs of spaces/tabs, single-spaced), 'aligned'
   * (padded columns, possibly with leading spaces), or one delimiter character ('\t', ':', ',').
   */
  sep?: string;
  /** Field types from field 1, where known. */
  fields?: FieldType[];
  /** True when the number of fields is exactly fields.length. */
  exact?: boolean;
  /** true: known sorted; false: derived data not known to be sorted (selected fields, split words); absent: unknown. */
  sorted?: boolean;
  /** The stage that produced it (for messages). */
  from: string;
}

export type ShapeProduce =
  | 'same' // passes lines through (a subset, a prefix…): same fields
  | 'sorted' // same lines, sorted
  | 'count' // one number
  | 'counted' // uniq -c: an aligned count, then the line
  | 'select' // cut -f / awk '{print $N}': the selected fields
  | 'file-counts' // wc FILE…, grep -c with several files: a count and a name per line
  | 'names' // ls, find, grep -l: one path per line
  | 'long-listing' // ls -l: permissions, links, owner, group, size, date, name
  | 'sizes' // du: size TAB path
  | 'numbers' // seq: one number per line
  | 'words' // tr ' ' '\n': one word per line
  | 'lines' // lines of unknown fields
  | 'bytes'; // head -c, tr -d '\n': not line-oriented

export type ShapeExpect =
  | 'sorted-input' // uniq merges adjacent duplicates only
  | 'numeric-key' // sort -n/-g/-h or -k N n: the key field holds numbers
  | 'fields' // cut -f, awk $N, sort -k: the fields named exist and are split the same way
  | 'many-lines'; // sort/uniq on a single count does nothing

export interface ShapeEntry {
  command: string;
  aliases?: string[];
  summary: string;
  /** What it produces, first matching `when` (flags present) wins; the entry without `when` is the default. */
  produces: { when?: string[]; produces: ShapeProduce }[];
  expects: { when?: string[]; expect: ShapeExpect }[];
}

export const SHAPES: readonly ShapeEntry[] = [
  { command: 'cat', summary: 'passes its input (or its files\' lines) through', produces: [{ produces: 'same' }], expects: [] },
  {
    command: 'grep',
    aliases: ['egrep', 'fgrep'],
    summary: 'a subset of the lines; -c a count; -l names; -o the matches',
    produces: [
      { when: ['-c', '--count'], produces: 'count' },
      { when: ['-l', '-L', '--files-with-matches', '--files-without-match'], produces: 'names' },
      { when: ['-o', '--only-matching'], produces: 'lines' },
      { produces: 'same' }
    ],
    expects: []
  },
  { command: 'cut', summary: 'the fields selected by -f (split on -d, TAB by default); -c/-b characters', produces: [{ when: ['-c', '-b', '--characters', '--bytes'], produces: 'lines' }, { produces: 'select' }], expects: [{ when: ['-f', '--fields'], expect: 'fields' }] },
  {
    command: 'sort',
    summary: 'the same lines, sorted; -n/-g/-h or a key with n/g/h compares numbers',
    produces: [{ produces: 'sorted' }],
    expects: [
      { expect: 'many-lines' },
      { when: ['-n', '-g', '-h', '--numeric-sort', '--general-numeric-sort', '--human-numeric-sort', 'key:n', 'key:g', 'key:h'], expect: 'numeric-key' },
      { when: ['-k', '--key'], expect: 'fields' }
    ]
  },
  { command: 'uniq', summary: 'merges adjacent duplicate lines; -c prefixes an aligned count', produces: [{ when: ['-c', '--count'], produces: 'counted' }, { produces: 'same' }], expects: [{ expect: 'sorted-input' }, { expect: 'many-lines' }] },
  { command: 'wc', summary: 'counts: one number from standard input, "count name" lines for files', produces: [{ produces: 'count' }], expects: [] },
  { command: 'awk', aliases: ['gawk', 'mawk'], summary: "only '{print $N, …}' (with -F) is understood: the selected fields; other programs give unknown lines", produces: [{ produces: 'select' }], expects: [{ expect: 'fields' }] },
  { command: 'head', summary: 'the first lines (or bytes with -c)', produces: [{ when: ['-c', '--bytes'], produces: 'bytes' }, { produces: 'same' }], expects: [] },
  { command: 'tail', summary: 'the last lines (or bytes with -c)', produces: [{ when: ['-c', '--bytes'], produces: 'bytes' }, { produces: 'same' }], expects: [] },
  { command: 'tr', summary: "maps characters: turning blanks into newlines gives one word per line; deleting newlines gives bytes; otherwise the same fields", produces: [{ produces: 'same' }], expects: [] },
  { command: 'sed', summary: 'edited lines: fields unknown', produces: [{ produces: 'lines' }], expects: [] },
  // sources the pipelines commonly start with
  { command: 'ls', summary: 'names, one per line, sorted; -l a long listing', produces: [{ when: ['-l', '-g', '-o'], produces: 'long-listing' }, { produces: 'names' }], expects: [] },
  { command: 'find', summary: 'paths, one per line', produces: [{ produces: 'names' }], expects: [] },
  { command: 'du', summary: 'size TAB path (human-readable sizes with -h)', produces: [{ produces: 'sizes' }], expects: [] },
  { command: 'seq', summary: 'numbers, one per line, sorted', produces: [{ produces: 'numbers' }], expects: [] }
];

const SHAPE_BY_NAME = new Map<string, ShapeEntry>();
for (const e of SHAPES) {
  SHAPE_BY_NAME.set(e.command, e);
  for (const a of e.aliases ?? []) SHAPE_BY_NAME.set(a, e);
}

export function shapeEntry(command: string): ShapeEntry | undefined {
  return SHAPE_BY_NAME.get(command);
}

export const UNKNOWN: Shape = { kind: 'unknown', from: 'standard input' };

export function describeShape(s: Shape): string {
  if (s.kind === 'unknown') return 'unknown';
  if (s.kind === 'count') return 'count';
  if (s.kind === 'bytes') return 'bytes';
  let d = 'lines';
  if (s.fields && s.fields.length > 0) {
    const sep = s.sep === '\t' ? 'tab' : s.sep === 'blank' ? 'blank' : s.sep === 'aligned' ? 'aligned' : s.sep ? `'${s.sep}'` : '';
    d += `: ${s.fields.join(' ')}${s.exact || s.fields.length === 1 ? '' : ' …'}${sep ? ` (${sep})` : ''}`;
  }
  if (s.sorted) d += ', sorted';
  return d;
}

export interface ShapeWarning {
  rule: 'pipe-numeric-sort' | 'pipe-field-range' | 'pipe-delimiter' | 'pipe-uniq-unsorted' | 'pipe-single-line';
  message: string;
  fix: string;
  /** True when the verdict depends on the data at run time (uniq on maybe-sorted input). */
  deferred: boolean;
}

const FIELD_WORDS: Record<FieldType, string> = {
  num: 'numbers',
  size: 'human-readable sizes such as 4.0K',
  text: 'text',
  path: 'file names',
  any: 'anything'
};

/** Field numbers named by a cut-style list: "2", "1,3", "2-4" (open ranges stop at the start). */
function fieldList(list: string): number[] | null {
  const out: number[] = [];
  for (const part of list.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part.trim());
    if (!m) return null;
    const a = m[1] ? Number(m[1]) : 1;
    const b = m[2] ? (m[3] ? Number(m[3]) : a) : a;
    for (let k = a; k <= b && k < a + 64; k++) out.push(k);
  }
  return out;
}

/** `{print $1, $3}` → [1, 3]; `{print}` / `{print $0}` → [0]; `{print NF}` → 'num'; else null. */
export function awkPrintFields(program: string): number[] | 'num' | null {
  const m = /^\s*\{\s*print\s*(.*?)\s*;?\s*\}\s*$/.exec(program);
  if (!m) return null;
  const body = m[1];
  if (body === '' || body === '$0') return [0];
  if (/^(NF|NR|length(\(\s*(\$0)?\s*\))?)$/.test(body)) return 'num';
  const items = body.split(/\s*,\s*|\s+/);
  const out: number[] = [];
  for (const it of items) {
    const f = /^\$(\d+)$/.exec(it);
    if (!f) return null;
    out.push(Number(f[1]));
  }
  return out;
}

function sepName(sep: string | undefined): string {
  if (sep === 'blank' || sep === 'aligned') return 'spaces';
  if (sep === '\t') return 'TAB';
  return sep ? `'${sep}'` : 'an unknown separator';
}

function has(args: ParsedArgs, flags: string[]): boolean {
  return flags.some((f) => args.flags.has(f) || args.opts.has(f));
}

function optValue(args: ParsedArgs, names: string[]): string | null {
  for (const n of names) {
    const v = args.opts.get(n);
    if (v && v.length > 0) return v[v.length - 1].lit;
  }
  return null;
}

/** Sort keys: `-k 2`, `-k2,2n`, `-k 3nr` → field and whether the key itself is numeric. */
function sortKey(args: ParsedArgs): { field: number; numeric: 'n' | 'g' | 'h' | null } {
  const k = optValue(args, ['-k', '--key']);
  if (k) {
    const m = /^(\d+)(?:\.\d+)?([a-zA-Z]*)(?:,(\d+)(?:\.\d+)?([a-zA-Z]*))?$/.exec(k);
    if (m) {
      const flags = (m[2] ?? '') + (m[4] ?? '');
      const numeric = flags.includes('h') ? 'h' : flags.includes('g') ? 'g' : flags.includes('n') ? 'n' : null;
      return { field: Number(m[1]), numeric };
    }
  }
  return { field: 1, numeric: null };
}

/** What flows out of a stage, given what flows in, and what is wrong with the pairing. */
export function inferStage(
  command: string,
  args: ParsedArgs,
  input: Shape,
  /** Operand texts that are not options (files, the awk program…). */
  operands: (string | null)[]
): { output: Shape; warnings: ShapeWarning[] } {
  const entry = shapeEntry(command);
  const warnings: ShapeWarning[] = [];
  const from = command;
  if (!entry) return { output: { kind: 'unknown', from }, warnings };
  const fileInput = (command === 'awk' || command === 'gawk' || command === 'mawk' || command === 'grep' || command === 'egrep' || command === 'fgrep' || command === 'sed')
    ? operands.length > 1
    : operands.length > 0;
  // reading files: the stream in is the files' lines, not the pipe
  const inp: Shape = fileInput && !['tr', 'seq', 'ls', 'find', 'du'].includes(entry.command) ? { kind: 'lines', from: 'the files it reads' } : input;

  let produce: ShapeProduce = 'lines';
  for (const p of entry.produces) {
    if (!p.when || has(args, p.when)) {
      produce = p.produces;
      break;
    }
  }

  const expects = entry.expects.filter((e) => {
    if (!e.when) return true;
    return e.when.some((w) => {
      if (w.startsWith('key:')) return sortKey(args).numeric === w.slice(4);
      return has(args, [w]);
    });
  });

  for (const e of expects) {
    switch (e.expect) {
      case 'many-lines':
        if (inp.kind === 'count') {
          warnings.push({
            rule: 'pipe-single-line',
            message: `${command} receives a single number from ${inp.from}, so it has nothing to ${command === 'sort' ? 'sort' : 'merge'}`,
            fix: `drop ${command}, or move it before the counting stage`,
            deferred: false
          });
        }
        break;
      case 'sorted-input':
        if (inp.sorted === false && inp.kind === 'lines') {
          warnings.push({
            rule: 'pipe-uniq-unsorted',
            message: `uniq only merges adjacent duplicates, and the lines from ${inp.from} are not sorted (no sort stage before it)`,
            fix: 'sort before uniq (… | sort | uniq -c), or use sort -u',
            deferred: true
          });
        }
        break;
      case 'numeric-key': {
        const key = sortKey(args);
        const hFlag = has(args, ['-h', '--human-numeric-sort']) || key.numeric === 'h';
        const t = inp.kind === 'lines' ? inp.fields?.[key.field - 1] : undefined;
        if (t === 'text' || t === 'path') {
          warnings.push({
            rule: 'pipe-numeric-sort',
            message: `sort compares numbers, but field ${key.field} of ${inp.from}'s output holds ${FIELD_WORDS[t]}`,
            fix: key.field === 1 ? 'drop -n, or sort on the numeric field with -k' : `sort on a numeric field, or drop n from the key`,
            deferred: false
          });
        } else if (t === 'size' && !hFlag) {
          warnings.push({
            rule: 'pipe-numeric-sort',
            message: `sort -n reads only the leading digits, but field ${key.field} of ${inp.from}'s output holds ${FIELD_WORDS.size} (1.5M sorts before 20K)`,
            fix: 'use sort -h for human-readable sizes',
            deferred: false
          });
        }
        break;
      }
      case 'fields':
        checkFields(command, args, inp, operands, warnings);
        break;
    }
  }

  const output = produceShape(produce, command, args, inp, operands);
  return { output, warnings };
}

function checkFields(command: string, args: ParsedArgs, inp: Shape, operands: (string | null)[], warnings: ShapeWarning[]): void {
  if (inp.kind === 'count') {
    // a single number has exactly one field
    let want: number[] = [];
    if (command === 'cut') want = fieldList(optValue(args, ['-f', '--fields']) ?? '') ?? [];
    else if (command === 'sort') want = [sortKey(args).field];
    else {
      const pf = awkPrintFields(operands[0] ?? '');
      want = Array.isArray(pf) ? pf : [];
    }
    const beyond = want.filter((k) => k > 1);
    if (beyond.length > 0) {
      warnings.push({
        rule: 'pipe-field-range',
        message: `${command} asks for field ${beyond[0]}, but ${inp.from} prints a single number`,
        fix: 'use field 1, or count with the file name (wc -l FILE) if that was meant',
        deferred: false
      });
    }
    return;
  }
  if (inp.kind !== 'lines' || !inp.sep) return;
  if (command === 'cut') {
    const d = optValue(args, ['-d', '--delimiter']) ?? '\t';
    const list = fieldList(optValue(args, ['-f', '--fields']) ?? '') ?? [];
    if (inp.sep === 'aligned' && d === ' ') {
      warnings.push({
        rule: 'pipe-delimiter',
        message: `cut -d' ' splits on every single space, but ${inp.from} pads its columns with runs of spaces, so field ${list[0] ?? 1} is not the column you see`,
        fix: `use awk '{print $${list[0] ?? 1}}', which splits on runs of blanks`,
        deferred: false
      });
      return;
    }
    const inBlank = inp.sep === 'blank' || inp.sep === 'aligned';
    const mismatch = inBlank ? d !== ' ' : d !== inp.sep;
    if (mismatch) {
      warnings.push({
        rule: 'pipe-delimiter',
        message: `cut splits on ${d === '\t' ? 'TAB (its default)' : `'${d}'`}, but ${inp.from} separates fields with ${sepName(inp.sep)}: every line comes out whole`,
        fix: inBlank ? `use awk '{print $${list[0] ?? 1}}'` : `use cut -d'${inp.sep === '\t' ? '\\t' : inp.sep}'`,
        deferred: false
      });
      return;
    }
    if (inp.exact && inp.fields) {
      const beyond = list.filter((k) => k > inp.fields!.length);
      if (beyond.length > 0) {
        warnings.push({
          rule: 'pipe-field-range',
          message: `cut asks for field ${beyond[0]}, but ${inp.from} prints ${inp.fields.length} field${inp.fields.length === 1 ? '' : 's'} per line`,
          fix: `pick a field between 1 and ${inp.fields.length}`,
          deferred: false
        });
      }
    }
    return;
  }
  if (command === 'awk' || command === 'gawk' || command === 'mawk') {
    const fs = optValue(args, ['-F', '--field-separator']);
    const pf = awkPrintFields(operands[0] ?? '');
    if (!Array.isArray(pf)) return;
    const inBlank = inp.sep === 'blank' || inp.sep === 'aligned';
    if (fs !== null && fs !== ' ' && inBlank && fs.length === 1 && pf.some((k) => k > 1)) {
      warnings.push({
        rule: 'pipe-delimiter',
        message: `awk -F'${fs}' splits on '${fs}', but ${inp.from} separates fields with spaces: $${pf.find((k) => k > 1)} is empty`,
        fix: 'drop -F to split on blanks',
        deferred: false
      });
      return;
    }
    if (fs === null && !inBlank && inp.sep !== '\t' && pf.some((k) => k > 1)) {
      warnings.push({
        rule: 'pipe-delimiter',
        message: `awk splits on blanks, but ${inp.from} separates fields with ${sepName(inp.sep)}`,
        fix: `use awk -F'${inp.sep}'`,
        deferred: false
      });
      return;
    }
    if (inp.exact && inp.fields) {
      const beyond = pf.filter((k) => k > inp.fields!.length);
      if (beyond.length > 0) {
        warnings.push({
          rule: 'pipe-field-range',
          message: `awk prints $${beyond[0]}, but ${inp.from} prints ${inp.fields.length} field${inp.fields.length === 1 ? '' : 's'} per line`,
          fix: `pick a field between 1 and ${inp.fields.length}`,
          deferred: false
        });
      }
    }
    return;
  }
  if (command === 'sort' && (args.opts.has('-k') || args.opts.has('--key'))) {
    const key = sortKey(args);
    const t = optValue(args, ['-t', '--field-separator']);
    const inBlank = inp.sep === 'blank' || inp.sep === 'aligned';
    if (t !== null && inBlank && t !== ' ' && key.field > 1) {
      warnings.push({
        rule: 'pipe-delimiter',
        message: `sort -t'${t}' splits on '${t}', but ${inp.from} separates fields with spaces: key ${key.field} is empty`,
        fix: 'drop -t to split on blanks',
        deferred: false
      });
    } else if (t === null && !inBlank && inp.sep !== '\t' && key.field > 1) {
      warnings.push({
        rule: 'pipe-delimiter',
        message: `sort splits on blanks, but ${inp.from} separates fields with ${sepName(inp.sep)}`,
        fix: `use sort -t'${inp.sep}'`,
        deferred: false
      });
    } else if (inp.exact && inp.fields && key.field > inp.fields.length) {
      warnings.push({
        rule: 'pipe-field-range',
        message: `sort keys on field ${key.field}, but ${inp.from} prints ${inp.fields.length} field${inp.fields.length === 1 ? '' : 's'} per line`,
        fix: `pick a key between 1 and ${inp.fields.length}`,
        deferred: false
      });
    }
  }
}

function produceShape(produce: ShapeProduce, command: string, args: ParsedArgs, inp: Shape, operands: (string | null)[]): Shape {
  const from = command;
  switch (produce) {
    case 'same':
      if (command === 'tr') return trShape(operands, args, inp);
      if (inp.kind === 'unknown') return { kind: 'lines', from: inp.from };
      return { ...inp };
    case 'sorted':
      return inp.kind === 'unknown' ? { kind: 'lines', sorted: true, from } : { ...inp, sorted: true, from: inp.kind === 'count' ? inp.from : inp.from };
    case 'count': {
      const files = command === 'grep' || command === 'egrep' || command === 'fgrep' ? operands.length - 1 : operands.length;
      if (files >= 2) {
        return command === 'wc'
          ? { kind: 'lines', sep: 'aligned', fields: ['num', 'path'], exact: false, from }
          : { kind: 'lines', sep: ':', fields: ['path', 'num'], exact: true, from };
      }
      if (files === 1 && command === 'wc') return { kind: 'lines', sep: 'blank', fields: ['num', 'path'], exact: false, from };
      return { kind: 'count', fields: ['num'], exact: true, from };
    }
    case 'counted': {
      const rest: FieldType[] = inp.kind === 'lines' && inp.fields ? inp.fields : ['any'];
      return { kind: 'lines', sep: 'aligned', fields: ['num', ...rest], exact: inp.kind === 'lines' && !!inp.exact && !!inp.fields, sorted: false, from: 'uniq -c' };
    }
    case 'select': {
      if (command === 'cut') {
        const list = fieldList(optValue(args, ['-f', '--fields']) ?? '');
        const d = optValue(args, ['--output-delimiter']) ?? optValue(args, ['-d', '--delimiter']) ?? '\t';
        if (!list) return { kind: 'lines', from };
        const matches = inp.kind === 'lines' && inp.sep !== undefined && ((inp.sep === 'blank' && d === ' ') || inp.sep === d);
        const types: FieldType[] = list.map((k) => (matches && inp.fields && inp.fields[k - 1]) || 'any');
        const keepsOrder = inp.sorted === true && list.length > 0 && list[0] === 1;
        return { kind: 'lines', sep: d === ' ' ? 'blank' : d, fields: types, exact: true, sorted: keepsOrder ? true : false, from: `cut -f${list.join(',')}` };
      }
      const pf = awkPrintFields(operands[0] ?? '');
      if (pf === 'num') return { kind: 'lines', sep: 'blank', fields: ['num'], exact: true, from: 'awk' };
      if (pf === null) return { kind: 'lines', from: 'awk' };
      if (pf.length === 1 && pf[0] === 0) return inp.kind === 'unknown' ? { kind: 'lines', from: inp.from } : { ...inp };
      const fs = optValue(args, ['-F', '--field-separator']);
      const splitsLikeInput = inp.kind === 'lines' && (fs === null ? inp.sep === 'blank' || inp.sep === 'aligned' : inp.sep === fs);
      const types: FieldType[] = pf.map((k) => (k === 0 ? 'any' : (splitsLikeInput && inp.kind === 'lines' && inp.fields?.[k - 1]) || 'any'));
      const keepsOrder = inp.sorted === true && pf[0] === 1;
      return { kind: 'lines', sep: 'blank', fields: types, exact: pf.every((k) => k > 0), sorted: keepsOrder ? true : false, from: `awk '{print ${pf.map((k) => '$' + k).join(', ')}}'` };
    }
    case 'file-counts':
      return { kind: 'lines', sep: 'aligned', fields: ['num', 'path'], exact: false, from };
    case 'names':
      return { kind: 'lines', fields: ['path'], exact: false, sorted: command === 'ls' ? true : undefined, from };
    case 'long-listing': {
      const size: FieldType = args.flags.has('-h') || args.flags.has('--human-readable') ? 'size' : 'num';
      return { kind: 'lines', sep: 'aligned', fields: ['text', 'num', 'text', 'text', size, 'text', 'num', 'text', 'path'], exact: false, sorted: false, from: 'ls -l' };
    }
    case 'sizes': {
      const human = args.flags.has('-h') || args.flags.has('--human-readable');
      return { kind: 'lines', sep: '\t', fields: [human ? 'size' : 'num', 'path'], exact: false, sorted: false, from: human ? 'du -h' : 'du' };
    }
    case 'numbers':
      return { kind: 'lines', sep: 'blank', fields: ['num'], exact: true, sorted: true, from };
    case 'words':
      return { kind: 'lines', fields: ['any'], exact: true, sorted: false, from };
    case 'bytes':
      return { kind: 'bytes', from };
    case 'lines':
    default:
      return inp.kind === 'lines' && inp.sorted === false ? { kind: 'lines', sorted: false, from } : { kind: 'lines', from };
  }
}

function trShape(operands: (string | null)[], args: ParsedArgs, inp: Shape): Shape {
  const set1 = operands[0] ?? null;
  const set2 = operands[1] ?? null;
  const deleting = args.flags.has('-d') || args.flags.has('--delete');
  const newline = (s: string | null) => s !== null && (s.includes('\\n') || s.includes('\n'));
  if (deleting && newline(set1)) return { kind: 'bytes', from: 'tr -d' };
  if (set1 !== null && set2 !== null && newline(set2) && /^( |\[:space:\]|\[:blank:\]|\\t| \\t|\\t )$/.test(set1)) {
    return { kind: 'lines', fields: ['any'], exact: true, sorted: false, from: 'tr' };
  }
  if (inp.kind === 'unknown') return { kind: 'lines', from: 'tr' };
  if ((args.flags.has('-s') || args.flags.has('--squeeze-repeats')) && set1 === ' ' && inp.sep === 'aligned') {
    return { ...inp, sep: 'blank', from: inp.from };
  }
  return { ...inp };
}
