import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/index';
import { chain, client, exp, model, queue, server, sink } from '../../../../tests/fixtures/build';
import { findBottleneck } from './bottleneck';

describe('findBottleneck', () => {
  it('names the slowest station of a tandem, saturated, and the completions it allows', () => {
    // λ = 1/s into stations of mean 0.5 s and 0.97 s: the second is ρ = 0.97.
    const m = model(
      [client('c', { rate: 1 }), queue('q1'), server('fast', { service: exp(0.5) }), queue('q2'), server('slow', { service: exp(0.97) }), sink('k')],
      chain('c', 'q1', 'fast', 'q2', 'slow', 'k'),
      { until: 20000, replications: 4, warmup: 'auto' }
    );
    const b = findBottleneck(simulate(m).summary, m)!;
    expect(b.id).toBe('slow');
    expect(b.saturated).toBe(true);
    expect(b.utilisation.mean).toBeGreaterThan(0.95);
    expect(Math.abs(b.completions - 1)).toBeLessThan(0.05);
  });

  it('says there is headroom below saturation, and nothing without a node that has servers', () => {
    const m = model([client('c', { rate: 1 }), queue('q'), server('s', { service: exp(0.5) }), sink('k')], chain('c', 'q', 's', 'k'), { until: 5000, replications: 2 });
    const b = findBottleneck(simulate(m).summary, m)!;
    expect(b.id).toBe('s');
    expect(b.saturated).toBe(false);
    const bare = model([client('c', { rate: 1 }), sink('k')], chain('c', 'k'), { until: 100 });
    expect(findBottleneck(simulate(bare).summary, bare)).toBeNull();
  });
});
