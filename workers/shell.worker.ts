/**
 * Worker entry: exposes the shell-analysis service (shellService.ts) over Comlink. Nothing else
 * belongs here (the wasm URLs come from the page: src/lib/runner/shellClient.ts).
 */
import * as Comlink from 'comlink';
// sh-syntax needs TinyGo's runtime shim (it defines globalThis.Go). Its package.json lists
// "vendors/wasm_exec.js" as having side effects, but the file is wasm_exec.cjs, so the bundler
// drops the package's own side-effect import of it and the browser build fails with "Go is not
// defined". Importing it here and storing the module in a global keeps it (and runs it) first.
import goShim from 'sh-syntax/vendors/wasm_exec.cjs';
import { createShellService } from './shellService.ts';

(globalThis as Record<string, unknown>).__shSyntaxGoShim = goShim;

Comlink.expose(createShellService());
