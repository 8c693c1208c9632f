/**
 * `client`: a population of callers (MODEL.md §3).
 *
 * Open mode creates requests by a Poisson, deterministic or MMPP process at the current rate, or
 * by an explicit inter-arrival distribution; the rate follows the `schedule` and `rate` faults.
 * Because the exponential is memoryless, resampling the next arrival when the rate changes is
 * exact for Poisson arrivals. Closed mode runs `users` loops of think → request → await.
 *
 * The client's own statistics are the caller's view: arrivals = requests sent, departures =
 * completions learned (after `responseLatency`), response = latency from the send to learning of
 * it, dropped = its requests lost anywhere, inSystem = outstanding requests. Waiting in queues is
 * reported by the sink (`wait`), not recorded twice here.
 */
import type { ClientParams } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { Behaviour } from './behaviour';
import { log as dlog } from '../detmath';

const ARRIVE = 0;
const MMPP_SWITCH = 1;
const SCHEDULE = 2;
const NOTIFY = 3;
const THINK_DONE = 4;

export class ClientBehaviour extends Behaviour {
  p!: ClientParams;
  /** Global index of this client's first class. */
  gclsBase = 0;
  private classCum!: Float64Array;
  private sizeSamplers!: Sampler[];
  private interarrival: Sampler | null = null;
  /** Rate the inter-arrival distribution was written for (1/mean). */
  private nominalRate = 1;
  private think!: Sampler;
  private responseLatency!: Sampler;
  private notifyImmediately = true;

  private scheduleRate = 0;
  private faultRate = NaN;
  private mmppOn = false;
  /** Generation of the pending arrival: a rate change invalidates it. */
  private gen = 0;
  private paused = false;
  /** Closed users whose think time ended while paused. */
  private heldUsers = 0;

  configure(p: ClientParams, gclsBase: number): void {
    this.p = p;
    this.gclsBase = gclsBase;
    const total = p.classes.reduce((s, c) => s + c.weight, 0);
    this.classCum = new Float64Array(p.classes.length);
    let acc = 0;
    p.classes.forEach((c, i) => {
      acc += c.weight / total;
      this.classCum[i] = acc;
    });
    this.classCum[p.classes.length - 1] = 1;
    this.sizeSamplers = p.classes.map((c) => makeSampler(c.size));
    if (p.interarrival) {
      this.interarrival = makeSampler(p.interarrival);
    }
    this.think = makeSampler(p.thinkTime);
    this.responseLatency = makeSampler(p.responseLatency);
    const rl = p.responseLatency;
    this.notifyImmediately = rl.dist === 'det' && rl.value === 0;
    this.scheduleRate = p.rate;
  }

  /** Nothing flows into a client; an edge into one is refused by validation. */
  arrive(r: number, now: number): void {
    this.sim.drop(this, r, 4, now);
  }

  /** Set by the engine from the interarrival distribution's mean. */
  setNominalRate(rate: number): void {
    this.nominalRate = rate;
  }

  private currentRate(): number {
    if (!Number.isNaN(this.faultRate)) return this.faultRate;
    if (this.p.process === 'mmpp' && this.mmppOn && this.p.mmpp) return this.p.mmpp.burstRate;
    return this.scheduleRate;
  }

  override start(now: number): void {
    const p = this.p;
    if (p.mode === 'closed') {
      for (let u = 0; u < p.users; u++) {
        this.sim.schedule(now + this.think(this.rng), this.index, THINK_DONE, 0);
      }
      return;
    }
    if (p.schedule.length > 0) {
      for (let i = 0; i < p.schedule.length; i++) {
        const at = p.schedule[i].at;
        if (at <= now) this.scheduleRate = p.schedule[i].rate;
        else this.sim.schedule(at, this.index, SCHEDULE, i);
      }
    }
    if (p.process === 'mmpp' && p.mmpp) {
      const m = p.mmpp;
      // Start in the stationary state so there is no artificial transient.
      this.mmppOn = this.rng.next() < m.meanOn / (m.meanOn + m.meanOff);
      this.scheduleSwitch(now);
    }
    this.nextArrival(now, true);
  }

  private scheduleSwitch(now: number): void {
    const m = this.p.mmpp!;
    const mean = this.mmppOn ? m.meanOn : m.meanOff;
    this.sim.schedule(now - mean * dlog(1 - this.rng.next()), this.index, MMPP_SWITCH, 0);
  }

  /** Schedule the next arrival from `now`, invalidating any pending one. */
  private nextArrival(now: number, first: boolean): void {
    this.gen++;
    if (this.paused) return;
    const rate = this.currentRate();
    if (!(rate > 0)) return;
    let gap: number;
    if (this.interarrival !== null) {
      gap = (this.interarrival(this.rng) * this.nominalRate) / rate;
    } else if (this.p.process === 'deterministic') {
      // A deterministic stream starts one period in, like a clock ticking at the rate.
      gap = 1 / rate;
    } else {
      gap = -dlog(1 - this.rng.next()) / rate;
    }
    void first;
    this.sim.schedule(now + gap, this.index, ARRIVE, this.gen);
  }

  private send(now: number): void {
    const pool = this.sim.pool;
    const r = pool.alloc();
    let c = 0;
    const cum = this.classCum;
    if (cum.length > 1) {
      const u = this.rng.next();
      while (u >= cum[c]) c++;
    }
    pool.created[r] = now;
    pool.client[r] = this.index;
    pool.cls[r] = c;
    pool.gcls[r] = this.gclsBase + c;
    pool.size[r] = this.sizeSamplers[c](this.rng);
    pool.at[r] = this.index;
    const st = this.stats;
    st.advance(now);
    st.arrivals++;
    st.present++;
    this.forward(r, now);
  }

  override handle(local: number, arg: number, now: number): void {
    switch (local) {
      case ARRIVE:
        if (arg !== this.gen) return; // superseded by a rate change
        this.send(now);
        this.nextArrival(now, false);
        return;
      case MMPP_SWITCH:
        this.mmppOn = !this.mmppOn;
        this.scheduleSwitch(now);
        if (Number.isNaN(this.faultRate)) this.nextArrival(now, false);
        return;
      case SCHEDULE:
        this.scheduleRate = this.p.schedule[arg].rate;
        this.nextArrival(now, false);
        return;
      case NOTIFY:
        this.learn(arg, now);
        return;
      case THINK_DONE:
        if (this.paused) this.heldUsers++;
        else this.send(now);
        return;
    }
  }

  /**
   * Called by the engine when one of this client's requests completed (ok) or was lost.
   * Ownership of r passes to the client, which releases it.
   */
  done(r: number, ok: boolean, now: number, reason: number): void {
    if (ok && !this.notifyImmediately) {
      this.sim.schedule(now + this.responseLatency(this.rng), this.index, NOTIFY, r);
      return;
    }
    if (ok) {
      this.learn(r, now);
      return;
    }
    const st = this.stats;
    st.advance(now);
    st.present--;
    if (reason >= 0) st.drops[reason]++;
    this.sim.pool.release(r);
    if (this.p.mode === 'closed') this.thinkAgain(now);
  }

  private learn(r: number, now: number): void {
    const st = this.stats;
    st.advance(now);
    st.present--;
    st.departures++;
    const pool = this.sim.pool;
    st.response.record(now - pool.created[r]);
    pool.release(r);
    if (this.p.mode === 'closed') this.thinkAgain(now);
  }

  private thinkAgain(now: number): void {
    this.sim.schedule(now + this.think(this.rng), this.index, THINK_DONE, 0);
  }

  override setRate(rate: number, now: number): void {
    this.faultRate = rate;
    if (this.p.mode === 'open') this.nextArrival(now, false);
  }

  override setPaused(paused: boolean, now: number): void {
    this.paused = paused;
    if (this.p.mode === 'open') {
      this.nextArrival(now, false);
    } else if (!paused) {
      const held = this.heldUsers;
      this.heldUsers = 0;
      for (let i = 0; i < held; i++) this.send(now);
    }
  }
}
