/**
 * Located issues: valibot issues → `{ path: "nodes[1].params.capacity", message }`.
 */
import type * as v from 'valibot';
import type { ModelIssue } from './types.ts';

export type PathKey = string | number;

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** ["nodes", 1, "params", "capacity"] → "nodes[1].params.capacity"; odd keys get ["…"]. */
export function formatPath(keys: readonly PathKey[]): string {
  let out = '';
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENT.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** Join a prefix path and a relative one. */
export function joinPath(prefix: string, rest: string): string {
  if (!prefix) return rest;
  if (!rest) return prefix;
  return rest.startsWith('[') ? prefix + rest : `${prefix}.${rest}`;
}


/** Convert valibot issues, dropping exact duplicates, in document order of discovery. */
export function fromValibot(issues: readonly v.BaseIssue<unknown>[], prefix: PathKey[] = []): ModelIssue[] {
  const out: ModelIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const keys = (issue.path ?? []).map((item) => (typeof item.key === 'number' ? item.key : String(item.key)));
    const located = { path: formatPath([...prefix, ...keys]), message: issue.message };
    const key = `${located.path}\u0000${located.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(located);
    }
  }
  return out;
}

/** "nodes[1].params.capacity: expected a whole number ≥ 0, got \"ten\"". */
export function formatIssue(issue: ModelIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}
