/**
 * A recursive-descent parser for POSIX sh and Bash that builds the tree of ast.ts.
 *
 * Why a parser of our own beside sh-syntax: sh-syntax (mvdan/sh as WebAssembly) is the
 * authority on whether a script is valid, and its errors are the ones we report, but the tree
 * it returns over JSON is shallow: each top-level statement with its position and nothing
 * inside it (no command names, words, pipes or nesting). This parser builds the full tree,
 * after mvdan/sh's grammar and node kinds, and the tests check it against sh-syntax's
 * statement positions on every corpus script (parse.test.ts).
 *
 * It never runs anything; it is pure TypeScript with no Node or DOM APIs, so it works in a
 * Web Worker.
 */
import type {
  Arithm,
  ArithmExp,
  Assign,
  Block,
  CaseClause,
  CaseItem,
  CmdSubst,
  Command,
  DblQuoted,
  DeclClause,
  File,
  ForClause,
  FuncDecl,
  IfClause,
  ParamExp,
  ParamOp,
  ProcSubst,
  Redirect,
  RedirOp,
  SglQuoted,
  Stmt,
  Subshell,
  TestClause,
  WhileClause,
  Word,
  WordPart
} from './ast';

/** Thrown when this parser cannot build a tree; `offset` is where it stopped. */
export class ShellParseError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message);
    this.name = 'ShellParseError';
  }
}

export interface Location {
  line: number;
  column: number;
}

/** Offset → 1-based line and column (columns count UTF-16 code units). */
export function makeLocator(src: string): (offset: number) => Location {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}

const DECL_BUILTINS = new Set(['declare', 'local', 'export', 'readonly', 'typeset', 'nameref']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGN_RE = /[A-Za-z_][A-Za-z0-9_]*(\[[^\]\n]*\])?\+?=/y;
const REDIR_OPS: RedirOp[] = ['&>>', '&>', '<<<', '<<-', '<<', '<>', '<&', '>>', '>|', '>&', '<', '>'];

type Mode = 'word' | 'dq' | 'heredoc' | 'param' | 'paramdq' | 'orig' | 'origdq' | 'regex';

interface PendingHeredoc {
  redir: Redirect;
  delim: string;
  quoted: boolean;
  strip: boolean;
}

export function parseShell(src: string): File {
  const p = new Parser(src, 0, src.length);
  const stmts = p.stmtList(new Set(), null, false);
  p.skipSeparators();
  if (!p.eof()) p.fail(`unexpected ${JSON.stringify(p.at())}`);
  return { type: 'File', pos: 0, end: src.length, stmts };
}

class Parser {
  i: number;
  private pending: PendingHeredoc[] = [];

  constructor(
    readonly src: string,
    start: number,
    public limit: number
  ) {
    this.i = start;
  }

  // ---- characters -------------------------------------------------------------------------

  at(k = 0): string {
    const j = this.i + k;
    return j < this.limit ? this.src[j] : '';
  }

  eof(): boolean {
    return this.i >= this.limit;
  }

  startsWith(s: string): boolean {
    return this.i + s.length <= this.limit && this.src.startsWith(s, this.i);
  }

  fail(message: string, at = this.i): never {
    throw new ShellParseError(message, at);
  }

  /** Spaces, tabs and line continuations. */
  skipBlank(): void {
    for (;;) {
      const c = this.at();
      if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '\\' && this.at(1) === '\n') this.i += 2;
      else return;
    }
  }

  skipComment(): void {
    if (this.at() !== '#') return;
    while (!this.eof() && this.at() !== '\n') this.i++;
  }

  /** Blanks, comments and newlines (reading here-documents at each newline). */
  skipSeparators(): void {
    for (;;) {
      this.skipBlank();
      this.skipComment();
      if (this.at() === '\n') this.newline();
      else return;
    }
  }

  newline(): void {
    this.i++;
    if (this.pending.length > 0) this.readHeredocs();
  }

  /** The reserved-word candidate at the cursor, if a plain word ends right after it. */
  peekWord(): string | null {
    let j = this.i;
    while (j < this.limit && /[A-Za-z_{}![\]]/.test(this.src[j])) j++;
    if (j === this.i) return null;
    const next = j < this.limit ? this.src[j] : '';
    if (next === '' || ' \t\r\n;&|<>()'.includes(next)) return this.src.slice(this.i, j);
    return null;
  }

  expectReserved(w: string): number {
    this.skipBlank();
    this.skipComment();
    if (this.peekWord() !== w) this.fail(`expected "${w}"`);
    const at = this.i;
    this.i += w.length;
    return at;
  }

  // ---- statements -------------------------------------------------------------------------

  stmtList(stops: Set<string>, closer: ')' | null, inCase: boolean): Stmt[] {
    const stmts: Stmt[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.eof()) break;
      const c = this.at();
      if (c === ')') {
        if (closer === ')' || inCase) break;
        this.fail('unexpected ")"');
      }
      if (this.startsWith(';;') || this.startsWith(';&')) {
        if (inCase) break;
        this.fail('unexpected ";;"');
      }
      if (c === ';') this.fail('unexpected ";"');
      const w = this.peekWord();
      if (w !== null && stops.has(w)) break;
      const s = this.parseAndOr();
      this.skipBlank();
      this.skipComment();
      if (this.startsWith(';;') || this.startsWith(';&')) {
        stmts.push(s);
        if (inCase) break;
        this.fail('unexpected ";;"');
      }
      const d = this.at();
      if (d === ';') this.i++;
      else if (d === '&' && this.at(1) !== '&') {
        this.i++;
        s.background = true;
      } else if (d === '\n') this.newline();
      else if (d !== '' && d !== ')') this.fail(`unexpected ${JSON.stringify(d)}`);
      stmts.push(s);
    }
    return stmts;
  }

  parseAndOr(): Stmt {
    let left = this.parsePipeline();
    for (;;) {
      this.skipBlank();
      if (this.startsWith('&&') || this.startsWith('||')) {
        const op = this.startsWith('&&') ? '&&' : '||';
        const opPos = this.i;
        this.i += 2;
        this.skipSeparators();
        const right = this.parsePipeline();
        left = this.binary(op, opPos, left, right);
      } else return left;
    }
  }

  private binary(op: '&&' | '||' | '|' | '|&', opPos: number, x: Stmt, y: Stmt): Stmt {
    return {
      type: 'Stmt',
      pos: x.pos,
      end: y.end,
      negated: false,
      background: false,
      redirs: [],
      cmd: { type: 'BinaryCmd', pos: x.pos, end: y.end, op, opPos, x, y }
    };
  }

  parsePipeline(): Stmt {
    this.skipBlank();
    const start = this.i;
    let negated = false;
    if (this.at() === '!' && ' \t\n'.includes(this.at(1) || '\n')) {
      negated = true;
      this.i++;
      this.skipBlank();
    }
    let left = this.parseCommandStmt();
    for (;;) {
      this.skipBlank();
      if (this.at() === '|' && this.at(1) !== '|') {
        const op = this.at(1) === '&' ? '|&' : '|';
        const opPos = this.i;
        this.i += op.length;
        this.skipSeparators();
        const right = this.parseCommandStmt();
        left = this.binary(op, opPos, left, right);
      } else break;
    }
    if (negated) {
      left.negated = true;
      left.pos = start;
    }
    return left;
  }

  parseCommandStmt(): Stmt {
    this.skipBlank();
    const stmt: Stmt = {
      type: 'Stmt',
      pos: this.i,
      end: this.i,
      cmd: null,
      negated: false,
      background: false,
      redirs: []
    };
    let cmd: Command | null = null;
    let compound = true;
    const c = this.at();
    if (c === '(') {
      cmd = this.at(1) === '(' && this.looksArithm() ? this.parseArithmCmd() : this.parseSubshell();
    } else {
      switch (this.peekWord()) {
        case '{':
          cmd = this.parseBlock();
          break;
        case 'if':
          cmd = this.parseIf('if');
          break;
        case 'while':
        case 'until':
          cmd = this.parseWhile();
          break;
        case 'for':
        case 'select':
          cmd = this.parseFor();
          break;
        case 'case':
          cmd = this.parseCase();
          break;
        case 'function':
          cmd = this.parseFunction();
          break;
        case '[[':
          cmd = this.parseTest();
          break;
        case 'time':
          cmd = this.parseTime();
          break;
        default:
          compound = false;
          cmd = this.parseSimple(stmt);
      }
    }
    if (compound) {
      for (;;) {
        this.skipBlank();
        if (this.isRedirectStart()) stmt.redirs.push(this.parseRedirect());
        else break;
      }
    }
    stmt.cmd = cmd;
    let end = cmd ? cmd.end : stmt.pos;
    for (const r of stmt.redirs) end = Math.max(end, r.hdoc ? r.word.end : r.end);
    stmt.end = end;
    if (!cmd && stmt.redirs.length === 0) this.fail(`expected a command, found ${JSON.stringify(this.at() || 'end of input')}`);
    return stmt;
  }

  /** `((` starts an arithmetic command unless it is a subshell in a subshell, `( (a) )`. */
  private looksArithm(): boolean {
    // Find the matching `))`: if the first `)` that closes depth 0 is followed by `)`, arithmetic.
    let depth = 0;
    for (let j = this.i + 2; j < this.limit; j++) {
      const ch = this.src[j];
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) return this.src[j + 1] === ')';
        depth--;
      } else if (ch === '\n' && depth === 0) return false;
    }
    return false;
  }

  parseSubshell(): Subshell {
    const pos = this.i;
    this.i++;
    const stmts = this.stmtList(new Set(), ')', false);
    this.skipSeparators();
    if (this.at() !== ')') this.fail('expected ")"');
    this.i++;
    return { type: 'Subshell', pos, end: this.i, stmts };
  }

  parseBlock(): Block {
    const pos = this.i;
    this.i++;
    const stmts = this.stmtList(new Set(['}']), null, false);
    this.expectReserved('}');
    return { type: 'Block', pos, end: this.i, stmts };
  }

  parseIf(kind: 'if' | 'elif'): IfClause {
    const pos = this.i;
    this.i += kind.length;
    const cond = this.stmtList(new Set(['then']), null, false);
    this.expectReserved('then');
    const then = this.stmtList(new Set(['elif', 'else', 'fi']), null, false);
    this.skipSeparators();
    const w = this.peekWord();
    let els: IfClause | null = null;
    if (w === 'elif') {
      els = this.parseIf('elif');
      return { type: 'IfClause', kind, pos, end: els.end, cond, then, else: els };
    }
    if (w === 'else') {
      const epos = this.i;
      this.i += 4;
      const body = this.stmtList(new Set(['fi']), null, false);
      this.expectReserved('fi');
      els = { type: 'IfClause', kind: 'else', pos: epos, end: this.i, cond: [], then: body, else: null };
      return { type: 'IfClause', kind, pos, end: this.i, cond, then, else: els };
    }
    this.expectReserved('fi');
    return { type: 'IfClause', kind, pos, end: this.i, cond, then, else: null };
  }

  parseWhile(): WhileClause {
    const pos = this.i;
    const until = this.peekWord() === 'until';
    this.i += 5; // 'while' and 'until'
    const cond = this.stmtList(new Set(['do']), null, false);
    this.expectReserved('do');
    const body = this.stmtList(new Set(['done']), null, false);
    this.expectReserved('done');
    return { type: 'WhileClause', pos, end: this.i, until, cond, do: body };
  }

  parseFor(): ForClause {
    const pos = this.i;
    const select = this.peekWord() === 'select';
    this.i += select ? 6 : 3;
    this.skipBlank();
    let loop: ForClause['loop'];
    if (this.startsWith('((')) {
      const lpos = this.i;
      this.i += 2;
      const arith = this.parseArith('))');
      this.i += 2;
      loop = { type: 'CStyleLoop', pos: lpos, end: this.i, arith };
    } else {
      const npos = this.i;
      while (!this.eof() && /[A-Za-z0-9_]/.test(this.at())) this.i++;
      const name = this.src.slice(npos, this.i);
      if (!name) this.fail('expected a loop variable');
      let items: Word[] | null = null;
      this.skipBlank();
      if (this.at() === ';') this.i++;
      this.skipSeparators();
      if (this.peekWord() === 'in') {
        this.i += 2;
        items = [];
        for (;;) {
          this.skipBlank();
          const d = this.at();
          if (d === '' || d === '\n' || d === ';' || d === '#') break;
          items.push(this.parseWord());
        }
      }
      const lend = items && items.length > 0 ? items[items.length - 1].end : npos + name.length;
      loop = { type: 'WordIter', pos: npos, end: lend, name, nameSpan: { pos: npos, end: npos + name.length }, items };
    }
    this.skipBlank();
    if (this.at() === ';') this.i++;
    this.skipSeparators();
    let body: Stmt[];
    if (this.peekWord() === '{') {
      this.i++;
      body = this.stmtList(new Set(['}']), null, false);
      this.expectReserved('}');
    } else {
      this.expectReserved('do');
      body = this.stmtList(new Set(['done']), null, false);
      this.expectReserved('done');
    }
    return { type: 'ForClause', pos, end: this.i, select, loop, do: body };
  }

  parseCase(): CaseClause {
    const pos = this.i;
    this.i += 4;
    this.skipBlank();
    const word = this.parseWord();
    this.skipSeparators();
    this.expectReserved('in');
    const items: CaseItem[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.peekWord() === 'esac') {
        this.i += 4;
        break;
      }
      if (this.eof()) this.fail('expected "esac"');
      const ipos = this.i;
      if (this.at() === '(') this.i++;
      const patterns: Word[] = [];
      for (;;) {
        this.skipBlank();
        patterns.push(this.parseWord());
        this.skipBlank();
        if (this.at() === '|') {
          this.i++;
          continue;
        }
        break;
      }
      if (this.at() !== ')') this.fail('expected ")" after a case pattern');
      this.i++;
      const stmts = this.stmtList(new Set(['esac']), null, true);
      this.skipSeparators();
      let op: CaseItem['op'] = null;
      for (const o of [';;&', ';;', ';&'] as const) {
        if (this.startsWith(o)) {
          op = o;
          this.i += o.length;
          break;
        }
      }
      items.push({ type: 'CaseItem', pos: ipos, end: this.i, patterns, stmts, op });
    }
    return { type: 'CaseClause', pos, end: this.i, word, items };
  }

  parseFunction(): FuncDecl {
    const pos = this.i;
    this.i += 8;
    this.skipBlank();
    const npos = this.i;
    while (!this.eof() && !' \t\r\n;&|<>()'.includes(this.at())) this.i++;
    const name = this.src.slice(npos, this.i);
    if (!name) this.fail('expected a function name');
    this.skipBlank();
    if (this.at() === '(') {
      this.i++;
      this.skipBlank();
      if (this.at() !== ')') this.fail('expected ")"');
      this.i++;
    }
    this.skipSeparators();
    const body = this.parseCommandStmt();
    return { type: 'FuncDecl', pos, end: body.end, name, nameSpan: { pos: npos, end: npos + name.length }, body };
  }

  parseTest(): TestClause {
    const pos = this.i;
    this.i += 2;
    const words: Word[] = [];
    for (;;) {
      this.skipBlank();
      while (this.at() === '\n') {
        this.newline();
        this.skipBlank();
      }
      if (this.eof()) this.fail('expected "]]"');
      if (this.startsWith(']]') && ' \t\r\n;&|)'.includes(this.at(2) || '\n')) {
        this.i += 2;
        break;
      }
      const prev = words.length > 0 ? litOf(words[words.length - 1]) : null;
      if (this.startsWith('&&') || this.startsWith('||')) {
        words.push(this.opWord(2));
      } else if ('()!<>'.includes(this.at()) && !(this.at() === '!' && this.at(1) === '=')) {
        words.push(this.opWord(1));
      } else if (prev === '=~') {
        words.push(this.parseRegex());
      } else {
        words.push(this.parseWord());
      }
    }
    return { type: 'TestClause', pos, end: this.i, words };
  }

  private opWord(n: number): Word {
    const pos = this.i;
    const raw = this.src.slice(pos, pos + n);
    this.i += n;
    return { type: 'Word', pos, end: this.i, parts: [{ type: 'Lit', pos, end: this.i, value: raw, raw }] };
  }

  /** The right side of `=~`: parentheses and `|` belong to the regex. */
  private parseRegex(): Word {
    const pos = this.i;
    let depth = 0;
    let j = this.i;
    while (j < this.limit) {
      const ch = this.src[j];
      if (ch === '\\') {
        j += 2;
        continue;
      }
      if (ch === "'" || ch === '"') {
        const close = this.src.indexOf(ch, j + 1);
        j = close === -1 ? this.limit : close + 1;
        continue;
      }
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (ch === ' ' || ch === '\t' || ch === '\n')) break;
      j++;
    }
    const saved = this.limit;
    this.limit = Math.min(j, saved);
    const parts = this.parseParts('regex');
    this.limit = saved;
    return { type: 'Word', pos, end: this.i, parts };
  }

  parseTime(): Command {
    const pos = this.i;
    this.i += 4;
    this.skipBlank();
    if (this.startsWith('-p') && ' \t'.includes(this.at(2))) {
      this.i += 2;
      this.skipBlank();
    }
    const d = this.at();
    if (d === '' || d === '\n' || d === ';' || d === '&' || d === ')') {
      return { type: 'TimeClause', pos, end: pos + 4, stmt: null };
    }
    const stmt = this.parsePipeline();
    return { type: 'TimeClause', pos, end: stmt.end, stmt };
  }

  parseArithmCmd(): Command {
    const pos = this.i;
    this.i += 2;
    const arith = this.parseArith('))');
    this.i += 2;
    return { type: 'ArithmCmd', pos, end: this.i, arith };
  }

  // ---- simple commands --------------------------------------------------------------------

  parseSimple(stmt: Stmt): Command | null {
    const assigns: Assign[] = [];
    const args: Word[] = [];
    let decl: DeclClause | null = null;
    for (;;) {
      this.skipBlank();
      if (this.eof()) break;
      if (this.isRedirectStart()) {
        stmt.redirs.push(this.parseRedirect());
        continue;
      }
      const c = this.at();
      if (c === '\n' || c === ';' || c === '&' || c === '|' || c === ')' || c === '#') break;
      if (c === '(') {
        if (args.length === 1 && assigns.length === 0 && !decl && isFuncName(args[0])) {
          this.i++;
          this.skipBlank();
          if (this.at() !== ')') this.fail('expected ")" in a function definition');
          this.i++;
          this.skipSeparators();
          const body = this.parseCommandStmt();
          const name = litOf(args[0])!;
          return {
            type: 'FuncDecl',
            pos: args[0].pos,
            end: body.end,
            name,
            nameSpan: { pos: args[0].pos, end: args[0].end },
            body
          };
        }
        this.fail('unexpected "("');
      }
      if (decl) {
        const a = this.tryAssign();
        if (a) {
          decl.args.push(a);
          decl.end = a.end;
          continue;
        }
        const w = this.parseWord();
        const lit = litOf(w);
        if (lit !== null && NAME_RE.test(lit)) {
          decl.args.push({
            type: 'Assign',
            pos: w.pos,
            end: w.end,
            name: lit,
            nameSpan: { pos: w.pos, end: w.end },
            append: false,
            naked: true,
            index: null,
            value: null,
            array: null
          });
        } else decl.args.push(w);
        decl.end = w.end;
        continue;
      }
      if (args.length === 0) {
        const a = this.tryAssign();
        if (a) {
          assigns.push(a);
          continue;
        }
      }
      const w = this.parseWord();
      args.push(w);
      if (args.length === 1 && assigns.length === 0) {
        const lit = litOf(w);
        if (lit !== null && DECL_BUILTINS.has(lit)) {
          decl = { type: 'DeclClause', pos: w.pos, end: w.end, variant: lit, variantSpan: { pos: w.pos, end: w.end }, args: [] };
        }
      }
    }
    if (decl) return decl;
    if (assigns.length === 0 && args.length === 0) return null;
    const first = assigns.length > 0 ? assigns[0].pos : args[0].pos;
    const last = args.length > 0 ? args[args.length - 1].end : assigns[assigns.length - 1].end;
    return { type: 'CallExpr', pos: first, end: last, assigns, args };
  }

  tryAssign(): Assign | null {
    ASSIGN_RE.lastIndex = this.i;
    const m = ASSIGN_RE.exec(this.src);
    if (!m || m.index !== this.i || this.i + m[0].length > this.limit) return null;
    const pos = this.i;
    const text = m[0];
    const append = text.endsWith('+=');
    const nameLen = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)![0].length;
    const name = text.slice(0, nameLen);
    const index = m[1] ? m[1].slice(1, -1) : null;
    this.i += text.length;
    const base: Assign = {
      type: 'Assign',
      pos,
      end: this.i,
      name,
      nameSpan: { pos, end: pos + nameLen },
      append,
      naked: false,
      index,
      value: null,
      array: null
    };
    if (this.at() === '(') {
      this.i++;
      const items: Word[] = [];
      for (;;) {
        this.skipSeparators();
        if (this.eof()) this.fail('expected ")" to close an array');
        if (this.at() === ')') {
          this.i++;
          break;
        }
        items.push(this.parseWord());
      }
      base.array = items;
      base.end = this.i;
      return base;
    }
    const c = this.at();
    if (c === '' || ' \t\r\n;&|<>)'.includes(c)) {
      base.value = { type: 'Word', pos: this.i, end: this.i, parts: [] };
      return base;
    }
    base.value = this.parseWord();
    base.end = base.value.end;
    return base;
  }

  isRedirectStart(): boolean {
    let j = this.i;
    while (j < this.limit && this.src[j] >= '0' && this.src[j] <= '9') j++;
    const c = j < this.limit ? this.src[j] : '';
    const n = j + 1 < this.limit ? this.src[j + 1] : '';
    if (c === '<' || c === '>') return n !== '(';
    if (j === this.i && c === '&' && n === '>') return true;
    return false;
  }

  parseRedirect(): Redirect {
    const pos = this.i;
    let n: string | null = null;
    const m = /^\d+/.exec(this.src.slice(this.i, Math.min(this.limit, this.i + 12)));
    if (m) {
      n = m[0];
      this.i += n.length;
    }
    const opPos = this.i;
    const op = REDIR_OPS.find((o) => this.startsWith(o));
    if (!op) this.fail('expected a redirection operator');
    this.i += op.length;
    this.skipBlank();
    const w0 = this.at();
    if (w0 === '' || '\n;&|()'.includes(w0) || ((w0 === '<' || w0 === '>') && this.at(1) !== '(')) this.fail(`expected a word after ${op}`);
    const word = this.parseWord();
    const redir: Redirect = { type: 'Redirect', pos, end: word.end, op, opPos, n, word, hdoc: null };
    if (op === '<<' || op === '<<-') {
      let delim = '';
      let quoted = false;
      for (const p of word.parts) {
        if (p.type === 'Lit') {
          delim += p.value;
          if (p.raw.includes('\\')) quoted = true;
        } else if (p.type === 'SglQuoted') {
          delim += p.value;
          quoted = true;
        } else if (p.type === 'DblQuoted') {
          quoted = true;
          for (const q of p.parts) if (q.type === 'Lit') delim += q.value;
        }
      }
      this.pending.push({ redir, delim, quoted, strip: op === '<<-' });
    }
    return redir;
  }

  private readHeredocs(): void {
    const list = this.pending;
    this.pending = [];
    for (const h of list) {
      const bodyStart = this.i;
      let bodyEnd = -1;
      while (this.i < this.limit) {
        const nl = this.src.indexOf('\n', this.i);
        const lineEnd = nl === -1 || nl >= this.limit ? this.limit : nl;
        let line = this.src.slice(this.i, lineEnd);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        const cmp = h.strip ? line.replace(/^\t+/, '') : line;
        const next = lineEnd < this.limit ? lineEnd + 1 : lineEnd;
        if (cmp === h.delim) {
          bodyEnd = this.i;
          this.i = next;
          break;
        }
        this.i = next;
      }
      if (bodyEnd === -1) bodyEnd = this.i;
      const after = this.i;
      let parts: WordPart[];
      if (h.quoted) {
        const value = this.src.slice(bodyStart, bodyEnd);
        parts = value ? [{ type: 'Lit', pos: bodyStart, end: bodyEnd, value, raw: value }] : [];
      } else {
        const savedLimit = this.limit;
        this.i = bodyStart;
        this.limit = bodyEnd;
        parts = this.parseParts('heredoc');
        this.limit = savedLimit;
        this.i = after;
      }
      h.redir.hdoc = { type: 'Word', pos: bodyStart, end: bodyEnd, parts };
      h.redir.end = bodyEnd;
    }
  }

  // ---- words ------------------------------------------------------------------------------

  parseWord(): Word {
    const pos = this.i;
    const parts = this.parseParts('word');
    if (parts.length === 0 && this.i === pos) this.fail(`expected a word, found ${JSON.stringify(this.at() || 'end of input')}`);
    return { type: 'Word', pos, end: this.i, parts };
  }

  parseParts(mode: Mode): WordPart[] {
    const parts: WordPart[] = [];
    let litStart = -1;
    let value = '';
    const flush = () => {
      if (litStart >= 0) {
        parts.push({ type: 'Lit', pos: litStart, end: this.i, value, raw: this.src.slice(litStart, this.i) });
        litStart = -1;
        value = '';
      }
    };
    const add = (s: string, n: number) => {
      if (litStart < 0) litStart = this.i;
      value += s;
      this.i += n;
    };
    const unquotedCtx = mode === 'word' || mode === 'param' || mode === 'orig';
    for (;;) {
      if (this.eof()) break;
      const c = this.at();
      if (mode === 'word') {
        if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')') break;
        if (c === '<' || c === '>') {
          if (this.at(1) === '(' && litStart < 0 && parts.length === 0) {
            parts.push(this.parseProcSubst());
            continue;
          }
          break;
        }
        if (c === '(') {
          const prev = litStart >= 0 ? value[value.length - 1] : '';
          if (prev && '?*+@!'.includes(prev)) {
            // extended glob: ?(…) *(…) +(…) @(…) !(…)
            let depth = 0;
            let j = this.i;
            for (; j < this.limit; j++) {
              if (this.src[j] === '(') depth++;
              else if (this.src[j] === ')' && --depth === 0) break;
            }
            if (j >= this.limit) this.fail('unclosed extended glob');
            add(this.src.slice(this.i, j + 1), j + 1 - this.i);
            continue;
          }
          break;
        }
      } else if (mode === 'dq' || mode === 'paramdq' || mode === 'origdq') {
        if (c === '"') {
          if (mode === 'dq') break;
          // a nested double quote inside ${x:-"…"} within double quotes
          flush();
          parts.push(this.parseDblQuoted(false));
          continue;
        }
      }
      if ((mode === 'param' || mode === 'paramdq') && c === '}') break;
      if ((mode === 'orig' || mode === 'origdq') && (c === '/' || c === '}')) break;
      if (c === '\\') {
        const n = this.at(1);
        if (n === '\n') {
          if (litStart < 0) litStart = this.i;
          this.i += 2;
          continue;
        }
        if (n === '') {
          add('\\', 1);
          continue;
        }
        if (unquotedCtx || mode === 'regex') add(n, 2);
        else if (mode === 'heredoc') add('$`\\'.includes(n) ? n : '\\' + n, 2);
        else add('$`"\\'.includes(n) || (n === '}' && mode !== 'dq') ? n : '\\' + n, 2);
        continue;
      }
      if (c === "'" && (unquotedCtx || mode === 'regex')) {
        flush();
        const close = this.src.indexOf("'", this.i + 1);
        if (close === -1 || close >= this.limit) this.fail('reached the end without a closing quote "\'"');
        parts.push({ type: 'SglQuoted', pos: this.i, end: close + 1, dollar: false, value: this.src.slice(this.i + 1, close) });
        this.i = close + 1;
        continue;
      }
      if (c === '"' && (unquotedCtx || mode === 'regex')) {
        flush();
        parts.push(this.parseDblQuoted(false));
        continue;
      }
      if (c === '`') {
        flush();
        parts.push(this.parseBackquote());
        continue;
      }
      if (c === '$') {
        const save = this.i;
        const litSave = litStart;
        const valSave = value;
        flush();
        const part = this.parseDollar(mode);
        if (part) {
          parts.push(part);
        } else {
          // a literal dollar sign: undo the flush and keep accumulating
          if (litSave >= 0) {
            parts.pop();
            litStart = litSave;
            value = valSave;
          }
          this.i = save;
          add('$', 1);
        }
        continue;
      }
      add(c, 1);
    }
    flush();
    return parts;
  }

  parseDblQuoted(dollar: boolean): DblQuoted {
    const pos = dollar ? this.i - 1 : this.i;
    this.i++;
    const parts = this.parseParts('dq');
    if (this.at() !== '"') this.fail('reached the end without a closing quote \'"\'', pos);
    this.i++;
    return { type: 'DblQuoted', pos, end: this.i, dollar, parts };
  }

  private parseProcSubst(): ProcSubst {
    const pos = this.i;
    const op = this.at() === '<' ? '<(' : '>(';
    this.i += 2;
    const stmts = this.stmtList(new Set(), ')', false);
    this.skipSeparators();
    if (this.at() !== ')') this.fail('expected ")" to close a process substitution');
    this.i++;
    return { type: 'ProcSubst', pos, end: this.i, op, stmts };
  }

  private parseBackquote(): CmdSubst {
    const pos = this.i;
    let j = this.i + 1;
    let inner = '';
    let escaped = false;
    while (j < this.limit && this.src[j] !== '`') {
      if (this.src[j] === '\\' && j + 1 < this.limit && '`\\$'.includes(this.src[j + 1])) {
        inner += this.src[j + 1];
        escaped = true;
        j += 2;
      } else {
        inner += this.src[j];
        j++;
      }
    }
    if (j >= this.limit) this.fail('reached the end without a closing "`"', pos);
    let stmts: Stmt[];
    if (!escaped) {
      const sub = new Parser(this.src, pos + 1, j);
      stmts = sub.stmtList(new Set(), null, false);
      sub.skipSeparators();
      if (!sub.eof()) sub.fail('unexpected text in a backquoted command');
    } else {
      const sub = new Parser(inner, 0, inner.length);
      stmts = sub.stmtList(new Set(), null, false);
      shiftSpans(stmts, pos + 1);
    }
    this.i = j + 1;
    return { type: 'CmdSubst', pos, end: this.i, backquotes: true, stmts };
  }

  parseDollar(mode: Mode): WordPart | null {
    const pos = this.i;
    const n = this.at(1);
    const unquotedCtx = mode === 'word' || mode === 'param' || mode === 'orig' || mode === 'regex';
    if (n === "'" && unquotedCtx) {
      let j = this.i + 2;
      let value = '';
      while (j < this.limit && this.src[j] !== "'") {
        if (this.src[j] === '\\' && j + 1 < this.limit) {
          const e = this.src[j + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else value += this.src[j++];
      }
      if (j >= this.limit) this.fail("reached the end without a closing quote \"'\"", pos);
      this.i = j + 1;
      const q: SglQuoted = { type: 'SglQuoted', pos, end: this.i, dollar: true, value };
      return q;
    }
    if (n === '"' && unquotedCtx) {
      this.i++;
      return this.parseDblQuoted(true);
    }
    if (n === '(') {
      if (this.at(2) === '(' && this.dollarArithm()) {
        this.i += 3;
        const arith = this.parseArith('))');
        this.i += 2;
        const a: ArithmExp = { type: 'ArithmExp', pos, end: this.i, arith };
        return a;
      }
      this.i += 2;
      const stmts = this.stmtList(new Set(), ')', false);
      this.skipSeparators();
      if (this.at() !== ')') this.fail('reached the end without a closing ")" for "$("', pos);
      this.i++;
      const cs: CmdSubst = { type: 'CmdSubst', pos, end: this.i, backquotes: false, stmts };
      return cs;
    }
    if (n === '[') {
      this.i += 2;
      const arith = this.parseArith(']');
      this.i += 1;
      return { type: 'ArithmExp', pos, end: this.i, arith };
    }
    if (n === '{') return this.parseParamBrace(mode);
    if (/[A-Za-z_]/.test(n)) {
      let j = this.i + 2;
      while (j < this.limit && /[A-Za-z0-9_]/.test(this.src[j])) j++;
      this.i = j;
      return this.shortParam(pos, this.src.slice(pos + 1, j));
    }
    if (/[0-9@*#?$!-]/.test(n) && n !== '') {
      this.i += 2;
      return this.shortParam(pos, n);
    }
    return null;
  }

  /** `$((` is arithmetic when its parentheses close as `))`; else `$( (…) )`. */
  private dollarArithm(): boolean {
    let depth = 0;
    for (let j = this.i + 3; j < this.limit; j++) {
      const ch = this.src[j];
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) return this.src[j + 1] === ')';
        depth--;
      }
    }
    return false;
  }

  private shortParam(pos: number, param: string): ParamExp {
    return {
      type: 'ParamExp',
      pos,
      end: this.i,
      short: true,
      param,
      paramSpan: { pos: pos + 1, end: this.i },
      excl: false,
      length: false,
      index: null,
      exp: null,
      repl: null,
      slice: null,
      nested: []
    };
  }

  private parseParamBrace(mode: Mode): ParamExp {
    const pos = this.i;
    this.i += 2;
    const inDq = mode === 'dq' || mode === 'heredoc' || mode === 'paramdq' || mode === 'origdq';
    let length = false;
    let excl = false;
    if (this.at() === '#' && this.at(1) !== '}' && /[A-Za-z0-9_@*!?$#-]/.test(this.at(1))) {
      // ${#x} — but ${#-} and ${##} are rare enough to read as length too
      length = true;
      this.i++;
    } else if (this.at() === '!' && /[A-Za-z0-9_@*#]/.test(this.at(1))) {
      excl = true;
      this.i++;
    }
    const ppos = this.i;
    if (/[A-Za-z_]/.test(this.at())) {
      while (!this.eof() && /[A-Za-z0-9_]/.test(this.at())) this.i++;
    } else if (/[0-9]/.test(this.at())) {
      while (!this.eof() && /[0-9]/.test(this.at())) this.i++;
    } else if (/[@*#?$!-]/.test(this.at()) && this.at() !== '') {
      this.i++;
    } else this.fail('bad parameter expansion', pos);
    const param = this.src.slice(ppos, this.i);
    const pe: ParamExp = {
      type: 'ParamExp',
      pos,
      end: this.i,
      short: false,
      param,
      paramSpan: { pos: ppos, end: this.i },
      excl,
      length,
      index: null,
      exp: null,
      repl: null,
      slice: null,
      nested: []
    };
    if (this.at() === '[') {
      const ipos = this.i + 1;
      let depth = 0;
      let j = this.i;
      for (; j < this.limit; j++) {
        const ch = this.src[j];
        if (ch === '[') depth++;
        else if (ch === ']' && --depth === 0) break;
      }
      if (j >= this.limit) this.fail('unclosed "[" in a parameter expansion', pos);
      pe.index = this.src.slice(ipos, j);
      const sub = new Parser(this.src, ipos, j);
      pe.nested.push(...sub.parseArith(null).parts);
      this.i = j + 1;
    }
    const wordMode: Mode = inDq ? 'paramdq' : 'param';
    const c = this.at();
    if (excl && (c === '*' || c === '@') && this.at(1) === '}') this.i++;
    else if (c === ':' && '-=?+'.includes(this.at(1)) && this.at(1) !== '') {
      const op = (':' + this.at(1)) as ParamOp;
      this.i += 2;
      pe.exp = { op, word: this.paramWord(wordMode) };
    } else if (c === ':') {
      this.i++;
      const spos = this.i;
      let depth = 0;
      let j = this.i;
      for (; j < this.limit; j++) {
        const ch = this.src[j];
        if (ch === '{' || ch === '(') depth++;
        else if (ch === ')') depth--;
        else if (ch === '}') {
          if (depth === 0) break;
          depth--;
        }
      }
      pe.slice = this.src.slice(spos, j);
      const sub = new Parser(this.src, spos, j);
      pe.nested.push(...sub.parseArith(null).parts);
      this.i = j;
    } else if (c === '-' || c === '=' || c === '?' || c === '+') {
      this.i++;
      pe.exp = { op: c as ParamOp, word: this.paramWord(wordMode) };
    } else if (c === '#' || c === '%' || c === '^' || c === ',') {
      const op = (this.at(1) === c ? c + c : c) as ParamOp;
      this.i += op.length;
      pe.exp = { op, word: this.paramWord(wordMode) };
    } else if (c === '@') {
      this.i++;
      pe.exp = { op: '@', word: this.paramWord(wordMode) };
    } else if (c === '/') {
      this.i++;
      let all = false;
      if (this.at() === '/') {
        all = true;
        this.i++;
      }
      const opos = this.i;
      const origParts = this.parseParts(inDq ? 'origdq' : 'orig');
      const orig: Word = { type: 'Word', pos: opos, end: this.i, parts: origParts };
      let withW: Word | null = null;
      if (this.at() === '/') {
        this.i++;
        withW = this.paramWord(wordMode);
      }
      pe.repl = { all, orig, with: withW };
    }
    if (this.at() !== '}') this.fail('reached the end without a closing "}" for "${"', pos);
    this.i++;
    pe.end = this.i;
    return pe;
  }

  private paramWord(mode: Mode): Word {
    const pos = this.i;
    const parts = this.parseParts(mode);
    return { type: 'Word', pos, end: this.i, parts };
  }

  /**
   * Scans an arithmetic expression up to `close` (not consumed), collecting the names it
   * reads and assigns and the expansions inside. `close` null scans to the limit.
   */
  parseArith(close: string | null): Arithm {
    const pos = this.i;
    const names: Arithm['names'] = [];
    const assigns: Arithm['assigns'] = [];
    const parts: WordPart[] = [];
    let depth = 0;
    while (!this.eof()) {
      if (close !== null && depth === 0 && this.startsWith(close)) break;
      const c = this.at();
      if (c === '(') {
        depth++;
        this.i++;
      } else if (c === ')') {
        if (depth === 0 && close !== null) this.fail(`expected "${close}"`);
        depth--;
        this.i++;
      } else if (c === '$') {
        const part = this.parseDollar('dq');
        if (part) parts.push(part);
        else this.i++;
      } else if (c === '`') {
        parts.push(this.parseBackquote());
      } else if (/[A-Za-z_]/.test(c)) {
        const prev = this.i > 0 ? this.src[this.i - 1] : '';
        const start = this.i;
        while (!this.eof() && /[A-Za-z0-9_]/.test(this.at())) this.i++;
        if (/[0-9#]/.test(prev)) continue; // 0x1f, 16#ff
        const name = this.src.slice(start, this.i);
        let j = this.i;
        while (j < this.limit && (this.src[j] === ' ' || this.src[j] === '\t')) j++;
        if (this.src[j] === '[') {
          let d = 0;
          for (; j < this.limit; j++) {
            if (this.src[j] === '[') d++;
            else if (this.src[j] === ']' && --d === 0) {
              j++;
              break;
            }
          }
          while (j < this.limit && (this.src[j] === ' ' || this.src[j] === '\t')) j++;
        }
        const rest = this.src.slice(j, j + 3);
        let before = start - 1;
        while (before >= 0 && (this.src[before] === ' ' || this.src[before] === '\t')) before--;
        const pre = before >= 1 ? this.src.slice(before - 1, before + 1) : '';
        const plainAssign = rest[0] === '=' && rest[1] !== '=';
        const opAssign = /^(\+=|-=|\*=|\/=|%=|&=|\^=|\|=|<<=|>>=)/.test(rest);
        const incDec = /^(\+\+|--)/.test(rest) || pre === '++' || pre === '--';
        if (plainAssign || opAssign || incDec) assigns.push({ name, pos: start });
        if (!plainAssign) names.push({ name, pos: start });
      } else if (c === '"' || c === "'") {
        this.i++;
      } else this.i++;
    }
    if (close !== null && !this.startsWith(close)) this.fail(`expected "${close}"`, pos);
    return { pos, end: this.i, raw: this.src.slice(pos, this.i), names, assigns, parts };
  }
}

/** The word as plain text if it is a single unquoted literal, else null. */
export function litOf(w: Word): string | null {
  if (w.parts.length === 0) return '';
  let s = '';
  for (const p of w.parts) {
    if (p.type !== 'Lit') return null;
    s += p.value;
  }
  return s;
}

function isFuncName(w: Word): boolean {
  const lit = litOf(w);
  return lit !== null && lit.length > 0 && /^[^\s$"'`\\;&|<>(){}=]+$/.test(lit);
}

/** Moves every position in a subtree by `delta` (backquoted commands parsed on their own). */
function shiftSpans(node: unknown, delta: number): void {
  if (Array.isArray(node)) {
    for (const n of node) shiftSpans(n, delta);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if ((k === 'pos' || k === 'end' || k === 'opPos') && typeof v === 'number') o[k] = v + delta;
    else if (typeof v === 'object') shiftSpans(v, delta);
  }
}

