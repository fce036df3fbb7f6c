/**
 * Typed errors of the remote keyspace. A refused command of the server (a Redis error reply such
 * as `-NOREPLICAS` or `-ERR too much contention`) is not wrapped: it reaches the caller as
 * ioredis's ReplyError with the server's text, as it would from any Redis client.
 */
export type RemoteKeyspaceErrorCode = 'SERVER_UNREACHABLE' | 'CONTRACT_VIOLATION' | 'CAS_CONTENTION' | 'CAS_QUEUE_FULL' | 'CLIENT_CLOSED';

export class RemoteKeyspaceError extends Error {
  constructor(
    readonly code: RemoteKeyspaceErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No connection could be made (refused, timed out, wrong address). */
export class ServerUnreachableError extends RemoteKeyspaceError {
  declare readonly code: 'SERVER_UNREACHABLE';
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('SERVER_UNREACHABLE', `cannot reach the RESP server at ${address} (${reason}); check that \`barista serve\` or redis-server runs there and the host and port are right`, { cause });
  }
}

/** The server answered, but not as the Keyspace contract needs (wrong reply shape or type). */
export class ContractViolationError extends RemoteKeyspaceError {
  declare readonly code: 'CONTRACT_VIOLATION';
  constructor(
    readonly command: string,
    readonly reply: unknown,
    expectation: string,
  ) {
    super('CONTRACT_VIOLATION', `${command} replied ${describeReply(reply)}, where the Keyspace contract needs ${expectation}; is this server a Barista serving node or Redis 7.0 or later?`);
  }
}

/** On plain Redis, the key kept changing under WATCH for every attempt. */
export class CompareAndSetContentionError extends RemoteKeyspaceError {
  declare readonly code: 'CAS_CONTENTION';
  constructor(
    readonly key: Buffer,
    readonly attempts: number,
  ) {
    super('CAS_CONTENTION', `compareAndSet of key ${JSON.stringify(key.toString('latin1'))} was interrupted by concurrent writes ${attempts} times in a row; retry later or write this key from fewer clients`);
  }
}

/** Too many compareAndSets wait for a WATCH connection (plain Redis). */
export class CompareAndSetQueueFullError extends RemoteKeyspaceError {
  declare readonly code: 'CAS_QUEUE_FULL';
  constructor(readonly waiting: number) {
    super('CAS_QUEUE_FULL', `${waiting} compareAndSets already wait for a WATCH connection; bound the caller's concurrency`);
  }
}

export class ClientClosedError extends RemoteKeyspaceError {
  declare readonly code: 'CLIENT_CLOSED';
  constructor() {
    super('CLIENT_CLOSED', 'this RespKeyspace was closed; create a new one with RespKeyspace.connect()');
  }
}

function describeReply(reply: unknown): string {
  const text = JSON.stringify(reply, (_key, value: unknown) => (value instanceof Buffer || (typeof value === 'object' && value !== null && (value as { type?: string }).type === 'Buffer') ? `<${Buffer.from(value as Buffer).toString('latin1')}>` : value));
  return text === undefined ? String(reply) : text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
