/**
 * `nic`: the receive path from the wire to the cores (MODEL.md §3, NIC modes). This file is
 * the wire side: packets are serialised at `lineRate` (size·8/lineRate, FIFO) and pass the
 * NIC pipeline (`perPacket`), then reach the host. Everything that happens on the host's
 * cores in each mode (rings and interrupts, polling, coherent dispatch) lives in cores.ts,
 * which the NIC configures when the model is wired: a NIC must feed a `cores` node.
 * Statistics: response = time on the wire side; wait = time waiting for the wire.
 */
import type { NicParams } from '../../model/types';
import { makeSampler, type Sampler } from '../distributions';
import { Behaviour } from './behaviour';
import { CoresBehaviour } from './cores';

const DELIVER = 0;

export class NicBehaviour extends Behaviour {
  private p!: NicParams;
  private bitTime = 0;
  private perPacket!: Sampler;
  private busyUntil = 0;

  configure(p: NicParams): void {
    this.p = p;
    this.bitTime = Number.isFinite(p.lineRate) ? 8 / p.lineRate : 0;
    this.perPacket = makeSampler(p.perPacket);
  }

  /** Writes none of the pool's optional request fields (see Behaviour). */
  override writesRequestExtras(): boolean {
    return false;
  }

  override prewire(): void {
    if (this.out instanceof CoresBehaviour) this.out.attachNic(this.p);
  }

  arrive(r: number, now: number): void {
    const st = this.stats;
    const pool = this.pool;
    st.arrivals++;
    st.advance(now);
    st.present++;
    pool.enteredAt[r] = now;
    pool.at[r] = this.index;
    pool.stationEnter[r] = NaN;
    const start = this.busyUntil > now ? this.busyUntil : now;
    const done = start + pool.size[r] * this.bitTime + this.perPacket(this.rng);
    this.busyUntil = done;
    st.wait.record(start - now);
    pool.waited[r] += start - now;
    this.sim.schedule(done, this.index, DELIVER, r);
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
}
