/**
 * `router`: a load balancer or probabilistic split (MODEL.md §3), taking no time.
 *
 * Load-blind policies (random, round-robin, weighted, probabilistic) choose among all targets;
 * the target then buffers or loses the request as it would any arrival. Load-aware policies
 * (jsq, p2c, least-outstanding) see each target's load (as of `staleness` seconds ago when set)
 * and prefer targets that can take work now; through them a downstream server can also pull
 * from a queue in front of the router, so "queue → jsq router → servers" is one central queue.
 *
 * - random: uniform; probabilistic: by edge weight (Poisson splitting; feedback loops allowed);
 * - round-robin: in turn; weighted: smooth weighted round-robin by edge weight;
 * - jsq: the target with the least load (ties: lowest index among a random rotation);
 * - p2c: the less loaded of two distinct targets drawn at random;
 * - least-outstanding: fewest requests sent through that edge and not yet completed or lost.
 */
import type { RouterParams } from '../../model/types';
import { DROP_UNROUTED } from '../nodeStats';
import { Behaviour } from './behaviour';

export class RouterBehaviour extends Behaviour {
  private policy: RouterParams['policy'] = 'random';
  private staleness = 0;
  private targets: Behaviour[] = [];
  private cum = new Float64Array(0);
  private rr = 0;
  private wrrCurrent = new Float64Array(0);
  private weights = new Float64Array(0);
  private weightSum = 0;
  /** least-outstanding: per target, requests sent and not yet finished. */
  outstanding = new Float64Array(0);
  private loadAware = false;
  private seen = new Float64Array(0);
  private seenAt = -Infinity;

  configure(p: RouterParams): void {
    this.policy = p.policy;
    this.staleness = p.staleness;
    this.loadAware = p.policy === 'jsq' || p.policy === 'p2c' || p.policy === 'least-outstanding';
  }

  override wired(): void {
    this.targets = this.outs[0] ?? [];
    const n = this.targets.length;
    this.weights = Float64Array.from(this.outWeights[0] ?? [], (w) => w);
    this.weightSum = this.weights.reduce((a, b) => a + b, 0);
    this.cum = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += this.weights[i] / this.weightSum;
      this.cum[i] = acc;
    }
    if (n > 0) this.cum[n - 1] = 1;
    this.wrrCurrent = new Float64Array(n);
    this.outstanding = new Float64Array(n);
    this.seen = new Float64Array(n);
  }

  /** Only least-outstanding marks requests (pool.lbRouter, pool.lbEdge). */
  override writesRequestExtras(): boolean {
    return this.policy === 'least-outstanding';
  }

  override canTake(): boolean {
    if (!this.loadAware) return true;
    const t = this.targets;
    for (let i = 0; i < t.length; i++) if (t[i].canTake()) return true;
    return false;
  }

  override load(): number {
    let s = 0;
    for (const t of this.targets) s += t.load();
    return s;
  }

  /** A downstream server asks for work: pass the question upstream (load-aware only). */
  override pull(): number {
    if (!this.loadAware) return -1;
    for (const u of this.pullSources) {
      const r = u.pull();
      if (r >= 0) {
        this.stats.arrivals++;
        this.stats.departures++;
        this.stats.response.recordZero();
        this.stats.wait.recordZero();
        return r;
      }
    }
    return -1;
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    st.arrivals++;
    const k = this.choose(now);
    if (k < 0) {
      this.sim.drop(this, r, DROP_UNROUTED, now);
      return;
    }
    st.departures++;
    st.response.recordZero();
    st.wait.recordZero();
    if (this.policy === 'least-outstanding') {
      const pool = this.pool;
      pool.lbRouter[r] = this.index;
      pool.lbEdge[r] = k;
      this.outstanding[k]++;
    }
    this.targets[k].arrive(r, now);
  }

  /** A request routed by this router finished or was lost (least-outstanding bookkeeping). */
  finished(edge: number): void {
    this.outstanding[edge]--;
  }

  private targetLoad(i: number, now: number): number {
    if (this.policy === 'least-outstanding') return this.outstanding[i];
    if (this.staleness <= 0) return this.targets[i].load();
    if (now - this.seenAt >= this.staleness) {
      for (let j = 0; j < this.targets.length; j++) this.seen[j] = this.targets[j].load();
      this.seenAt = now;
    }
    return this.seen[i];
  }

  private choose(now: number): number {
    const n = this.targets.length;
    if (n === 0) return -1;
    if (n === 1) return 0;
    switch (this.policy) {
      case 'random':
        return Math.floor(this.rng.next() * n);
      case 'probabilistic': {
        const u = this.rng.next();
        let i = 0;
        while (u >= this.cum[i]) i++;
        return i;
      }
      case 'round-robin': {
        const i = this.rr;
        this.rr = i + 1 === n ? 0 : i + 1;
        return i;
      }
      case 'weighted': {
        // Smooth weighted round-robin: deterministic, spreads picks evenly by weight.
        let best = 0;
        for (let i = 0; i < n; i++) {
          this.wrrCurrent[i] += this.weights[i];
          if (this.wrrCurrent[i] > this.wrrCurrent[best]) best = i;
        }
        this.wrrCurrent[best] -= this.weightSum;
        return best;
      }
      case 'jsq':
      case 'least-outstanding': {
        // Scan from a random offset so ties do not always favour the first target.
        const off = Math.floor(this.rng.next() * n);
        let best = -1;
        let bestLoad = Infinity;
        let bestFree = false;
        for (let j = 0; j < n; j++) {
          const i = (off + j) % n;
          const free = this.targets[i].canTake();
          const l = this.targetLoad(i, now);
          if ((free && !bestFree) || (free === bestFree && l < bestLoad)) {
            best = i;
            bestLoad = l;
            bestFree = free;
          }
        }
        return best;
      }
      case 'p2c': {
        const a = Math.floor(this.rng.next() * n);
        let b = Math.floor(this.rng.next() * (n - 1));
        if (b >= a) b++;
        const fa = this.targets[a].canTake();
        const fb = this.targets[b].canTake();
        if (fa !== fb) return fa ? a : b;
        return this.targetLoad(b, now) < this.targetLoad(a, now) ? b : a;
      }
    }
  }
}
