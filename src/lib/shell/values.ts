/**
 * What the analysis knows about a variable at a point of the script: an abstract value.
 *
 * - `str`: its exact value (a literal assignment, or a value from the supplied environment);
 * - `unset`: certainly unset (only when an environment is supplied, or after `unset`);
 * - `unk`: unknown at analysis time (an argument, command output, `read`, the environment
 *   when none is supplied), with two facts that matter to the rules: whether it may be empty
 *   (or unset), and whether it is "safe", i.e. cannot contain blanks or glob characters
 *   (a number, a literal without spaces). `sym` is its text with the known parts filled in
 *   ("/srv/backup/$(date +%F)"), shown in effects instead of the variable's name.
 *
 * Findings that depend on an `unk` value are deferred; supplying the environment turns
 * `unk` values from the environment into `str` or `unset` and the findings resolve.
 */

export type Val =
  | { k: 'str'; v: string }
  | { k: 'unset' }
  | { k: 'unk'; empty: boolean; safe: boolean; src: string; sym?: string };

export const UNSET: Val = { k: 'unset' };

export function str(v: string): Val {
  return { k: 'str', v };
}

export function unk(empty: boolean, safe: boolean, src: string): Val {
  return { k: 'unk', empty, safe, src };
}

export function canBeEmpty(v: Val): boolean {
  return v.k === 'unset' || (v.k === 'str' ? v.v === '' : v.empty);
}

export function isKnownEmpty(v: Val): boolean {
  return v.k === 'unset' || (v.k === 'str' && v.v === '');
}

/** Word splitting and globbing leave the value alone. */
export function isSafe(v: Val): boolean {
  if (v.k === 'str') return !/[\s*?[]/.test(v.v);
  if (v.k === 'unset') return false;
  return v.safe;
}

export function join(a: Val, b: Val): Val {
  if (a.k === 'str' && b.k === 'str' && a.v === b.v) return a;
  if (a.k === 'unset' && b.k === 'unset') return a;
  const src = a.k === 'unk' ? a.src : b.k === 'unk' ? b.src : 'different values on different paths';
  // an unset variable expands to nothing: joined with a safe value, nothing can split
  const v = unk(canBeEmpty(a) || canBeEmpty(b), (isSafe(a) || a.k === 'unset') && (isSafe(b) || b.k === 'unset'), src);
  if (a.k === 'unk' && b.k === 'unk' && a.sym !== undefined && a.sym === b.sym) return { ...v, sym: a.sym } as Val;
  return v;
}

/** The value of several parts written side by side ("$a/$b"). */
export function concat(vals: Val[]): Val {
  if (vals.every((v) => v.k === 'str' || v.k === 'unset')) {
    return str(vals.map((v) => (v.k === 'str' ? v.v : '')).join(''));
  }
  const src = vals.find((v) => v.k === 'unk') as { src: string } | undefined;
  return unk(
    vals.every((v) => canBeEmpty(v)),
    vals.every((v) => isSafe(v) || isKnownEmpty(v)),
    src?.src ?? 'unknown'
  );
}

export function describeVal(v: Val): string {
  if (v.k === 'str') return JSON.stringify(v.v);
  if (v.k === 'unset') return 'unset';
  return v.src;
}

/** Variables with a value in any ordinary session; not reported as unset, never empty. */
export const WELL_KNOWN_VARS = new Set([
  'HOME', 'PATH', 'USER', 'LOGNAME', 'SHELL', 'PWD', 'OLDPWD', 'TERM', 'LANG', 'HOSTNAME', 'UID', 'EUID', 'PPID',
  'RANDOM', 'SECONDS', 'LINENO', 'BASH', 'BASH_VERSION', 'BASH_SOURCE', 'BASH_LINENO', 'BASH_REMATCH', 'BASHPID',
  'FUNCNAME', 'PIPESTATUS', 'IFS', 'PS1', 'PS2', 'PS3', 'PS4', 'OPTARG', 'OPTIND', 'REPLY', 'MAPFILE', 'HOSTTYPE',
  'OSTYPE', 'MACHTYPE', 'SHLVL', 'EPOCHSECONDS', 'EPOCHREALTIME', 'GROUPS', 'DIRSTACK', 'COLUMNS', 'LINES', 'HISTFILE',
  'TMPDIR', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'EDITOR', 'VISUAL', 'PAGER', 'MAIL', 'DISPLAY', 'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'SSH_AUTH_SOCK', 'CI'
]);

/** Values that are safe unquoted and never empty: $# $? $$ $! $- */
export const SAFE_SPECIALS = new Set(['#', '?', '$', '!', '-']);
