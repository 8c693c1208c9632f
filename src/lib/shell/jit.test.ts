import { describe, expect, it } from 'vitest';
import { analyzeParsed, analyzeShell } from './analyze';
import { checkSyntax } from './syntax';

const MOTIVATING = '#!/bin/bash\n# reset the cache\nrm -rf "$DIR/"*\nmkdir -p "$DIR/downloads"\n';

describe('just in time: the motivating rm -rf "$DIR/"*', () => {
  it('without an environment the finding is deferred and the path symbolic', async () => {
    const r = await analyzeShell(MOTIVATING);
    const f = r.findings.find((x) => x.rule === 'rm-empty-expansion')!;
    expect(f).toMatchObject({ line: 3, severity: 'warning', deferred: true });
    expect(r.effects[0]).toMatchObject({ line: 3, deletes: ['$DIR/*'], symbolic: true });
    expect(r.jit).toBeUndefined();
  });

  it('supplying DIR resolves the finding and gives the concrete paths deleted', async () => {
    const env = { vars: { DIR: '/home/ana/.cache/app' }, files: ['/home/ana/.cache/app/a.bin', '/home/ana/.cache/app/sub/b.bin', '/home/ana/notes.txt'] };
    const r = await analyzeShell(MOTIVATING, env);
    expect(r.findings.filter((x) => x.rule === 'rm-empty-expansion')).toEqual([]);
    expect(r.effects[0]).toMatchObject({ line: 3, deletes: ['/home/ana/.cache/app/a.bin', '/home/ana/.cache/app/sub'], symbolic: false });
    expect(r.effects[1]).toMatchObject({ line: 4, creates: ['/home/ana/.cache/app/downloads'], symbolic: false });
    expect(r.jit!.changes).toEqual([expect.objectContaining({ rule: 'rm-empty-expansion', line: 3, outcome: 'gone' })]);
  });

  it('leaving DIR unset turns it into an error, and shows what /* would delete', async () => {
    const env = { vars: { HOME: '/home/ana' }, files: ['/home/ana/notes.txt', '/etc/passwd', '/usr/bin/ls'] };
    const r = await analyzeShell(MOTIVATING, env);
    const f = r.findings.find((x) => x.rule === 'rm-empty-expansion')!;
    expect(f).toMatchObject({ line: 3, severity: 'error', deferred: false });
    expect(f.message).toMatch(/DIR is unset here, so this runs rm -rf \/\*/);
    expect(r.effects[0].deletes).toEqual(['/etc', '/home', '/usr']);
    expect(r.jit!.changes).toContainEqual(expect.objectContaining({ rule: 'rm-empty-expansion', outcome: 'error' }));
    expect(r.jit!.changes).toContainEqual(expect.objectContaining({ rule: 'unset-variable', outcome: 'new' }));
  });

  it('an empty DIR is an error too', async () => {
    const r = await analyzeShell(MOTIVATING, { vars: { DIR: '' } });
    expect(r.findings.find((x) => x.rule === 'rm-empty-expansion')).toMatchObject({ severity: 'error', deferred: false });
  });

  it('a guard makes the command unreachable when DIR is unset: nothing is deleted', async () => {
    const r = await analyzeShell('[ -n "$DIR" ] || exit 1\nrm -rf "$DIR/"*\n', { vars: {} });
    expect(r.findings.filter((x) => x.rule === 'rm-empty-expansion')).toEqual([]);
    expect(r.effects).toEqual([]);
  });
});

describe('just in time: other deferred findings', () => {
  it('cd: a missing directory becomes an error and relative paths stay in the old directory', async () => {
    const src = 'cd /srv/app/releases\nrm -rf current\n';
    const base = await analyzeShell(src);
    expect(base.findings[0]).toMatchObject({ rule: 'cd-unchecked', deferred: true, severity: 'warning' });
    expect(base.effects[0].deletes).toEqual(['/srv/app/releases/current']);

    const missing = await analyzeShell(src, { files: ['/home/ana/current/x'], cwd: '/home/ana' });
    expect(missing.findings[0]).toMatchObject({ rule: 'cd-unchecked', deferred: false, severity: 'error' });
    expect(missing.findings[0].message).toMatch(/does not exist.*runs in \/home\/ana/);
    expect(missing.effects[0].deletes).toEqual(['/home/ana/current']);

    const present = await analyzeShell(src, { files: ['/srv/app/releases/current/app.js'] });
    expect(present.findings.filter((f) => f.rule === 'cd-unchecked')).toEqual([]);
    expect(present.jit!.changes).toContainEqual(expect.objectContaining({ rule: 'cd-unchecked', outcome: 'gone' }));
  });

  it('unquoted expansions: a value without blanks is fine, one with blanks splits', async () => {
    const src = 'cp $SRC /backup/\n';
    const plain = await analyzeShell(src, { vars: { SRC: '/data/file.txt' } });
    expect(plain.findings).toEqual([]);
    const spaced = await analyzeShell(src, { vars: { SRC: '/data/my file.txt' } });
    expect(spaced.findings[0]).toMatchObject({ rule: 'unquoted-expansion', severity: 'warning', deferred: false });
    expect(spaced.findings[0].message).toMatch(/2 words/);
  });

  it('unset variables: supplied ones disappear, missing ones become definite', async () => {
    const src = 'echo "$target_host"\ncurl -o "$OUT" https://example.com\n';
    const base = await analyzeShell(src);
    expect(base.findings.map((f) => [f.rule, f.deferred])).toEqual([['unset-variable', true]]);
    const r = await analyzeShell(src, { vars: { target_host: 'db1' } });
    expect(r.findings.map((f) => [f.rule, f.line, f.deferred])).toEqual([['unset-variable', 2, false]]);
    expect(r.jit!.changes.map((c) => [c.rule, c.line, c.outcome])).toEqual([
      ['unset-variable', 1, 'gone'],
      ['unset-variable', 2, 'new']
    ]);
  });

  it('script arguments are supplied as "1", "2"…', async () => {
    const r = await analyzeShell('rm -rf "$1/"*\n', { vars: { '1': '/tmp/work' }, files: ['/tmp/work/a'] });
    expect(r.findings).toEqual([]);
    expect(r.effects[0].deletes).toEqual(['/tmp/work/a']);
  });

  it('command output stays deferred', async () => {
    const r = await analyzeShell('d=$(mktemp -d)\nrm -rf $d\n', { vars: {} });
    expect(r.findings.map((f) => [f.rule, f.deferred])).toEqual([['unquoted-expansion', true]]);
    expect(r.jit!.changes.map((c) => c.outcome)).toEqual(['still-deferred']);
  });

  it('the synchronous core re-runs on one parse', async () => {
    const check = await checkSyntax(MOTIVATING);
    const a = analyzeParsed(check, MOTIVATING);
    const b = analyzeParsed(check, MOTIVATING, { vars: { DIR: '/x' } });
    expect(a.findings.some((f) => f.rule === 'rm-empty-expansion')).toBe(true);
    expect(b.findings.some((f) => f.rule === 'rm-empty-expansion')).toBe(false);
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);
  });

  it('analyses the rest when tree-sitter-bash cannot read a statement sh-syntax accepted', async () => {
    // extended globs are valid Bash (mvdan/sh accepts them) but tree-sitter-bash 0.25 cannot read them
    const src = 'rm -rf "$A/"*\nrm -- !(keep).txt\nrm -rf "$B/"*\n';
    const r = await analyzeShell(src);
    expect(r.findings.map((f) => [f.rule, f.line, f.severity])).toEqual([
      ['rm-empty-expansion', 1, 'warning'],
      ['parser-limit', 2, 'warning'],
      ['rm-empty-expansion', 3, 'warning']
    ]);
    const limit = r.findings.find((f) => f.rule === 'parser-limit')!;
    expect([limit.column, limit.endLine, limit.endColumn]).toEqual([1, 2, 18]);
    expect(limit.message).toMatch(/tree-sitter-bash/);
    // carried over unchanged into the just-in-time report
    const jit = await analyzeShell(src, { vars: { A: '/a', B: '/b' } });
    expect(jit.findings.map((f) => [f.rule, f.line])).toEqual([['parser-limit', 2]]);
  });
});
