/**
 * RespKeyspace: the Keyspace contract over RESP, so that a process other than the serving node (a
 * topology worker, a batch job) can run the views (serving/views) on a running `barista serve`
 * node, or on a plain Redis.
 *
 * On connect it asks the server `COMMAND INFO barista.cas`: a Barista node knows the command and
 * gets every operation executed by its own keyspace (BaristaServerKeyspace: compareAndSet is the
 * node's Paxos round); Redis answers nil and gets WATCH/MULTI/EXEC (PlainRedisKeyspace). The
 * option `server` skips the question.
 *
 * Expiry is judged by the server's clock, as everything else: the client never compares times.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { CompareAndSetResult, Consistency, Entry, Keyspace, ScanPage } from '../keyspace/keyspace.js';
import { BaristaServerKeyspace } from './barista-server.js';
import { ClientClosedError, ContractViolationError, ServerUnreachableError } from './errors.js';
import { COMMAND_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, RECONNECT_BACKOFF_MAX_MS, RECONNECT_BACKOFF_STEP_MS } from './limits.js';
import { PlainRedisKeyspace } from './plain-redis-server.js';

export type ServerKind = 'barista' | 'redis';

export interface RespKeyspaceOptions {
  /** An ioredis URL (redis://[user:password@]host:port[/db]); overrides host, port. */
  url?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 6379. */
  port?: number;
  /** Quorum for every operation that does not pass its own (fields merge, the operation's win).
   * A Barista node applies it with BARISTA.CONSISTENCY; a plain Redis has no replicas and ignores it. */
  consistency?: Consistency;
  /** Default DEFAULT_CONNECT_TIMEOUT_MS. */
  connectTimeoutMs?: number;
  /** Which server this is; detected on connect when absent. */
  server?: ServerKind;
}

type RemoteKeyspace = Keyspace & { close?: () => Promise<void> };

function address(options: RespKeyspaceOptions): string {
  return options.url ?? `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
}

async function openConnection(options: RespKeyspaceOptions): Promise<Redis> {
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const settings: RedisOptions = {
    lazyConnect: true,
    connectTimeout,
    maxRetriesPerRequest: 1,
    // While disconnected, commands fail at once instead of queueing for a connection that may not come.
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // After the first connection: reconnect for as long as it takes (a node restart), failing commands meanwhile.
    retryStrategy: (times) => Math.min(times * RECONNECT_BACKOFF_STEP_MS, RECONNECT_BACKOFF_MAX_MS),
  };
  const client = options.url === undefined ? new Redis({ ...settings, host: options.host ?? '127.0.0.1', port: options.port ?? 6379 }) : new Redis(options.url, settings);
  client.on('error', () => undefined); // surfaced by the commands that fail
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new ServerUnreachableError(address(options), error);
  }
  return client;
}

async function detectServer(client: Redis): Promise<ServerKind> {
  const reply = await client.call('COMMAND', 'INFO', 'barista.cas');
  if (!Array.isArray(reply) || reply.length !== 1) throw new ContractViolationError('COMMAND INFO barista.cas', reply, 'one entry per command asked about');
  return reply[0] === null ? 'redis' : 'barista';
}

export class RespKeyspace implements Keyspace {
  private closed = false;

  private constructor(
    private readonly client: Redis,
    private readonly remote: RemoteKeyspace,
    /** Which kind of server answered. */
    readonly server: ServerKind,
  ) {}

  /** Connects and detects the server; ServerUnreachableError when nothing answers. */
  static async connect(options: RespKeyspaceOptions = {}): Promise<RespKeyspace> {
    const client = await openConnection(options);
    try {
      const server = options.server ?? (await detectServer(client));
      const remote = server === 'barista' ? new BaristaServerKeyspace(client, options.consistency) : new PlainRedisKeyspace(client, () => openConnection(options), client.options.db ?? 0);
      return new RespKeyspace(client, remote, server);
    } catch (error) {
      client.disconnect();
      throw error;
    }
  }

  async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    return this.open().get(key, consistency);
  }

  async getAll(key: Buffer, consistency?: Consistency): Promise<Entry[]> {
    return this.open().getAll(key, consistency);
  }

  async set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void> {
    return this.open().set(key, entry, consistency);
  }

  async delete(key: Buffer, consistency?: Consistency): Promise<void> {
    return this.open().delete(key, consistency);
  }

  async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    return this.open().compareAndSet(key, expected, next, consistency);
  }

  async scan(cursor: string, count: number): Promise<ScanPage> {
    return this.open().scan(cursor, count);
  }

  async size(): Promise<number> {
    return this.open().size();
  }

  /** Closes every connection; later calls throw ClientClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.remote.close?.();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private open(): RemoteKeyspace {
    if (this.closed) throw new ClientClosedError();
    return this.remote;
  }
}
