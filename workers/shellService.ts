/**
 * The shell-analysis service behind workers/shell.worker.ts: src/lib/shell off the page's thread
 * (PAPERS.md §5). Parsing loads two WebAssembly parsers (sh-syntax, tree-sitter-bash) and a big
 * script takes a noticeable time, so the page never does it itself.
 *
 * Nothing is executed: the script is parsed and interpreted abstractly (src/lib/shell/README.md).
 *
 * The page says where the three wasm files are served from (`configure`, once; the URLs come
 * from Vite `?url` imports on the page's side, see src/lib/runner/shellClient.ts). In Node
 * (tests) `configure` is not needed: the parsers read their files from node_modules.
 *
 * The last parse is kept, so re-running with another just-in-time environment (the user typing
 * a variable's value) does not parse the script again: only `analyzeParsed` runs.
 */
import { analyzeParsed, checkSyntax, preloadShellParser, setShellParserWasm, setTreeSitterWasm } from '../src/lib/shell/index.ts';
import type { ShellEnv, ShellReport, SyntaxCheck } from '../src/lib/shell/index.ts';

/** The largest script the service analyses, in UTF-16 code units (the panel refuses bigger files first). */
export const MAX_SCRIPT_CHARS = 256 * 1024;

/** Where the parsers' wasm files are (absolute URLs: the worker resolves relative ones against its own URL). */
export interface ShellWasmUrls {
  /** sh-syntax's main.wasm */
  sh: string;
  /** web-tree-sitter's tree-sitter.wasm (the runtime) */
  runtime: string;
  /** tree-sitter-bash's tree-sitter-bash.wasm (the grammar) */
  grammar: string;
}

export type ShellAnalysis =
  | { ok: true; report: ShellReport; /** whether the script was parsed for this call (false: the cached parse was reused) */ parsed: boolean }
  | { ok: false; error: string };

/** Only plain data crosses into the analysis: strings, and nothing but the three known fields. */
function cleanEnv(env: ShellEnv | undefined): ShellEnv | undefined {
  if (!env) return undefined;
  const out: ShellEnv = {};
  if (env.vars && typeof env.vars === 'object') {
    const vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(env.vars)) if (typeof v === 'string') vars[k] = v;
    out.vars = vars;
  }
  if (Array.isArray(env.files)) out.files = env.files.filter((f): f is string => typeof f === 'string');
  if (typeof env.cwd === 'string') out.cwd = env.cwd;
  return out;
}

export function createShellService() {
  let cache: { source: string; parsed: SyntaxCheck } | null = null;

  return {
    /** Where the wasm files are; loads both parsers now, so the first analysis is quick. */
    async configure(urls: ShellWasmUrls): Promise<void> {
      setShellParserWasm(urls.sh);
      setTreeSitterWasm({ runtime: urls.runtime, grammar: urls.grammar });
      cache = null;
      await preloadShellParser();
    },

    /**
     * The report of `source`, with the just-in-time pass when `env` is given. A failure to load
     * the parsers (offline before the first visit, say) is a result, not an exception.
     */
    async analyze(source: string, env?: ShellEnv): Promise<ShellAnalysis> {
      if (typeof source !== 'string') return { ok: false, error: 'The script must be text.' };
      if (source.length > MAX_SCRIPT_CHARS) {
        return { ok: false, error: `The script is ${Math.ceil(source.length / 1024)} KiB; the limit is ${MAX_SCRIPT_CHARS / 1024} KiB.` };
      }
      let parsed = false;
      try {
        if (!cache || cache.source !== source) {
          cache = { source, parsed: await checkSyntax(source) };
          parsed = true;
        }
        return { ok: true, report: analyzeParsed(cache.parsed, source, cleanEnv(env)), parsed };
      } catch (e) {
        cache = null;
        return { ok: false, error: `The analysis failed: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
  };
}

export type ShellService = ReturnType<typeof createShellService>;
