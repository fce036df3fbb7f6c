/**
 * Support for the recipes' tests: one in-process coordination server (tickTime 100 ms, so a
 * session may be as short as 200 ms), the clients of a test (all closed by `close()`), a TCP
 * proxy whose cut leaves a client unable to reconnect (so its session really expires), and
 * client wrappers that count watch events or lose replies on purpose.
 */
import net from 'node:net';
import { CoordClient } from '../client/coord-client.js';
import type { WatchCallback, WatchedEvent } from '../client/client-watches.js';
import { ZooKeeperError } from '../client/errors.js';
import { LocalReplica } from '../replication/local-replica.js';
import { CoordServer } from '../server/coord-server.js';
import { ErrorCode } from '../zookeeper-constants.js';

const TICK_TIME_MS = 100;
const SESSION_CHECK_EVERY_MS = 20;
const DEFAULT_TEST_SESSION_TIMEOUT_MS = 2_000;

export class RecipeHarness {
  private readonly clients: CoordClient[] = [];
  private readonly proxies: net.Server[] = [];

  private constructor(
    private readonly replica: LocalReplica,
    private readonly server: CoordServer,
    readonly connectString: string,
  ) {}

  static async start(): Promise<RecipeHarness> {
    const replica = new LocalReplica(1, SESSION_CHECK_EVERY_MS);
    const server = new CoordServer(replica, { tickTimeMs: TICK_TIME_MS });
    const { port } = await server.listen();
    return new RecipeHarness(replica, server, `127.0.0.1:${port}`);
  }

  async connect(sessionTimeoutMs = DEFAULT_TEST_SESSION_TIMEOUT_MS): Promise<CoordClient> {
    return this.track(await CoordClient.connect(this.connectString, { sessionTimeoutMs }));
  }

  /** A client behind a proxy; `cut()` kills the proxy, so the client can neither talk nor reconnect. */
  async connectThroughProxy(sessionTimeoutMs: number): Promise<{ client: CoordClient; cut: () => Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((downstream) => {
      const upstream = net.connect(this.server.address().port, '127.0.0.1');
      for (const [socket, peer] of [[downstream, upstream], [upstream, downstream]] as const) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => peer.destroy());
        socket.pipe(peer);
      }
    });
    this.proxies.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as net.AddressInfo;
    const client = this.track(await CoordClient.connect(`127.0.0.1:${port}`, { sessionTimeoutMs }));
    const cut = async () => {
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    };
    return { client, cut };
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => client.close().catch(() => undefined)));
    for (const proxy of this.proxies.splice(0)) proxy.close();
    await this.server.close();
    await this.replica.close();
  }

  private track(client: CoordClient): CoordClient {
    this.clients.push(client);
    return client;
  }
}

/** A round trip on each client: any watch event the server sent before it has been delivered. */
export async function flushEvents(clients: CoordClient[]): Promise<void> {
  await Promise.all(clients.map((client) => client.exists('/')));
}

export interface CountingView {
  client: CoordClient;
  /** Every watch notification the server sent to this session. */
  events: WatchedEvent[];
  /** Resolves once `count` watches in all have been set through this view (and acknowledged). */
  untilWatchesSet(count: number): Promise<void>;
}

/** A view of `client` that counts the watches set through it, and the notifications its session gets. */
export function countingWatches(client: CoordClient): CountingView {
  const events: WatchedEvent[] = [];
  const watches = client.session.watches;
  const take = watches.take.bind(watches);
  watches.take = (event) => {
    events.push(event);
    return take(event);
  };
  let watchesSet = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const counted = <T>(reply: Promise<T>, watch: WatchCallback | undefined): Promise<T> =>
    reply.then((value) => {
      if (watch === undefined) return value;
      watchesSet += 1;
      for (const waiter of waiters.filter((w) => w.count <= watchesSet)) waiter.resolve();
      return value;
    });
  const view = Object.create(client) as CoordClient;
  view.exists = (path, watch) => counted(client.exists(path, watch), watch);
  view.getData = (path, watch) => counted(client.getData(path, watch), watch);
  view.getChildren = (path, watch) => counted(client.getChildren(path, watch), watch);
  const untilWatchesSet = (count: number) => (watchesSet >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })));
  return { client: view, events, untilWatchesSet };
}

/**
 * A view of `client` whose next `times` creates are applied by the server but answered with
 * CONNECTIONLOSS, as when a connection drops after the request left and before the reply came.
 */
export function losingCreateReplies(client: CoordClient, times = 1): CoordClient {
  let remaining = times;
  const view = Object.create(client) as CoordClient;
  view.create = async (path, data, options) => {
    const created = await client.create(path, data, options);
    if (remaining <= 0) return created;
    remaining -= 1;
    throw new ZooKeeperError(ErrorCode.CONNECTIONLOSS, 'create', path);
  };
  return view;
}

/** Whether `promise` has settled by now (after pending microtasks ran). */
export async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}
