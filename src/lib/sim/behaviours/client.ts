/**
 * `client`: a population of callers (MODEL.md §3), with timeouts, retries, a retry budget and a
 * circuit breaker.
 *
 * Arrivals. Open mode creates requests by a Poisson, deterministic or MMPP process at the
 * current rate, or by an explicit inter-arrival distribution; the rate follows the `schedule`
 * and `rate` faults. Because the exponential is memoryless, resampling the next arrival when the
 * rate changes is exact for Poisson arrivals. Closed mode runs `users` loops of think → request
 * → await the end of that request (success or final failure) → think again.
 *
 * Logical requests and attempts. What the caller wants is a logical request; each try to get it
 * done is an attempt, a separate request in the engine's pool (`pool.logical` names the logical
 * request, a slot in this client's table; `pool.attempt` its number, 1 for the first; every
 * attempt keeps the class, size, creation time and, once a cache drew one, the cache key of the
 * first). Semantics, in the order things happen:
 *  - Sending an attempt starts its timer: `timeout` seconds later, if the client is still
 *    waiting on that attempt, the attempt times out. Timers carry (logical slot, generation); a
 *    logical request's generation changes whenever one of its attempts is resolved, so a timer
 *    of an attempt already resolved is ignored when it fires. The timeout is one constant, so
 *    timers fire in the order they were started: they sit in a FIFO ring, one heap event each.
 *  - An attempt succeeds when the client learns of its completion at a sink (after
 *    `responseLatency`). The logical request then ends: its response time is from the FIRST
 *    attempt's send to that moment, and it counts as goodput when that is ≤ `deadline`
 *    (default: the timeout; no deadline: every success counts).
 *  - An attempt fails by timeout, by rejection (a queue with `onFull: reject`: the client is told
 *    at once) or by a drop (any other loss). A drop is noticed at once when `retryOn` includes
 *    "drop" or the client has no timeout; otherwise it is silent, and the attempt's timer
 *    notices it as a timeout.
 *  - After a noticed failure the client retries when the failure's kind is in `retryOn`,
 *    attempts remain (`maxAttempts` counts the first), and the retry budget has a token; the
 *    retry is sent after backoff + jitter, if the circuit breaker lets it through then.
 *    Otherwise the logical request ends in failure, counted in the client's drops under the
 *    reason of its last failure (`timeout`, `rejected`, the drop's own reason, or `breaker`).
 *  - An attempt the client gave up on (timed out) keeps flowing and keeps consuming servers,
 *    unless `cancelOnTimeout`: then servers discard it before starting it (service already
 *    started runs to its end). If it completes anyway, that completion is wasted work
 *    (counted in `wasted`), not a success.
 *
 * Backoff before retry k (k = 1 for the first retry): none 0; constant `base`; exponential
 * min(cap, base·multiplier^(k−1)). Jitter on that value b: none b; full U(0, b); equal
 * b/2 + U(0, b/2); decorrelated min(cap, U(base, 3·previous)) with previous = base before the
 * first retry (AWS's "Exponential Backoff and Jitter"; with kind none it stays 0).
 *
 * Retry budget (a token bucket, as Finagle's RetryBudget): every new logical request earns
 * `ratio` tokens and time earns `minPerSecond` tokens per second; a retry spends one token and is
 * refused without one. The balance never exceeds what the last 10 s could have earned
 * (10·minPerSecond + ratio × new requests in the last ten whole seconds), so a long quiet spell
 * does not bank a retry storm. Under total failure a budget holds attempts per request to about
 * 1 + ratio + minPerSecond/rate. Tokens are earned per request, not per success, so that the
 * budget still allows its share of retries when everything fails (which is when it matters).
 *
 * Circuit breaker: closed, it keeps the outcomes (success or failure) of attempts resolved in
 * the last `window` seconds; when a failure leaves at least `minRequests` outcomes with a
 * failure ratio ≥ `failureRatio`, it opens for `openFor` seconds, refusing every send at once
 * (reason `breaker`; refused sends are not retried). The first send after that is a probe
 * (half-open: other sends are refused while it is out); its success closes the breaker with an
 * empty window, its failure opens it again.
 *
 * The client's own statistics are the caller's view of LOGICAL requests: arrivals = requests
 * created (offered), departures = successes learned, drops = requests that ended in failure (by
 * the reason above), present = requests not yet ended, response = latency from the first send
 * to learning of the success. Per-attempt counts are extras: attempts, retries, timeouts,
 * rejections, lost (attempts dropped), wasted, good (successes within the deadline),
 * shortCircuited (refused by the breaker), budgetDenied (retries the budget refused),
 * breakerOpens. Waiting in queues is reported by the sink (`wait`), not recorded twice here.
 *
 * With no timeout and no retry policy, a logical request is exactly one attempt and the client
 * consumes the same random draws and schedules the same events as before retries existed.
 * Jitter draws come from the client's own stream, after the arrival draws of that moment.
 */
import type { ClientParams } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { DROP_BREAKER, DROP_REJECTED, DROP_TIMEOUT } from '../nodeStats';
import { Behaviour } from './behaviour';

const ARRIVE = 0;
const MMPP_SWITCH = 1;
const SCHEDULE = 2;
const NOTIFY = 3;
const THINK_DONE = 4;
const TIMEOUT = 5;
const RETRY = 6;

/* Kinds of attempt failure (retryOn). */
const F_TIMEOUT = 0;
const F_REJECT = 1;
const F_DROP = 2;

const BACKOFF_NONE = 0;
const BACKOFF_CONSTANT = 1;
const BACKOFF_EXPONENTIAL = 2;

const JITTER_NONE = 0;
const JITTER_FULL = 1;
const JITTER_EQUAL = 2;
const JITTER_DECORRELATED = 3;

const PROCESS_POISSON = 0;
const PROCESS_DETERMINISTIC = 1;
const PROCESS_MMPP = 2;

const BREAKER_CLOSED = 0;
const BREAKER_OPEN = 1;
const BREAKER_HALF_OPEN = 2;

/** The retry budget's memory: deposits of the last BUDGET_SECONDS whole seconds bound the balance. */
const BUDGET_SECONDS = 10;

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
  /* Flattened from p at compile time (no string compares per arrival). */
  private closed = false;
  private process = PROCESS_POISSON;
  /**
   * No timeout and no retry policy: a logical request is exactly one attempt, so the client
   * needs no table of logical requests. The attempt's own fields (pool.created, …) hold
   * everything, and the same draws, events and statistics follow with less bookkeeping.
   */
  private single = false;
  /** Poisson or MMPP arrivals: exponential gaps at the current rate. */
  private exponentialGaps = true;

  private scheduleRate = 0;
  private faultRate = NaN;
  private mmppOn = false;
  /** currentRate(), kept up to date by every change of the three fields above (updateRate). */
  private rate = 0;
  /** Generation of the pending arrival: a rate change invalidates it. */
  private gen = 0;
  private paused = false;
  /** Closed users whose think time ended while paused. */
  private heldUsers = 0;

  /* ---- failure policy (flattened from p.timeout / p.retry) ---- */
  private hasTimeout = false;
  private timeout = Infinity;
  private deadline = Infinity;
  private cancelOnTimeout = false;
  private maxAttempts = 1;
  private retryOnTimeout = false;
  private retryOnReject = false;
  private retryOnDrop = false;
  /** Whether the client learns of a dropped attempt at once (else only its timer notices). */
  private dropsNoticed = true;
  private backoffKind = BACKOFF_NONE;
  private backoffBase = 0;
  private backoffMultiplier = 1;
  private backoffCap = Infinity;
  private jitter = JITTER_NONE;

  /* ---- logical requests: a struct-of-arrays table with a free stack ---- */
  private lCreated = new Float64Array(0);
  private lSize = new Float64Array(0);
  /** Decorrelated jitter: the previous sleep of this logical request. */
  private lSleep = new Float64Array(0);
  private lAttempts = new Int32Array(0);
  /** Changes whenever an attempt of this request is sent or resolved, and when the request ends. */
  private lGen = new Int32Array(0);
  /** The attempt (pool index) the client is waiting on, or -1. */
  private lCur = new Int32Array(0);
  private lCls = new Int32Array(0);
  private lKey = new Int32Array(0);
  private lFree = new Int32Array(0);
  private lFreeTop = 0;

  /* ---- timers: FIFO ring of (slot, generation) ---- */
  private tSlot = new Int32Array(16);
  private tGen = new Int32Array(16);
  private tHead = 0;
  private tCount = 0;

  /* ---- retry budget ---- */
  private hasBudget = false;
  private budgetRatio = 0;
  private budgetMinPerSecond = 0;
  private tokens = 0;
  private tokensAt = 0;
  private readonly deposits = new Float64Array(BUDGET_SECONDS);
  private depositSecond = 0;

  /* ---- circuit breaker ---- */
  private hasBreaker = false;
  private cbRatio = 1;
  private cbWindow = 0;
  private cbOpenFor = 0;
  private cbMin = 1;
  private cbState = BREAKER_CLOSED;
  private cbOpenUntil = 0;
  private cbProbeOut = false;
  private cbProbeSlot = -1;
  private cbProbeAttempt = 0;
  /** Outcomes in the window: a ring of (time, failed). */
  private wTime = new Float64Array(16);
  private wFailed = new Uint8Array(16);
  private wHead = 0;
  private wCount = 0;
  private wFailures = 0;

  /* ---- extras (indices into stats.extras) ---- */
  private xOffered = 0;
  private xAttempts = 0;
  private xRetries = 0;
  private xTimeouts = 0;
  private xRejections = 0;
  private xLost = 0;
  private xWasted = 0;
  private xGood = 0;
  private xShort = 0;
  private xBudget = 0;
  private xOpens = 0;

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
    this.updateRate();

    this.hasTimeout = p.timeout !== null;
    this.timeout = p.timeout ?? Infinity;
    this.deadline = p.deadline ?? Infinity;
    this.cancelOnTimeout = p.cancelOnTimeout;
    const r = p.retry;
    if (r !== null) {
      this.maxAttempts = r.maxAttempts;
      this.retryOnTimeout = r.retryOn.includes('timeout');
      this.retryOnReject = r.retryOn.includes('reject');
      this.retryOnDrop = r.retryOn.includes('drop');
      const b = r.backoff;
      this.backoffKind = b.kind === 'exponential' ? BACKOFF_EXPONENTIAL : b.kind === 'constant' ? BACKOFF_CONSTANT : BACKOFF_NONE;
      this.backoffBase = b.base;
      this.backoffMultiplier = b.multiplier;
      this.backoffCap = b.cap;
      this.jitter =
        r.jitter === 'full' ? JITTER_FULL : r.jitter === 'equal' ? JITTER_EQUAL : r.jitter === 'decorrelated' ? JITTER_DECORRELATED : JITTER_NONE;
      if (r.budget) {
        this.hasBudget = true;
        this.budgetRatio = r.budget.ratio;
        this.budgetMinPerSecond = r.budget.minPerSecond;
      }
      if (r.circuitBreaker) {
        const cb = r.circuitBreaker;
        this.hasBreaker = true;
        this.cbRatio = cb.failureRatio;
        this.cbWindow = cb.window;
        this.cbOpenFor = cb.openFor;
        this.cbMin = cb.minRequests;
      }
    }
    this.dropsNoticed = this.retryOnDrop || !this.hasTimeout;
    this.single = !this.hasTimeout && r === null;
    this.closed = p.mode === 'closed';
    this.process = p.process === 'mmpp' ? PROCESS_MMPP : p.process === 'deterministic' ? PROCESS_DETERMINISTIC : PROCESS_POISSON;
    this.exponentialGaps = p.interarrival === null && this.process !== PROCESS_DETERMINISTIC;
    this.growLogical(64);

    const st = this.stats;
    st.enableP99Series();
    this.xOffered = st.defineExtra('offered', 'count', true);
    this.xAttempts = st.defineExtra('attempts', 'count', true);
    this.xRetries = st.defineExtra('retries', 'count');
    this.xTimeouts = st.defineExtra('timeouts', 'count', true);
    this.xRejections = st.defineExtra('rejections', 'count');
    this.xLost = st.defineExtra('lost', 'count');
    this.xWasted = st.defineExtra('wasted', 'count');
    this.xGood = st.defineExtra('good', 'count', true);
    this.xShort = st.defineExtra('shortCircuited', 'count');
    this.xBudget = st.defineExtra('budgetDenied', 'count');
    this.xOpens = st.defineExtra('breakerOpens', 'count');
  }

  /**
   * Marks `pool.cancelled` (cancelOnTimeout); `pool.cacheKey` only with a key a cache drew, so
   * never in a model without caches (the caches answer for it then).
   */
  override writesRequestExtras(): boolean {
    return this.cancelOnTimeout && this.hasTimeout;
  }

  /** Nothing flows into a client; an edge into one is refused by validation. */
  arrive(r: number, now: number): void {
    this.sim.drop(this, r, 4, now);
  }

  /**
   * Set by the engine from the interarrival distribution's mean. The distribution overrides
   * `rate` (docs/model-format.md), so it is also the base rate until a schedule step or a
   * `rate` fault sets another, which then scales the drawn gaps by nominal / current.
   */
  setNominalRate(rate: number): void {
    this.nominalRate = rate;
    this.scheduleRate = rate;
    this.updateRate();
  }

  private currentRate(): number {
    if (!Number.isNaN(this.faultRate)) return this.faultRate;
    if (this.process === PROCESS_MMPP && this.mmppOn && this.p.mmpp) return this.p.mmpp.burstRate;
    return this.scheduleRate;
  }

  private updateRate(): void {
    this.rate = this.currentRate();
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
        if (at <= now) {
          this.scheduleRate = p.schedule[i].rate;
          this.updateRate();
        }
        else this.sim.schedule(at, this.index, SCHEDULE, i);
      }
    }
    if (p.process === 'mmpp' && p.mmpp) {
      const m = p.mmpp;
      // Start in the stationary state so there is no artificial transient.
      this.mmppOn = this.rng.next() < m.meanOn / (m.meanOn + m.meanOff);
      this.updateRate();
      this.scheduleSwitch(now);
    }
    this.nextArrival(now);
  }

  private scheduleSwitch(now: number): void {
    const m = this.p.mmpp!;
    const mean = this.mmppOn ? m.meanOn : m.meanOff;
    this.sim.schedule(now + mean * this.rng.exponential(), this.index, MMPP_SWITCH, 0);
  }

  /** Schedule the next arrival from `now`, invalidating any pending one. */
  private nextArrival(now: number): void {
    this.gen++;
    const rate = this.rate;
    if (this.paused || !(rate > 0)) return;
    const gap = this.exponentialGaps ? this.rng.exponential() / rate : this.otherGap(rate);
    this.sim.schedule(now + gap, this.index, ARRIVE, this.gen);
  }

  /** An explicit inter-arrival distribution, or a deterministic stream. */
  private otherGap(rate: number): number {
    if (this.interarrival !== null) return (this.interarrival(this.rng) * this.nominalRate) / rate;
    // A deterministic stream starts one period in, like a clock ticking at the rate.
    return 1 / rate;
  }

  override handle(local: number, arg: number, now: number): void {
    // Arrivals are nearly every event of an open client: decided first, the rest out of line
    // (a small handler leaves the optimiser's inlining budget to the arrival path).
    if (local === ARRIVE) {
      if (arg !== this.gen) return; // superseded by a rate change
      this.newRequest(now);
      this.nextArrival(now);
      return;
    }
    this.handleOther(local, arg, now);
  }

  private handleOther(local: number, arg: number, now: number): void {
    switch (local) {
      case MMPP_SWITCH:
        this.mmppOn = !this.mmppOn;
        this.updateRate();
        this.scheduleSwitch(now);
        if (Number.isNaN(this.faultRate)) this.nextArrival(now);
        return;
      case SCHEDULE:
        this.scheduleRate = this.p.schedule[arg].rate;
        this.updateRate();
        this.nextArrival(now);
        return;
      case NOTIFY:
        this.learn(arg, now);
        return;
      case THINK_DONE:
        if (this.paused) this.heldUsers++;
        else this.newRequest(now);
        return;
      case TIMEOUT:
        this.timerFired(now);
        return;
      case RETRY:
        if (this.breakerAllows(arg, now)) this.sendAttempt(arg, now);
        else this.refuse(arg, now);
        return;
    }
  }

  /* ---------------- logical requests ---------------- */

  /** A caller wants something: a new logical request and its first attempt. */
  private newRequest(now: number): void {
    // Draws in the same order as before retries existed: the class, then the size.
    let c = 0;
    const cum = this.classCum;
    if (cum.length > 1) {
      const u = this.rng.next();
      while (u >= cum[c]) c++;
    }
    if (this.single) this.sendSingle(c, now);
    else this.newLogical(c, now);
  }

  /** newRequest with timeouts or retries: a logical request, then its first attempt. */
  private newLogical(c: number, now: number): void {
    if (this.lFreeTop === 0) this.growLogical(this.lCreated.length * 2);
    const slot = this.lFree[--this.lFreeTop];
    this.lCreated[slot] = now;
    this.lAttempts[slot] = 0;
    this.lCur[slot] = -1;
    this.lCls[slot] = c;
    this.lKey[slot] = -1;
    this.lSleep[slot] = this.backoffBase;
    this.lSize[slot] = this.sizeSamplers[c](this.rng);
    const st = this.stats;
    st.advance(now);
    st.arrivals++;
    st.present++;
    st.extras[this.xOffered]++;
    if (this.hasBudget) this.budgetDeposit(now);
    if (this.hasBreaker && !this.breakerAllows(slot, now)) {
      this.refuse(slot, now);
      return;
    }
    this.sendAttempt(slot, now);
  }

  /**
   * newRequest and sendAttempt for a client with no timeout and no retry policy: the same draw,
   * the same pool index (one alloc) and the same counts, with the request as its only attempt.
   */
  private sendSingle(c: number, now: number): void {
    const size = this.sizeSamplers[c](this.rng);
    const st = this.stats;
    st.advance(now);
    st.arrivals++;
    st.present++;
    const x = st.extras;
    x[this.xOffered]++;
    const pool = this.pool;
    const r = pool.alloc();
    pool.created[r] = now;
    pool.client[r] = this.index;
    pool.cls[r] = c;
    pool.gcls[r] = this.gclsBase + c;
    pool.size[r] = size;
    pool.at[r] = this.index;
    pool.attempt[r] = 1;
    x[this.xAttempts]++;
    const o = this.out;
    if (o !== null) o.arrive(r, now);
    else this.sim.complete(r, now);
  }

  private sendAttempt(slot: number, now: number): void {
    const pool = this.pool;
    const r = pool.alloc();
    const a = ++this.lAttempts[slot];
    const c = this.lCls[slot];
    pool.created[r] = this.lCreated[slot];
    pool.client[r] = this.index;
    pool.cls[r] = c;
    pool.gcls[r] = this.gclsBase + c;
    pool.size[r] = this.lSize[slot];
    pool.at[r] = this.index;
    pool.logical[r] = slot;
    pool.attempt[r] = a;
    pool.cacheKey[r] = this.lKey[slot];
    this.lCur[slot] = r;
    this.lGen[slot]++;
    const x = this.stats.extras;
    x[this.xAttempts]++;
    if (a > 1) x[this.xRetries]++;
    if (this.hasTimeout) this.startTimer(slot, now);
    const o = this.out;
    if (o !== null) o.arrive(r, now);
    else this.sim.complete(r, now);
  }

  /** The logical request in `slot` ends (it succeeded, or failed for `reason`). */
  private endLogical(slot: number, ok: boolean, reason: number, now: number): void {
    if (!ok) {
      const st = this.stats;
      st.advance(now);
      st.present--;
      st.drops[reason]++;
    }
    this.lGen[slot]++;
    this.lCur[slot] = -1;
    this.lFree[this.lFreeTop++] = slot;
    if (this.closed) this.thinkAgain(now);
  }

  /** The breaker refused to send for this logical request: it ends at once. */
  private refuse(slot: number, now: number): void {
    this.stats.extras[this.xShort]++;
    this.endLogical(slot, false, DROP_BREAKER, now);
  }

  private growLogical(n: number): void {
    const old = this.lCreated.length;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.lCreated = f64(this.lCreated);
    this.lSize = f64(this.lSize);
    this.lSleep = f64(this.lSleep);
    this.lAttempts = i32(this.lAttempts);
    this.lGen = i32(this.lGen);
    this.lCur = i32(this.lCur);
    this.lCls = i32(this.lCls);
    this.lKey = i32(this.lKey);
    const free = new Int32Array(n);
    free.set(this.lFree.subarray(0, this.lFreeTop));
    for (let i = n - 1; i >= old; i--) free[this.lFreeTop++] = i;
    this.lFree = free;
  }

  /* ---------------- outcomes ---------------- */

  /**
   * Called by the engine when one of this client's attempts completed (ok) or was lost.
   * Ownership of r passes to the client, which releases it.
   */
  done(r: number, ok: boolean, now: number, reason: number): void {
    if (this.single) {
      if (ok) this.completedSingle(r, now);
      else this.lostSingle(r, now, reason);
      return;
    }
    this.doneLogical(r, ok, now, reason);
  }

  /** done(r, true, …): the engine's completion path, straight to the common case. */
  completed(r: number, now: number): void {
    if (this.single && this.notifyImmediately) this.learnSingle(r, now);
    else if (this.single) this.completedSingle(r, now);
    else this.doneLogical(r, true, now, -1);
  }

  private doneLogical(r: number, ok: boolean, now: number, reason: number): void {
    const pool = this.pool;
    const slot = pool.logical[r];
    if (this.lCur[slot] !== r) {
      // An attempt the client already gave up on: its completion is wasted work.
      if (ok) this.stats.extras[this.xWasted]++;
      pool.release(r);
      return;
    }
    if (pool.cacheKey[r] >= 0) this.lKey[slot] = pool.cacheKey[r];
    if (ok) {
      if (!this.notifyImmediately) {
        this.sim.schedule(now + this.responseLatency(this.rng), this.index, NOTIFY, r);
        return;
      }
      this.learn(r, now);
      return;
    }
    pool.release(r);
    const x = this.stats.extras;
    if (reason === DROP_REJECTED) {
      x[this.xRejections]++;
      this.resolve(slot);
      this.attemptFailed(slot, F_REJECT, reason, now);
      return;
    }
    x[this.xLost]++;
    if (!this.dropsNoticed) {
      // Silent loss: the client keeps waiting; the attempt's timer will notice.
      this.lCur[slot] = -1;
      return;
    }
    this.resolve(slot);
    this.attemptFailed(slot, F_DROP, reason, now);
  }

  /*
   * done() without timeouts or retries: the attempt is always the one the client waits for
   * (nothing times out), and any failure ends the logical request at once (nothing is retried).
   */

  private completedSingle(r: number, now: number): void {
    if (this.notifyImmediately) this.learnSingle(r, now);
    else this.sim.schedule(now + this.responseLatency(this.rng), this.index, NOTIFY, r);
  }

  private lostSingle(r: number, now: number, reason: number): void {
    this.pool.release(r);
    const st = this.stats;
    st.extras[reason === DROP_REJECTED ? this.xRejections : this.xLost]++;
    st.advance(now);
    st.present--;
    st.drops[reason]++;
    if (this.closed) this.thinkAgain(now);
  }

  private learnSingle(r: number, now: number): void {
    const pool = this.pool;
    const st = this.stats;
    st.advance(now);
    st.present--;
    st.departures++;
    const latency = now - pool.created[r];
    st.recordResponse(latency); // and this bucket's p99
    if (latency <= this.deadline) st.extras[this.xGood]++;
    pool.release(r);
    if (this.closed) this.thinkAgain(now);
  }

  /** The client learns that attempt r completed. */
  private learn(r: number, now: number): void {
    if (this.single) {
      this.learnSingle(r, now);
      return;
    }
    const pool = this.pool;
    const slot = pool.logical[r];
    if (this.lCur[slot] !== r) {
      // Timed out while the response was on its way back.
      this.stats.extras[this.xWasted]++;
      pool.release(r);
      return;
    }
    const st = this.stats;
    st.advance(now);
    st.present--;
    st.departures++;
    const latency = now - this.lCreated[slot];
    st.recordResponse(latency); // and this bucket's p99
    if (latency <= this.deadline) st.extras[this.xGood]++;
    if (this.hasBreaker) this.breakerOutcome(slot, false, now);
    pool.release(r);
    this.endLogical(slot, true, -1, now);
  }

  /** The current attempt of `slot` is settled: no timer or late news of it counts any more. */
  private resolve(slot: number): void {
    this.lCur[slot] = -1;
    this.lGen[slot]++;
  }

  /** A noticed failure of the current attempt (already resolved): retry or end. */
  private attemptFailed(slot: number, kind: number, reason: number, now: number): void {
    if (this.hasBreaker) this.breakerOutcome(slot, true, now);
    const retryable =
      (kind === F_TIMEOUT ? this.retryOnTimeout : kind === F_REJECT ? this.retryOnReject : this.retryOnDrop) &&
      this.lAttempts[slot] < this.maxAttempts;
    if (!retryable) {
      this.endLogical(slot, false, reason, now);
      return;
    }
    if (this.hasBudget && !this.budgetTake(now)) {
      this.stats.extras[this.xBudget]++;
      this.endLogical(slot, false, reason, now);
      return;
    }
    // Always through the event list, even with no delay: the failure may have been reported
    // from inside another node's arrive(), which must not be re-entered.
    this.sim.schedule(now + this.backoff(slot), this.index, RETRY, slot);
  }

  /** The delay before the next retry of `slot` (its attempts so far = k, the retry's number). */
  private backoff(slot: number): number {
    const kind = this.backoffKind;
    if (kind === BACKOFF_NONE) return 0;
    const base = this.backoffBase;
    const cap = this.backoffCap;
    let b = base;
    if (kind === BACKOFF_EXPONENTIAL) {
      // base·multiplier^(k−1) by repeated products (exact for powers of two, no pow).
      const k = this.lAttempts[slot];
      for (let i = 1; i < k && b < cap; i++) b *= this.backoffMultiplier;
      if (b > cap) b = cap;
    }
    switch (this.jitter) {
      case JITTER_FULL:
        return this.rng.next() * b;
      case JITTER_EQUAL:
        return b / 2 + (this.rng.next() * b) / 2;
      case JITTER_DECORRELATED: {
        const prev = this.lSleep[slot];
        let d = base + this.rng.next() * (3 * prev - base);
        if (d > cap) d = cap;
        this.lSleep[slot] = d;
        return d;
      }
      default:
        return b;
    }
  }

  /* ---------------- timers ---------------- */

  private startTimer(slot: number, now: number): void {
    if (this.tCount === this.tSlot.length) this.growTimers();
    let i = this.tHead + this.tCount;
    if (i >= this.tSlot.length) i -= this.tSlot.length;
    this.tSlot[i] = slot;
    this.tGen[i] = this.lGen[slot];
    this.tCount++;
    this.sim.schedule(now + this.timeout, this.index, TIMEOUT, 0);
  }

  private growTimers(): void {
    const n = this.tSlot.length;
    const s = new Int32Array(n * 2);
    const g = new Int32Array(n * 2);
    for (let k = 0; k < this.tCount; k++) {
      const i = (this.tHead + k) % n;
      s[k] = this.tSlot[i];
      g[k] = this.tGen[i];
    }
    this.tSlot = s;
    this.tGen = g;
    this.tHead = 0;
  }

  /** The oldest timer fires (timers fire in the order they started: one constant timeout). */
  private timerFired(now: number): void {
    const slot = this.tSlot[this.tHead];
    const gen = this.tGen[this.tHead];
    this.tHead = this.tHead + 1 === this.tSlot.length ? 0 : this.tHead + 1;
    this.tCount--;
    if (this.lGen[slot] !== gen) return; // that attempt was resolved already
    this.stats.extras[this.xTimeouts]++;
    const r = this.lCur[slot];
    if (r >= 0) {
      // Abandoned, not removed: it flows on (and is wasted work if it completes).
      const pool = this.pool;
      if (this.cancelOnTimeout) pool.cancelled[r] = 1;
      if (pool.cacheKey[r] >= 0) this.lKey[slot] = pool.cacheKey[r];
    }
    this.resolve(slot);
    this.attemptFailed(slot, F_TIMEOUT, DROP_TIMEOUT, now);
  }

  /* ---------------- retry budget ---------------- */

  /** Roll the per-second deposit ring forward to `now`'s second, forgetting older seconds. */
  private budgetSeconds(now: number): void {
    const sec = Math.floor(now);
    let gap = sec - this.depositSecond;
    if (gap <= 0) return;
    if (gap > BUDGET_SECONDS) gap = BUDGET_SECONDS;
    for (let k = 1; k <= gap; k++) this.deposits[(this.depositSecond + k) % BUDGET_SECONDS] = 0;
    this.depositSecond = sec;
  }

  private budgetCap(): number {
    let s = this.budgetMinPerSecond * BUDGET_SECONDS;
    for (let i = 0; i < BUDGET_SECONDS; i++) s += this.deposits[i];
    return s;
  }

  private budgetRefill(now: number): void {
    this.budgetSeconds(now);
    this.tokens += this.budgetMinPerSecond * (now - this.tokensAt);
    this.tokensAt = now;
    const cap = this.budgetCap();
    if (this.tokens > cap) this.tokens = cap;
  }

  private budgetDeposit(now: number): void {
    this.budgetRefill(now);
    this.deposits[this.depositSecond % BUDGET_SECONDS] += this.budgetRatio;
    this.tokens += this.budgetRatio;
  }

  private budgetTake(now: number): boolean {
    this.budgetRefill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /* ---------------- circuit breaker ---------------- */

  /** May `slot` send now? Half-opens an open breaker whose time is up (this send is the probe). */
  private breakerAllows(slot: number, now: number): boolean {
    if (!this.hasBreaker) return true;
    if (this.cbState === BREAKER_OPEN) {
      if (now < this.cbOpenUntil) return false;
      this.cbState = BREAKER_HALF_OPEN;
      this.cbProbeOut = false;
    }
    if (this.cbState === BREAKER_HALF_OPEN) {
      if (this.cbProbeOut) return false;
      this.cbProbeOut = true;
      this.cbProbeSlot = slot;
      // The probe is the attempt about to be sent.
      this.cbProbeAttempt = this.lAttempts[slot] + 1;
    }
    return true;
  }

  /** An attempt of `slot` (its latest) was resolved: record the outcome. */
  private breakerOutcome(slot: number, failed: boolean, now: number): void {
    if (this.cbState === BREAKER_CLOSED) {
      this.windowPush(now, failed);
      if (failed && this.wCount >= this.cbMin && this.wFailures >= this.cbRatio * this.wCount) this.breakerOpen(now);
      return;
    }
    if (this.cbState === BREAKER_HALF_OPEN && slot === this.cbProbeSlot && this.lAttempts[slot] === this.cbProbeAttempt) {
      if (failed) this.breakerOpen(now);
      else {
        this.cbState = BREAKER_CLOSED;
        this.windowClear();
      }
    }
    // Open: outcomes of attempts sent before it opened do not count.
  }

  private breakerOpen(now: number): void {
    this.cbState = BREAKER_OPEN;
    this.cbOpenUntil = now + this.cbOpenFor;
    this.cbProbeOut = false;
    this.cbProbeSlot = -1;
    this.windowClear();
    this.stats.extras[this.xOpens]++;
  }

  private windowClear(): void {
    this.wHead = 0;
    this.wCount = 0;
    this.wFailures = 0;
  }

  /** Add an outcome and forget those older than the window: kept are times in (now − window, now]. */
  private windowPush(now: number, failed: boolean): void {
    const n = this.wTime.length;
    const horizon = now - this.cbWindow;
    while (this.wCount > 0 && this.wTime[this.wHead] <= horizon) {
      if (this.wFailed[this.wHead] === 1) this.wFailures--;
      this.wHead = this.wHead + 1 === n ? 0 : this.wHead + 1;
      this.wCount--;
    }
    if (this.wCount === n) {
      const t = new Float64Array(n * 2);
      const f = new Uint8Array(n * 2);
      for (let k = 0; k < this.wCount; k++) {
        const i = (this.wHead + k) % n;
        t[k] = this.wTime[i];
        f[k] = this.wFailed[i];
      }
      this.wTime = t;
      this.wFailed = f;
      this.wHead = 0;
    }
    let i = this.wHead + this.wCount;
    if (i >= this.wTime.length) i -= this.wTime.length;
    this.wTime[i] = now;
    this.wFailed[i] = failed ? 1 : 0;
    this.wCount++;
    if (failed) this.wFailures++;
  }

  /* ---------------- users and faults ---------------- */

  private thinkAgain(now: number): void {
    this.sim.schedule(now + this.think(this.rng), this.index, THINK_DONE, 0);
  }

  override setRate(rate: number, now: number): void {
    this.faultRate = rate;
    this.updateRate();
    if (!this.closed) this.nextArrival(now);
  }

  override setPaused(paused: boolean, now: number): void {
    this.paused = paused;
    if (!this.closed) {
      this.nextArrival(now);
    } else if (!paused) {
      const held = this.heldUsers;
      this.heldUsers = 0;
      for (let i = 0; i < held; i++) this.newRequest(now);
    }
  }
}
