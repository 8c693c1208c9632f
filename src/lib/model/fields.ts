/**
 * Building blocks for the valibot schemas: numbers, quantities with units, choices, objects and
 * lists, each with one clear message of the form `expected <what>, got <value>`.
 *
 * Conventions (keep them, the messages and the JSON Schema depend on them):
 *  - Every leaf carries a `description` (what a valid value looks like). It is the `<what>` of
 *    the message, the text shown when a required field is missing, and the JSON Schema
 *    `description`.
 *  - Objects are loose: unknown fields are kept (MODEL.md §1).
 *  - Schemas only validate; they never transform. The document a user wrote is returned as
 *    written; conversion to base units happens in `normalize`.
 *  - Parse with `PARSE_CONFIG` (abortPipeEarly), so each value gets at most one message.
 */
import * as v from 'valibot';
import { describeValue, parseQuantity, UNIT_PATTERNS, type UnitKind } from './units.ts';

export type { UnitKind } from './units.ts';

/** Use for every safeParse of these schemas: one issue per value, not one per failed rule. */
export const PARSE_CONFIG = { abortPipeEarly: true } as const;

type Issue = v.BaseIssue<unknown>;
type Message = (issue: Issue) => string;

const expected =
  (what: string): Message =>
  (issue) =>
    `expected ${what}, got ${describeValue(issue.input)}`;

/** The description of a schema (from its `description` pipe item), if any. */
export function descriptionOf(schema: unknown): string | undefined {
  const pipe = (schema as { pipe?: unknown[] } | null)?.pipe;
  if (!Array.isArray(pipe)) return undefined;
  for (let i = pipe.length - 1; i >= 0; i--) {
    const item = pipe[i] as { type?: unknown; description?: unknown };
    if (item?.type === 'description' && typeof item.description === 'string') return item.description;
  }
  return undefined;
}

/* ------------------------------------------------------------------------------------------
 * Plain values.
 * ---------------------------------------------------------------------------------------- */

export interface NumberOptions {
  /** Inclusive lower bound unless `gt`. */
  min?: number;
  /** Exclusive lower bound. */
  gt?: number;
  /** Inclusive upper bound unless `lt`. */
  max?: number;
  /** Exclusive upper bound. */
  lt?: number;
  integer?: boolean;
  /** Overrides the generated description. */
  what?: string;
}

function boundsText(o: NumberOptions): string {
  const parts: string[] = [];
  if (o.gt !== undefined) parts.push(`> ${o.gt}`);
  else if (o.min !== undefined) parts.push(`≥ ${o.min}`);
  if (o.lt !== undefined) parts.push(`< ${o.lt}`);
  else if (o.max !== undefined) parts.push(`≤ ${o.max}`);
  return parts.join(' and ');
}

/** A finite number, optionally whole and bounded. */
export function num(o: NumberOptions = {}): v.GenericSchema<number> {
  const bounds = boundsText(o);
  const what = o.what ?? `${o.integer ? 'a whole number' : 'a number'}${bounds ? ` ${bounds}` : ''}`;
  const msg = expected(what);
  const items: v.PipeItem<number, number, Issue>[] = [v.finite(msg)];
  if (o.integer) items.push(v.safeInteger(msg));
  if (o.gt !== undefined) items.push(v.gtValue(o.gt, msg));
  else if (o.min !== undefined) items.push(v.minValue(o.min, msg));
  if (o.lt !== undefined) items.push(v.ltValue(o.lt, msg));
  else if (o.max !== undefined) items.push(v.maxValue(o.max, msg));
  // valibot's pipe is variadic over a tuple; building the tuple dynamically needs one cast.
  const pipe = v.pipe as unknown as (...a: unknown[]) => v.GenericSchema<number>;
  return pipe(v.number(msg), ...items, v.description(what));
}

/** A whole number ≥ `min`. */
export const whole = (min: number, max?: number): v.GenericSchema<number> =>
  num({ integer: true, min, max });

/** A probability: a number between 0 and 1 inclusive. */
export const probability = (): v.GenericSchema<number> =>
  num({ min: 0, max: 1, what: 'a probability between 0 and 1' });

/** A whole number ≥ `min`, or the string "infinite". */
export function wholeOrInfinite(min: number): v.GenericSchema<number | 'infinite'> {
  const what = `a whole number ≥ ${min} or "infinite"`;
  // Mention "infinite" only to someone who evidently tried to say it another way; everyone
  // else (who typed "ten" or -1) is shown the number they owe: `expected a whole number ≥ 0`.
  const msg: Message = (issue) => {
    const x = issue.input;
    const triedInfinity = typeof x === 'string' && /^\s*(inf|infinity|infinite|unlimited|unbounded|∞|none|max)\s*$/i.test(x);
    return `expected a whole number ≥ ${min}${triedInfinity ? ' or "infinite" (exactly so)' : ''}, got ${describeValue(x)}`;
  };
  return v.pipe(
    v.union(
      [
        v.pipe(v.number(msg), v.safeInteger(msg), v.minValue(min, msg)),
        v.literal('infinite', msg)
      ],
      msg
    ),
    v.description(what)
  );
}

export function str(what = 'a string'): v.GenericSchema<string> {
  const msg = expected(what);
  return v.pipe(v.string(msg), v.description(what));
}

export function nonEmptyStr(what = 'a non-empty string'): v.GenericSchema<string> {
  const msg = expected(what);
  return v.pipe(v.string(msg), v.nonEmpty(msg), v.description(what));
}

export function bool(): v.GenericSchema<boolean> {
  const what = 'true or false';
  return v.pipe(v.boolean(expected(what)), v.description(what));
}

function listChoices(options: readonly string[]): string {
  const quoted = options.map((o) => JSON.stringify(o));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** One of a fixed list of strings. */
export function choice<const T extends readonly [string, ...string[]]>(
  options: T
): v.GenericSchema<T[number]> {
  const what = options.length === 1 ? JSON.stringify(options[0]) : `one of ${listChoices(options)}`;
  const msg = expected(what);
  return v.pipe(v.picklist(options, msg), v.description(what));
}

/** Exactly this string (a discriminator such as `"dist": "exp"`). */
export function tag<const T extends string>(value: T): v.LiteralSchema<T, Message> {
  return v.literal(value, expected(JSON.stringify(value)));
}

/* ------------------------------------------------------------------------------------------
 * Quantities with units.
 * ---------------------------------------------------------------------------------------- */

const NOUN: Record<UnitKind, string> = {
  duration: 'a duration',
  rate: 'a rate',
  size: 'a size',
  bandwidth: 'a bandwidth'
};
const LIKE: Record<UnitKind, string> = {
  duration: '"100 ms"',
  rate: '"5/s"',
  size: '"1 KiB"',
  bandwidth: '"10 Gbit/s"'
};

export interface QuantityOptions {
  /** Inclusive lower bound in base units (default 0). */
  min?: number;
  /** Exclusive lower bound in base units; wins over `min`. */
  gt?: number;
  /** Accept the string "infinite" too (normalised to Infinity). */
  infinite?: boolean;
  /** Accept these exact words too, such as "auto" (normalize handles them). */
  words?: readonly string[];
}

/** The lower-bound test of a quantity, shared with cross-field checks. */
function inRange(x: number, o: QuantityOptions): boolean {
  if (o.gt !== undefined) return x > o.gt;
  return x >= (o.min ?? 0);
}

/**
 * A quantity: a number in base units or a string with a unit of `kind`. The schema only
 * validates; `normalize` converts. Strings are checked against the unit pattern (which the
 * JSON Schema also carries); the range check runs on the parsed value.
 */
export function quantity(kind: UnitKind, o: QuantityOptions = {}): v.GenericSchema<number | string> {
  const words = [...(o.words ?? []), ...(o.infinite ? ['infinite'] : [])];
  const bound = o.gt !== undefined ? `> ${o.gt}` : `≥ ${o.min ?? 0}`;
  const quoted = words.map((w) => JSON.stringify(w));
  const what = `${NOUN[kind]} ${bound} like ${LIKE[kind]}${quoted.map((w) => ` or ${w}`).join('')}`;
  const msg: Message = (issue) => {
    const input = issue.input;
    const p = parseQuantity(kind, input);
    // A value that does not parse gets the parser's message (it names an unknown unit).
    if (!p.ok) return words.length ? p.message.replace(/^expected /, `expected ${quoted.join(' or ')} or `) : p.message;
    return `expected ${what}, got ${describeValue(input)}`;
  };
  const options: v.GenericSchema<number | string>[] = [
    v.pipe(v.number(msg), v.finite(msg)),
    ...words.map((w) => v.literal(w, msg)),
    v.pipe(v.string(msg), v.regex(UNIT_PATTERNS[kind], msg))
  ];
  return v.pipe(
    v.union(options, msg),
    v.check((x) => {
      if (typeof x === 'string' && words.includes(x)) return true;
      const p = parseQuantity(kind, x);
      return p.ok && inRange(p.value, o);
    }, msg),
    v.description(what)
  );
}

export const duration = (o?: QuantityOptions) => quantity('duration', o);
export const rate = (o?: QuantityOptions) => quantity('rate', o);
export const size = (o?: QuantityOptions) => quantity('size', o);
export const bandwidth = (o?: QuantityOptions) => quantity('bandwidth', o);

/* ------------------------------------------------------------------------------------------
 * Objects, lists, cross-field checks.
 * ---------------------------------------------------------------------------------------- */

/**
 * The message of an object schema covers two cases: the value is not an object, or a required
 * field is missing (valibot reports the latter with the object's message and a path to the
 * key). For a missing field we say what the field should have held.
 */
function objectMessage(entries: v.ObjectEntries, what: string): Message {
  return (issue) => {
    const last = issue.path?.[issue.path.length - 1];
    if (last && issue.input === undefined && typeof last.key === 'string') {
      const fieldWhat = descriptionOf(entries[last.key]);
      return `expected ${fieldWhat ?? 'a value'}, got nothing`;
    }
    return `expected ${what}, got ${describeValue(issue.input)}`;
  };
}

export type PathKey = string | number;
export type Report = (path: readonly PathKey[], message: string) => void;

/**
 * A check across fields of a validated value, reporting issues at paths relative to it.
 * Runs only when the value itself is valid (typed and without issues so far).
 */
export function crossCheck<T>(fn: (value: T, report: Report) => void): v.RawCheckAction<T> {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed || dataset.issues) return;
    const root = dataset.value;
    fn(root, (path, message) => {
      const items: v.UnknownPathItem[] = [];
      let input: unknown = root;
      for (const key of path) {
        const value = input && typeof input === 'object' ? (input as Record<PathKey, unknown>)[key] : undefined;
        items.push({ type: 'unknown', origin: 'value', input, key, value });
        input = value;
      }
      addIssue({
        message,
        input,
        path: items.length ? (items as [v.UnknownPathItem, ...v.UnknownPathItem[]]) : undefined
      });
    });
  });
}

/** `schema` followed by a cross-field check of its (valid) value. */
export function refine<S extends v.GenericSchema>(schema: S, fn: (value: v.InferOutput<S>, report: Report) => void) {
  return v.pipe(schema, crossCheck<v.InferOutput<S>>(fn));
}

/**
 * The same schema, refusing lists up front. valibot's object-like schemas accept a list
 * (typeof [] === 'object') and would turn ["a"] into {"0": "a"}; a list is never an object in
 * a document. The copy keeps every property (entries, options...) so variants, the JSON
 * Schema export and valibot's helpers see the original schema.
 */
export function rejectLists<S extends v.GenericSchema>(schema: S, message: Message): S {
  const wrapped: S = {
    ...schema,
    '~run'(dataset: v.UnknownDataset, config: v.Config<v.BaseIssue<unknown>>) {
      if (Array.isArray(dataset.value)) {
        const base = {
          kind: 'schema' as const,
          type: schema.type,
          input: dataset.value,
          expected: schema.expects,
          received: 'Array',
          lang: config.lang,
          abortEarly: config.abortEarly,
          abortPipeEarly: config.abortPipeEarly
        };
        const issue: v.BaseIssue<unknown> = { ...base, message: message({ ...base, message: '' }) };
        const failed = dataset as unknown as v.FailureDataset<v.BaseIssue<unknown>>;
        failed.typed = false;
        failed.issues = [...(failed.issues ?? []), issue] as [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]];
        return failed;
      }
      return schema['~run'](dataset, config);
    }
  };
  // Standard Schema's `validate` must run the wrapper, not the schema it was copied from.
  (wrapped as { '~standard': unknown })['~standard'] = {
    ...schema['~standard'],
    validate: (value: unknown) => wrapped['~run']({ value }, v.getGlobalConfig())
  };
  return wrapped;
}

/** A loose object (unknown fields kept) that is not a list. */
export function obj<const E extends v.ObjectEntries>(entries: E, what = 'an object') {
  const message = objectMessage(entries, what);
  return v.pipe(rejectLists(v.looseObject(entries, message), message), v.description(what));
}

/** A list of items. */
export function list<T extends v.GenericSchema>(item: T, what: string, o: { nonEmpty?: boolean } = {}) {
  const msg = expected(o.nonEmpty ? `${what} (at least one)` : what);
  return o.nonEmpty
    ? v.pipe(v.array(item, msg), v.nonEmpty(msg), v.description(`${what} (at least one)`))
    : v.pipe(v.array(item, msg), v.description(what));
}

/** An object used as a map from names to values. */
export function dict<T extends v.GenericSchema>(value: T, what: string) {
  const message = expected(what);
  return v.pipe(rejectLists(v.record(v.string(), value, message), message), v.description(what));
}

/* ------------------------------------------------------------------------------------------
 * Helpers for normalize: values are known to be valid, so a failed parse is a bug.
 * ---------------------------------------------------------------------------------------- */

/** Convert a validated quantity to base units; "infinite" becomes Infinity. */
export function toBase(kind: UnitKind, x: unknown): number {
  if (x === 'infinite') return Infinity;
  const p = parseQuantity(kind, x);
  if (!p.ok) throw new Error(`bug: normalize got an unvalidated ${kind}: ${p.message}`);
  return p.value;
}

/** A validated whole number or "infinite". */
export function countOrInfinite(x: number | 'infinite'): number {
  return x === 'infinite' ? Infinity : x;
}

/** Whether a value is a plain object (not a list, not null). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
