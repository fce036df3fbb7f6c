/**
 * Typed errors of the RESP layer. Two kinds reach clients:
 *
 * - RespProtocolError: the byte stream is not RESP. The client gets `-ERR Protocol error: ...`
 *   (Redis's exact text) and the connection is closed after the reply, as Redis does.
 * - CommandError: one command is refused (bad argument, failed condition, contention). The client
 *   gets `-<code> <message>` and the connection keeps going.
 *
 * QueryBufferLimitError closes a connection without a reply (Redis does the same). The rest are
 * programming or configuration mistakes.
 */

export type RespErrorCode = 'PROTOCOL' | 'QUERY_BUFFER_LIMIT' | 'COMMAND' | 'CAS_CONTENTION' | 'SERVER_MISUSE';

export class RespError extends Error {
  constructor(
    readonly code: RespErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Malformed RESP. `reply` is the error text Redis sends, without the leading "-" and CRLF. */
export class RespProtocolError extends RespError {
  declare readonly code: 'PROTOCOL';
  constructor(
    readonly reply: string,
    readonly offendingBytes: number,
  ) {
    super('PROTOCOL', `${reply} (after ${offendingBytes} bytes of the command); the connection is closed after the reply`);
  }
}

/** One unfinished command holds more bytes than the limit; the connection is closed. */
export class QueryBufferLimitError extends RespError {
  declare readonly code: 'QUERY_BUFFER_LIMIT';
  constructor(
    readonly pendingBytes: number,
    readonly limitBytes: number,
  ) {
    super('QUERY_BUFFER_LIMIT', `client query buffer of ${pendingBytes} bytes exceeds the limit of ${limitBytes}; send smaller commands or raise maxQueryBufferBytes`);
  }
}

/**
 * A refused command. `errorCode` is the RESP error prefix ("ERR", "NOPROTO", "OOM", ...) and
 * `detail` the text after it; the reply is `-<errorCode> <detail>`.
 */
export class CommandError extends RespError {
  constructor(
    readonly errorCode: string,
    readonly detail: string,
    code: RespErrorCode = 'COMMAND',
  ) {
    super(code, `${errorCode} ${detail}`);
  }
}

/** A read-modify-write command lost the compare-and-set race on every attempt. */
export class ContentionError extends CommandError {
  constructor(
    readonly key: Buffer,
    readonly attempts: number,
  ) {
    super('ERR', `too much contention on the key: compare-and-set failed ${attempts} times as other clients kept changing it; retry the command`, 'CAS_CONTENTION');
  }
}

/** The server was used in a way it does not support (listen twice, address before listen, bad options). */
export class ServerMisuseError extends RespError {
  constructor(message: string) {
    super('SERVER_MISUSE', message);
  }
}
