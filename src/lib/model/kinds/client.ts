/**
 * `client`: a population of callers (MODEL.md §3). Open (a rate, a process, or an explicit
 * inter-arrival distribution, optionally a rate schedule) or closed (users who think, send one
 * request and await it). Requests carry a class chosen by weight. A `timeout`, a `retry`
 * policy (backoff, jitter, budget, circuit breaker) and `cancelOnTimeout` shape what the client
 * does when an attempt fails; their semantics are in src/lib/sim/behaviours/client.ts.
 */
import * as v from 'valibot';
import { RETRY_ON, type ClientParams, type RequestClass, type RetryParams } from '../types.ts';
import { DurationDist, normalizeDist, SizeDist } from '../dist.ts';
import {
  bool,
  choice,
  duration,
  list,
  nonEmptyStr,
  num,
  obj,
  rate,
  refine,
  str,
  toBase,
  whole
} from '../fields.ts';
import { describeValue } from '../units.ts';
import { defineKind, fresh } from './kind.ts';

export const CLIENT_MODES = ['open', 'closed'] as const;
export const ARRIVAL_PROCESSES = ['poisson', 'deterministic', 'mmpp'] as const;

export const MmppSchema = obj(
  { burstRate: rate(), meanOn: duration({ gt: 0 }), meanOff: duration({ gt: 0 }) },
  'MMPP settings {burstRate, meanOn, meanOff}'
);

export const ScheduleStepSchema = obj({ at: duration(), rate: rate() }, 'a schedule step {at, rate}');

export const RequestClassSchema = obj(
  {
    name: v.optional(nonEmptyStr('a non-empty class name')),
    weight: v.optional(num({ min: 0 })),
    service: v.optional(str('a process name (a string)')),
    priority: v.optional(num({ integer: true, what: 'an integer' })),
    size: v.optional(SizeDist)
  },
  'a request class {name, weight, service, priority, size}'
);

export const BACKOFF_KINDS = ['none', 'constant', 'exponential'] as const;
export const JITTERS = ['none', 'full', 'equal', 'decorrelated'] as const;

export const BackoffSchema = refine(
  obj(
    {
      kind: v.optional(choice(BACKOFF_KINDS)),
      base: v.optional(duration()),
      multiplier: v.optional(num({ min: 1 })),
      cap: v.optional(duration({ infinite: true }))
    },
    'a backoff {kind, base, multiplier, cap}'
  ),
  (b, report) => {
    if (b.base !== undefined && b.cap !== undefined && toBase('duration', b.cap) < toBase('duration', b.base)) {
      report(['cap'], `expected a cap ≥ base (${describeValue(b.base)}), got ${describeValue(b.cap)}`);
    }
  }
);

export const BudgetSchema = obj(
  { ratio: v.optional(num({ min: 0 })), minPerSecond: v.optional(rate()) },
  'a retry budget {ratio, minPerSecond}'
);

export const CircuitBreakerSchema = obj(
  {
    failureRatio: v.optional(num({ gt: 0, max: 1, what: 'a failure ratio > 0 and ≤ 1' })),
    window: v.optional(duration({ gt: 0 })),
    openFor: v.optional(duration({ gt: 0 })),
    minRequests: v.optional(whole(1))
  },
  'a circuit breaker {failureRatio, window, openFor, minRequests}'
);

export const RetrySchema = obj(
  {
    maxAttempts: v.optional(whole(1)),
    backoff: v.optional(BackoffSchema),
    jitter: v.optional(choice(JITTERS)),
    retryOn: v.optional(list(choice(RETRY_ON), 'a list of failures to retry ("timeout", "reject", "drop")')),
    budget: v.nullish(BudgetSchema),
    circuitBreaker: v.nullish(CircuitBreakerSchema)
  },
  'retry settings {maxAttempts, backoff, jitter, retryOn, budget, circuitBreaker}'
);

/** Defaults of the retry object's fields (docs/model-format.md). Frozen through CLIENT_DEFAULTS' users. */
export const RETRY_DEFAULTS: RetryParams = {
  maxAttempts: 3,
  backoff: { kind: 'none', base: 0.1, multiplier: 2, cap: Infinity },
  jitter: 'none',
  retryOn: ['timeout', 'reject', 'drop'],
  budget: null,
  circuitBreaker: null
};
export const BUDGET_DEFAULTS = { ratio: 0.2, minPerSecond: 10 };
export const CIRCUIT_BREAKER_DEFAULTS = { failureRatio: 0.5, window: 10, openFor: 5, minRequests: 10 };

type RetryInput = v.InferOutput<typeof RetrySchema>;

export function normalizeRetry(r: RetryInput): RetryParams {
  const d = RETRY_DEFAULTS;
  const b = r.backoff ?? {};
  const dur = (x: unknown, dflt: number) => (x === undefined ? dflt : toBase('duration', x));
  const budget = r.budget == null ? null : r.budget;
  const cb = r.circuitBreaker == null ? null : r.circuitBreaker;
  return {
    maxAttempts: r.maxAttempts ?? d.maxAttempts,
    backoff: {
      kind: b.kind ?? d.backoff.kind,
      base: dur(b.base, d.backoff.base),
      multiplier: b.multiplier ?? d.backoff.multiplier,
      cap: dur(b.cap, d.backoff.cap)
    },
    jitter: r.jitter ?? d.jitter,
    retryOn: r.retryOn ? [...new Set(r.retryOn)] : [...d.retryOn],
    budget: budget && {
      ratio: budget.ratio ?? BUDGET_DEFAULTS.ratio,
      minPerSecond: budget.minPerSecond === undefined ? BUDGET_DEFAULTS.minPerSecond : toBase('rate', budget.minPerSecond)
    },
    circuitBreaker: cb && {
      failureRatio: cb.failureRatio ?? CIRCUIT_BREAKER_DEFAULTS.failureRatio,
      window: dur(cb.window, CIRCUIT_BREAKER_DEFAULTS.window),
      openFor: dur(cb.openFor, CIRCUIT_BREAKER_DEFAULTS.openFor),
      minRequests: cb.minRequests ?? CIRCUIT_BREAKER_DEFAULTS.minRequests
    }
  };
}

/** The name a class gets when it has none: "default" for the first, "class2", "class3"... after. */
export function defaultClassName(index: number): string {
  return index === 0 ? 'default' : `class${index + 1}`;
}

const ClientFields = obj(
  {
    mode: v.optional(choice(CLIENT_MODES)),
    rate: v.optional(rate()),
    process: v.optional(choice(ARRIVAL_PROCESSES)),
    mmpp: v.nullish(MmppSchema),
    interarrival: v.nullish(DurationDist),
    schedule: v.optional(list(ScheduleStepSchema, 'a list of schedule steps {at, rate}')),
    users: v.optional(whole(1)),
    thinkTime: v.optional(DurationDist),
    classes: v.optional(list(RequestClassSchema, 'a list of request classes', { nonEmpty: true })),
    timeout: v.nullish(duration({ gt: 0 })),
    deadline: v.nullish(duration({ gt: 0 })),
    retry: v.nullish(RetrySchema),
    cancelOnTimeout: v.optional(bool()),
    responseLatency: v.optional(DurationDist)
  },
  'client params (an object)'
);

export const ClientParamsSchema = refine(ClientFields, (p, report) => {
    if (p.process === 'mmpp' && p.mmpp == null) {
      report(['mmpp'], 'expected MMPP settings {burstRate, meanOn, meanOff} when process is "mmpp", got nothing');
    }
    if (p.classes) {
      const seen = new Map<string, number>();
      p.classes.forEach((c, i) => {
        const name = c.name ?? defaultClassName(i);
        const first = seen.get(name);
        if (first !== undefined) {
          report(['classes', i, 'name'], `duplicate class name "${name}" (also classes[${first}])`);
        } else seen.set(name, i);
      });
      const total = p.classes.reduce((s, c) => s + (c.weight ?? 1), 0);
      if (!(total > 0)) report(['classes'], 'expected at least one class with a weight > 0, got none');
    }
});

export type ClientParamsInput = v.InferOutput<typeof ClientParamsSchema>;

const DEFAULT_CLASS: RequestClass = {
  name: 'default',
  weight: 1,
  service: '',
  priority: 0,
  size: { dist: 'det', value: 1024 }
};

export const CLIENT_DEFAULTS: ClientParams = {
  mode: 'open',
  rate: 1,
  process: 'poisson',
  mmpp: null,
  interarrival: null,
  schedule: [],
  users: 10,
  thinkTime: { dist: 'exp', mean: 1 },
  classes: [DEFAULT_CLASS],
  timeout: null,
  deadline: null,
  retry: null,
  cancelOnTimeout: false,
  responseLatency: { dist: 'det', value: 0 }
};

export function normalizeClient(p: ClientParamsInput): ClientParams {
  const d = CLIENT_DEFAULTS;
  const process = p.process ?? d.process;
  const timeout = p.timeout == null ? null : toBase('duration', p.timeout);
  return {
    mode: p.mode ?? d.mode,
    rate: p.rate === undefined ? d.rate : toBase('rate', p.rate),
    process,
    mmpp:
      process === 'mmpp' && p.mmpp
        ? {
            burstRate: toBase('rate', p.mmpp.burstRate),
            meanOn: toBase('duration', p.mmpp.meanOn),
            meanOff: toBase('duration', p.mmpp.meanOff)
          }
        : null,
    interarrival: p.interarrival == null ? null : normalizeDist(p.interarrival),
    // Array.prototype.sort is stable: steps at the same time keep their written order.
    schedule: (p.schedule ?? [])
      .map((s) => ({ at: toBase('duration', s.at), rate: toBase('rate', s.rate) }))
      .sort((a, b) => a.at - b.at),
    users: p.users ?? d.users,
    thinkTime: p.thinkTime === undefined ? fresh(d.thinkTime) : normalizeDist(p.thinkTime),
    classes: p.classes
      ? p.classes.map((c, i) => ({
          name: c.name ?? defaultClassName(i),
          weight: c.weight ?? DEFAULT_CLASS.weight,
          service: c.service ?? DEFAULT_CLASS.service,
          priority: c.priority ?? DEFAULT_CLASS.priority,
          size: c.size === undefined ? fresh(DEFAULT_CLASS.size) : normalizeDist(c.size, 'size')
        }))
      : [fresh(DEFAULT_CLASS)],
    timeout,
    // The deadline (for goodput) defaults to the timeout; an explicit null means none.
    deadline: p.deadline === undefined ? timeout : p.deadline === null ? null : toBase('duration', p.deadline),
    retry: p.retry == null ? null : normalizeRetry(p.retry),
    cancelOnTimeout: p.cancelOnTimeout ?? d.cancelOnTimeout,
    responseLatency:
      p.responseLatency === undefined ? fresh(d.responseLatency) : normalizeDist(p.responseLatency)
  };
}

export const client = defineKind({
  kind: 'client',
  title: 'client',
  params: ClientParamsSchema,
  defaults: CLIENT_DEFAULTS,
  ports: { in: [], out: ['out'] },
  faults: ['rate', 'pause'],
  normalize: normalizeClient
});
