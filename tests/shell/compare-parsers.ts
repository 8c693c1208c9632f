/**
 * Compares the syntax tree built from tree-sitter-bash (src/lib/shell/treeSitter.ts) with the one
 * the former hand-written parser built (src/lib/shell/parse.ts, deleted after the switch; taken
 * from git history), on every corpus script and every snippet the shell tests parse
 * (tests/shell/snippets.json). Prints how many trees agree exactly (node kinds, fields and
 * positions) and, for the others, the first differences.
 *
 *   npx tsx tests/shell/compare-parsers.ts [--rev <git revision holding parse.ts>] [--all] [--dir <folder>]…
 *
 * `--dir` adds the shell scripts (a `#!…sh` or `#!…bash` first line) of a folder, e.g. /usr/bin.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkSyntax } from '../../src/lib/shell/syntax';
import { parseBashTree } from '../../src/lib/shell/treeSitter';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const rev = args.includes('--rev') ? args[args.indexOf('--rev') + 1] : '93d6769';
const showAll = args.includes('--all');

// the old parser, from git
const dir = mkdtempSync(join(tmpdir(), 'old-shell-parser-'));
for (const f of ['parse.ts', 'ast.ts']) {
  writeFileSync(join(dir, f), execFileSync('git', ['show', `${rev}:src/lib/shell/${f}`], { cwd: root, encoding: 'utf8' }));
}
const old = (await import(pathToFileURL(join(dir, 'parse.ts')).href)) as { parseShell: (src: string) => unknown };

const corpusDir = join(root, 'tests/shell/corpus');
const inputs = [
  ...readdirSync(corpusDir)
    .filter((f) => f.endsWith('.sh'))
    .sort()
    .map((f) => ({ name: `corpus/${f}`, src: readFileSync(join(corpusDir, f), 'utf8') })),
  ...(JSON.parse(readFileSync(join(root, 'tests/shell/snippets.json'), 'utf8')) as string[]).map((src, i) => ({ name: `snippet ${i}`, src }))
];
for (let i = 0; i < args.length; i++) {
  if (args[i] !== '--dir') continue;
  const d = args[i + 1];
  for (const f of readdirSync(d).sort()) {
    let src: string;
    try {
      src = readFileSync(join(d, f), 'utf8');
    } catch {
      continue;
    }
    if (/^#!\s*\S*\/(env\s+)?(ba|da)?sh\b/.test(src) && !src.includes('\u0000')) inputs.push({ name: join(d, f), src });
  }
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 8) return;
  if (a === b) return;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    out.push(`${path}: hand ${JSON.stringify(a)?.slice(0, 80)} / tree-sitter ${JSON.stringify(b)?.slice(0, 80)}`);
    return;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    out.push(`${path}: array vs object`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    const brief = (xs: unknown[]) => xs.map((x) => (x && typeof x === 'object' ? `${(x as { type?: string }).type}@${(x as { pos?: number }).pos}-${(x as { end?: number }).end}` : JSON.stringify(x))).join(' ');
    out.push(`${path}: hand ${a.length} items / tree-sitter ${b.length}\n      hand: ${brief(a)}\n      ts:   ${brief(b)}`);
    return;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) diff(ao[k], bo[k], `${path}.${k}`, out);
}

let agree = 0;
let differ = 0;
let rejected = 0;
let oldFailed = 0;
let tsProblems = 0;
for (const { name, src } of inputs) {
  const check = await checkSyntax(src);
  if (!check.ok) {
    rejected++;
    continue;
  }
  const mine = await parseBashTree(src, check.statements);
  let hand: unknown;
  try {
    hand = old.parseShell(src);
  } catch (e) {
    oldFailed++;
    console.log(`${name}: the hand parser failed (${(e as Error).message}); tree-sitter problems: ${mine.problems.map((p) => p.message).join('; ') || 'none'}`);
    continue;
  }
  const out: string[] = [];
  diff(hand, mine.file, 'file', out);
  if (mine.problems.length > 0) {
    tsProblems++;
    out.unshift(`tree-sitter problems: ${mine.problems.map((p) => `${p.message} @${p.at}`).join('; ')}`);
  }
  if (out.length === 0) agree++;
  else {
    differ++;
    console.log(`\n${name}: ${JSON.stringify(src).slice(0, 120)}`);
    for (const d of out.slice(0, showAll ? 8 : 4)) console.log('   ' + d);
  }
}
console.log(
  `\n${inputs.length} inputs: ${rejected} rejected by sh-syntax, ${agree} identical trees, ${differ} different, ${oldFailed} the hand parser could not read; ${tsProblems} with tree-sitter problems`
);
