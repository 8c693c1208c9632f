/**
 * Reading a command's arguments against the command catalogue (commands.ts): which arguments
 * are options, which are paths and what the command does to each. Also the path helpers the
 * just-in-time pass uses (joining with the working directory, normalising, glob matching).
 */
import { commandSpec, type CommandSpec, type Role } from './commands';

/** One argument after expansion. */
export interface Arg {
  /** The text with known values substituted and unknown expansions kept as written ($DIR/*). */
  text: string;
  /** The argument as plain text when it holds no unresolved expansion, else null. */
  lit: string | null;
  pos: number;
  end: number;
  /** Contains an unquoted glob character. */
  glob: boolean;
}

export interface ParsedArgs {
  flags: Set<string>;
  /** Option values by option name (both `-o FILE` and `--output=FILE`). */
  opts: Map<string, Arg[]>;
  operands: Arg[];
}

export interface PathEffect {
  role: Role;
  path: Arg;
}

export interface CommandEffects {
  spec: CommandSpec | undefined;
  parsed: ParsedArgs;
  effects: PathEffect[];
  recursive: boolean;
}

function derived(a: Arg, text: string): Arg {
  return { ...a, text, lit: a.lit === null ? null : text };
}

/** Splits arguments into flags, option values and operands, getopt-style. */
export function parseArgs(args: Arg[], valueOpts: readonly string[] = []): ParsedArgs {
  const flags = new Set<string>();
  const opts = new Map<string, Arg[]>();
  const operands: Arg[] = [];
  const takes = new Set(valueOpts);
  const addOpt = (name: string, v: Arg) => {
    const list = opts.get(name) ?? [];
    list.push(v);
    opts.set(name, list);
  };
  let endOfOpts = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const s = a.lit;
    if (endOfOpts || s === null || s.length < 2 || s[0] !== '-') {
      operands.push(a);
      continue;
    }
    if (s === '--') {
      endOfOpts = true;
      continue;
    }
    if (s.startsWith('--')) {
      const eq = s.indexOf('=');
      if (eq > 0) {
        const name = s.slice(0, eq);
        addOpt(name, derived(a, s.slice(eq + 1)));
        flags.add(name);
      } else if (takes.has(s) && i + 1 < args.length) {
        addOpt(s, args[++i]);
      } else flags.add(s);
      continue;
    }
    for (let k = 1; k < s.length; k++) {
      const name = '-' + s[k];
      if (takes.has(name)) {
        const rest = s.slice(k + 1);
        if (rest) addOpt(name, derived(a, rest));
        else if (i + 1 < args.length) addOpt(name, args[++i]);
        break;
      }
      flags.add(name);
    }
  }
  return { flags, opts, operands };
}

function hasAny(p: ParsedArgs, names: readonly string[]): boolean {
  return names.some((n) => p.flags.has(n) || p.opts.has(n));
}

function basenameOfUrl(url: string): string {
  const noQuery = url.replace(/[?#].*$/, '');
  const base = noQuery.slice(noQuery.lastIndexOf('/') + 1);
  return base || 'index.html';
}

/**
 * The file-system effects of one simple command, by the catalogue. `name` is the command
 * name as written; `args` the arguments after it.
 */
export function commandEffects(name: string, args: Arg[]): CommandEffects {
  const spec = commandSpec(name);
  if (!spec) return { spec, parsed: parseArgs(args), effects: [], recursive: false };
  const effects: PathEffect[] = [];
  const add = (role: Role, path: Arg) => {
    if (role !== 'none') effects.push({ role, path });
  };

  if (spec.special === 'find') return findEffects(spec, args);
  if (spec.special === 'dd') {
    for (const a of args) {
      const s = a.lit ?? a.text;
      if (s.startsWith('if=')) add('read', derived(a, s.slice(3)));
      else if (s.startsWith('of=')) add('write', derived(a, s.slice(3)));
    }
    return { spec, parsed: parseArgs(args), effects, recursive: false };
  }
  if (spec.special === 'tar') return tarEffects(spec, args);

  const parsed = parseArgs(args, spec.valueOpts);
  const recursive = !!spec.recursive && hasAny(parsed, spec.recursive);

  for (const [opt, role] of Object.entries(spec.optRoles ?? {})) {
    for (const v of parsed.opts.get(opt) ?? []) add(role, v);
  }

  let operands = parsed.operands;
  if (spec.skip && !(spec.skipUnless && hasAny(parsed, spec.skipUnless))) operands = operands.slice(spec.skip);

  let role: Role = spec.operands;
  for (const fr of spec.flagRoles ?? []) if (hasAny(parsed, fr.flags)) role = fr.operands;

  switch (spec.special) {
    case 'curl': {
      for (const v of [...(parsed.opts.get('-o') ?? []), ...(parsed.opts.get('--output') ?? [])]) add('write', v);
      for (const v of [...(parsed.opts.get('-T') ?? []), ...(parsed.opts.get('--upload-file') ?? [])]) add('read', v);
      for (const v of [...(parsed.opts.get('-d') ?? []), ...(parsed.opts.get('--data') ?? []), ...(parsed.opts.get('--data-binary') ?? [])]) {
        if (v.text.startsWith('@')) add('read', derived(v, v.text.slice(1)));
      }
      if (hasAny(parsed, ['-O', '--remote-name', '--remote-name-all'])) {
        const dir = parsed.opts.get('--output-dir')?.[0]?.text;
        for (const u of operands) add('create', derived(u, (dir ? dir + '/' : '') + basenameOfUrl(u.text)));
      }
      return { spec, parsed, effects, recursive };
    }
    case 'wget': {
      const out = parsed.opts.get('-O') ?? parsed.opts.get('--output-document');
      if (out) {
        for (const v of out) if (v.text !== '-') add('write', v);
      } else {
        const dir = (parsed.opts.get('-P') ?? parsed.opts.get('--directory-prefix'))?.[0]?.text;
        for (const u of operands) add('create', derived(u, (dir ? dir + '/' : '') + basenameOfUrl(u.text)));
      }
      for (const v of parsed.opts.get('-o') ?? []) add('write', v);
      return { spec, parsed, effects, recursive };
    }
    case 'uniq':
      if (operands[0]) add('read', operands[0]);
      if (operands[1]) add('write', operands[1]);
      return { spec, parsed, effects, recursive };
    case 'rsync': {
      if (operands.length >= 2) {
        const dest = operands[operands.length - 1];
        for (const s of operands.slice(0, -1)) add('read', s);
        add('create', dest);
        if ([...parsed.flags].some((f) => f.startsWith('--delete'))) add('delete', derived(dest, dest.text.replace(/\/$/, '') + '/**'));
      }
      return { spec, parsed, effects, recursive: true };
    }
    case 'mktemp': {
      const dir = (parsed.opts.get('-p') ?? parsed.opts.get('--tmpdir'))?.[0]?.text ?? '${TMPDIR:-/tmp}';
      const tmpl = operands[0]?.text ?? 'tmp.XXXXXXXXXX';
      const pseudo: Arg = { text: tmpl.includes('/') ? tmpl : `${dir}/${tmpl}`, lit: null, pos: operands[0]?.pos ?? 0, end: operands[0]?.end ?? 0, glob: false };
      add('create', pseudo);
      return { spec, parsed, effects, recursive: false };
    }
  }

  const target = spec.targetOpts ? spec.targetOpts.flatMap((o) => parsed.opts.get(o) ?? []) : [];
  if (target.length > 0) {
    for (const t of target) add(spec.last ?? 'create', t);
    for (const o of operands) add(role, o);
  } else if (spec.last && operands.length >= 2) {
    for (const o of operands.slice(0, -1)) add(role, o);
    add(spec.last, operands[operands.length - 1]);
  } else if (spec.last && operands.length === 1 && (spec.name === 'ln' || spec.name === 'cp' || spec.name === 'mv')) {
    // ln -s /path/target: the link is created in the working directory under the target's name
    const o = operands[0];
    if (spec.name === 'ln') add('create', derived(o, o.text.replace(/\/$/, '').replace(/^.*\//, '')));
  } else {
    for (const o of operands) add(role, o);
  }
  return { spec, parsed, effects, recursive };
}

function findEffects(spec: CommandSpec, args: Arg[]): CommandEffects {
  const effects: PathEffect[] = [];
  const roots: Arg[] = [];
  let k = 0;
  // leading -H -L -P options
  while (k < args.length && args[k].lit !== null && /^-[HLPO]/.test(args[k].lit!) && !/^-(name|path|type)/.test(args[k].lit!)) k++;
  for (; k < args.length; k++) {
    const s = args[k].lit;
    if (s !== null && (s.startsWith('-') || s === '(' || s === '!' || s === ')')) break;
    roots.push(args[k]);
  }
  const expr = args.slice(k);
  const lits = expr.map((a) => a.lit);
  const rootList = roots.length > 0 ? roots : [{ text: '.', lit: '.', pos: args[0]?.pos ?? 0, end: args[0]?.end ?? 0, glob: false }];
  for (const r of rootList) effects.push({ role: 'read', path: r });
  let deletes = lits.includes('-delete');
  for (let i = 0; i < lits.length; i++) {
    if ((lits[i] === '-exec' || lits[i] === '-execdir' || lits[i] === '-ok') && (lits[i + 1] === 'rm' || lits[i + 1] === '/bin/rm')) deletes = true;
    if ((lits[i] === '-fprint' || lits[i] === '-fprint0' || lits[i] === '-fls') && expr[i + 1]) effects.push({ role: 'write', path: expr[i + 1] });
  }
  if (deletes) {
    for (const r of rootList) effects.push({ role: 'delete', path: derived(r, r.text.replace(/\/$/, '') + '/**') });
  }
  const parsed: ParsedArgs = { flags: new Set(expr.filter((a) => a.lit?.startsWith('-')).map((a) => a.lit!)), opts: new Map(), operands: roots };
  return { spec, parsed, effects, recursive: true };
}

function tarEffects(spec: CommandSpec, args: Arg[]): CommandEffects {
  let list = args;
  // old-style bundled first argument without a dash: tar czf out.tgz dir
  if (list[0]?.lit && /^[A-Za-z]+$/.test(list[0].lit)) list = [{ ...list[0], lit: '-' + list[0].lit, text: '-' + list[0].text }, ...list.slice(1)];
  const parsed = parseArgs(list, spec.valueOpts);
  const effects: PathEffect[] = [];
  const archive = parsed.opts.get('-f')?.[0] ?? parsed.opts.get('--file')?.[0];
  const dir = parsed.opts.get('-C')?.[0] ?? parsed.opts.get('--directory')?.[0];
  const creating = hasAny(parsed, ['-c', '--create', '-r', '--append', '-u', '--update']);
  const extracting = hasAny(parsed, ['-x', '--extract', '--get']);
  if (creating) {
    if (archive && archive.text !== '-') effects.push({ role: 'write', path: archive });
    for (const o of parsed.operands) effects.push({ role: 'read', path: dir ? derived(o, dir.text.replace(/\/$/, '') + '/' + o.text) : o });
  } else if (extracting) {
    if (archive && archive.text !== '-') effects.push({ role: 'read', path: archive });
    const base = dir ? dir.text.replace(/\/$/, '') : '.';
    if (parsed.operands.length > 0) for (const o of parsed.operands) effects.push({ role: 'create', path: derived(o, base + '/' + o.text) });
    else effects.push({ role: 'create', path: { text: base + '/**', lit: null, pos: archive?.pos ?? 0, end: archive?.end ?? 0, glob: false } });
  } else if (archive && archive.text !== '-') {
    effects.push({ role: 'read', path: archive });
  }
  return { spec, parsed, effects, recursive: true };
}

// ---- paths ------------------------------------------------------------------------------

/** Removes `.` segments, resolves `..` where possible and collapses repeated slashes. */
export function normalizePath(p: string): string {
  if (p === '') return p;
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..' && !out[out.length - 1].includes('$')) out.pop();
    else if (seg === '..' && abs && out.length === 0) continue;
    else out.push(seg);
  }
  const joined = out.join('/');
  if (abs) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Joins a path to the working directory unless it is absolute or starts with an expansion. */
export function joinCwd(cwd: string, p: string): string {
  if (p.startsWith('/') || p.startsWith('$') || p.startsWith('~') || cwd === '' || cwd === '.') return normalizePath(p);
  return normalizePath(cwd + '/' + p);
}

function globToRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const atSegStart = i === 0 || pattern[i - 1] === '/';
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += atSegStart ? '(?!\\.)[^/]*' : '[^/]*';
    } else if (c === '?') re += atSegStart ? '(?!\\.)[^/]' : '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, close);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += '[' + cls.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Every path that exists given a file list: the files and all their parent directories. */
export function existingPaths(files: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const f of files) {
    let p = normalizePath(f);
    set.add(p);
    while (p.includes('/')) {
      p = p.slice(0, p.lastIndexOf('/')) || '/';
      set.add(p);
      if (p === '/') break;
    }
  }
  return set;
}

/** Expands a glob against the existing paths; no match leaves the pattern as is (bash's default). */
export function expandGlob(pattern: string, existing: ReadonlySet<string>): string[] {
  if (!hasGlob(pattern)) return [pattern];
  const re = globToRegExp(pattern);
  const hits = [...existing].filter((p) => p !== '/' && re.test(p)).sort();
  return hits.length > 0 ? hits : [pattern];
}
