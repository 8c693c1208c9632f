#!/usr/bin/env node
// Records ShellCheck's verdicts on every corpus script into its *.expected.json, under
// "shellcheck": { version, findings: [{ code, line }] }. The corpus test compares our findings
// with these records, so ShellCheck itself is not needed to run the tests.
//
//   apt-get install shellcheck && node tests/shell/record-shellcheck.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One finding per line: { "rule": "…", "line": 4 } */
const compact = (json) => json.replace(/\{\n\s+("(?:rule|code)": "[^"]*"),\n\s+("line": \d+)\n\s+\}/g, '{ $1, $2 }');

const dir = fileURLToPath(new URL('./corpus/', import.meta.url));
const v = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
if (v.error) {
  console.error('shellcheck is not installed (apt-get install shellcheck)');
  process.exit(1);
}
const version = /version: (\S+)/.exec(v.stdout)?.[1] ?? 'unknown';
for (const f of readdirSync(dir).filter((x) => x.endsWith('.sh')).sort()) {
  const r = spawnSync('shellcheck', ['-f', 'json1', '-s', 'bash', f], { cwd: dir, encoding: 'utf8' });
  const comments = JSON.parse(r.stdout || '{"comments":[]}').comments;
  const seen = new Set();
  const findings = [];
  for (const c of comments) {
    const key = `SC${c.code}:${c.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({ code: `SC${c.code}`, line: c.line });
  }
  findings.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
  const file = dir + f.replace(/\.sh$/, '.expected.json');
  const exp = JSON.parse(readFileSync(file, 'utf8'));
  exp.shellcheck = { version, findings };
  writeFileSync(file, compact(JSON.stringify(exp, null, 2)) + '\n');
  console.log(f, findings.map((x) => `${x.code}:${x.line}`).join(' '));
}
