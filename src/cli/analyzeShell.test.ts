/** The shell analysis through the CLI: report shape, environment file, bad input. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeShellMain, parseEnv } from './analyzeShell';

function run(argv: string[]) {
  let out = '';
  let err = '';
  return analyzeShellMain(argv, { out: (s) => (out += s), err: (s) => (err += s) }).then((code) => ({ code, out, err }));
}

const dir = mkdtempSync(join(tmpdir(), 'sandbox-shell-'));
const script = join(dir, 'clean.sh');
writeFileSync(script, 'DIR=$1\nrm -rf "$DIR/"*\n');

describe('analyze shell', () => {
  it('prints the documented JSON: findings, effects, pipelines', async () => {
    const r = await run([script, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.findings[0]).toMatchObject({ line: 2, rule: 'rm-empty-expansion', deferred: true });
    expect(report.effects[0].deletes).toEqual(['$1/*']);
    expect(Array.isArray(report.pipelines)).toBe(true);
  });

  it('resolves the deferred finding with an environment file', async () => {
    const envFile = join(dir, 'env.json');
    writeFileSync(envFile, JSON.stringify({ vars: { '1': '/srv/app' }, files: ['/srv/app/a'] }));
    const report = JSON.parse((await run([script, '--json', '--env', envFile])).out);
    expect(report.findings.some((f: { rule: string }) => f.rule === 'rm-empty-expansion')).toBe(false);
    expect(report.effects[0].deletes).toEqual(['/srv/app/a']);
    expect(report.jit.changes[0]).toMatchObject({ rule: 'rm-empty-expansion', outcome: 'gone' });
  });

  it('exits 2 on a syntax error, with its line and column', async () => {
    const bad = join(dir, 'bad.sh');
    writeFileSync(bad, 'if true; then\n  echo hi\n');
    const r = await run([bad]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/bad\.sh:\d+:\d+: error: .*\[syntax\]/);
  });

  it('refuses a malformed environment with a located message', () => {
    expect(parseEnv('{"vars":{"A":1}}', 'env.json')).toEqual({ ok: false, message: 'env.json: vars.A: expected a string, got 1' });
    expect(parseEnv('[1]', 'env.json').ok).toBe(false);
    expect(parseEnv('{nope', 'env.json').ok).toBe(false);
  });

  it('says which file it cannot read', async () => {
    const r = await run([join(dir, 'missing.sh')]);
    expect(r.code).toBe(66);
    expect(r.err).toMatch(/missing\.sh: cannot read the file \(ENOENT\)/);
  });
});
