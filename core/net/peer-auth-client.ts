/**
 * The connecting side of peer authentication over a FrameClient: after each (re)connection it runs
 * the handshake (peer-auth.ts) and holds the service's frames until the server has proved the
 * cluster secret, so nothing leaves before the proof and nothing goes to an impostor. Held frames
 * keep their order and their deadlines; a full hold refuses more (QueueFullError), like FrameClient.
 * Without a secret every call goes straight to the FrameClient.
 */
import type { Logger } from 'pino';
import { QueueFullError, RequestTimeoutError } from './errors.js';
import type { FrameClient } from './frame-client.js';
import type { FramePayload } from './frame-writer.js';
import { DEFAULT_MAX_QUEUED_REQUESTS, DEFAULT_REQUEST_TIMEOUT_MS } from './limits.js';
import { PEER_AUTH_TIMEOUT_MS, PeerAuthClientSide, type PeerSecret } from './peer-auth.js';
import { PEER_AUTH_REJECTION_LOG_INTERVAL_MS } from './peer-auth-server.js';

export interface PeerAuthClientOptions {
  secret: PeerSecret | undefined;
  /** This side's identity in proofs and logs ("coord server 1"). */
  identity: string;
  logger: Logger;
  requestTimeoutMs?: number;
  maxHeldFrames?: number;
  timeoutMs?: number;
}

interface Held {
  payload: FramePayload;
  expectResponse: boolean;
  deadlineMs: number;
  timer: NodeJS.Timeout;
  resolve: (response: Buffer) => void;
  reject: (error: Error) => void;
}

export class AuthenticatedFrameClient {
  private authenticated = false;
  /** Bumped on every connect and disconnect: a handshake answer from an older socket is ignored. */
  private generation = 0;
  private readonly held: Held[] = [];
  private lastFailureLogMs = -Infinity;

  constructor(
    private readonly client: FrameClient,
    private readonly options: PeerAuthClientOptions,
  ) {
    if (options.secret === undefined) return;
    client.on('connect', () => this.handshake());
    client.on('disconnect', () => {
      this.generation++;
      this.authenticated = false;
    });
  }

  request(payload: FramePayload, options: { timeoutMs?: number } = {}): Promise<Buffer> {
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (this.options.secret === undefined || this.authenticated) return this.client.request(payload, { timeoutMs });
    return this.hold(payload, true, timeoutMs);
  }

  send(payload: FramePayload): Promise<void> {
    if (this.options.secret === undefined || this.authenticated) return this.client.send(payload);
    return this.hold(payload, false, this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS).then(() => undefined);
  }

  async close(): Promise<void> {
    this.generation++;
    for (const held of this.held.splice(0)) {
      clearTimeout(held.timer);
      held.reject(new RequestTimeoutError(0, 0, this.client.endpoint));
    }
    await this.client.close();
  }

  private hold(payload: FramePayload, expectResponse: boolean, timeoutMs: number): Promise<Buffer> {
    const limit = this.options.maxHeldFrames ?? DEFAULT_MAX_QUEUED_REQUESTS;
    if (this.held.length >= limit) return Promise.reject(new QueueFullError(this.client.endpoint, limit));
    if (this.client.state === 'idle') this.client.connect().catch(() => undefined);
    return new Promise<Buffer>((resolve, reject) => {
      const held: Held = {
        payload, expectResponse, resolve, reject, deadlineMs: performance.now() + timeoutMs, // monotonic: a stepped wall clock must not shorten or stretch the wait
        timer: setTimeout(() => {
          const index = this.held.indexOf(held);
          if (index >= 0) this.held.splice(index, 1);
          reject(new RequestTimeoutError(timeoutMs, 0, this.client.endpoint));
        }, timeoutMs),
      };
      this.held.push(held);
    });
  }

  private handshake(): void {
    const generation = ++this.generation;
    this.authenticated = false;
    const side = new PeerAuthClientSide(this.options.secret!, this.options.identity);
    this.client
      .request(side.hello(), { timeoutMs: this.options.timeoutMs ?? PEER_AUTH_TIMEOUT_MS })
      .then((challenge) => {
        if (generation !== this.generation) return;
        // Throws when the server does not know the secret: then nothing more is sent on this
        // socket, and the server closes it when its handshake time runs out.
        const { proof } = side.answerChallenge(challenge);
        this.client.send(proof).catch(() => undefined);
        this.authenticated = true;
        this.releaseHeld();
      })
      .catch((error: Error) => {
        if (generation !== this.generation) return;
        const nowMs = performance.now();
        if (nowMs - this.lastFailureLogMs < PEER_AUTH_REJECTION_LOG_INTERVAL_MS) return;
        this.lastFailureLogMs = nowMs;
        this.options.logger.warn({ peer: this.client.endpoint, err: error }, 'peer authentication failed; retrying on the next connection');
      });
  }

  /** Hands held frames to the client in the order they were made. */
  private releaseHeld(): void {
    const nowMs = performance.now();
    for (const held of this.held.splice(0)) {
      clearTimeout(held.timer);
      if (held.expectResponse) this.client.request(held.payload, { timeoutMs: Math.max(1, held.deadlineMs - nowMs) }).then(held.resolve, held.reject);
      else this.client.send(held.payload).then(() => held.resolve(Buffer.alloc(0)), held.reject);
    }
  }
}
