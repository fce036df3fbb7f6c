/**
 * The RESP server: Redis's wire protocol and command semantics over a Keyspace, on node:net.
 * ioredis, redis-cli and redis-benchmark work against it unchanged.
 *
 * Guarantees: every connection is independent (a bad or slow client costs only itself); replies
 * come back in command order; memory per connection is bounded (see ClientConnection); at most
 * `maxClients` clients are served, further ones get Redis's "-ERR max number of clients reached";
 * close() stops accepting, lets connections finish the commands they sent, and destroys whatever
 * is left after `shutdownGraceMs`.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { silentLogger } from '../../core/telemetry/logger.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import { ClientConnection, type ConnectionServices, type ConnectionSettings } from './client-connection.js';
import { createCommandTable } from './commands/index.js';
import type { ClientState, ServerStats, ServerView } from './commands/types.js';
import { ServerMisuseError } from './errors.js';
import {
  CLIENT_QUERY_BUFFER_LIMIT,
  DEFAULT_MAX_CLIENTS,
  DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION,
  DEFAULT_MAX_OUTPUT_BUFFER_BYTES,
  DEFAULT_SHUTDOWN_GRACE_MS,
  PROTO_MAX_BULK_LEN,
} from './limits.js';

export interface RespServerOptions {
  /** The data the commands run on. */
  keyspace: Keyspace;
  /** Interface to bind (default '127.0.0.1'). */
  host?: string;
  /** Port to listen on (default 0: a free port, read it from listen()'s result). */
  port?: number;
  /** Default: silentLogger(). */
  logger?: Logger;
  /** Clock for relative expiries and TTLs (default Date.now); must be the one the keyspace expires by. */
  nowMs?: () => number;
  /** Most clients at once (default DEFAULT_MAX_CLIENTS = 10000, Redis's maxclients). */
  maxClients?: number;
  /** Commands of one connection executing at once (default DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 256). */
  maxInFlightPerConnection?: number;
  /** Bytes one unfinished command may hold (default CLIENT_QUERY_BUFFER_LIMIT = 1 GB, Redis's client-query-buffer-limit). */
  maxQueryBufferBytes?: number;
  /** Largest bulk string accepted (default PROTO_MAX_BULK_LEN = 512 MB, Redis's proto-max-bulk-len). */
  maxBulkBytes?: number;
  /** Reply bytes queued for one client before it is dropped (default DEFAULT_MAX_OUTPUT_BUFFER_BYTES = 1 GB). */
  maxOutputBufferBytes?: number;
  /** Close clients idle this long; 0 never does (default 0, Redis's `timeout 0`). */
  idleTimeoutMs?: number;
  /** How long close() waits for connections to finish (default DEFAULT_SHUTDOWN_GRACE_MS = 5 s). */
  shutdownGraceMs?: number;
}

const MAX_CLIENTS_REACHED = '-ERR max number of clients reached\r\n';

export class RespServer {
  private readonly server: net.Server;
  private readonly connections = new Set<ClientConnection>();
  private readonly sockets = new Set<Socket>();
  private readonly logger: Logger;
  private readonly settings: ConnectionSettings;
  private readonly services: ConnectionServices;
  private readonly stats: ServerStats = { connectionsReceived: 0, commandsProcessed: 0, rejectedConnections: 0 };
  private readonly maxClients: number;
  private nextClientId = 1;
  private listening = false;

  constructor(private readonly options: RespServerOptions) {
    this.logger = options.logger ?? silentLogger();
    this.maxClients = positive('maxClients', options.maxClients ?? DEFAULT_MAX_CLIENTS);
    this.settings = {
      maxInFlight: positive('maxInFlightPerConnection', options.maxInFlightPerConnection ?? DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION),
      maxOutputBufferBytes: positive('maxOutputBufferBytes', options.maxOutputBufferBytes ?? DEFAULT_MAX_OUTPUT_BUFFER_BYTES),
      idleTimeoutMs: options.idleTimeoutMs ?? 0,
      parserLimits: {
        maxBulkBytes: positive('maxBulkBytes', options.maxBulkBytes ?? PROTO_MAX_BULK_LEN),
        maxQueryBufferBytes: positive('maxQueryBufferBytes', options.maxQueryBufferBytes ?? CLIENT_QUERY_BUFFER_LIMIT),
      },
    };
    this.services = {
      table: createCommandTable(),
      keyspace: options.keyspace,
      nowMs: options.nowMs ?? Date.now,
      server: this.view(),
      logger: this.logger,
      commandProcessed: () => void (this.stats.commandsProcessed += 1),
    };
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound address (the port, when 0 was asked). */
  async listen(): Promise<AddressInfo> {
    if (this.listening) throw new ServerMisuseError('RespServer.listen() was called twice; create another server to listen on another port');
    this.listening = true;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.address();
    this.logger.info({ host: address.address, port: address.port }, 'RESP server listening');
    return address;
  }

  address(): AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new ServerMisuseError('RespServer.address() was called before listen() resolved');
    return address;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, lets connections answer what they received, destroys stragglers after the grace period. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.shutdown();
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, this.options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(timer);
  }

  private accept(socket: Socket): void {
    this.stats.connectionsReceived += 1;
    socket.on('error', () => undefined);
    if (this.connections.size >= this.maxClients) {
      this.stats.rejectedConnections += 1;
      socket.end(MAX_CLIENTS_REACHED, () => socket.destroy());
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const connection = new ClientConnection(socket, this.nextClientId++, this.services, this.settings);
    this.connections.add(connection);
    connection.onClose(() => this.connections.delete(connection));
  }

  private view(): ServerView {
    const port = () => (this.listening ? this.address().port : 0);
    return {
      startedAtMs: Date.now(),
      get port() {
        return port();
      },
      maxClients: this.maxClients,
      stats: this.stats,
      config: this.configView(),
      clients: (): ClientState[] => [...this.connections].map((connection) => connection.client),
    };
  }

  /** What CONFIG GET reports (redis-benchmark asks for save and appendonly). */
  private configView(): Record<string, string> {
    return {
      save: '',
      appendonly: 'no',
      databases: '1',
      maxclients: String(this.maxClients),
      timeout: String(Math.floor(this.settings.idleTimeoutMs / 1000)),
      'proto-max-bulk-len': String(this.settings.parserLimits.maxBulkBytes),
      'client-query-buffer-limit': String(this.settings.parserLimits.maxQueryBufferBytes),
    };
  }
}

function positive(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new ServerMisuseError(`RespServer option ${name} = ${value}: expected a positive integer`);
  return value;
}
