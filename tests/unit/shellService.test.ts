/**
 * The shell worker's service over an in-process MessageChannel (the same Comlink wiring as
 * workers/shell.worker.ts; in Node the parsers read their wasm from node_modules): the report
 * survives structured cloning, a new environment reuses the parse, oversized scripts are refused;
 * and the gallery's scripts show what their notes promise (positions computed from the text here).
 */
import { readFileSync } from 'node:fs';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { createShellService, MAX_SCRIPT_CHARS, type ShellService } from '../../workers/shellService';
import { pipelineToModel } from '../../src/lib/shell/pipelineModel';
import { MAX_SCRIPT_BYTES } from '../../src/lib/runner/shellState.svelte';

const { port1, port2 } = new MessageChannel();
Comlink.expose(createShellService(), port2);
const remote = Comlink.wrap<ShellService>(port1);
afterAll(() => {
  port1.close();
  port2.close();
});

const CLEANUP = readFileSync('static/scripts/cleanup.sh', 'utf8');
const TOP_CLIENTS = readFileSync('static/scripts/top-clients.sh', 'utf8');

function position(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('shell service over Comlink', () => {
  it('analyses the destructive script: rm-empty-expansion on "$BUILD_DIR/"*, deferred; rm deletes $BUILD_DIR/*', async () => {
    const r = await remote.analyze(CLEANUP);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.parsed).toBe(true);
    const at = position(CLEANUP, '"$BUILD_DIR/"*');
    const rm = r.report.findings.find((f) => f.rule === 'rm-empty-expansion');
    expect(rm).toMatchObject({ line: at.line, column: at.column, endLine: at.line, endColumn: at.column + '"$BUILD_DIR/"*'.length, deferred: true, severity: 'warning' });
    const effect = r.report.effects.find((e) => e.line === at.line);
    expect(effect?.deletes).toEqual(['$BUILD_DIR/*']);
    expect(effect?.symbolic).toBe(true);
  });

  it('re-runs with an environment without parsing again, and resolves the deferred finding', async () => {
    const at = position(CLEANUP, '"$BUILD_DIR/"*');
    const set = await remote.analyze(CLEANUP, { vars: { BUILD_DIR: '/home/ci/build' } });
    expect(set.ok && set.parsed).toBe(false);
    if (!set.ok) return;
    expect(set.report.jit?.changes.find((c) => c.rule === 'rm-empty-expansion')).toMatchObject({ line: at.line, outcome: 'gone' });
    const empty = await remote.analyze(CLEANUP, { vars: { BUILD_DIR: '' } });
    if (!empty.ok) throw new Error(empty.error);
    expect(empty.report.jit?.changes.find((c) => c.rule === 'rm-empty-expansion')).toMatchObject({ line: at.line, outcome: 'error' });
    // another script is parsed again
    const other = await remote.analyze(TOP_CLIENTS);
    expect(other.ok && other.parsed).toBe(true);
  });

  it('reports a syntax error with line and column', async () => {
    const script = 'echo start\nif [ -f x ]; then\n  echo "a" )\nfi\n';
    const r = await remote.analyze(script);
    if (!r.ok) throw new Error(r.error);
    expect(r.report.findings).toHaveLength(1);
    expect(r.report.findings[0]).toMatchObject({ rule: 'syntax', severity: 'error', ...position(script, ')') });
  });

  it('refuses a script over the limit with a clear message, and the panel has the same limit', async () => {
    expect(MAX_SCRIPT_BYTES).toBe(MAX_SCRIPT_CHARS);
    const r = await remote.analyze('#'.repeat(MAX_SCRIPT_CHARS + 1));
    expect(r).toEqual({ ok: false, error: `The script is ${Math.ceil((MAX_SCRIPT_CHARS + 1) / 1024)} KiB; the limit is 256 KiB.` });
  });

  it('the log pipeline: its stages as written, and a model with a spawner per stage', async () => {
    const r = await remote.analyze(TOP_CLIENTS);
    if (!r.ok) throw new Error(r.error);
    expect(r.report.findings).toEqual([]);
    expect(r.report.pipelines).toHaveLength(1);
    const line = TOP_CLIENTS.split('\n').find((l) => l.includes(' | '))!;
    const commands = line.split(' | ').map((s) => s.trim().split(/\s+/)[0]);
    const p = r.report.pipelines[0];
    expect(p.stages.map((s) => s.command)).toEqual(commands);
    expect(p.line).toBe(position(TOP_CLIENTS, line).line);
    const doc = pipelineToModel(p, { mechanism: 'spork' });
    const spawners = doc.nodes.filter((n) => n.kind === 'spawner');
    expect(spawners).toHaveLength(commands.length);
    for (const s of spawners) expect((s.params as { mechanism?: string }).mechanism).toBe('spork');
  });
});
