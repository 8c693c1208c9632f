import { describe, expect, it } from 'vitest';
import { analyzeShell } from './analyze';
import { RULES, type RuleId } from './rules';
import type { Finding } from './types';

async function findings(src: string, rule?: RuleId): Promise<Finding[]> {
  const r = await analyzeShell(src);
  return rule ? r.findings.filter((f) => f.rule === rule) : r.findings;
}

async function lines(src: string, rule: RuleId): Promise<number[]> {
  return (await findings(src, rule)).map((f) => f.line);
}

describe('every finding carries its rule text', () => {
  it('has a ShellCheck code, explanation and fix', async () => {
    const [f] = await findings('rm -rf "$DIR/"*', 'rm-empty-expansion');
    expect(f).toMatchObject({ rule: 'rm-empty-expansion', shellcheck: 'SC2115', line: 1, column: 8, endLine: 1, endColumn: 16 });
    expect(f.explanation).toBe(RULES['rm-empty-expansion'].explanation);
    expect(f.fix).toMatch(/\$\{DIR:\?\}/);
  });

  it('sorts findings by position', async () => {
    const fs = await findings('echo $a\nrm -rf "$D/"*\ncd x\nexit\necho');
    const keys = fs.map((f) => [f.line, f.column]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });

  it('reports a syntax error with the parser\'s line and column, and nothing else', async () => {
    const fs = await findings('echo ok\nfor x in a b; do\n  echo "$x"\n');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ rule: 'syntax', severity: 'error', line: 2, column: 1, deferred: false });
  });
});

describe('rm-empty-expansion (SC2115)', () => {
  it('flags rm -r on "$VAR/"* and "$VAR/" when VAR may be empty, as deferred', async () => {
    const fs = await findings('rm -rf "$DIR/"*\nrm -r $A/*\nrm -fr "$P/"\nrm -rf "$X/$Y/"*', 'rm-empty-expansion');
    expect(fs.map((f) => f.line)).toEqual([1, 2, 3, 4]);
    expect(fs.every((f) => f.deferred && f.severity === 'warning')).toBe(true);
    expect(fs[0].message).toMatch(/rm -rf \/\*/);
  });

  it('flags find "$VAR/" -delete and sudo rm', async () => {
    expect(await lines('find "$CACHE/" -type f -delete\nsudo rm -rf "$D"/*', 'rm-empty-expansion')).toEqual([1, 2]);
  });

  it('is an error when the variable is known to be empty', async () => {
    const [f] = await findings('DIR=""\nrm -rf "$DIR/"*', 'rm-empty-expansion');
    expect(f).toMatchObject({ severity: 'error', deferred: false, line: 2 });
  });

  it('does not flag paths that stay below the root or non-recursive rm', async () => {
    expect(await lines('rm -rf "$DIR/build"\nrm -rf "/x/$A/"*\nrm "$DIR/"*.log\nrm -rf "$DIR"', 'rm-empty-expansion')).toEqual([]);
  });

  it('does not flag guarded or known-non-empty variables', async () => {
    const src = [
      'rm -rf "${A:?}/"*',
      '[ -n "$B" ] && rm -rf "$B/"*',
      'if [ -z "$C" ]; then exit 1; fi',
      'rm -rf "$C/"*',
      'D=${D:-/tmp/d}',
      'rm -rf "$D/"*',
      'E=/opt/e',
      'rm -rf "$E/"*',
      ': "${F:?}"',
      'rm -rf "$F/"*',
      '[ -d "$G" ] || exit 1',
      'rm -rf "$G/"*',
      'test -n "$H" || { echo no; exit 1; }',
      'rm -rf "$H/"*'
    ].join('\n');
    expect(await lines(src, 'rm-empty-expansion')).toEqual([]);
  });
});

describe('unquoted-expansion (SC2086, SC2046, SC2068)', () => {
  it('flags unquoted variables of unknown value in arguments and redirections', async () => {
    const fs = await findings('x=$1\ncp $x /tmp\necho hi > $x.log', 'unquoted-expansion');
    expect(fs.map((f) => [f.line, f.shellcheck, f.deferred])).toEqual([
      [2, 'SC2086', true],
      [3, 'SC2086', true]
    ]);
  });

  it('flags unquoted command substitutions and $@', async () => {
    const fs = await findings('ls $(cat list)\nrun() { cmd $@; }\nrun a', 'unquoted-expansion');
    expect(fs.map((f) => [f.line, f.shellcheck])).toEqual([
      [1, 'SC2046'],
      [2, 'SC2068']
    ]);
  });

  it('flags a known value with spaces as a definite warning', async () => {
    const [f] = await findings('msg="two words"\ntouch $msg', 'unquoted-expansion');
    expect(f).toMatchObject({ severity: 'warning', deferred: false });
    expect(f.message).toMatch(/2 words/);
  });

  it('does not flag quoted, safe or non-splitting contexts', async () => {
    const src = [
      'x=$1',
      'echo "$x" "${x}" "$(date)"',
      'n=3; m=$n; k=$((n + 1)); echo $n $m $k $# $? ${#x}',
      'y=$x; z=$x$y; local_copy=$x',
      '[[ $x == a* ]]',
      'case $x in a) ;; esac',
      'for w in $x; do echo "$w"; done',
      'cat <<< $x',
      '$x --version'
    ].join('\n');
    expect(await lines(src, 'unquoted-expansion')).toEqual([]);
  });
});

describe('read-write-same-file (SC2094)', () => {
  it('flags a file read and truncated in one pipeline', async () => {
    const fs = await findings('sort f > f\ncat a | grep x > a\ngrep x log >> log\nsed s/a/b/ "$f" > "$f"\ngrep x g | tee g', 'read-write-same-file');
    expect(fs.map((f) => [f.line, f.severity])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'warning'],
      [4, 'error'],
      [5, 'error']
    ]);
  });

  it('does not flag different files, sort -o or sed -i', async () => {
    expect(await lines('sort f > g\nsort -o f f\nsed -i s/a/b/ f\ncat f > /dev/null\nsort f > f.tmp && mv f.tmp f', 'read-write-same-file')).toEqual([]);
  });
});

describe('cd-unchecked (SC2164)', () => {
  it('flags cd whose failure is not handled, more severely before a destructive command', async () => {
    const fs = await findings('cd /srv/app\nrm -rf build\ncd /tmp\necho hi', 'cd-unchecked');
    expect(fs.map((f) => [f.line, f.severity, f.deferred])).toEqual([
      [1, 'warning', true],
      [3, 'info', true]
    ]);
    expect(fs[0].message).toMatch(/rm \(line 2\)/);
  });

  it('flags cd in functions and subshells, and pushd/popd', async () => {
    expect(await lines('f() { cd /x; }\nf\n(cd /y; make)\npushd /z\npopd', 'cd-unchecked')).toEqual([1, 3, 4, 5]);
  });

  it('does not flag handled cd, cd .. or cd under set -e', async () => {
    expect(await lines('cd /a || exit\ncd /b && ls\nif cd /c; then ls; fi\n(cd /d && make)\ncd /e || { echo; exit 1; }\ncd ..', 'cd-unchecked')).toEqual([]);
    expect(await lines('set -e\ncd /a\nrm -rf x', 'cd-unchecked')).toEqual([]);
    expect(await lines('#!/bin/bash -e\ncd /a', 'cd-unchecked')).toEqual([]);
  });
});

describe('unset-variable (SC2154)', () => {
  it('flags lowercase names used but never set, once each', async () => {
    const fs = await findings('echo "$foo" "$foo"\necho $((bar + 1))', 'unset-variable');
    expect(fs.map((f) => [f.line, f.column, f.deferred])).toEqual([
      [1, 7, true],
      [2, 9, true]
    ]);
  });

  it('does not flag variables set by =, read, for, export, declare, getopts, mapfile, printf -v, let, arithmetic or ${x:=}', async () => {
    const src = [
      'a=1; read -r b; for c in x; do :; done; export d; declare e; local_f=1',
      'getopts "ab" g; mapfile -t h < f; printf -v i "%s" x; let j=1; (( k = 2 )); : "${l:=v}"',
      'echo "$a $b $c $d $e $local_f $g $h $i $j $k $l"'
    ].join('\n');
    expect(await lines(src, 'unset-variable')).toEqual([]);
  });

  it('does not flag ALL_CAPS names, specials, defaults or -n/-z tests', async () => {
    expect(await lines('echo "$DIR $HOME $1 $@ $# $?" "${x:-d}" "${y:?}" "${z:+a}"\n[ -n "$w" ]; [[ -z $v ]]', 'unset-variable')).toEqual([]);
  });
});

describe('unreachable (SC2317)', () => {
  it('flags statements after exit, return, and calls to functions that always exit', async () => {
    expect(await lines('echo a\nexit 0\necho b\nls', 'unreachable')).toEqual([3, 4]);
    expect(await lines('f() {\n  return 1\n  echo x\n}\nf', 'unreachable')).toEqual([3]);
    expect(await lines('die() { echo "$*"; exit 1; }\ndie oops\necho after', 'unreachable')).toEqual([3]);
    expect(await lines('if true; then exit 1; else exit 2; fi\necho dead', 'unreachable')).toEqual([2]);
  });

  it('does not flag conditional exits, code after break, or functions called before the exit', async () => {
    expect(await lines('[ -z "$x" ] && exit 1\necho b', 'unreachable')).toEqual([]);
    expect(await lines('while true; do break; echo x; done', 'unreachable')).toEqual([]);
    expect(await lines('main() { helper; }\nmain\nexit\nhelper() { echo; }', 'unreachable')).toEqual([]);
  });
});

describe('ls-loop (SC2045)', () => {
  it('flags for loops over $(ls) and `ls`', async () => {
    expect(await lines('for f in $(ls); do echo "$f"; done\nfor f in `ls -1 /tmp`; do :; done', 'ls-loop')).toEqual([1, 2]);
  });

  it('does not flag globs or other command output', async () => {
    expect(await lines('for f in *.txt; do :; done\nfor i in $(seq 3); do :; done\nls | while read -r f; do :; done', 'ls-loop')).toEqual([]);
  });
});
