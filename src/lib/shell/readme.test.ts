import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands';
import { RULES } from './rules';
import { SHAPES } from './shapes';

const readme = readFileSync(fileURLToPath(new URL('./README.md', import.meta.url)), 'utf8');

describe('README.md documents the catalogues and rules', () => {
  it('lists every command of the command catalogue', () => {
    for (const c of COMMANDS) for (const n of [c.name, ...(c.aliases ?? [])]) expect(readme, n).toContain('`' + n + '`');
  });

  it('lists every entry of the shape catalogue', () => {
    for (const s of SHAPES) expect(readme, s.command).toContain('`' + s.command + '`');
  });

  it('lists every rule with its ShellCheck code', () => {
    for (const r of Object.values(RULES)) {
      expect(readme, r.id).toContain('`' + r.id + '`');
      if (r.shellcheck) expect(readme, r.id).toContain(r.shellcheck);
    }
  });
});
