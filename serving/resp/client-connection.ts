/**
 * One client connection: bytes in → parsed commands → ordered replies out.
 *
 * Guarantees:
 * - Replies leave in the order the commands arrived, whatever order their handlers finish in;
 *   commands execute as KeyOrder allows (per-key program order).
 * - Memory is bounded: the parser bounds an unfinished command; at most `maxInFlight` commands
 *   execute at once; the socket is paused while its send buffer is full (the peer is not reading)
 *   or commands wait, so a pipelining client is throttled rather than buffered; a client whose
 *   queued replies still exceed `maxOutputBufferBytes` is dropped (Redis's output buffer limit).
 * - Bad input costs only this connection: a protocol error is answered Redis-style after the
 *   replies to the commands before it, and the connection is then closed, as Redis does.
 * - QUIT, the peer's FIN and server shutdown all finish the commands already received, write
 *   their replies, then close.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { CommandTable } from './commands/table.js';
import type { ClientState, CommandContext, ServerView } from './commands/types.js';
import { ReplyEncoder } from './encoder.js';
import { QueryBufferLimitError } from './errors.js';
import { accessOf, execute } from './execute.js';
import { KeyOrder } from './key-order.js';
import { RespParser, type RespParserLimits } from './parser.js';
import { errorReply, type Protocol, type Reply } from './reply.js';

export interface ConnectionSettings {
  maxInFlight: number;
  maxOutputBufferBytes: number;
  idleTimeoutMs: number;
  parserLimits: RespParserLimits;
}

/** What the server lends each connection. */
export interface ConnectionServices {
  table: CommandTable;
  keyspace: Keyspace;
  nowMs: () => number;
  server: ServerView;
  logger: Logger;
  commandProcessed(): void;
}

/** A command's place in the reply order; `reply` is set when it is done. */
interface Slot {
  reply: Reply | undefined;
  protocol: Protocol;
}

type Received = { args: Buffer[] } | { protocolError: string };

/** Commands Redis treats as an HTTP request aimed at it (cross-protocol scripting): it logs and drops the client. */
const HTTP_COMMANDS = new Set(['post', 'host:']);

export class ClientConnection {
  readonly client: ClientState;
  private readonly parser: RespParser;
  private readonly order = new KeyOrder();
  private readonly slots: Slot[] = [];
  private readonly received: Received[] = [];
  private receivedHead = 0;
  private readonly encoder = new ReplyEncoder();
  private writeScheduled = false;
  private pumping = false;
  /** No further command will be dispatched (QUIT, protocol error, shutdown). */
  private dispatchStopped = false;
  /** Close once everything dispatched is answered and written. */
  private endWhenIdle = false;
  private closedReason: string | undefined;
  private readonly closeCallbacks: Array<(reason: string) => void> = [];

  constructor(
    private readonly socket: Socket,
    id: number,
    private readonly services: ConnectionServices,
    private readonly settings: ConnectionSettings,
  ) {
    const now = services.nowMs();
    this.client = {
      id,
      remoteAddress: `${socket.remoteAddress}:${socket.remotePort}`,
      localAddress: `${socket.localAddress}:${socket.localPort}`,
      connectedAtMs: now,
      lastCommandAtMs: now,
      name: undefined,
      protocol: 2,
      consistency: undefined,
      libraryName: undefined,
      libraryVersion: undefined,
    };
    this.parser = new RespParser(settings.parserLimits);
    socket.setNoDelay(true);
    if (settings.idleTimeoutMs > 0) socket.setTimeout(settings.idleTimeoutMs, () => this.close(`idle for ${settings.idleTimeoutMs} ms`));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.pump());
    socket.on('end', () => this.finish());
    socket.on('error', (error) => this.close(`socket error: ${error.message}`));
    socket.on('close', () => this.close('connection closed'));
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Runs `callback` once, when the connection closes, with the reason. */
  onClose(callback: (reason: string) => void): void {
    if (this.closedReason !== undefined) callback(this.closedReason);
    else this.closeCallbacks.push(callback);
  }

  /** Server shutdown: stop reading, answer the commands being executed, then close. */
  shutdown(): void {
    this.stopDispatching();
    this.pump();
  }

  /** The peer sent FIN: answer every command it sent, then close. */
  private finish(): void {
    this.endWhenIdle = true;
    this.pump();
  }

  /** Closes at once, dropping unsent replies. */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.slots.length = 0;
    this.received.length = 0;
    this.receivedHead = 0;
    this.services.logger.debug({ client: this.client.id, remote: this.client.remoteAddress, reason }, 'client connection closed');
    this.socket.destroy();
    for (const callback of this.closeCallbacks.splice(0)) callback(reason);
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.endWhenIdle) return;
    const { commands, error } = this.parser.push(chunk);
    if (error instanceof QueryBufferLimitError) {
      this.services.logger.warn({ client: this.client.id, remote: this.client.remoteAddress, err: error }, 'closing client that reached the query buffer limit');
      this.close(error.message);
      return;
    }
    for (const args of commands) this.received.push({ args });
    if (error) {
      this.services.logger.debug({ client: this.client.id, remote: this.client.remoteAddress, err: error }, 'protocol error');
      this.received.push({ protocolError: error.reply });
      this.socket.pause();
      this.endWhenIdle = true;
    }
    this.pump();
  }

  /** Dispatches received commands while there is room, then writes, pauses or ends as needed. */
  private pump(): void {
    // A synchronous command completes inside dispatch() and pumps again: the loop below already
    // does that work, so the nested call returns at once instead of recursing per command.
    if (this.pumping) return;
    this.pumping = true;
    while (this.receivedHead < this.received.length && this.slots.length < this.settings.maxInFlight && !this.outputBlocked() && !this.dispatchStopped && !this.closed) {
      this.dispatch(this.received[this.receivedHead++]!);
    }
    this.pumping = false;
    if (this.receivedHead === this.received.length || this.dispatchStopped) {
      this.received.length = 0;
      this.receivedHead = 0;
    }
    this.updateFlowControl();
    this.endIfIdle();
  }

  private dispatch(received: Received): void {
    if ('protocolError' in received) {
      this.stopDispatching();
      this.slots.push({ reply: errorReply(`ERR ${received.protocolError}`), protocol: this.client.protocol });
      this.flush();
      return;
    }
    const { args } = received;
    this.services.commandProcessed();
    this.client.lastCommandAtMs = this.services.nowMs();
    if (HTTP_COMMANDS.has(args[0]!.toString('latin1').toLowerCase())) {
      this.services.logger.warn({ client: this.client.id, remote: this.client.remoteAddress }, 'possible security attack: a POST or Host: command was sent to the RESP port; connection dropped');
      this.close('HTTP request on the RESP port');
      return;
    }
    const lookup = this.services.table.lookup(args);
    if ('refusal' in lookup) {
      this.slots.push({ reply: lookup.refusal, protocol: this.client.protocol });
      this.flush();
      return;
    }
    const slot: Slot = { reply: undefined, protocol: this.client.protocol };
    this.slots.push(slot);
    const context = this.context();
    let dispatching = true;
    this.order.run(accessOf(lookup.spec, args), () => {
      const result = execute(lookup.spec, args, context, this.services.logger);
      // HELLO switches protocol and answers in the new one. It runs at once (it touches no key);
      // a command that had to wait keeps the protocol of its dispatch.
      if (dispatching) slot.protocol = this.client.protocol;
      if (result instanceof Promise) return result.then((reply) => this.complete(slot, reply));
      this.complete(slot, result);
    });
    dispatching = false;
  }

  private context(): CommandContext {
    const { keyspace, nowMs, server } = this.services;
    return {
      keyspace,
      client: this.client,
      consistency: this.client.consistency,
      nowMs,
      server,
      closeAfterReply: () => this.stopDispatching(),
    };
  }

  private stopDispatching(): void {
    this.dispatchStopped = true;
    this.endWhenIdle = true;
    this.socket.pause();
  }

  private complete(slot: Slot, reply: Reply): void {
    if (this.closed) return;
    slot.reply = reply;
    this.flush();
  }

  /** Encodes every leading finished reply; they leave together at the end of this tick. */
  private flush(): void {
    while (this.slots.length > 0 && this.slots[0]!.reply !== undefined) {
      const slot = this.slots.shift()!;
      this.encoder.write(slot.reply!, slot.protocol);
    }
    if (this.encoder.length > 0 && !this.writeScheduled) {
      this.writeScheduled = true;
      process.nextTick(() => this.writeOut());
    }
    this.pump();
  }

  private writeOut(): void {
    this.writeScheduled = false;
    if (this.closed) return;
    const chunks = this.encoder.take();
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
    if (this.socket.writableLength > this.settings.maxOutputBufferBytes) {
      this.services.logger.warn({ client: this.client.id, remote: this.client.remoteAddress, queuedBytes: this.socket.writableLength }, 'client dropped for overcoming its output buffer limit');
      this.close(`output buffer of ${this.socket.writableLength} bytes exceeds the limit of ${this.settings.maxOutputBufferBytes}`);
      return;
    }
    this.pump();
  }

  /**
   * Whether replies wait to be sent: the socket's buffer is full (the peer is not reading) or a
   * socket's worth is encoded and not yet handed over. Commands are not dispatched meanwhile, so
   * the replies to a long pipeline are produced only as fast as the peer reads them.
   */
  private outputBlocked(): boolean {
    return this.socket.writableNeedDrain || this.encoder.length >= this.socket.writableHighWaterMark;
  }

  /** Reads only while the peer reads our replies and commands have room to execute. */
  private updateFlowControl(): void {
    if (this.closed || this.endWhenIdle) return;
    const busy = this.outputBlocked() || this.receivedHead < this.received.length || this.slots.length >= this.settings.maxInFlight;
    if (busy && !this.socket.isPaused()) this.socket.pause();
    else if (!busy && this.socket.isPaused()) this.socket.resume();
  }

  private endIfIdle(): void {
    const idle = this.slots.length === 0 && (this.dispatchStopped || this.receivedHead === this.received.length);
    if (!this.endWhenIdle || this.closed || !idle || this.writeScheduled || this.encoder.length > 0) return;
    this.closedReason = 'finished';
    this.socket.end(() => this.socket.destroy());
    for (const callback of this.closeCallbacks.splice(0)) callback(this.closedReason);
  }
}
