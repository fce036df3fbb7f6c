/**
 * A TCP proxy on loopback that can be cut and slowed: the fault suites put one in front of every
 * node a peer or client dials, so that a test can isolate a node (a network partition), heal it,
 * or add latency to its links without touching any process.
 */
import net from 'node:net';

/** Latency beyond this is a partition, not a delay. */
export const MAX_LINK_DELAY_MS = 5_000;

export class TcpProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private cutOff = false;
  private delayMs = 0;

  private constructor(private readonly targetPort: number) {
    this.server = net.createServer((inbound) => this.accept(inbound));
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every connection through the proxy and refuses new ones until heal(). */
  cut(): void {
    this.cutOff = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  heal(): void {
    this.cutOff = false;
  }

  /** Holds every chunk, both ways, this long before passing it on (in order); 0 passes at once. */
  setDelay(delayMs: number): void {
    if (!(delayMs >= 0 && delayMs <= MAX_LINK_DELAY_MS)) throw new RangeError(`a link delay is 0..${MAX_LINK_DELAY_MS} ms, not ${delayMs}`);
    this.delayMs = delayMs;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(inbound: net.Socket): void {
    if (this.cutOff) {
      inbound.destroy();
      return;
    }
    const outbound = net.connect({ port: this.targetPort, host: '127.0.0.1' });
    for (const socket of [inbound, outbound]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => {
        this.sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    this.forward(inbound, outbound);
    this.forward(outbound, inbound);
  }

  /**
   * Passes chunks on after the delay current at their arrival, in order: one queue, one timer. A
   * chunk never overtakes one still queued, so lowering the delay cannot reorder bytes.
   */
  private forward(from: net.Socket, to: net.Socket): void {
    const queue: Array<{ chunk: Buffer; releaseAtMs: number }> = [];
    let timer: NodeJS.Timeout | undefined;
    const drain = () => {
      timer = undefined;
      while (queue.length > 0 && queue[0]!.releaseAtMs <= performance.now()) {
        const { chunk } = queue.shift()!;
        if (!to.destroyed) to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(drain, Math.max(1, queue[0]!.releaseAtMs - performance.now()));
    };
    from.on('data', (chunk: Buffer) => {
      if (this.delayMs === 0 && queue.length === 0) {
        // Back-pressure as pipe() would: a slow reader on one side slows the writer on the other.
        if (!to.write(chunk)) {
          from.pause();
          to.once('drain', () => from.resume());
        }
        return;
      }
      queue.push({ chunk, releaseAtMs: performance.now() + this.delayMs });
      timer ??= setTimeout(drain, this.delayMs);
    });
    from.once('close', () => clearTimeout(timer));
  }
}
