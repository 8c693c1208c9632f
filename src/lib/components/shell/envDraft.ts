/**
 * The just-in-time environment as the shell panel's editor holds it (rows of name and value, the
 * existing files as lines of text, the working directory), and its reading into the analysis'
 * `ShellEnv`. Pure, so it is unit-tested.
 *
 * Each part is sent only when the user gave it, because each part given closes the world for that
 * part (src/lib/shell/README.md): with any variable listed, every variable not listed counts as
 * unset; with any file listed, every path not listed counts as missing.
 */
import type { ShellEnv } from '../../shell/types.ts';

export interface VarRow {
  name: string;
  value: string;
}

export interface EnvDraft {
  vars: VarRow[];
  /** One path per line; a trailing "/" lists an empty directory. */
  files: string;
  cwd: string;
}

export const emptyDraft = (): EnvDraft => ({ vars: [], files: '', cwd: '' });

/** A shell variable name, or a positional parameter ("1", "2", …). */
const NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[1-9][0-9]*)$/;

export interface DraftIssue {
  /** Where: "variable 2", "files line 3", "working directory". */
  where: string;
  message: string;
}

/**
 * The environment to analyse with (undefined: nothing supplied, the plain analysis), and the
 * problems of the rows left out (a bad name, a relative path). Rows with an empty name are
 * ignored (a row being typed).
 */
export function readDraft(d: EnvDraft): { env: ShellEnv | undefined; issues: DraftIssue[] } {
  const issues: DraftIssue[] = [];
  const env: ShellEnv = {};
  const vars: Record<string, string> = {};
  let anyVar = false;
  d.vars.forEach((row, i) => {
    const name = row.name.trim();
    if (name === '') return;
    if (!NAME.test(name)) {
      issues.push({ where: `variable ${i + 1}`, message: `“${name}” is not a variable name (letters, digits and _, not starting with a digit; or a positional number such as 1).` });
      return;
    }
    if (name in vars) issues.push({ where: `variable ${i + 1}`, message: `${name} is listed twice; the last value is used.` });
    vars[name] = row.value;
    anyVar = true;
  });
  if (anyVar) env.vars = vars;

  const files: string[] = [];
  d.files.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (!line.startsWith('/')) {
      issues.push({ where: `files line ${i + 1}`, message: `“${line}” is not an absolute path (start it with /).` });
      return;
    }
    files.push(line);
  });
  if (files.length > 0) env.files = files;

  const cwd = d.cwd.trim();
  if (cwd !== '') {
    if (cwd.startsWith('/')) env.cwd = cwd;
    else issues.push({ where: 'working directory', message: `“${cwd}” is not an absolute path (start it with /).` });
  }
  const given = env.vars !== undefined || env.files !== undefined || env.cwd !== undefined;
  return { env: given ? env : undefined, issues };
}
