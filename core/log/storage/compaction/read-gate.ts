/**
 * Readers share the gate; a segment swap takes it exclusively. A fetch resolves file ranges by
 * path and then reads them, so a cleaned file renamed over a segment between the two steps would
 * hand out the wrong bytes: the swap therefore waits for the reads in flight, and reads arriving
 * meanwhile wait for the swap (a rename and an open, milliseconds: the cleaning itself — reading,
 * decoding, writing the .cleaned file — runs outside the gate). Writer preference, so a steady
 * stream of fetches cannot starve the swap.
 */
export class ReadGate {
  private readers = 0;
  private exclusive: Promise<void> | undefined;
  private readonly idleWaiters: (() => void)[] = [];

  /** Runs `read` sharing the gate with other reads. */
  async shared<T>(read: () => Promise<T>): Promise<T> {
    while (this.exclusive !== undefined) await this.exclusive;
    this.readers++;
    try {
      return await read();
    } finally {
      this.readers--;
      if (this.readers === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Runs `swap` once no read is in flight, holding new reads back until it is done. */
  async exclusively<T>(swap: () => Promise<T>): Promise<T> {
    while (this.exclusive !== undefined) await this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.readers > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      return await swap();
    } finally {
      this.exclusive = undefined;
      release();
    }
  }
}
