/**
 * Distributions (MODEL.md §1): the schema of what people write and its canonical form.
 *
 * Two flavours share one definition: durations (service times, latencies: seconds) and sizes
 * (request sizes: bytes). A bare quantity means `det`. `bimodal` nests distributions (or bare
 * quantities) of the same flavour.
 */
import * as v from 'valibot';
import type { Dist, DistInput } from './types.ts';
import { list, refine, num, obj, probability, quantity, tag, toBase, whole } from './fields.ts';
import { describeValue } from './units.ts';

export type DistUnit = 'duration' | 'size';

export const DIST_NAMES = [
  'det',
  'exp',
  'uniform',
  'erlang',
  'hyperexp',
  'lognormal',
  'pareto',
  'weibull',
  'bimodal',
  'empirical'
] as const;

/** How close the probabilities of `hyperexp` must sum to 1. */
export const P_SUM_TOLERANCE = 1e-9;

const EXAMPLE: Record<DistUnit, string> = {
  duration: '{"dist": "exp", "mean": "100 ms"} or a duration like "100 ms"',
  size: '{"dist": "exp", "mean": "1 KiB"} or a size like "1 KiB"'
};

function build(unit: DistUnit): v.GenericSchema<DistInput> {
  // `self` is assigned below; the lazy reference lets bimodal nest the same schema (and lets
  // the JSON Schema export name it once and refer to it).
  // eslint-disable-next-line prefer-const
  let self: v.GenericSchema<DistInput>;
  const nested = v.lazy(() => self);
  const nonNeg = () => quantity(unit, { min: 0 });
  const pos = () => quantity(unit, { gt: 0 });
  const base = (x: unknown) => toBase(unit, x);

  const det = obj({ dist: tag('det'), value: nonNeg() }, 'a deterministic distribution {dist, value}');
  const exp = obj({ dist: tag('exp'), mean: pos() }, 'an exponential distribution {dist, mean}');
  const uniform = refine(
    obj({ dist: tag('uniform'), min: nonNeg(), max: nonNeg() }, 'a uniform distribution {dist, min, max}'),
    (d, report) => {
      if (base(d.min) > base(d.max)) {
        report(['max'], `expected max ≥ min (${describeValue(d.min)}), got ${describeValue(d.max)}`);
      }
    }
  );
  const erlang = obj(
    { dist: tag('erlang'), k: whole(1), mean: pos() },
    'an Erlang distribution {dist, k, mean}'
  );
  const hyperexp = refine(
    obj(
      {
        dist: tag('hyperexp'),
        p: list(probability(), 'a list of probabilities', { nonEmpty: true }),
        means: list(pos(), `a list of means`, { nonEmpty: true })
      },
      'a hyperexponential distribution {dist, p, means}'
    ),
    (d, report) => {
      if (d.p.length !== d.means.length) {
        report(
          ['means'],
          `expected as many means as probabilities (${d.p.length}), got ${d.means.length}`
        );
        return;
      }
      const sum = d.p.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > P_SUM_TOLERANCE) {
        report(['p'], `expected probabilities that sum to 1, got a sum of ${sum}`);
      }
    }
  );
  const lognormal = refine(
    obj(
      { dist: tag('lognormal'), median: pos(), p99: pos() },
      'a lognormal distribution {dist, median, p99}'
    ),
    (d, report) => {
      if (base(d.p99) <= base(d.median)) {
        report(
          ['p99'],
          `expected a p99 greater than the median (${describeValue(d.median)}), got ${describeValue(d.p99)}`
        );
      }
    }
  );
  const pareto = obj(
    { dist: tag('pareto'), alpha: num({ gt: 0 }), min: pos() },
    'a Pareto distribution {dist, alpha, min}'
  );
  const weibull = obj(
    { dist: tag('weibull'), shape: num({ gt: 0 }), scale: pos() },
    'a Weibull distribution {dist, shape, scale}'
  );
  const bimodal = obj(
    { dist: tag('bimodal'), p: probability(), fast: nested, slow: nested },
    'a bimodal distribution {dist, p, fast, slow}'
  );
  const empirical = obj(
    {
      dist: tag('empirical'),
      samples: list(nonNeg(), `a list of ${unit === 'size' ? 'sizes' : 'durations'}`, { nonEmpty: true })
    },
    'an empirical distribution {dist, samples}'
  );

  const what = `a distribution like ${EXAMPLE[unit]}`;
  const variant = v.variant('dist', [
    det,
    exp,
    uniform,
    erlang,
    hyperexp,
    lognormal,
    pareto,
    weibull,
    bimodal,
    empirical
  ]);
  const bare = quantity(unit, { min: 0 });
  const message = (issue: v.BaseIssue<unknown>): string => {
    const x = issue.input;
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      if (!('dist' in x)) return `expected ${what}, got an object without "dist"`;
      const name = (x as { dist: unknown }).dist;
      return `expected "dist" to be one of ${DIST_NAMES.map((n) => `"${n}"`).join(', ')}, got ${describeValue(name)}`;
    }
    return `expected ${what}, got ${describeValue(x)}`;
  };
  const union = v.union([bare, variant], message);
  // Dispatch on the shape instead of trying both options: valibot's union reports an object
  // with a missing field (an "untyped" result) as a failure of the whole union, which would
  // hide the located message (`service.mean: expected a duration > 0, got nothing`). To the
  // JSON Schema export this is still the union (anyOf) above.
  const dispatch: typeof union = {
    ...union,
    '~run'(dataset, config) {
      const x = dataset.value;
      if (typeof x === 'number' || typeof x === 'string') return bare['~run'](dataset, config);
      if (x && typeof x === 'object' && !Array.isArray(x) && (DIST_NAMES as readonly unknown[]).includes((x as { dist?: unknown }).dist)) {
        return variant['~run'](dataset, config) as ReturnType<typeof union['~run']>;
      }
      return union['~run'](dataset, config);
    }
  };
  // Standard Schema's `validate` must run the dispatcher too, not the union it was copied from.
  (dispatch as { '~standard': unknown })['~standard'] = {
    ...union['~standard'],
    validate: (value: unknown) => dispatch['~run']({ value }, v.getGlobalConfig())
  };
  self = v.pipe(dispatch, v.description(what)) as v.GenericSchema<DistInput>;
  return self;
}

/** A distribution of durations (seconds); a bare duration means `det`. */
export const DurationDist = build('duration');
/** A distribution of sizes (bytes); a bare size means `det`. */
export const SizeDist = build('size');

/** Convert a validated distribution to canonical form in base units. */
export function normalizeDist(input: DistInput, unit: DistUnit = 'duration'): Dist {
  const b = (x: unknown) => toBase(unit, x);
  if (typeof input === 'number' || typeof input === 'string') return { dist: 'det', value: b(input) };
  switch (input.dist) {
    case 'det':
      return { dist: 'det', value: b(input.value) };
    case 'exp':
      return { dist: 'exp', mean: b(input.mean) };
    case 'uniform':
      return { dist: 'uniform', min: b(input.min), max: b(input.max) };
    case 'erlang':
      return { dist: 'erlang', k: input.k, mean: b(input.mean) };
    case 'hyperexp':
      return { dist: 'hyperexp', p: [...input.p], means: input.means.map(b) };
    case 'lognormal':
      return { dist: 'lognormal', median: b(input.median), p99: b(input.p99) };
    case 'pareto':
      return { dist: 'pareto', alpha: input.alpha, min: b(input.min) };
    case 'weibull':
      return { dist: 'weibull', shape: input.shape, scale: b(input.scale) };
    case 'bimodal':
      return {
        dist: 'bimodal',
        p: input.p,
        fast: normalizeDist(input.fast, unit),
        slow: normalizeDist(input.slow, unit)
      };
    case 'empirical':
      return { dist: 'empirical', samples: input.samples.map(b) };
    default: {
      const never: never = input;
      throw new Error(`bug: unknown distribution ${JSON.stringify(never)}`);
    }
  }
}
