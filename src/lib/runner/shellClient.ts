/**
 * The page's client of the shell-analysis worker (workers/shell.worker.ts): one module worker,
 * made on the first analysis and kept, told once where the parsers' wasm files are.
 *
 * Why the wasm files are imported here and not in the worker: an asset imported with `?url`
 * from a page chunk is listed in Vite's client manifest, which is what SvelteKit builds the
 * service worker's precache list (`build`) from, so the three files are cached at install and
 * the panel works offline. (Assets a worker bundle imports itself are emitted but not listed.)
 * The URLs are made absolute here because a worker resolves relative URLs against its own.
 *
 * Latest wins: each `analyze` is numbered, and a result that arrives after a newer request was
 * made is dropped (`null`), so typing never shows an older script's report.
 */
import * as Comlink from 'comlink';
import shWasm from 'sh-syntax/main.wasm?url';
import grammarWasm from 'tree-sitter-bash/tree-sitter-bash.wasm?url';
// web-tree-sitter 0.25.6's package "exports" omit tree-sitter.wasm: imported by its path.
import runtimeWasm from '../../../node_modules/web-tree-sitter/tree-sitter.wasm?url';
import type { ShellEnv } from '../shell/index.ts';
import type { ShellAnalysis, ShellService, ShellWasmUrls } from '../../../workers/shellService.ts';

export type { ShellAnalysis };

export function shellWasmUrls(base: string): ShellWasmUrls {
  return {
    sh: new URL(shWasm, base).href,
    runtime: new URL(runtimeWasm, base).href,
    grammar: new URL(grammarWasm, base).href
  };
}

function createShellWorker(): Worker {
  // Vite bundles the entry as its own module chunk from this exact pattern: keep it literal.
  return new Worker(new URL('../../../workers/shell.worker.ts', import.meta.url), { type: 'module', name: 'shell' });
}

export class ShellClient {
  #worker: Worker | null = null;
  #remote: Comlink.Remote<ShellService> | null = null;
  #ready: Promise<void> | null = null;
  #seq = 0;

  #service(): { remote: Comlink.Remote<ShellService>; ready: Promise<void> } {
    if (!this.#remote || !this.#ready) {
      this.#worker = createShellWorker();
      this.#remote = Comlink.wrap<ShellService>(this.#worker);
      const remote = this.#remote;
      this.#ready = remote.configure(shellWasmUrls(location.href));
      // a failed load (offline on a first visit) is retried by the next analysis
      this.#ready.catch(() => this.dispose());
    }
    return { remote: this.#remote, ready: this.#ready };
  }

  /** The report, or `null` when a newer request was made meanwhile (its result is the one to show). */
  async analyze(source: string, env?: ShellEnv): Promise<ShellAnalysis | null> {
    const n = ++this.#seq;
    let result: ShellAnalysis;
    try {
      const { remote, ready } = this.#service();
      await ready;
      result = await remote.analyze(source, env);
    } catch (e) {
      result = { ok: false, error: `The shell parsers could not be loaded: ${e instanceof Error ? e.message : String(e)}` };
    }
    return n === this.#seq ? result : null;
  }

  dispose(): void {
    this.#remote?.[Comlink.releaseProxy]();
    this.#worker?.terminate();
    this.#worker = null;
    this.#remote = null;
    this.#ready = null;
  }
}
