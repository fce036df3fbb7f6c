/**
 * A loopback TCP hop that adds latency: every chunk, in both directions, is held `delayMs` before
 * it is passed on, in order. Chained behind test/support/tcp-proxy.ts (which cuts links), it gives
 * the nemesis slow links as well as broken ones without changing that proxy.
 */
import net from 'node:net';

/** Latency beyond this is a partition, not a delay. */
export const MAX_LINK_DELAY_MS = 5_000;

export class DelayLink {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private delayMs = 0;

  private constructor(private readonly targetPort: number) {
    this.server = net.createServer((inbound) => this.accept(inbound));
  }

  static async start(targetPort: number): Promise<DelayLink> {
    const link = new DelayLink(targetPort);
    await new Promise<void>((resolve) => link.server.listen(0, '127.0.0.1', resolve));
    return link;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  setDelay(delayMs: number): void {
    if (!(delayMs >= 0 && delayMs <= MAX_LINK_DELAY_MS)) throw new RangeError(`a link delay is 0..${MAX_LINK_DELAY_MS} ms, not ${delayMs}`);
    this.delayMs = delayMs;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(inbound: net.Socket): void {
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

  /** Passes chunks on after the delay current at their arrival, in order: one queue, one timer. */
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
        to.write(chunk);
        return;
      }
      queue.push({ chunk, releaseAtMs: performance.now() + this.delayMs });
      timer ??= setTimeout(drain, this.delayMs);
    });
    from.once('close', () => clearTimeout(timer));
  }
}
