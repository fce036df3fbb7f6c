/** What a ZooKeeper operation failed with, as the server reported it. */
import { ErrorCode, errorName } from '../zookeeper-constants.js';

export class ZooKeeperError extends Error {
  readonly codeName: string;
  constructor(
    readonly code: number,
    readonly op: string,
    readonly path: string | undefined,
  ) {
    super(`${op}${path === undefined ? '' : ` ${path}`} failed: ${errorName(code)} (${code})`);
    this.name = 'ZooKeeperError';
    this.codeName = errorName(code);
  }

  /** Worth retrying on the same session (the connection dropped; the session may still live). */
  get retriable(): boolean {
    return this.code === ErrorCode.CONNECTIONLOSS || this.code === ErrorCode.OPERATIONTIMEOUT;
  }
}

/** Thrown by the client itself, not reported by a server. */
export class ClientStateError extends Error {
  constructor(
    readonly code: 'SESSION_EXPIRED' | 'CLIENT_CLOSED' | 'CONNECT_TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = 'ClientStateError';
  }
}
