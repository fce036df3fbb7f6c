/**
 * Node-to-node RPC of the serving layer over core/net (length-prefixed frames, one connection
 * per peer, pipelined, answers matched by id). A request names an operation and carries a key
 * and an opaque body (each operation's own codec encodes it); an answer carries a status and
 * an opaque body. The server dispatches to one handler per operation; a handler that throws
 * answers ERROR with the message, never a dropped connection.
 *
 *   request:  int32 id | uint8 op | uint32 key length | key | body
 *   response: int32 id | uint8 status | body
 *
 * With a cluster secret, every connection first runs the peer handshake (core/net/peer-auth.ts)
 * both ways: a node answers nothing for a peer that has not proved the secret, and asks nothing
 * of a listener that has not.
 */
import type { Logger } from 'pino';
import { FrameClient, FrameServer, leadingInt32Correlation } from '../../core/net/index.js';
import type { PeerSecret } from '../../core/net/peer-auth.js';
import { AuthenticatedFrameClient } from '../../core/net/peer-auth-client.js';
import { PeerAuthGuard } from '../../core/net/peer-auth-server.js';
import { silentLogger } from '../../core/telemetry/logger.js';

export const PeerOp = {
  Get: 1,
  Put: 2,
  PaxosPrepare: 3,
  PaxosPropose: 4,
  PaxosCommit: 5,
  Size: 7,
  Ping: 9,
  ReadKeys: 10,
  /** Anti-entropy: a partition's Merkle leaves, unless the requester's root already matches. */
  MerkleLeaves: 11,
  /** Anti-entropy: the keys and value digests under some leaves of a partition's tree. */
  MerkleLeafKeys: 12,
} as const;
export type PeerOp = (typeof PeerOp)[keyof typeof PeerOp];

export const PeerStatus = { Ok: 0, Error: 1, UnknownOp: 2 } as const;

/** Largest peer message (a key plus a value of up to 512 MiB and its metadata). */
export const MAX_PEER_FRAME_BYTES = 520 * 1024 * 1024;
/** A peer that does not answer within this is treated as failed for that request. */
export const PEER_REQUEST_TIMEOUT_MS = 2_000;
const REQUEST_HEADER_BYTES = 4 + 1 + 4;
const RESPONSE_HEADER_BYTES = 4 + 1;

export class PeerRequestError extends Error {
  readonly code = 'PEER_REQUEST_FAILED';
  constructor(
    readonly peer: string,
    readonly op: number,
    readonly reason: string,
  ) {
    super(`peer ${peer} failed op ${op}: ${reason}`);
    this.name = 'PeerRequestError';
  }
}

export type PeerHandler = (key: Buffer, body: Buffer) => Promise<Buffer> | Buffer;

/** How this node authenticates to its peers; absent or without a secret: it does not. */
export interface PeerAuth {
  secret: PeerSecret | undefined;
  /** This node's id, named in its proofs. */
  nodeId: string;
}

export function encodePeerRequest(op: number, key: Buffer, body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(REQUEST_HEADER_BYTES + key.length + body.length);
  frame.writeInt32BE(0, 0);
  frame.writeUInt8(op, 4);
  frame.writeUInt32BE(key.length, 5);
  key.copy(frame, REQUEST_HEADER_BYTES);
  body.copy(frame, REQUEST_HEADER_BYTES + key.length);
  return frame;
}

function response(id: number, status: number, body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(RESPONSE_HEADER_BYTES + body.length);
  frame.writeInt32BE(id, 0);
  frame.writeUInt8(status, 4);
  body.copy(frame, RESPONSE_HEADER_BYTES);
  return frame;
}

export class PeerServer {
  private readonly server: FrameServer;

  constructor(
    private readonly handlers: ReadonlyMap<number, PeerHandler>,
    options: { host?: string; port?: number; logger?: Logger; auth?: PeerAuth } = {},
  ) {
    const logger = options.logger ?? silentLogger();
    const guard = new PeerAuthGuard((frame) => this.dispatch(frame, logger), { secret: options.auth?.secret, identity: `serving node ${options.auth?.nodeId ?? '?'}`, logger });
    this.server = new FrameServer(guard.handler, { host: options.host ?? '127.0.0.1', port: options.port ?? 0, maxFrameBytes: MAX_PEER_FRAME_BYTES, logger });
    guard.attach(this.server);
  }

  async listen(): Promise<number> {
    return (await this.server.listen()).port;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async dispatch(frame: Buffer, logger: Logger): Promise<Buffer> {
    const id = frame.readInt32BE(0);
    if (frame.length < REQUEST_HEADER_BYTES) return response(id, PeerStatus.Error, Buffer.from('truncated request'));
    const op = frame.readUInt8(4);
    const keyLength = frame.readUInt32BE(5);
    if (REQUEST_HEADER_BYTES + keyLength > frame.length) return response(id, PeerStatus.Error, Buffer.from('key overruns the frame'));
    const handler = this.handlers.get(op);
    if (!handler) return response(id, PeerStatus.UnknownOp, Buffer.from(`unknown op ${op}`));
    const key = frame.subarray(REQUEST_HEADER_BYTES, REQUEST_HEADER_BYTES + keyLength);
    const body = frame.subarray(REQUEST_HEADER_BYTES + keyLength);
    try {
      return response(id, PeerStatus.Ok, await handler(key, body));
    } catch (error) {
      logger.warn({ err: error, op }, 'peer request failed');
      return response(id, PeerStatus.Error, Buffer.from((error as Error).message ?? String(error)));
    }
  }
}

export class PeerClient {
  private readonly client: AuthenticatedFrameClient;

  constructor(
    readonly peer: string,
    host: string,
    port: number,
    auth: PeerAuth & { logger?: Logger } = { secret: undefined, nodeId: '?' },
  ) {
    const client = new FrameClient({ host, port, correlation: leadingInt32Correlation, maxFrameBytes: MAX_PEER_FRAME_BYTES, requestTimeoutMs: PEER_REQUEST_TIMEOUT_MS });
    this.client = new AuthenticatedFrameClient(client, { secret: auth.secret, identity: `serving node ${auth.nodeId}`, logger: auth.logger ?? silentLogger(), requestTimeoutMs: PEER_REQUEST_TIMEOUT_MS });
  }

  async request(op: number, key: Buffer, body: Buffer = Buffer.alloc(0), timeoutMs = PEER_REQUEST_TIMEOUT_MS): Promise<Buffer> {
    let frame: Buffer;
    try {
      frame = await this.client.request(encodePeerRequest(op, key, body), { timeoutMs });
    } catch (error) {
      throw new PeerRequestError(this.peer, op, (error as Error).message);
    }
    const status = frame.readUInt8(4);
    const payload = frame.subarray(RESPONSE_HEADER_BYTES);
    if (status !== PeerStatus.Ok) throw new PeerRequestError(this.peer, op, payload.toString('utf8'));
    return payload;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
