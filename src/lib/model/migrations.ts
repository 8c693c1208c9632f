/**
 * Document migrations: an append-only list of named steps, each taking a document of version
 * `from` to version `from + 1` (MODEL.md §1: files of every released version stay loadable).
 *
 * WARNING: APPEND ONLY. Never edit, reorder or remove a released migration; a change of shape
 * is a new migration plus a bump of MODEL_VERSION in types.ts. Invariant (tested):
 * FIRST_VERSION + MIGRATIONS.length === MODEL_VERSION, and MIGRATIONS[i].from === FIRST_VERSION + i.
 *
 * A migration works on plain JSON data (already checked to be plain and acyclic), receives its
 * own deep copy, and should not validate: the schema of the newest version does that after the
 * last step. It may throw; `migrate` turns that into an issue naming the migration.
 */
import { MODEL_VERSION, type ModelIssue, type Result } from './types.ts';
import { describeValue } from './units.ts';

/** The first released version of the document format. */
export const FIRST_VERSION = 1;

export interface Migration {
  /** A short, stable name, e.g. "v1→v2: rename queue.size to queue.capacity". */
  readonly name: string;
  /** The version this step reads; it produces `from + 1`. */
  readonly from: number;
  readonly up: (doc: Record<string, unknown>) => Record<string, unknown>;
}

/** v1 is the first version: nothing to migrate yet. */
export const MIGRATIONS: readonly Migration[] = [];

export interface MigrateOptions {
  /** For tests of the mechanism; defaults to MIGRATIONS. */
  migrations?: readonly Migration[];
  /** The newest version; defaults to MODEL_VERSION. */
  latest?: number;
}

function fail(path: string, message: string): { ok: false; issues: ModelIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

/** The chain must start at FIRST_VERSION, step by one and end at `latest`. */
export function checkMigrations(migrations: readonly Migration[], latest: number): string[] {
  const problems: string[] = [];
  migrations.forEach((m, i) => {
    if (m.from !== FIRST_VERSION + i) problems.push(`migration ${i} ("${m.name}") reads v${m.from}, expected v${FIRST_VERSION + i}`);
  });
  if (FIRST_VERSION + migrations.length !== latest) {
    problems.push(`${migrations.length} migrations from v${FIRST_VERSION} end at v${FIRST_VERSION + migrations.length}, but the newest version is v${latest}`);
  }
  return problems;
}

/**
 * Bring a document (a plain object with a `version`) to the newest version. Refuses versions
 * newer than this app reads, and versions that never existed.
 */
export function migrate(doc: Record<string, unknown>, options: MigrateOptions = {}): Result<Record<string, unknown>> {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = options.latest ?? MODEL_VERSION;
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) {
    return fail('version', `expected a version number (a whole number), got ${describeValue(version)}`);
  }
  if (version > latest) {
    return fail('version', `this model was saved by a newer version (v${version}); this app reads up to v${latest}`);
  }
  if (version < FIRST_VERSION) {
    return fail('version', `there is no version v${version}; the first version is v${FIRST_VERSION}`);
  }
  if (version === latest) return { ok: true, value: doc };

  let current: Record<string, unknown> = structuredClone(doc);
  for (let from = version; from < latest; from++) {
    const step = migrations[from - FIRST_VERSION];
    if (!step || step.from !== from) {
      return fail('version', `cannot read v${from}: no migration from v${from} to v${from + 1}`);
    }
    try {
      const next = step.up(current);
      if (!next || typeof next !== 'object' || Array.isArray(next)) {
        return fail('version', `migration "${step.name}" did not return a document`);
      }
      current = { ...next, version: from + 1 };
    } catch (e) {
      return fail('version', `migration "${step.name}" failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { ok: true, value: current };
}
