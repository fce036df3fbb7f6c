/**
 * A bare TCP connection for fuzzing: writes whatever bytes it is given (whole, or one byte per
 * write) and reports what the server did within a bounded wait — answered, closed, or said
 * nothing. Knows no protocol beyond "is this reply complete yet", which the caller supplies.
 */
import net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How long a fuzz suite waits for a server to answer or hang up on one request. */
export const REPLY_WAIT_MS = 2_000;
/** Between the bytes of writeByteByByte. */
const BYTE_GAP_MS = 1;

export type Outcome =
  | { readonly kind: 'answered'; readonly reply: Buffer }
  | { readonly kind: 'closed'; readonly reply: Buffer }
  | { readonly kind: 'silent'; readonly reply: Buffer };

/** Where the first reply in `received` ends, or -1 while it is incomplete. */
export type ReplyEnd = (received: Buffer) => number;

/** A complete 4-byte-length-prefixed frame (Kafka, ZooKeeper, core/net). */
export const frameEnd: ReplyEnd = (received) => (received.length >= 4 && received.length >= 4 + received.readInt32BE(0) ? 4 + received.readInt32BE(0) : -1);

export class RawConnection {
  private received = Buffer.alloc(0);
  private closedByPeer = false;
  private wake: (() => void) | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly replyEnd: ReplyEnd,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake?.();
    });
    socket.on('close', () => {
      this.closedByPeer = true;
      this.wake?.();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number, replyEnd: ReplyEnd = frameEnd): Promise<RawConnection> {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.setNoDelay(true);
    return new RawConnection(socket, replyEnd);
  }

  get closed(): boolean {
    return this.closedByPeer || this.socket.destroyed;
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /**
   * One byte per TCP segment (Nagle is off): a timer turn after each write, so that the server's
   * event loop reads each byte on its own (an in-process server would otherwise read them together).
   */
  async writeByteByByte(bytes: Buffer): Promise<void> {
    for (let i = 0; i < bytes.length && !this.closed; i += 1) {
      await new Promise<void>((resolve) => this.socket.write(bytes.subarray(i, i + 1), () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, BYTE_GAP_MS));
    }
  }

  /** Waits for the next complete reply, the server closing, or `waitMs` of silence. */
  async next(waitMs = REPLY_WAIT_MS): Promise<Outcome> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const end = this.replyEnd(this.received);
      if (end >= 0) {
        const reply = this.received.subarray(0, end);
        this.received = this.received.subarray(end);
        return { kind: 'answered', reply };
      }
      if (this.closedByPeer) return { kind: 'closed', reply: this.received };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'silent', reply: this.received };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Sends `bytes` and reports the server's reaction. */
  async exchange(bytes: Buffer, waitMs = REPLY_WAIT_MS): Promise<Outcome> {
    this.write(bytes);
    return this.next(waitMs);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** What one fuzz run saw, to print and to assert on. */
export class OutcomeTally {
  readonly counts: Record<Outcome['kind'], number> = { answered: 0, closed: 0, silent: 0 };
  readonly silentSamples: string[] = [];

  /** Counts `outcome`; returns its kind. */
  add(outcome: Outcome, sent: Buffer): Outcome['kind'] {
    this.counts[outcome.kind] += 1;
    if (outcome.kind === 'silent' && this.silentSamples.length < 5) this.silentSamples.push(sent.subarray(0, 96).toString('hex'));
    return outcome.kind;
  }

  get total(): number {
    return this.counts.answered + this.counts.closed + this.counts.silent;
  }

  summary(suite: string): string {
    return `[fuzz] ${suite}: ${this.total} reactions to mutants — ${this.counts.answered} answered, ${this.counts.closed} closed, ${this.counts.silent} silent`;
  }
}

// Without --expose-gc, V8 can still be asked for gc() through a flag set at run time: heap
// figures before and after a fuzz run then measure what the run retained, not garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as (() => void) | undefined;

/** Heap and resident bytes of this process (which hosts the server) after a full collection. */
export function memoryAfterGc(): { heapUsedBytes: number; rssBytes: number } {
  collectGarbage?.();
  collectGarbage?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsedBytes: heapUsed, rssBytes: rss };
}

/** Most the heap (after GC) may grow over one fuzz suite; a leak per mutant passes this quickly. */
export const MAX_HEAP_GROWTH_BYTES = 200 * 1024 * 1024;

/** Looser bound on resident memory (not collectable on demand; freed pages may stay mapped). */
export const MAX_RSS_GROWTH_BYTES = 400 * 1024 * 1024;

/** Runs `body` until it returns false or the time budget is spent. */
export async function forBudget(budgetMs: number, body: (iteration: number) => Promise<boolean | void>): Promise<number> {
  const deadline = Date.now() + budgetMs;
  let iteration = 0;
  while (Date.now() < deadline) {
    if ((await body(iteration)) === false) break;
    iteration += 1;
  }
  return iteration;
}

/** Resident memory a server may add while refusing one request that claims 2 GB. */
export const MAX_HUGE_CLAIM_RSS_GROWTH_BYTES = 64 * 1024 * 1024;

/**
 * Sends a length prefix claiming 2 GB followed by a few bytes: the server must close the connection
 * without reserving the claimed size. Returns what happened and how much resident memory grew.
 */
export async function claimTwoGigabytes(connection: RawConnection, tail: Buffer = Buffer.alloc(64)): Promise<{ outcome: Outcome['kind']; rssGrowthBytes: number }> {
  const before = memoryAfterGc();
  const header = Buffer.alloc(4);
  header.writeInt32BE(0x7fffffff);
  const outcome = (await connection.exchange(Buffer.concat([header, tail]))).kind;
  return { outcome, rssGrowthBytes: memoryAfterGc().rssBytes - before.rssBytes };
}
