import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CallExpr, Stmt, Word } from './ast';
import { litOf, makeLocator, parseShell } from './parse';
import { byteToCharOffsets, checkSyntax, setShellParserWasm } from './syntax';

const corpusDir = fileURLToPath(new URL('../../../tests/shell/corpus/', import.meta.url));
const corpus = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.sh'))
  .sort()
  .map((f) => ({ name: f, src: readFileSync(corpusDir + f, 'utf8') }));

const call = (s: Stmt) => s.cmd as CallExpr;
const words = (ws: Word[]) => ws.map((w) => litOf(w) ?? '<expansion>');

/** Snippets that exercise the grammar: each must parse, with the same statements as mvdan/sh. */
const SNIPPETS = [
  'case "$1" in\n  start|run) echo go ;;\n  -h|--help)\n    usage; exit 0\n    ;;\n  *) echo "bad: $1" >&2; exit 1;;\nesac',
  'x=$(case $y in a) echo 1;; esac)',
  'cat <<EOF > out.txt\nhello $USER $(date)\n  `whoami`\nEOF\necho done',
  'cat <<-"END" | grep x\n\tline $notexpanded\n\tEND\nwc -l',
  'arr=(a "b c" $d)\ndeclare -A m=([k]=v [j]="w x")\necho "${arr[@]}" "${#arr[@]}" "${m[k]}"',
  'if [[ $x =~ ^(a|b)+$ && -n ${y:-} ]]; then echo ok; elif (( x > 3 )); then :; else false; fi',
  'for ((i=0; i<10; i++)); do echo $i; done',
  'f() { local a=$1; shift; echo "${@:2}"; }\nfunction g { echo g; }\nfunction h() (echo sub)',
  'echo ${x//\\//_} ${x%%.*} ${x#*/} ${x^^} ${x:1:2} ${!p} ${!pre@}',
  'a=1 b=2 cmd arg >&2 2>/dev/null &\nwait $!',
  'while IFS=: read -r user _ uid _; do echo "$user"; done < /etc/passwd',
  'diff <(sort a) <(sort b) > >(tee log)',
  '{ echo a; echo b; } | sort -u > out; ( cd /x && make ) || exit 1',
  'echo "nested $(echo "inner $(echo deep)")" `echo back\\`tick\\``',
  'x=$((a + b * (c - 1))); (( x++ )); let y=x+1',
  'select opt in a b c; do break; done',
  'echo a \\\n  b \\\n  c; echo "multi\nline"',
  'shopt -s extglob; rm -- !(keep).txt @(a|b) ; ls *.@(jpg|png)',
  "echo $'tab\\there' $\"loc\" ; echo 'single $x'",
  '[ -z "$1" ] && { echo "usage" >&2; exit 1; }',
  'time sleep 1; ! grep -q x f && echo none',
  'exec 3>&1 4<>file; echo hi >&3; exec 3>&-',
  "trap 'rm -f \"$tmp\"' EXIT INT TERM\ntmp=$(mktemp)",
  'echo ~/x ~ a~b; cd ~user/x',
  'echo # comment\n# full\necho b#notcomment',
  'if true\nthen\n  echo y\nfi; until false; do :; done',
  'x=${y:-$(date +%s)} z="${a:-"b c"}"',
  'echo $((16#ff)) $((0x1f)) $[1+2]',
  'foo &> /dev/null; bar &>> log; baz |& tee x',
  'cat <<< "here $string"; cat <<<word',
  'case $x in (a) echo;; (b|c) echo;; esac',
  'echo "${x:-default}" "${x:=v}" "${x:?err msg}" "${x:+alt}"',
  'test -f a -a -r a && echo; [ ! -d "$d" ] || echo',
  'for f in "$@"; do echo "$f"; done\nfor x; do echo $x; done',
  'echo "$(( $(wc -l < f) + 1 ))"',
  'ls | while read -r l; do echo "$l"; done; echo "${PIPESTATUS[@]}"',
  'echo "é ü — 😀"; rm -rf "$DIR/"*'
];

describe('parseShell: structure', () => {
  it('builds pipes, lists and simple commands', () => {
    const f = parseShell('rm -rf "$DIR/"* > out 2>&1 | sort -n && echo ok');
    expect(f.stmts).toHaveLength(1);
    const and = f.stmts[0].cmd!;
    expect(and.type).toBe('BinaryCmd');
    if (and.type !== 'BinaryCmd') return;
    expect(and.op).toBe('&&');
    const pipe = and.x.cmd!;
    expect(pipe.type === 'BinaryCmd' && pipe.op).toBe('|');
    if (pipe.type !== 'BinaryCmd') return;
    const rm = call(pipe.x);
    expect(words(rm.args)).toEqual(['rm', '-rf', '<expansion>']);
    expect(rm.args[2].parts.map((p) => p.type)).toEqual(['DblQuoted', 'Lit']);
    expect(pipe.x.redirs.map((r) => [r.n, r.op, litOf(r.word)])).toEqual([
      [null, '>', 'out'],
      ['2', '>&', '1']
    ]);
  });

  it('reads parameter expansions with operators', () => {
    const f = parseShell('echo ${DIR:?missing} ${x:-a b} ${#arr[@]} $1 ${!ref}');
    const parts = call(f.stmts[0]).args.slice(1).map((w) => w.parts[0]);
    expect(parts.map((p) => (p.type === 'ParamExp' ? [p.param, p.exp?.op ?? null, p.length, p.excl] : p.type))).toEqual([
      ['DIR', ':?', false, false],
      ['x', ':-', false, false],
      ['arr', null, true, false],
      ['1', null, false, false],
      ['ref', null, false, true]
    ]);
  });

  it('reads assignments, declarations and function definitions', () => {
    const f = parseShell('A=1 B="$x" cmd\nlocal y=$(date) z\nexport PATH="$HOME/bin:$PATH"\ngreet() { echo hi; }');
    expect(call(f.stmts[0]).assigns.map((a) => a.name)).toEqual(['A', 'B']);
    const decl = f.stmts[1].cmd!;
    expect(decl.type).toBe('DeclClause');
    if (decl.type === 'DeclClause') expect(decl.args.map((a) => (a.type === 'Assign' ? [a.name, a.naked] : 'word'))).toEqual([['y', false], ['z', true]]);
    expect(f.stmts[3].cmd!.type).toBe('FuncDecl');
  });

  it('reads here-document bodies, expanding only unquoted ones', () => {
    const f = parseShell('cat <<EOF\n$a $(b)\nEOF\ncat <<\'X\'\n$c\nX\n');
    const h1 = f.stmts[0].redirs[0].hdoc!;
    const h2 = f.stmts[1].redirs[0].hdoc!;
    expect(h1.parts.map((p) => p.type)).toEqual(['ParamExp', 'Lit', 'CmdSubst', 'Lit']);
    expect(h2.parts.map((p) => p.type)).toEqual(['Lit']);
  });

  it('reads compound commands', () => {
    const f = parseShell('if a; then b; elif c; then d; else e; fi\nwhile x; do y; done\nfor i in 1 2; do :; done\ncase $v in a|b) z;; esac\n[[ -n $q ]]\n(( n++ ))');
    expect(f.stmts.map((s) => s.cmd!.type)).toEqual(['IfClause', 'WhileClause', 'ForClause', 'CaseClause', 'TestClause', 'ArithmCmd']);
  });

  it('locates offsets as 1-based lines and columns', () => {
    const at = makeLocator('ab\ncd\n');
    expect(at(0)).toEqual({ line: 1, column: 1 });
    expect(at(4)).toEqual({ line: 2, column: 2 });
  });
});

describe('the parser agrees with sh-syntax (mvdan/sh)', () => {
  const inputs = [...SNIPPETS.map((src, i) => ({ name: `snippet ${i}`, src })), ...corpus];
  it.each(inputs.map((x) => [x.name, x.src] as const))('%s: same top-level statements', async (_name, src) => {
    const check = await checkSyntax(src);
    if (!check.ok) {
      expect(() => parseShell(src)).toThrow();
      return;
    }
    const mine = parseShell(src);
    expect(mine.stmts.map((s) => s.pos)).toEqual(check.statements.map((s) => s.pos));
  });
});

describe('checkSyntax', () => {
  it('reports the first syntax error with line and column', async () => {
    const r = await checkSyntax('echo ok\nif true; then\n  echo "unterminated\nfi\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.line).toBe(3);
    expect(r.column).toBe(8);
    expect(r.message).toMatch(/quote/);
  });

  it('counts columns in characters, not UTF-8 bytes', async () => {
    const r = await checkSyntax('echo é; ls )');
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.line, r.column]).toEqual([1, 12]);
    const toChar = byteToCharOffsets('aé😀b');
    expect([toChar(0), toChar(1), toChar(3), toChar(7)]).toEqual([0, 1, 2, 4]);
  });

  it('loads main.wasm from bytes the caller supplies (the browser path)', async () => {
    const bytes = readFileSync(fileURLToPath(new URL('../../../node_modules/sh-syntax/main.wasm', import.meta.url)));
    setShellParserWasm(() => bytes);
    try {
      const r = await checkSyntax('echo a | wc -l\necho b');
      expect(r.ok && r.statements.length).toBe(2);
    } finally {
      setShellParserWasm(null);
    }
  });
});
