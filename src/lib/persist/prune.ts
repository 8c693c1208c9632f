/**
 * The run history's size limit, as a pure decision: which runs to delete, oldest first, to get
 * back under the limit. Nothing is deleted without the user's consent: the page shows the plan
 * ("delete the 3 oldest runs, 12 MB?") and only carries it out when asked.
 */

export interface RunLimits {
  /** Most runs kept. */
  maxRuns: number;
  /** Most bytes kept (sum of RunMeta.bytes). */
  maxBytes: number;
}

/**
 * Defaults: a run of a small model is tens of kilobytes, one with 2,000-bucket series for many
 * nodes a few megabytes; browsers give an origin hundreds of megabytes or more. 200 runs or
 * 100 MB keeps a long history and leaves room for models.
 */
export const DEFAULT_RUN_LIMITS: RunLimits = { maxRuns: 200, maxBytes: 100 * 1024 * 1024 };

export interface PruneCandidate {
  id: string;
  createdAt: number;
  bytes: number;
}

export interface PrunePlan {
  /** Ids to delete, oldest first; empty when within the limits. */
  remove: string[];
  /** Bytes those runs take. */
  freedBytes: number;
  count: number;
  totalBytes: number;
}

/**
 * Oldest first (ties by id, so the plan does not depend on list order), never a run in
 * `keep` (e.g. the one just made, which the user is looking at). When even deleting every
 * other run would not be enough, the plan deletes every other run and no more.
 */
export function planPrune(runs: readonly PruneCandidate[], limits: RunLimits, keep: ReadonlySet<string> = new Set()): PrunePlan {
  const size = (b: number) => (Number.isFinite(b) && b > 0 ? b : 0);
  let count = runs.length;
  let bytes = 0;
  for (const r of runs) bytes += size(r.bytes);
  const totalBytes = bytes;
  const ordered = [...runs].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const remove: string[] = [];
  let freedBytes = 0;
  for (const r of ordered) {
    if (count <= limits.maxRuns && bytes <= limits.maxBytes) break;
    if (keep.has(r.id)) continue;
    remove.push(r.id);
    freedBytes += size(r.bytes);
    bytes -= size(r.bytes);
    count--;
  }
  return { remove, freedBytes, count: runs.length, totalBytes };
}
