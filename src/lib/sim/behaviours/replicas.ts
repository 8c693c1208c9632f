/**
 * `replicas`: a replicated state machine (Raft or PBFT) serving requests through its leader
 * (MODEL.md §3, PAPERS.md §4), with nodes and whole failure domains that fail and recover.
 *
 * - Requests queue at the leader (FIFO); it spends `leaderService` on each, then replicates:
 *   every live node acknowledges after an `ackLatency` round trip (the leader's own ack is
 *   immediate). Raft commits at the quorum-th fastest acknowledgement (quorum = `persistence`);
 *   PBFT runs two such phases (prepare with `equivocation`, commit with `persistence`).
 *   Acknowledgements are drawn when the request is sent, from the nodes live at that moment.
 * - Dynamic failures: with `mttf` and `mttr`, each node fails after Exp(mttf) and recovers after
 *   Exp(mttr); a domain in `domains` with its own `mttf`/`mttr` fails as a whole. A node is live
 *   when it and its domain are up. A `crash` fault takes node `value` (default: the leader)
 *   down for the fault's duration.
 * - Losing the leader starts an election: after a timeout drawn uniformly from
 *   `electionTimeout` plus one round trip, the lowest-numbered live node leads, if at least a
 *   `viewChange` quorum is live (else another timeout). Requests the old leader was processing
 *   or replicating are lost (drop reason "loss"); queued ones wait for the new leader.
 * - With no leader or fewer live nodes than a quorum, requests wait (`whenNoQuorum: "wait"`,
 *   the default) or are rejected at once (`"reject"`).
 * Extras: `available` (fraction of time with a leader and a live quorum), `liveNodes` (time
 * average), counts `elections` and `leaderChanges`. Response = arrival to commit; wait = arrival
 * to the leader starting on it.
 */
import type { Dist } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { DROP_LOSS, DROP_REJECTED } from '../nodeStats';
import { Behaviour } from './behaviour';
import { IntDeque } from './intDeque';

const SERVICE_DONE = 0;
const COMMIT = 1;
const NODE_FAIL = 2;
const NODE_RECOVER = 3;
const DOMAIN_FAIL = 4;
const DOMAIN_RECOVER = 5;
const ELECTED = 6;

export interface ReplicasRuntimeParams {
  protocol: 'raft' | 'pbft';
  n: number;
  quorums: { persistence: number; viewChange: number; equivocation: number; viewChangeTrigger: number };
  ackLatency: Dist;
  leaderService: Dist;
  mttf: number | null;
  mttr: number | null;
  electionTimeout: number[];
  domain?: string[];
  domains: { name: string; mttf?: number | null; mttr?: number | null }[];
  whenNoQuorum?: 'wait' | 'reject';
}

export class ReplicasBehaviour extends Behaviour {
  private p!: ReplicasRuntimeParams;
  private n = 3;
  private ack!: Sampler;
  private service!: Sampler;
  private up = new Uint8Array(0);
  private domainUp = new Uint8Array(0);
  private domainOf = new Int32Array(0);
  private crashed = new Uint8Array(0);
  private live = 0;
  private leader = 0;
  /** Bumped at every leader change: events of an older term are stale. */
  private term = 0;
  private electing = false;
  /** An election found fewer live nodes than a view-change quorum: retry when one recovers. */
  private awaitingQuorum = false;
  private queue = new IntDeque();
  private busy = -1;
  /** Requests being replicated (so a leader failure can drop them). */
  private inFlight = new IntDeque();
  private acks = new Float64Array(0);
  private reject = false;

  private xAvailable = 0;
  private xLive = 0;
  private xElections = 0;
  private xLeaderChanges = 0;
  private accountedAt = 0;

  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  configure(p: ReplicasRuntimeParams): void {
    this.p = p;
    this.n = p.n;
    this.ack = makeSampler(p.ackLatency);
    this.service = makeSampler(p.leaderService);
    this.reject = p.whenNoQuorum === 'reject';
    this.up = new Uint8Array(p.n).fill(1);
    this.crashed = new Uint8Array(p.n);
    this.domainUp = new Uint8Array(p.domains.length).fill(1);
    this.domainOf = Int32Array.from({ length: p.n }, (_, i) =>
      p.domain ? p.domains.findIndex((d) => d.name === p.domain![i]) : -1
    );
    this.acks = new Float64Array(p.n);
    this.live = p.n;
    const st = this.stats;
    this.xAvailable = st.defineExtra('available', 'time');
    this.xLive = st.defineExtra('liveNodes', 'time');
    this.xElections = st.defineExtra('elections', 'count');
    this.xLeaderChanges = st.defineExtra('leaderChanges', 'count');
  }

  override start(now: number): void {
    const p = this.p;
    if (p.mttf !== null && p.mttr !== null) {
      for (let i = 0; i < this.n; i++) this.sim.schedule(now + this.expo(p.mttf), this.index, NODE_FAIL, i);
    }
    p.domains.forEach((d, j) => {
      if (d.mttf && d.mttr) this.sim.schedule(now + this.expo(d.mttf), this.index, DOMAIN_FAIL, j);
    });
  }

  private expo(mean: number): number {
    return mean * this.rng.exponential();
  }

  /* ---------------- accounting ---------------- */

  private available(): boolean {
    return !this.electing && this.isLive(this.leader) && this.live >= this.p.quorums.persistence;
  }

  private account(now: number): void {
    const dt = now - this.accountedAt;
    if (dt > 0) {
      const x = this.stats.extras;
      if (this.available()) x[this.xAvailable] += dt;
      x[this.xLive] += this.live * dt;
    }
    this.accountedAt = now;
  }

  override beforeSnapshot(now: number): void {
    this.account(now);
  }

  /* ---------------- requests ---------------- */

  arrive(r: number, now: number): void {
    const st = this.stats;
    st.arrivals++;
    if (this.reject && !this.available()) {
      this.sim.drop(this, r, DROP_REJECTED, now);
      return;
    }
    const pool = this.pool;
    st.advance(now);
    st.present++;
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    pool.stationEnter[r] = NaN;
    this.queue.pushBack(r);
    this.serveNext(now);
  }

  private serveNext(now: number): void {
    if (this.busy >= 0 || this.queue.length === 0 || !this.available()) return;
    const r = this.queue.popFront();
    this.busy = r;
    this.stats.wait.record(now - this.pool.enteredAt[r]);
    this.sim.schedule(now + this.service(this.rng), this.index, SERVICE_DONE, this.term);
  }

  /** The k-th smallest acknowledgement time among live nodes (the leader's is 0). */
  private quorumAck(k: number): number {
    let m = 0;
    for (let i = 0; i < this.n; i++) {
      if (!this.isLive(i)) continue;
      this.acks[m++] = i === this.leader ? 0 : this.ack(this.rng);
    }
    if (m < k) return Infinity;
    // Insertion sort of a handful of values: no allocation, n is small.
    const a = this.acks;
    for (let i = 1; i < m; i++) {
      const v = a[i];
      let j = i - 1;
      while (j >= 0 && a[j] > v) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
    return a[k - 1];
  }

  private replicate(r: number, now: number): void {
    const q = this.p.quorums;
    let t = this.quorumAck(q.persistence);
    if (this.p.protocol === 'pbft') t += this.quorumAck(q.equivocation);
    if (!Number.isFinite(t)) {
      // The quorum was lost while the leader worked on it: back to the head of the queue.
      this.queue.pushFront(r);
      return;
    }
    const pool = this.pool;
    pool.due[r] = now + t;
    this.inFlight.pushBack(r);
    this.sim.schedule(now + t, this.index, COMMIT, r);
  }

  private commit(r: number, now: number): void {
    // Remove r from the in-flight list (commits come nearly in order: scan from the front).
    const f = this.inFlight;
    const n = f.length;
    for (let i = 0; i < n; i++) {
      const x = f.popFront();
      if (x !== r) f.pushBack(x);
    }
    const st = this.stats;
    st.advance(now);
    st.present--;
    st.departures++;
    st.response.record(now - this.pool.enteredAt[r]);
    const o = this.out;
    if (o !== null) o.arrive(r, now);
    else this.sim.complete(r, now);
  }

  /* ---------------- failures and elections ---------------- */

  private isLive(i: number): boolean {
    const d = this.domainOf[i];
    return this.up[i] === 1 && this.crashed[i] === 0 && (d < 0 || this.domainUp[d] === 1);
  }

  /** After a node or domain changed state (the caller accounted the time before it). */
  private recount(now: number): void {
    this.account(now);
    let live = 0;
    for (let i = 0; i < this.n; i++) if (this.isLive(i)) live++;
    this.live = live;
    if (!this.electing && !this.isLive(this.leader)) this.loseLeader(now);
    else if (this.awaitingQuorum && live >= this.p.quorums.viewChange) {
      this.awaitingQuorum = false;
      this.scheduleElection(now);
    }
    this.serveNext(now);
  }

  private loseLeader(now: number): void {
    this.electing = true;
    this.term++;
    const pool = this.pool;
    // Work in progress at the old leader is lost.
    if (this.busy >= 0) {
      const r = this.busy;
      this.busy = -1;
      this.stats.advance(now);
      this.stats.present--;
      this.sim.drop(this, r, DROP_LOSS, now);
    }
    while (this.inFlight.length > 0) {
      const r = this.inFlight.popFront();
      pool.due[r] = NaN;
      this.stats.advance(now);
      this.stats.present--;
      this.sim.drop(this, r, DROP_LOSS, now);
    }
    this.scheduleElection(now);
  }

  private scheduleElection(now: number): void {
    const [lo, hi] = this.p.electionTimeout;
    const timeout = lo + (hi - lo) * this.rng.next();
    this.stats.extras[this.xElections]++;
    this.sim.schedule(now + timeout + this.ack(this.rng), this.index, ELECTED, this.term);
  }

  private elect(now: number): void {
    if (this.live < this.p.quorums.viewChange) {
      // Candidates keep timing out until enough nodes are back; simulating every futile round
      // would only cost events, so the next election starts when a node recovers.
      this.awaitingQuorum = true;
      return;
    }
    this.account(now);
    let leader = 0;
    while (!this.isLive(leader)) leader++;
    if (leader !== this.leader) this.stats.extras[this.xLeaderChanges]++;
    this.leader = leader;
    this.electing = false;
    this.serveNext(now);
  }

  override handle(local: number, arg: number, now: number): void {
    const p = this.p;
    switch (local) {
      case SERVICE_DONE: {
        if (arg !== this.term || this.busy < 0) return; // the leader changed meanwhile
        const r = this.busy;
        this.busy = -1;
        this.replicate(r, now);
        this.serveNext(now);
        return;
      }
      case COMMIT:
        if (this.pool.due[arg] !== now || this.pool.at[arg] !== this.index) return;
        this.pool.due[arg] = NaN;
        this.commit(arg, now);
        return;
      case NODE_FAIL:
        this.account(now); // the state so far, before the change
        this.up[arg] = 0;
        this.recount(now);
        this.sim.schedule(now + this.expo(p.mttr!), this.index, NODE_RECOVER, arg);
        return;
      case NODE_RECOVER:
        this.account(now);
        this.up[arg] = 1;
        this.recount(now);
        this.sim.schedule(now + this.expo(p.mttf!), this.index, NODE_FAIL, arg);
        return;
      case DOMAIN_FAIL:
        this.account(now);
        this.domainUp[arg] = 0;
        this.recount(now);
        this.sim.schedule(now + this.expo(p.domains[arg].mttr!), this.index, DOMAIN_RECOVER, arg);
        return;
      case DOMAIN_RECOVER:
        this.account(now);
        this.domainUp[arg] = 1;
        this.recount(now);
        this.sim.schedule(now + this.expo(p.domains[arg].mttf!), this.index, DOMAIN_FAIL, arg);
        return;
      case ELECTED:
        if (arg === this.term && this.electing) this.elect(now);
        return;
    }
  }

  /** Crash faults in force: fault index → the node it took down. */
  private crashes = new Map<number, number>();

  /** A `crash` fault: node `value` (or the leader, when not given) is down while it lasts. */
  crash(fault: number, node: number, down: boolean, now: number): void {
    this.account(now);
    if (down) {
      const i = Number.isInteger(node) && node >= 0 && node < this.n ? node : this.leader;
      this.crashes.set(fault, i);
      this.crashed[i] = 1;
    } else {
      const i = this.crashes.get(fault);
      if (i === undefined) return;
      this.crashes.delete(fault);
      if (![...this.crashes.values()].includes(i)) this.crashed[i] = 0;
    }
    this.recount(now);
  }
}
