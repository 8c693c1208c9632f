/**
 * The corpus (tests/shell/corpus): realistic scripts, each with the findings it should get
 * (rule and line). Measures precision and recall over all of them and requires both ≥ 0.9;
 * also measures agreement with ShellCheck's recorded verdicts on the checks our rules mirror.
 * (It lives here because Vitest's include covers src/**, not tests/shell.)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeShell } from './analyze';
import { RULES, type RuleId } from './rules';
import type { ShellReport } from './types';

interface Expectation {
  description: string;
  expected: { rule: RuleId; line: number }[];
  shellcheck?: { version: string; findings: { code: string; line: number }[] };
}

const dir = fileURLToPath(new URL('../../../tests/shell/corpus/', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.sh'))
  .sort()
  .map((f) => ({
    name: f.replace(/\.sh$/, ''),
    src: readFileSync(dir + f, 'utf8'),
    exp: JSON.parse(readFileSync(dir + f.replace(/\.sh$/, '.expected.json'), 'utf8')) as Expectation
  }));

/** ShellCheck codes our rules answer for (each rule's code and its related ones). */
const MIRRORED = new Set(Object.values(RULES).flatMap((r) => [r.shellcheck, ...(r.related ?? [])]).filter((c): c is string => !!c && /^SC\d+$/.test(c)));

const reports = new Map<string, ShellReport>();
async function report(name: string, src: string): Promise<ShellReport> {
  let r = reports.get(name);
  if (!r) {
    r = await analyzeShell(src);
    reports.set(name, r);
  }
  return r;
}

describe('shell corpus', () => {
  it('has at least 40 scripts, true positives and clean ones, each with expectations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.exp.expected.length === 0).length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.exp.expected.length > 0).length).toBeGreaterThanOrEqual(20);
    for (const c of cases) {
      expect(c.exp.description, c.name).toBeTruthy();
      for (const e of c.exp.expected) expect(RULES[e.rule], `${c.name}: ${e.rule}`).toBeDefined();
    }
  });

  it('finds what is expected: precision and recall ≥ 0.9', async () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const perRule = new Map<string, { tp: number; fp: number; fn: number }>();
    const bump = (rule: string, k: 'tp' | 'fp' | 'fn') => {
      const r = perRule.get(rule) ?? { tp: 0, fp: 0, fn: 0 };
      r[k]++;
      perRule.set(rule, r);
    };
    const misses: string[] = [];
    for (const c of cases) {
      const r = await report(c.name, c.src);
      const got = new Set(r.findings.map((f) => `${f.rule}:${f.line}`));
      const want = new Set(c.exp.expected.map((e) => `${e.rule}:${e.line}`));
      for (const k of got) {
        const rule = k.split(':')[0];
        if (want.has(k)) {
          tp++;
          bump(rule, 'tp');
        } else {
          fp++;
          bump(rule, 'fp');
          misses.push(`false positive ${c.name}.sh ${k}`);
        }
      }
      for (const k of want) {
        if (!got.has(k)) {
          fn++;
          bump(k.split(':')[0], 'fn');
          misses.push(`missed ${c.name}.sh ${k}`);
        }
      }
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    const table = [...perRule.entries()]
      .sort()
      .map(([rule, x]) => `  ${rule.padEnd(22)} tp ${String(x.tp).padStart(2)}  fp ${x.fp}  fn ${x.fn}`)
      .join('\n');
    console.log(
      `shell corpus: ${cases.length} scripts, ${tp + fn} expected findings\n` +
        `precision ${precision.toFixed(3)} (${tp}/${tp + fp})  recall ${recall.toFixed(3)} (${tp}/${tp + fn})\n${table}\n` +
        misses.map((m) => '  ' + m).join('\n')
    );
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('agrees with ShellCheck on the checks it mirrors (recorded verdicts)', async () => {
    let both = 0;
    let onlyOurs = 0;
    let onlyShellCheck = 0;
    const diffs: string[] = [];
    for (const c of cases) {
      if (!c.exp.shellcheck) continue;
      const r = await report(c.name, c.src);
      const ours = new Set(r.findings.filter((f) => f.shellcheck && MIRRORED.has(f.shellcheck)).map((f) => `${f.shellcheck}:${f.line}`));
      const theirs = new Set(c.exp.shellcheck.findings.filter((f) => MIRRORED.has(f.code)).map((f) => `${f.code}:${f.line}`));
      for (const k of ours) {
        if (theirs.has(k)) both++;
        else {
          onlyOurs++;
          diffs.push(`  only ours       ${c.name}.sh ${k}`);
        }
      }
      for (const k of theirs) {
        if (!ours.has(k)) {
          onlyShellCheck++;
          diffs.push(`  only ShellCheck ${c.name}.sh ${k}`);
        }
      }
    }
    const agreement = both / (both + onlyOurs + onlyShellCheck);
    console.log(
      `ShellCheck agreement on ${[...MIRRORED].sort().join(' ')}: ${both} shared, ${onlyOurs} only ours, ${onlyShellCheck} only ShellCheck ` +
        `(Jaccard ${agreement.toFixed(3)})\n${diffs.join('\n')}`
    );
    // The differences are deliberate (README: "Where we differ from ShellCheck"); this floor catches drift.
    expect(agreement).toBeGreaterThanOrEqual(0.75);
  });

  it('reports the syntax error of the broken script and nothing for the rest of it', async () => {
    const r = await report('syntax-error', cases.find((c) => c.name === 'syntax-error')!.src);
    expect(r.findings.map((f) => f.rule)).toEqual(['syntax']);
  });
});
