/** A growable ring buffer of int32 (request indices): O(1) at both ends, no allocation in use. */
export class IntDeque {
  private buf: Int32Array;
  private head = 0;
  length = 0;

  constructor(capacity = 64) {
    this.buf = new Int32Array(capacity);
  }

  pushBack(v: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = v;
    this.length++;
  }

  popFront(): number {
    const v = this.buf[this.head];
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return v;
  }

  /** The first element, left in place (the deque must not be empty). */
  front(): number {
    return this.buf[this.head];
  }

  pushFront(v: number): void {
    if (this.length === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = v;
    this.length++;
  }

  popBack(): number {
    this.length--;
    return this.buf[(this.head + this.length) & (this.buf.length - 1)];
  }

  private grow(): void {
    // Capacity stays a power of two so `& (len − 1)` wraps.
    const n = this.buf.length * 2;
    const b = new Int32Array(n);
    for (let i = 0; i < this.length; i++) b[i] = this.buf[(this.head + i) & (this.buf.length - 1)];
    this.buf = b;
    this.head = 0;
  }
}
