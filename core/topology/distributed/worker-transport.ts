/**
 * Moves batches between the workers of a distributed topology over core/net: a FrameServer
 * receives them (in order per connection; each frame answered once queued locally), and one
 * FrameClient per peer sends them, reconnecting with backoff and queueing while the peer is away.
 * Batches for one peer made in the same pass of the event loop leave in one frame. Bytes in
 * flight to a peer are bounded: past MAX_IN_FLIGHT_TRANSFER_BYTES the topology's spouts hold back
 * until the peer catches up, so a slow worker slows its sources instead of filling memory.
 *
 * Delivery is at most once: a batch that cannot be sent (peer gone past the timeout) is dropped
 * and logged — its tuple trees fail by timeout and their spouts replay them.
 */
import { FrameClient, FrameServer, leadingInt32Correlation } from '../../net/index.js';
import { silentLogger, type Logger } from '../../telemetry/logger.js';
import type { RuntimeTuple } from '../api/tuple.js';
import type { AckerMessage, SpoutEvent } from '../runtime/messages.js';
import type { RemoteDelivery } from '../runtime/running-topology.js';
import type { Assignment } from './assignment.js';
import { MAX_IN_FLIGHT_TRANSFER_BYTES, MAX_QUEUED_TRANSFERS, MAX_TRANSFER_FRAME_BYTES, TRANSFER_TIMEOUT_MS } from './limits.js';
import { StreamTable, TransferDecoder, TransferEncoder, type Transfer, type WireBatch } from './wire.js';
import type { TopologyDefinition } from '../builder/topology-definition.js';

const ANSWER = Buffer.alloc(4);

export interface WorkerTransportOptions {
  readonly workerId: string;
  readonly assignment: Assignment;
  readonly topology: TopologyDefinition;
  /** Called with each received batch, in arrival order per peer. */
  readonly onTransfer: (transfer: Transfer) => void;
  /** +1 when some peer's in-flight bytes pass the bound, -1 when back under. */
  readonly onBackpressure: (delta: 1 | -1) => void;
  readonly host?: string;
  readonly logger?: Logger;
}

interface Peer {
  readonly id: string;
  readonly client: FrameClient;
  inFlightBytes: number;
  congested: boolean;
  /** Batches waiting for this pass's frame. */
  outbox: WireBatch[];
}

export class WorkerTransport implements RemoteDelivery {
  private readonly server: FrameServer;
  private readonly peers = new Map<string, Peer>();
  private readonly logger: Logger;
  private closed = false;
  private readonly encoder: TransferEncoder;
  private readonly decoder: TransferDecoder;
  /** Frames dropped because a peer could not take them. */
  dropped = 0;

  constructor(private readonly options: WorkerTransportOptions) {
    this.logger = options.logger ?? silentLogger();
    const streams = new StreamTable(options.topology);
    this.encoder = new TransferEncoder(streams);
    this.decoder = new TransferDecoder(streams);
    const own = options.assignment.workers[options.workerId];
    this.server = new FrameServer((frame) => this.receive(frame), {
      host: options.host ?? own?.host ?? '127.0.0.1',
      port: own?.port ?? 0,
      maxFrameBytes: MAX_TRANSFER_FRAME_BYTES,
      logger: this.logger,
    });
  }

  async listen(): Promise<number> {
    return (await this.server.listen()).port;
  }

  sendTuples(taskId: number, batch: RuntimeTuple[]): void {
    this.send(taskId, () => this.encoder.tuples(taskId, batch));
  }

  sendAckerMessages(ackerTaskId: number, batch: AckerMessage[]): void {
    this.send(ackerTaskId, () => this.encoder.ackerMessages(ackerTaskId, batch));
  }

  sendSpoutEvents(spoutTaskId: number, batch: SpoutEvent[]): void {
    this.send(spoutTaskId, () => this.encoder.spoutEvents(spoutTaskId, batch));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const peer of this.peers.values()) peer.client.close();
    await this.server.close();
  }

  private receive(frame: Buffer): Buffer {
    for (const transfer of this.decoder.decode(frame)) this.options.onTransfer(transfer);
    const answer = Buffer.from(ANSWER);
    frame.copy(answer, 0, 0, 4); // the correlation id
    return answer;
  }

  private send(taskId: number, encode: () => WireBatch): void {
    if (this.closed) return;
    const workerId = this.options.assignment.tasks[String(taskId)];
    if (workerId === undefined) {
      this.logger.warn({ taskId }, 'no worker runs this task: batch dropped');
      this.dropped++;
      return;
    }
    const peer = this.peer(workerId);
    if (peer.outbox.length === 0) setImmediate(() => this.flush(peer));
    peer.outbox.push(encode());
  }

  /** Sends the batches `peer` collected in this pass as one frame. */
  private flush(peer: Peer): void {
    const batches = peer.outbox;
    peer.outbox = [];
    if (batches.length === 0 || this.closed) return;
    let frame: Buffer;
    try {
      frame = this.encoder.frame(batches);
    } catch (error) {
      this.logger.error({ err: error, workerId: peer.id }, 'batches could not be serialised (tuple values must be structured-clonable): dropped, their trees will time out');
      this.dropped++;
      return;
    }
    peer.inFlightBytes += frame.length;
    this.updateCongestion(peer);
    peer.client.request(frame, { timeoutMs: TRANSFER_TIMEOUT_MS }).then(
      () => this.settle(peer, frame.length),
      (error: unknown) => {
        this.dropped++;
        if (!this.closed) this.logger.warn({ err: error, workerId: peer.id }, 'batches to a peer worker lost; their trees will time out and replay');
        this.settle(peer, frame.length);
      },
    );
  }

  private settle(peer: Peer, bytes: number): void {
    peer.inFlightBytes -= bytes;
    this.updateCongestion(peer);
  }

  private updateCongestion(peer: Peer): void {
    const congested = peer.inFlightBytes > MAX_IN_FLIGHT_TRANSFER_BYTES;
    if (congested === peer.congested) return;
    peer.congested = congested;
    this.options.onBackpressure(congested ? 1 : -1);
  }

  private peer(workerId: string): Peer {
    let peer = this.peers.get(workerId);
    if (peer === undefined) {
      const address = this.options.assignment.workers[workerId];
      if (address === undefined) throw new Error(`worker '${workerId}' has no address in the assignment`);
      const client = new FrameClient({ host: address.host, port: address.port, correlation: leadingInt32Correlation, maxFrameBytes: MAX_TRANSFER_FRAME_BYTES, requestTimeoutMs: TRANSFER_TIMEOUT_MS, maxQueuedRequests: MAX_QUEUED_TRANSFERS, backoff: { initialMs: 20, maxMs: 1_000 } });
      client.on('connectError', () => undefined); // reconnects with backoff; batches wait in its queue
      peer = { id: workerId, client, inFlightBytes: 0, congested: false, outbox: [] };
      this.peers.set(workerId, peer);
    }
    return peer;
  }
}
