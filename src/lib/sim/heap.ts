/**
 * The future-event list: a binary min-heap over flat typed arrays (ARCHITECTURE.md principle 9).
 *
 * Order: (time, priority, sequence), where sequence is an insertion counter, so events at the
 * same time and priority pop in the order they were pushed (FIFO). That explicit tie-breaker is
 * what makes a run deterministic: the order never depends on the heap's internal layout.
 *
 * Layout (struct of arrays, 24 bytes per slot): `times` (Float64), `keys` (Float64 holding
 * priority·2^40 + sequence, exact because it stays below 2^52), `codes` and `args` (Int32). An
 * event is plain numbers, so push and pop allocate nothing (except when the arrays grow by
 * doubling). Sifting moves a hole instead of swapping: each level costs one write per array.
 *
 * Why binary and not 4-ary: measured on Node 20 with a hold model (pop, push now + Exp) at 10^2,
 * 10^4 and 10^6 pending events, the binary heap was 5–11% faster at every size; a 4-ary heap
 * saves levels but its four-way child scan costs more unpredictable branches than it saves.
 *
 * Invariants: for every slot i > 0, (times[parent], keys[parent]) ≤ (times[i], keys[i]); slots
 * at or beyond `size` are garbage, except that times[0] is Infinity when the heap is empty.
 * Keys are unique, so the order is total.
 */

/** 2^40: the sequence field's width inside a key. */
const SEQ_SPAN = 1099511627776;
/** Priorities occupy the 12 bits above the sequence: 4095·2^40 + 2^40 < 2^52, exact in float64. */
const MAX_PRIORITY = 4095;

export class EventHeap {
  /** Fields of the event removed by the last successful `pop()`. */
  time = 0;
  /** Raw (priority, sequence) key of the last popped event; `priority` decodes it on demand. */
  key = 0;
  code = 0;
  arg = 0;

  private times: Float64Array;
  private keys: Float64Array;
  private codes: Int32Array;
  private args: Int32Array;
  private n = 0;
  /** The next sequence number; reset by `clear()`, renumbered if it ever reaches 2^40. */
  private seq = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(2, Math.ceil(initialCapacity));
    this.times = new Float64Array(cap);
    this.keys = new Float64Array(cap);
    this.codes = new Int32Array(cap);
    this.args = new Int32Array(cap);
    this.times[0] = Infinity; // empty: see peekTime
  }

  /** Priority of the last popped event (decoded lazily: the engine loop never needs it). */
  get priority(): number {
    return Math.floor(this.key / SEQ_SPAN);
  }

  /** Number of pending events. */
  get size(): number {
    return this.n;
  }

  /** Slots allocated (grows by doubling, never shrinks except through a new heap). */
  get capacity(): number {
    return this.times.length;
  }

  /**
   * Schedule an event. `priority` is an integer in 0..4095 (smaller pops first at equal time);
   * `code` and `arg` are stored as int32. Throws on a NaN time or an out-of-range priority,
   * because either would silently corrupt the order (a bug in the caller).
   */
  push(time: number, priority: number, code: number, arg: number): void {
    // One test for the rare cases (a bug's NaN or priority, renumbering, growing), handled out
    // of line: push is inlined at every scheduling site, so its body is kept small.
    if (!(time === time && (priority & MAX_PRIORITY) === priority && this.seq < SEQ_SPAN && this.n < this.times.length)) {
      this.beforePush(time, priority);
    }
    this.siftUp(this.n++, time, priority * SEQ_SPAN + this.seq++, code, arg);
  }

  /** push's rare cases: throw on a caller's bug, renumber an exhausted sequence, grow. */
  private beforePush(time: number, priority: number): void {
    if (time !== time) throw new RangeError('EventHeap.push: time is NaN');
    if ((priority & MAX_PRIORITY) !== priority)
      throw new RangeError(`EventHeap.push: priority ${priority} is not an integer in 0..4095`);
    if (this.seq === SEQ_SPAN) this.renumber();
    if (this.n === this.times.length) this.grow();
  }

  /** Remove the earliest event into `time`, `priority`, `code`, `arg`; false when empty. */
  pop(): boolean {
    const n = this.n;
    if (n === 0) return false;
    this.time = this.times[0];
    this.key = this.keys[0];
    this.code = this.codes[0];
    this.arg = this.args[0];
    this.removeTop();
    return true;
  }

  /* The engine's loop reads the earliest event in place (`peekTime`, `topCode`, `topArg`) and
   * then drops it with `removeTop`: no copy into the fields above, two of which are doubles. */

  /** Code of the earliest event; the heap must not be empty. */
  get topCode(): number {
    return this.codes[0];
  }

  /** Arg of the earliest event; the heap must not be empty. */
  get topArg(): number {
    return this.args[0];
  }

  /** Remove the earliest event without reporting it; the heap must not be empty. */
  removeTop(): void {
    const times = this.times;
    const keys = this.keys;
    const codes = this.codes;
    const args = this.args;
    const m = this.n - 1;
    this.n = m;
    if (m === 0) {
      times[0] = Infinity; // empty: see peekTime
      return;
    }
    // Sift the last element down from the root, moving the hole rather than swapping.
    const time = times[m];
    const key = keys[m];
    const code = codes[m];
    const arg = args[m];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      let ct = times[c];
      let ck = keys[c];
      const r = c + 1;
      if (r < m) {
        const rt = times[r];
        if (rt < ct || (rt === ct && keys[r] < ck)) {
          c = r;
          ct = rt;
          ck = keys[r];
        }
      }
      if (ct < time || (ct === time && ck < key)) {
        times[i] = ct;
        keys[i] = ck;
        codes[i] = codes[c];
        args[i] = args[c];
        i = c;
      } else break;
    }
    times[i] = time;
    keys[i] = key;
    codes[i] = code;
    args[i] = arg;
  }

  /**
   * Time of the earliest event, or Infinity when empty. Slot 0 holds Infinity whenever the heap
   * is empty, so this is one typed-array read: with a branch to the global `Infinity`, the
   * optimiser merged a tagged value with a double and boxed every event's time.
   */
  peekTime(): number {
    return this.times[0];
  }

  /** Drop every event and restart the sequence (capacity is kept). */
  clear(): void {
    this.n = 0;
    this.seq = 0;
    this.times[0] = Infinity;
  }

  /** Place an event at slot i (or above it): move the hole up rather than swapping. */
  private siftUp(i: number, time: number, key: number, code: number, arg: number): void {
    const times = this.times;
    const keys = this.keys;
    const codes = this.codes;
    const args = this.args;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (time < pt || (time === pt && key < keys[p])) {
        times[i] = pt;
        keys[i] = keys[p];
        codes[i] = codes[p];
        args[i] = args[p];
        i = p;
      } else break;
    }
    times[i] = time;
    keys[i] = key;
    codes[i] = code;
    args[i] = arg;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    const keys = new Float64Array(cap);
    const codes = new Int32Array(cap);
    const args = new Int32Array(cap);
    times.set(this.times);
    keys.set(this.keys);
    codes.set(this.codes);
    args.set(this.args);
    this.times = times;
    this.keys = keys;
    this.codes = codes;
    this.args = args;
  }

  /**
   * After 2^40 pushes (about 30 hours of engine time at 10^7 events/s) the sequence field is
   * exhausted. Re-issue sequence numbers 0..n−1 in the current pop order: the relative order of
   * pending events, hence FIFO among ties, is unchanged. O(n log n), once per 2^40 pushes.
   */
  private renumber(): void {
    // The public fields belong to the caller's last pop; keep them across the internal pops.
    const { time, key, code, arg } = this;
    const n = this.n;
    const t = new Float64Array(n);
    const p = new Float64Array(n);
    const c = new Int32Array(n);
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.pop();
      t[i] = this.time;
      p[i] = this.priority;
      c[i] = this.code;
      a[i] = this.arg;
    }
    // Popped in order: ascending (time, key) with fresh keys is already a valid heap.
    for (let i = 0; i < n; i++) {
      this.times[i] = t[i];
      this.keys[i] = p[i] * SEQ_SPAN + i;
      this.codes[i] = c[i];
      this.args[i] = a[i];
    }
    this.n = n;
    this.seq = n;
    this.time = time;
    this.key = key;
    this.code = code;
    this.arg = arg;
  }

  /** Test hook: pretend `count` pushes have happened (exercises renumbering). */
  advanceSequenceForTest(count: number): void {
    this.seq = Math.min(SEQ_SPAN, this.seq + count);
  }
}
