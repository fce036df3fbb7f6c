/**
 * Typed errors of core/net. Each carries a stable `code`, the offending values and whether retrying
 * the same operation can succeed (`retriable`), so callers decide without parsing messages.
 */

export type NetErrorCode =
  | 'FRAME_TOO_LARGE'
  | 'MALFORMED_FRAME'
  | 'REQUEST_TIMEOUT'
  | 'CONNECT_TIMEOUT'
  | 'CONNECTION_CLOSED'
  | 'CLIENT_CLOSED'
  | 'QUEUE_FULL';

export class NetError extends Error {
  constructor(
    readonly code: NetErrorCode,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class FrameTooLargeError extends NetError {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(
      'FRAME_TOO_LARGE',
      `frame of ${sizeBytes} bytes exceeds the limit of ${maxBytes} bytes; raise maxFrameBytes on both ends or send less per request`,
      false,
    );
  }
}

export class MalformedFrameError extends NetError {
  constructor(readonly declaredLength: number) {
    super('MALFORMED_FRAME', `frame declares a negative length (${declaredLength}); the peer does not speak this protocol`, false);
  }
}

export class RequestTimeoutError extends NetError {
  constructor(
    readonly timeoutMs: number,
    readonly correlationId: number,
    readonly endpoint: string,
  ) {
    super('REQUEST_TIMEOUT', `request ${correlationId} to ${endpoint} got no response within ${timeoutMs} ms`, true);
  }
}

export class ConnectTimeoutError extends NetError {
  constructor(
    readonly timeoutMs: number,
    readonly endpoint: string,
  ) {
    super('CONNECT_TIMEOUT', `could not connect to ${endpoint} within ${timeoutMs} ms; is the server running?`, true);
  }
}

export class ConnectionClosedError extends NetError {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super('CONNECTION_CLOSED', `connection to ${endpoint} closed before the response arrived: ${reason}`, true);
  }
}

export class ClientClosedError extends NetError {
  constructor(readonly endpoint: string) {
    super('CLIENT_CLOSED', `client for ${endpoint} was closed; create a new one to send more requests`, false);
  }
}

export class QueueFullError extends NetError {
  constructor(
    readonly endpoint: string,
    readonly limit: number,
  ) {
    super('QUEUE_FULL', `${limit} requests to ${endpoint} already wait for the connection; slow down or raise maxQueuedRequests`, true);
  }
}
