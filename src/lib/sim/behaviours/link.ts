/**
 * `link`: a network hop (MODEL.md §3). Serialisation takes size·8/bandwidth and is FIFO on the
 * wire; propagation `latency` follows; `loss` drops a request with that probability. A link
 * interrupts any station: the queue-to-server wait is measured only inside one station.
 * Statistics: response = time on the link, wait = time waiting for the wire.
 */
import type { LinkParams } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { DROP_LOSS } from '../nodeStats';
import { Behaviour } from './behaviour';

const DELIVER = 0;

export class LinkBehaviour extends Behaviour {
  private latency!: Sampler;
  private bitTime = 0;
  private loss = 0;
  private extraLatency = 0;
  private wireFree = 0;

  configure(p: LinkParams): void {
    this.latency = makeSampler(p.latency);
    this.bitTime = Number.isFinite(p.bandwidth) ? 8 / p.bandwidth : 0;
    this.loss = p.loss;
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.arrivals++;
    if (this.loss > 0 && this.rng.next() < this.loss) {
      this.sim.drop(this, r, DROP_LOSS, now);
      return;
    }
    st.advance(now);
    st.present++;
    pool.stationEnter[r] = NaN;
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    let sent = now;
    if (this.bitTime > 0) {
      const start = this.wireFree > now ? this.wireFree : now;
      sent = start + pool.size[r] * this.bitTime;
      this.wireFree = sent;
      st.wait.record(start - now);
      pool.waited[r] += start - now;
    } else {
      st.wait.recordZero();
    }
    this.sim.schedule(sent + this.latency(this.rng) + this.extraLatency, this.index, DELIVER, r);
  }

  override handle(_local: number, r: number, now: number): void {
    const st = this.stats;
    st.advance(now);
    st.present--;
    st.departures++;
    st.response.record(now - this.pool.enteredAt[r]);
    const o = this.out;
    if (o !== null) o.arrive(r, now);
    else this.sim.complete(r, now);
  }

  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  /** The `latency` fault adds to the propagation delay of requests sent while it lasts. */
  addLatency(extra: number): void {
    this.extraLatency = extra;
  }
}
