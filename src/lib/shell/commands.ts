/**
 * The command catalogue: what each known command does to the file system, as data.
 *
 * Each entry says how to read the command's arguments (which options take a value, which
 * leading operands are not paths) and what role each path plays. `effectsOf` (effects.ts)
 * interprets the table; a handful of commands whose arguments are not "options then
 * operands" (find, tar, dd, curl, wget, rsync, uniq) have a `special` reader there.
 *
 * Roles:
 *   read    the command reads the path (contents, or a listing for directories)
 *   write   it writes the path (truncates or appends; creates it if missing)
 *   create  it creates the path (a directory, a link, a copy's destination); if the path
 *           already exists it is overwritten / touched, which counts as a write
 *   delete  it removes the path (recursively with -r where the entry says so)
 *   move    it reads and then removes the path (mv's sources)
 *   meta    it changes metadata only (mode, owner, times) — reported as a write
 *   edit    it reads and rewrites the path in place (sed -i)
 *   none    not a path (a URL, a pattern)
 *
 * Redirections are the same for every command: `<` reads; `>`, `>|`, `&>` write (truncate);
 * `>>`, `&>>` write (append); `<>` reads and writes; here-documents and fd duplications
 * (`2>&1`) touch no file. /dev/null, /dev/std*, /dev/fd/* and /dev/tty are not effects.
 */

export type Role = 'read' | 'write' | 'create' | 'delete' | 'move' | 'meta' | 'edit' | 'none';

export interface CommandSpec {
  /** Command name as typed (the basename when invoked by path, e.g. /bin/rm). */
  name: string;
  aliases?: string[];
  /** One line for the documentation table. */
  summary: string;
  /** Options that take a value (`-n 5`, `-n5`, `--lines=5`, `--lines 5`). */
  valueOpts?: string[];
  /** Leading operands that are not paths: a pattern, a mode, an owner, a program. */
  skip?: number;
  /** Options that replace the skipped operand (grep -e PATTERN, sed -e SCRIPT, awk -f FILE). */
  skipUnless?: string[];
  /** Role of each operand. */
  operands: Role;
  /** Role of the last operand when there are at least two (a destination). */
  last?: Role;
  /** Options whose value is a destination directory (`cp -t DIR`): then every operand is a source. */
  targetOpts?: string[];
  /** Roles of option values (`sort -o FILE` writes FILE). */
  optRoles?: Record<string, Role>;
  /** Flags that change the operands' role (`sed -i` edits its files). */
  flagRoles?: { flags: string[]; operands: Role }[];
  /** Flags that make the command recursive (`rm -r`). */
  recursive?: string[];
  /** Deletes, moves or overwrites what it names: matters after an unchecked `cd`. */
  destructive?: boolean;
  /** Argument readers that do not fit the table (effects.ts). */
  special?: 'find' | 'tar' | 'dd' | 'curl' | 'wget' | 'rsync' | 'uniq' | 'mktemp';
}

export const COMMANDS: readonly CommandSpec[] = [
  // ---- removing ------------------------------------------------------------------------
  { name: 'rm', summary: 'deletes its operands (recursively with -r/-R)', operands: 'delete', recursive: ['-r', '-R', '--recursive'], destructive: true },
  { name: 'rmdir', summary: 'deletes empty directories', operands: 'delete', destructive: true },
  { name: 'unlink', summary: 'deletes one file', operands: 'delete', destructive: true },
  { name: 'shred', summary: 'overwrites files; deletes them with -u', valueOpts: ['-n', '-s', '--iterations', '--size'], operands: 'write', flagRoles: [{ flags: ['-u', '--remove'], operands: 'delete' }], destructive: true },
  // ---- copying, moving, linking --------------------------------------------------------
  { name: 'mv', summary: 'moves sources to the last operand (or into -t DIR)', valueOpts: ['-t', '--target-directory', '-S', '--suffix'], operands: 'move', last: 'create', targetOpts: ['-t', '--target-directory'], destructive: true },
  { name: 'cp', summary: 'copies sources to the last operand (or into -t DIR)', valueOpts: ['-t', '--target-directory', '-S', '--suffix'], operands: 'read', last: 'create', targetOpts: ['-t', '--target-directory'], recursive: ['-r', '-R', '-a', '--recursive', '--archive'] },
  { name: 'ln', summary: 'creates the link named by the last operand, pointing at the first', valueOpts: ['-t', '--target-directory', '-S', '--suffix'], operands: 'read', last: 'create', targetOpts: ['-t', '--target-directory'], flagRoles: [{ flags: ['-s', '--symbolic'], operands: 'none' }] },
  { name: 'install', summary: 'copies files to the last operand; with -d creates directories', valueOpts: ['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix'], operands: 'read', last: 'create', targetOpts: ['-t', '--target-directory'], flagRoles: [{ flags: ['-d', '--directory'], operands: 'create' }] },
  { name: 'rsync', summary: 'copies sources to the last operand; --delete removes extra files there', valueOpts: ['-e', '--rsh', '--exclude', '--include', '--exclude-from', '--include-from', '--filter', '-f', '--log-file', '--chmod', '--chown', '-T', '--temp-dir', '--backup-dir', '--suffix'], operands: 'read', last: 'create', special: 'rsync', destructive: true },
  // ---- creating ------------------------------------------------------------------------
  { name: 'mkdir', summary: 'creates directories', valueOpts: ['-m', '--mode'], operands: 'create' },
  { name: 'touch', summary: 'creates files or updates their times', valueOpts: ['-d', '--date', '-t', '-r', '--reference'], optRoles: { '-r': 'read', '--reference': 'read' }, operands: 'create' },
  { name: 'mktemp', summary: 'creates a temporary file (or directory with -d) under $TMPDIR', valueOpts: ['-p', '--tmpdir', '--suffix'], operands: 'none', special: 'mktemp' },
  { name: 'truncate', summary: 'sets the size of files (creating them)', valueOpts: ['-s', '--size', '-r', '--reference'], optRoles: { '-r': 'read', '--reference': 'read' }, operands: 'write', destructive: true },
  { name: 'tee', summary: 'writes its input to each file (appends with -a)', valueOpts: ['--output-error'], operands: 'write' },
  { name: 'dd', summary: 'reads if=FILE, writes of=FILE', operands: 'none', special: 'dd', destructive: true },
  // ---- metadata ------------------------------------------------------------------------
  { name: 'chmod', summary: 'changes modes (first operand is the mode)', valueOpts: ['--reference'], optRoles: { '--reference': 'read' }, skip: 1, skipUnless: ['--reference'], operands: 'meta', recursive: ['-R', '--recursive'] },
  { name: 'chown', summary: 'changes owners (first operand is the owner)', valueOpts: ['--reference', '--from'], optRoles: { '--reference': 'read' }, skip: 1, skipUnless: ['--reference'], operands: 'meta', recursive: ['-R', '--recursive'] },
  { name: 'chgrp', summary: 'changes groups (first operand is the group)', valueOpts: ['--reference'], optRoles: { '--reference': 'read' }, skip: 1, skipUnless: ['--reference'], operands: 'meta', recursive: ['-R', '--recursive'] },
  // ---- editing -------------------------------------------------------------------------
  { name: 'sed', summary: 'reads files after the script; with -i rewrites them in place', valueOpts: ['-e', '--expression', '-f', '--file', '-l', '--line-length', '-s'], optRoles: { '-f': 'read', '--file': 'read' }, skip: 1, skipUnless: ['-e', '--expression', '-f', '--file'], operands: 'read', flagRoles: [{ flags: ['-i', '--in-place'], operands: 'edit' }], destructive: false },
  // ---- archives and downloads ----------------------------------------------------------
  { name: 'tar', summary: '-c creates the -f archive from operands; -x extracts it into -C DIR or the working directory; -t lists it', valueOpts: ['-f', '--file', '-C', '--directory', '-T', '--files-from', '-X', '--exclude-from', '--exclude', '-b', '-H', '--format'], operands: 'read', special: 'tar' },
  { name: 'curl', summary: 'downloads URLs; -o FILE writes FILE, -O writes the URL\'s basename', valueOpts: ['-o', '--output', '-T', '--upload-file', '-d', '--data', '--data-binary', '--data-raw', '-H', '--header', '-X', '--request', '-u', '--user', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar', '-K', '--config', '-m', '--max-time', '--connect-timeout', '--retry', '-w', '--write-out', '-x', '--proxy', '-F', '--form', '--cacert', '--cert', '--key', '-r', '--range', '-z', '--time-cond', '--output-dir', '-D', '--dump-header'], operands: 'none', special: 'curl' },
  { name: 'wget', summary: 'downloads URLs; -O FILE writes FILE, else the URL\'s basename (under -P DIR)', valueOpts: ['-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-a', '--append-output', '-i', '--input-file', '-U', '--user-agent', '-t', '--tries', '-T', '--timeout', '--header', '--user', '--password'], operands: 'none', special: 'wget' },
  // ---- searching -----------------------------------------------------------------------
  { name: 'find', summary: 'reads the start directories; -delete and -exec rm delete what matches', operands: 'read', special: 'find' },
  // ---- text utilities (read their file operands; the shapes catalogue covers their output) --
  { name: 'cat', aliases: ['tac', 'nl', 'less', 'more', 'od', 'xxd', 'base64', 'strings'], summary: 'reads its operands', operands: 'read' },
  { name: 'grep', aliases: ['egrep', 'fgrep', 'zgrep'], summary: 'reads files after the pattern (or all operands with -e/-f)', valueOpts: ['-e', '--regexp', '-f', '--file', '-m', '--max-count', '-A', '--after-context', '-B', '--before-context', '-C', '--context', '--include', '--exclude', '--exclude-dir', '--label', '--color', '--colour', '-d', '-D'], optRoles: { '-f': 'read', '--file': 'read' }, skip: 1, skipUnless: ['-e', '--regexp', '-f', '--file'], operands: 'read' },
  { name: 'cut', summary: 'reads its operands', valueOpts: ['-d', '--delimiter', '-f', '--fields', '-c', '--characters', '-b', '--bytes', '--output-delimiter'], operands: 'read' },
  { name: 'sort', summary: 'reads its operands; -o FILE writes FILE (after reading, so sort -o f f is safe)', valueOpts: ['-k', '--key', '-t', '--field-separator', '-o', '--output', '-S', '--buffer-size', '-T', '--temporary-directory', '--parallel', '--batch-size', '--files0-from'], optRoles: { '-o': 'write', '--output': 'write' }, operands: 'read' },
  { name: 'uniq', summary: 'reads the first operand, writes the second', valueOpts: ['-f', '--skip-fields', '-s', '--skip-chars', '-w', '--check-chars'], operands: 'read', special: 'uniq' },
  { name: 'wc', summary: 'reads its operands', operands: 'read' },
  { name: 'awk', aliases: ['gawk', 'mawk', 'nawk'], summary: 'reads files after the program (or all operands with -f)', valueOpts: ['-F', '-v', '-f', '--field-separator', '--assign', '--file'], optRoles: { '-f': 'read', '--file': 'read' }, skip: 1, skipUnless: ['-f', '--file'], operands: 'read' },
  { name: 'head', summary: 'reads its operands', valueOpts: ['-n', '--lines', '-c', '--bytes'], operands: 'read' },
  { name: 'tail', summary: 'reads its operands', valueOpts: ['-n', '--lines', '-c', '--bytes', '-s', '--sleep-interval', '--pid'], operands: 'read' },
  { name: 'tr', summary: 'reads standard input only (operands are character sets)', operands: 'none' },
  { name: 'diff', aliases: ['cmp', 'comm'], summary: 'reads its operands', valueOpts: ['-U', '-C', '--label', '-x', '--exclude', '-X', '--exclude-from', '-I'], operands: 'read' },
  { name: 'paste', aliases: ['join'], summary: 'reads its operands', valueOpts: ['-d', '--delimiters', '-t', '-1', '-2', '-j', '-o', '-e'], operands: 'read' },
  { name: 'md5sum', aliases: ['sha1sum', 'sha256sum', 'sha512sum', 'cksum', 'b2sum'], summary: 'reads its operands', operands: 'read' },
  { name: 'ls', summary: 'reads the listed directories', valueOpts: ['-I', '--ignore', '-w', '--width', '--color', '--sort', '--format', '--time-style', '-T', '--tabsize'], operands: 'read' },
  { name: 'du', aliases: ['df', 'stat', 'file'], summary: 'reads metadata of its operands', valueOpts: ['-d', '--max-depth', '-B', '--block-size', '-t', '--threshold', '--exclude', '-X', '-c', '--format', '--printf', '-f'], operands: 'read' },
  { name: 'source', aliases: ['.'], summary: 'reads and runs the file (its effects are not followed)', skip: 0, operands: 'read' }
];

const BY_NAME = new Map<string, CommandSpec>();
for (const spec of COMMANDS) {
  BY_NAME.set(spec.name, spec);
  for (const a of spec.aliases ?? []) BY_NAME.set(a, spec);
}

/** The catalogue entry for a command name (or a path to it, like /bin/rm). */
export function commandSpec(name: string): CommandSpec | undefined {
  const base = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  return BY_NAME.get(base);
}

/** Paths that are not file-system effects. */
export function isPseudoPath(path: string): boolean {
  return /^\/dev\/(null|zero|u?random|tty|stdin|stdout|stderr|fd\/\d+)$/.test(path) || path === '-';
}
