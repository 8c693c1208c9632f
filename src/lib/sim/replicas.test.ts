/** The replicated state machine in the engine: commit timing, leader loss, availability. */
import { describe, expect, it } from 'vitest';
import { runReplication, simulate } from './index';
import { LogHistogram } from './histogram';
import { chain, client, det, model, replicas, sink } from '../../../tests/fixtures/build';

const node = (r: ReturnType<typeof runReplication>, id: string) => r.nodes.find((n) => n.id === id)!;
const hist = (h: unknown) => LogHistogram.fromJSON(h as never);
const once = { process: 'deterministic' as const, rate: 1 };

describe('commit timing (exact)', () => {
  it('Raft: leader service, then the quorum-th fastest acknowledgement (the leader’s own is immediate)', () => {
    const m = model([client('c', once), replicas('r', { leaderService: det(1e-4) }), sink('k')], chain('c', 'r', 'k'), { until: 1.5 });
    const h = hist(node(runReplication(m, 0), 'k').response);
    expect(h.count).toBe(1);
    expect(h.sum).toBeCloseTo(1.1e-3, 15);
  });

  it('PBFT: two phases, each the quorum-th fastest', () => {
    const m = model(
      [
        client('c', once),
        replicas('r', { protocol: 'pbft', n: 4, quorums: { persistence: 3, viewChange: 3, equivocation: 3, viewChangeTrigger: 2 }, leaderService: det(1e-4) }),
        sink('k')
      ],
      chain('c', 'r', 'k'),
      { until: 1.5 }
    );
    expect(hist(node(runReplication(m, 0), 'k').response).sum).toBeCloseTo(2.1e-3, 15);
  });

  it('crashing the leader loses its in-flight work and stalls commits for an election', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 1000 }), replicas('r', { electionTimeout: [0.2, 0.2] }), sink('k')],
      chain('c', 'r', 'k'),
      { until: 2 },
      [{ at: 1.0005, for: 5, target: 'r', action: 'crash', value: NaN }]
    );
    const r = runReplication(m, 0);
    const rep = node(r, 'r');
    // The request sent at 1.000 s was replicating when the leader crashed at 1.0005 s.
    expect(rep.drops[3]).toBe(1); // "loss"
    expect(rep.extras.elections.value).toBe(1);
    expect(rep.extras.leaderChanges.value).toBe(1);
    // The election ends at 1.0005 + 0.2 + 0.001; requests that arrived meanwhile then commit.
    const worst = hist(node(r, 'k').response).max;
    expect(worst).toBeGreaterThan(0.2);
    expect(worst).toBeLessThan(0.203);
    // Two of three nodes are live: still a majority, so the cluster is available again.
    // Unavailable from the crash (1.0005 s) to the end of the election (1.2015 s).
    expect(rep.extras.available.value).toBeCloseTo(2 - 0.201, 9);
  });
});

describe('availability under failures and recoveries', () => {
  it('three nodes up 90% of the time each: a majority is live 97.2% of the time', () => {
    const m = model(
      [
        client('c', { rate: 0.1 }),
        replicas('r', { mttf: 9, mttr: 1, ackLatency: det(1e-6), electionTimeout: [0, 0] }),
        sink('k')
      ],
      chain('c', 'r', 'k'),
      { until: 100000, replications: 10, confidence: 0.99 }
    );
    const a = simulate(m).summary.nodes.r.extras!.available;
    // 3a²(1 − a) + a³ with a = 0.9.
    const expected = 3 * 0.81 * 0.1 + 0.729;
    expect(a.ci[0]).toBeLessThanOrEqual(expected);
    expect(a.ci[1]).toBeGreaterThanOrEqual(expected);
  });

  it('whole domains fail at once: two nodes in one rack take the majority down with it', () => {
    const m = model(
      [
        client('c', { rate: 0.1 }),
        replicas('r', {
          ackLatency: det(1e-6),
          electionTimeout: [0, 0],
          domain: ['rack1', 'rack1', 'rack2'],
          domains: [
            { name: 'rack1', failureProbability: 0, mttf: 9, mttr: 1 },
            { name: 'rack2', failureProbability: 0, mttf: null, mttr: null }
          ]
        }),
        sink('k')
      ],
      chain('c', 'r', 'k'),
      { until: 100000, replications: 10, confidence: 0.99 }
    );
    const a = simulate(m).summary.nodes.r.extras!.available;
    expect(a.ci[0]).toBeLessThanOrEqual(0.9);
    expect(a.ci[1]).toBeGreaterThanOrEqual(0.9);
  });

  it('without a quorum, "reject" turns requests away at once', () => {
    const m = model(
      [client('c', { process: 'deterministic', rate: 10 }), replicas('r', { whenNoQuorum: 'reject' }), sink('k')],
      chain('c', 'r', 'k'),
      { until: 3 },
      [
        { at: 0.95, for: 1, target: 'r', action: 'crash', value: 1 },
        { at: 0.95, for: 1, target: 'r', action: 'crash', value: 2 }
      ]
    );
    const r = runReplication(m, 0);
    // The ten arrivals from 1.0 to 1.9 s find one live node of three.
    expect(node(r, 'r').drops[1]).toBe(10);
  });
});
