/**
 * The module that loads sh-syntax (mvdan/sh compiled to WebAssembly) and asks it whether a
 * script is valid; for a valid script it also builds the syntax tree with tree-sitter-bash
 * (treeSitter.ts, the other WebAssembly module). Everything else in src/lib/shell is synchronous
 * and free of I/O.
 *
 * Loading:
 * - Node (Vitest, the CLI): nothing to do. The first call imports `sh-syntax`, whose Node entry
 *   reads `main.wasm` from its own package folder.
 * - Browser / Web Worker: the `sh-syntax` package's browser entry does not know where
 *   `main.wasm` is served from, so the caller says so once, before the first analysis:
 *
 *       import wasmUrl from 'sh-syntax/main.wasm?url';        // Vite emits it as an asset
 *       import { setShellParserWasm } from '$lib/shell';
 *       setShellParserWasm(wasmUrl);                          // or () => fetch(wasmUrl)
 *
 *   Vite gives the asset a hashed name in the build output, so the service worker's precache
 *   list (built from the output) includes it and the parser works offline. tree-sitter's two
 *   wasm files are configured the same way, with setTreeSitterWasm (treeSitter.ts).
 *
 * The module is compiled once and instantiated per parse (sh-syntax's Go runtime wants a
 * fresh instance per call); nothing is ever executed besides the parser itself.
 */
import type { File as ShFile, IParseError } from 'sh-syntax';
import type { File } from './ast';
import { getBashParser, parseBashTree, type TreeProblem } from './treeSitter';

/**
 * What sh-syntax says about a script: its top-level statements and the syntax tree (from
 * tree-sitter-bash), or the first syntax error.
 */
export type SyntaxCheck =
  | {
      ok: true;
      /** Top-level statements as [start, end) offsets into the source string (UTF-16). */
      statements: { pos: number; end: number }[];
      /** The syntax tree the analysis walks (tree-sitter-bash's, in the node kinds of ast.ts). */
      file: File;
      /** Top-level statements tree-sitter-bash could not read although sh-syntax accepts them: left out of `file`. */
      treeProblems: TreeProblem[];
    }
  | {
      ok: false;
      /** 1-based line and column (column in UTF-16 code units, like the rest of the report). */
      line: number;
      column: number;
      offset: number;
      message: string;
    };

type WasmBytes = ArrayBuffer | ArrayBufferView | Response | WebAssembly.Module;
/** Where main.wasm comes from: a URL (fetched), bytes, a Response, a compiled Module, or a function giving one. */
export type WasmSource = string | URL | WasmBytes | (() => WasmBytes | Promise<WasmBytes>);

type Processor = (text: string, options?: Record<string, unknown>) => Promise<ShFile>;

let configured: WasmSource | null = null;
let processorPromise: Promise<Processor> | null = null;

/** Tells the analysis where `main.wasm` is (required in the browser; optional in Node). `null` restores the default. */
export function setShellParserWasm(source: WasmSource | null): void {
  configured = source;
  processorPromise = null;
}

async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  let s: WasmSource = source;
  if (typeof s === 'function') s = await s();
  if (typeof s === 'string' || s instanceof URL) s = await fetch(s);
  if (s instanceof WebAssembly.Module) return s;
  if (typeof Response !== 'undefined' && s instanceof Response) {
    if (!s.ok) throw new Error(`could not load the shell parser (main.wasm): HTTP ${s.status}`);
    return WebAssembly.compile(await s.arrayBuffer());
  }
  const view = s as ArrayBuffer | ArrayBufferView;
  const bytes = view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return WebAssembly.compile(bytes as BufferSource);
}

async function loadProcessor(): Promise<Processor> {
  const mod = (await import('sh-syntax')) as unknown as {
    getProcessor: (get: (imports: WebAssembly.Imports) => Promise<WebAssembly.Instance>) => Processor;
    parse?: Processor;
  };
  if (configured !== null) {
    const module = await compile(configured);
    return mod.getProcessor((imports) => WebAssembly.instantiate(module, imports));
  }
  if (typeof mod.parse === 'function') return mod.parse;
  throw new Error(
    'The shell parser needs main.wasm: call setShellParserWasm(url) first ' +
      "(in the browser: import url from 'sh-syntax/main.wasm?url')."
  );
}

function getProcessor(): Promise<Processor> {
  if (!processorPromise) {
    processorPromise = loadProcessor();
    processorPromise.catch(() => {
      processorPromise = null;
    });
  }
  return processorPromise;
}

/** Loads both parsers now (e.g. when a worker starts) instead of on the first analysis. */
export async function preloadShellParser(): Promise<void> {
  await Promise.all([getProcessor(), getBashParser()]);
}

/** mvdan/sh counts offsets in UTF-8 bytes; the report counts UTF-16 code units. */
export function byteToCharOffsets(src: string): (byteOffset: number) => number {
  // ASCII fast path
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(src)) return (b) => b;
  const map: number[] = [];
  let bytes = 0;
  for (let i = 0; i < src.length; i++) {
    const code = src.codePointAt(i)!;
    const len = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < len; k++) map[bytes + k] = i;
    bytes += len;
    if (code >= 0x10000) i++;
  }
  map[bytes] = src.length;
  return (b) => map[b] ?? src.length;
}

function locate(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Checks with sh-syntax (Bash dialect, a superset of POSIX sh) and, if valid, builds the tree
 * with tree-sitter-bash. Never executes anything.
 */
export async function checkSyntax(source: string): Promise<SyntaxCheck> {
  const processor = await getProcessor();
  const toChar = byteToCharOffsets(source);
  let statements: { pos: number; end: number }[];
  try {
    const file = await processor(source, { keepComments: false });
    statements = file.Stmts.map((s) => ({ pos: toChar(s.Pos.Offset), end: toChar(s.End.Offset) }));
  } catch (e) {
    const err = e as Partial<IParseError> & { message?: string };
    // A parse error from mvdan/sh carries its Text (and mostly a position). Anything else —
    // the wasm failing to load, a runtime fault — is not the script's fault: it must reach the
    // caller as a failure of the analysis, not show up as a "syntax error" at line 1.
    if (typeof err.Text !== 'string' && !err.Pos) throw e;
    const text = typeof err.Text === 'string' ? err.Text : String(err.message ?? e);
    if (err.Pos && err.Pos.Line > 0) {
      const offset = toChar(err.Pos.Offset);
      const { line, column } = locate(source, offset);
      // trust mvdan's line; our column converts its byte column to characters
      return { ok: false, line: err.Pos.Line, column: line === err.Pos.Line ? column : err.Pos.Col, offset, message: text };
    }
    return { ok: false, line: 1, column: 1, offset: 0, message: text };
  }
  // valid: the tree comes from tree-sitter-bash (sh-syntax's JSON has no nesting)
  const tree = await parseBashTree(source, statements);
  return { ok: true, statements, file: tree.file, treeProblems: tree.problems };
}
