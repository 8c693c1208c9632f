/** The environment editor's draft → the analysis' ShellEnv: only the parts given, bad rows located. */
import { describe, expect, it } from 'vitest';
import { emptyDraft, readDraft } from './envDraft.ts';

describe('readDraft', () => {
  it('gives no environment for an empty draft (the plain analysis)', () => {
    expect(readDraft(emptyDraft())).toEqual({ env: undefined, issues: [] });
    // a row being typed (no name yet) is not a variable
    expect(readDraft({ vars: [{ name: ' ', value: 'x' }], files: '\n  \n', cwd: ' ' }).env).toBeUndefined();
  });

  it('sends each part only when given; an empty value is a set, empty variable', () => {
    expect(readDraft({ vars: [{ name: 'BUILD_DIR', value: '' }], files: '', cwd: '' }).env).toEqual({ vars: { BUILD_DIR: '' } });
    expect(readDraft({ vars: [], files: '/a/b\n\n /c/ \n', cwd: '' }).env).toEqual({ files: ['/a/b', '/c/'] });
    expect(readDraft({ vars: [{ name: '1', value: 'x y' }], files: '', cwd: '/home/me' }).env).toEqual({ vars: { '1': 'x y' }, cwd: '/home/me' });
  });

  it('leaves out bad rows and says where and why', () => {
    const r = readDraft({ vars: [{ name: 'OK', value: '1' }, { name: 'NOT OK', value: '2' }, { name: '0', value: '' }, { name: 'OK', value: '3' }], files: 'rel/path\n/abs', cwd: 'home' });
    expect(r.env).toEqual({ vars: { OK: '3' }, files: ['/abs'] });
    expect(r.issues.map((i) => i.where)).toEqual(['variable 2', 'variable 3', 'variable 4', 'files line 1', 'working directory']);
    expect(r.issues[0].message).toContain('NOT OK');
    expect(r.issues[2].message).toContain('twice');
  });
});
