import { describe, expect, it } from 'vitest';
import { DurationDist, normalizeDist, SizeDist } from './dist.ts';
import { load } from './restore.ts';
import { issuesOf, oneNode } from './testing.ts';
import type { Dist, DistInput } from './types.ts';

function ok(input: unknown, unit: 'duration' | 'size' = 'duration'): Dist {
  const issues = issuesOf(unit === 'size' ? SizeDist : DurationDist, input);
  expect(issues).toEqual([]);
  return normalizeDist(input as DistInput, unit);
}

/** Issues of a server's service distribution, located in a document. */
function serviceIssues(service: unknown) {
  const r = load(oneNode('server', { service }));
  return r.ok ? [] : r.issues;
}

describe('valid distributions normalise to base units', () => {
  it.each<[unknown, Dist]>([
    ['100 ms', { dist: 'det', value: 0.1 }],
    [0.25, { dist: 'det', value: 0.25 }],
    [{ dist: 'det', value: '2 us' }, { dist: 'det', value: 2e-6 }],
    [{ dist: 'exp', mean: '500 ms' }, { dist: 'exp', mean: 0.5 }],
    [{ dist: 'uniform', min: '1 ms', max: '3 ms' }, { dist: 'uniform', min: 0.001, max: 0.003 }],
    [{ dist: 'uniform', min: 1, max: 1 }, { dist: 'uniform', min: 1, max: 1 }],
    [{ dist: 'erlang', k: 3, mean: '30 ms' }, { dist: 'erlang', k: 3, mean: 0.03 }],
    [
      { dist: 'hyperexp', p: [0.9, 0.1], means: ['1 ms', '100 ms'] },
      { dist: 'hyperexp', p: [0.9, 0.1], means: [0.001, 0.1] }
    ],
    [
      { dist: 'lognormal', median: '10 ms', p99: '200 ms' },
      { dist: 'lognormal', median: 0.01, p99: 0.2 }
    ],
    [{ dist: 'pareto', alpha: 1.5, min: '1 ms' }, { dist: 'pareto', alpha: 1.5, min: 0.001 }],
    [{ dist: 'weibull', shape: 0.5, scale: '10 ms' }, { dist: 'weibull', shape: 0.5, scale: 0.01 }],
    [
      { dist: 'bimodal', p: 0.01, fast: '1 ms', slow: { dist: 'exp', mean: '1 s' } },
      { dist: 'bimodal', p: 0.01, fast: { dist: 'det', value: 0.001 }, slow: { dist: 'exp', mean: 1 } }
    ],
    [
      { dist: 'empirical', samples: ['1 ms', 0.002, '3ms'] },
      { dist: 'empirical', samples: [0.001, 0.002, 0.003] }
    ]
  ])('%j', (input, expected) => {
    const d = ok(input);
    expect(d.dist).toBe(expected.dist);
    // Unit conversion multiplies floats: compare with a tolerance.
    expect(JSON.stringify(d, (_k, x) => (typeof x === 'number' ? Number(x.toPrecision(12)) : x))).toBe(
      JSON.stringify(expected)
    );
  });

  it('accepts probabilities that sum to 1 within 1e-9', () => {
    ok({ dist: 'hyperexp', p: [0.1, 0.2, 0.7], means: [1, 2, 3] }); // sums to 0.9999999999999999
    ok({ dist: 'hyperexp', p: [0.5, 0.5 + 5e-10], means: [1, 2] });
  });

  it('nests bimodal distributions', () => {
    const d = ok({ dist: 'bimodal', p: 0.5, fast: { dist: 'bimodal', p: 0.5, fast: 1, slow: 2 }, slow: 3 });
    expect(d).toEqual({
      dist: 'bimodal',
      p: 0.5,
      fast: { dist: 'bimodal', p: 0.5, fast: { dist: 'det', value: 1 }, slow: { dist: 'det', value: 2 } },
      slow: { dist: 'det', value: 3 }
    });
  });

  it('uses size units for sizes', () => {
    expect(ok('1 KiB', 'size')).toEqual({ dist: 'det', value: 1024 });
    expect(ok({ dist: 'exp', mean: '2 KB' }, 'size')).toEqual({ dist: 'exp', mean: 2000 });
    expect(issuesOf(SizeDist, '1 ms')[0].message).toContain('unknown unit "ms"');
    expect(issuesOf(DurationDist, '1 KiB')[0].message).toContain('unknown unit "KiB"');
  });

  it('keeps unknown fields in the document', () => {
    const r = load(oneNode('server', { service: { dist: 'exp', mean: 1, note: 'measured in prod' } }));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect((r.value.doc.nodes[0].params?.service as Record<string, unknown>).note).toBe('measured in prod');
      expect(r.value.model.nodes[0].params).toMatchObject({ service: { dist: 'exp', mean: 1 } });
    }
  });
});

describe('invalid distributions give located messages', () => {
  const at = 'nodes[0].params.service';
  it.each<[string, unknown, string, string]>([
    ['bare text', 'ten', at, 'expected a duration like "100 ms", got "ten"'],
    ['a boolean', true, at, 'got true'],
    ['a list', [1, 2], at, 'got a list'],
    ['no dist', { mean: 1 }, at, 'got an object without "dist"'],
    ['an unknown dist', { dist: 'gamma', mean: 1 }, at, 'expected "dist" to be one of "det", "exp"'],
    ['negative det', { dist: 'det', value: -1 }, `${at}.value`, 'expected a duration ≥ 0 like "100 ms", got -1'],
    ['exp mean 0', { dist: 'exp', mean: 0 }, `${at}.mean`, 'expected a duration > 0 like "100 ms", got 0'],
    ['exp mean missing', { dist: 'exp' }, `${at}.mean`, 'expected a duration > 0 like "100 ms", got nothing'],
    ['exp mean bad unit', { dist: 'exp', mean: '5 parsecs' }, `${at}.mean`, 'unknown unit "parsecs"'],
    ['uniform min > max', { dist: 'uniform', min: '5 ms', max: '1 ms' }, `${at}.max`, 'expected max ≥ min ("5 ms"), got "1 ms"'],
    ['erlang k fractional', { dist: 'erlang', k: 1.5, mean: 1 }, `${at}.k`, 'expected a whole number ≥ 1, got 1.5'],
    ['erlang k 0', { dist: 'erlang', k: 0, mean: 1 }, `${at}.k`, 'expected a whole number ≥ 1, got 0'],
    ['hyperexp p sum', { dist: 'hyperexp', p: [0.5, 0.4], means: [1, 2] }, `${at}.p`, 'expected probabilities that sum to 1, got a sum of 0.9'],
    ['hyperexp lengths', { dist: 'hyperexp', p: [0.5, 0.5], means: [1] }, `${at}.means`, 'expected as many means as probabilities (2), got 1'],
    ['hyperexp p > 1', { dist: 'hyperexp', p: [1.5, -0.5], means: [1, 2] }, `${at}.p[0]`, 'expected a probability between 0 and 1, got 1.5'],
    ['hyperexp empty', { dist: 'hyperexp', p: [], means: [] }, `${at}.p`, 'at least one'],
    ['lognormal p99 ≤ median', { dist: 'lognormal', median: '10 ms', p99: '10 ms' }, `${at}.p99`, 'expected a p99 greater than the median ("10 ms"), got "10 ms"'],
    ['pareto alpha 0', { dist: 'pareto', alpha: 0, min: 1 }, `${at}.alpha`, 'expected a number > 0, got 0'],
    ['pareto min 0', { dist: 'pareto', alpha: 2, min: 0 }, `${at}.min`, 'expected a duration > 0'],
    ['weibull shape negative', { dist: 'weibull', shape: -1, scale: 1 }, `${at}.shape`, 'expected a number > 0, got -1'],
    ['bimodal p > 1', { dist: 'bimodal', p: 2, fast: 1, slow: 2 }, `${at}.p`, 'expected a probability between 0 and 1, got 2'],
    ['bimodal nested', { dist: 'bimodal', p: 0.5, fast: { dist: 'exp', mean: -1 }, slow: 2 }, `${at}.fast.mean`, 'expected a duration > 0'],
    ['bimodal slow missing', { dist: 'bimodal', p: 0.5, fast: 1 }, `${at}.slow`, 'got nothing'],
    ['empirical empty', { dist: 'empirical', samples: [] }, `${at}.samples`, 'at least one'],
    ['empirical negative', { dist: 'empirical', samples: [1, -1] }, `${at}.samples[1]`, 'expected a duration ≥ 0 like "100 ms", got -1']
  ])('%s', (_name, service, path, message) => {
    const issues = serviceIssues(service);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].path).toBe(path);
    expect(issues[0].message).toContain(message);
  });
});
