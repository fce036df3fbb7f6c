/**
 * Server-to-server traffic of an ensemble over core/net: Raft messages (one-way), writes a
 * follower forwards to the leader (request/response), and session activity a follower reports to
 * the leader (one-way). Frame: int32 correlation id, one byte of kind, then the payload.
 * With a cluster secret every connection first runs the peer handshake (core/net/peer-auth.ts) in
 * both directions: a member acts on nothing from a peer that has not proved the secret, and sends
 * nothing to a listener that has not.
 */
import type { Logger } from 'pino';
import { FrameClient, FrameServer, type FramePayload } from '../../net/index.js';
import type { PeerSecret } from '../../net/peer-auth.js';
import { AuthenticatedFrameClient } from '../../net/peer-auth-client.js';
import { PeerAuthGuard } from '../../net/peer-auth-server.js';

export const PeerFrameKind = { raft: 1, forward: 2, touches: 3 } as const;
export type PeerFrameKind = (typeof PeerFrameKind)[keyof typeof PeerFrameKind];

/** Header bytes before a payload: correlation id and kind. */
const HEADER_BYTES = 5;
/** Largest peer frame: an InstallSnapshot of a large tree. */
const MAX_PEER_FRAME_BYTES = 512 * 1024 * 1024;
const FORWARD_TIMEOUT_MS = 10_000;
/** Frames waiting for a peer's connection (or its authentication) before sends are refused. */
const MAX_QUEUED_PEER_FRAMES = 100_000;

export interface PeerAddress {
  host: string;
  port: number;
}

export interface PeerHandlers {
  onRaft(payload: Buffer): void;
  /** Leader side of a forwarded write: answers with its log position. */
  onForward(payload: Buffer): Promise<Buffer>;
  onTouches(payload: Buffer): void;
}

function frame(kind: PeerFrameKind, payload: Uint8Array): FramePayload {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(kind, 4);
  return [header, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)];
}

export class PeerTransport {
  private readonly server: FrameServer;
  private readonly clients = new Map<number, AuthenticatedFrameClient>();

  constructor(
    private readonly self: PeerAddress,
    peers: ReadonlyMap<number, PeerAddress>,
    private readonly handlers: PeerHandlers,
    logger: Logger,
    auth: { secret: PeerSecret | undefined; serverId: number },
  ) {
    const identity = `coord server ${auth.serverId}`;
    const guard = new PeerAuthGuard((request) => this.dispatch(request), { secret: auth.secret, identity, logger });
    // Peers reconnect forever, so their connections never end on their own: a short grace period.
    this.server = new FrameServer(guard.handler, { host: self.host, port: self.port, maxFrameBytes: MAX_PEER_FRAME_BYTES, shutdownGraceMs: 200, logger });
    guard.attach(this.server);
    for (const [id, address] of peers) {
      const client = new FrameClient({ host: address.host, port: address.port, maxFrameBytes: MAX_PEER_FRAME_BYTES, requestTimeoutMs: FORWARD_TIMEOUT_MS, backoff: { initialMs: 20, maxMs: 500 }, maxQueuedRequests: MAX_QUEUED_PEER_FRAMES });
      this.clients.set(id, new AuthenticatedFrameClient(client, { secret: auth.secret, identity, logger, requestTimeoutMs: FORWARD_TIMEOUT_MS, maxHeldFrames: MAX_QUEUED_PEER_FRAMES }));
    }
  }

  async listen(): Promise<void> {
    await this.server.listen();
  }

  /** Fire and forget: Raft retries whatever is lost. */
  send(to: number, kind: PeerFrameKind, payload: Uint8Array): void {
    this.clients
      .get(to)
      ?.send(frame(kind, payload))
      .catch(() => undefined);
  }

  async request(to: number, kind: PeerFrameKind, payload: Uint8Array): Promise<Buffer> {
    const client = this.clients.get(to);
    if (client === undefined) throw new Error(`no peer ${to}`);
    const response = await client.request(frame(kind, payload));
    return response.subarray(HEADER_BYTES);
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    await this.server.close();
  }

  private dispatch(request: Buffer): Buffer | undefined | Promise<Buffer | undefined> {
    if (request.length < HEADER_BYTES) throw new Error(`peer frame of ${request.length} bytes has no header`);
    const kind = request.readUInt8(4);
    const payload = request.subarray(HEADER_BYTES);
    switch (kind) {
      case PeerFrameKind.raft:
        this.handlers.onRaft(payload);
        return undefined;
      case PeerFrameKind.touches:
        this.handlers.onTouches(payload);
        return undefined;
      case PeerFrameKind.forward:
        return this.handlers.onForward(payload).then((answer) => Buffer.concat([request.subarray(0, HEADER_BYTES), answer]));
      default:
        throw new Error(`unknown peer frame kind ${kind} from ${this.self.host}`);
    }
  }
}
