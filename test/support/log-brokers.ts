/**
 * `barista broker` processes for tests: one broker on a loopback port, ready once it listens (and,
 * with a coord, once it has registered), and a replicated cluster of them around one coord whose
 * members a fault test kills with -9 and restarts at the same port and data directory.
 */
import { join } from 'node:path';
import { BARISTA_BIN } from './barista.js';
import { freePort, waitForPort } from './ports.js';
import { startProcess, type ManagedProcess } from './processes.js';
import { TcpProxy } from './tcp-proxy.js';
import { until } from './until.js';

/** Registering waits out the coord session of a killed predecessor with the same id. */
const BROKER_REGISTERED_TIMEOUT_MS = 45_000;
const BROKER_REGISTERED_POLL_MS = 100;
/** The line a broker logs (at info) once it is registered in coord. */
const BROKER_READY_PATTERN = /"msg":"broker ready"/;

export interface BrokerOptions {
  /** Shown in errors. */
  readonly name: string;
  readonly dataDir: string;
  /** Default: a free port. */
  readonly port?: number;
  /** With a coord address the broker joins that cluster and is awaited until it has registered. */
  readonly coord?: string;
  readonly id?: number;
  /** Any further `barista broker` flags; topics are never auto-created. */
  readonly extraArgs?: readonly string[];
}

export interface RunningBroker {
  readonly process: ManagedProcess;
  readonly port: number;
  /** host:port */
  readonly bootstrap: string;
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const port = options.port ?? (await freePort());
  const clustered = options.coord === undefined ? [] : ['--coord', options.coord, ...(options.id === undefined ? [] : ['--id', String(options.id)])];
  // Registration is only logged at info.
  const logLevel = options.coord === undefined ? 'warn' : 'info';
  const broker = await startProcess({
    name: options.name,
    command: process.execPath,
    args: [BARISTA_BIN, '--log-level', logLevel, 'broker', '--port', String(port), '--data-dir', options.dataDir, ...clustered, '--no-auto-create', ...(options.extraArgs ?? [])],
    ready: () => waitForPort(port, 100).then(() => true, () => false),
  });
  // Listening comes before registering (which waits out a killed predecessor's session).
  if (options.coord !== undefined) {
    await until(`${options.name} registered`, () => {
      if (!broker.running) throw new Error(`${options.name} exited:\n${broker.output()}`);
      return BROKER_READY_PATTERN.test(broker.output());
    }, BROKER_REGISTERED_TIMEOUT_MS, BROKER_REGISTERED_POLL_MS);
  }
  return { process: broker, port, bootstrap: `127.0.0.1:${port}` };
}

export interface BrokerClusterOptions {
  readonly ids: readonly number[];
  /** Each broker keeps its log in `broker-<id>` below this directory. */
  readonly workDir: string;
  readonly coord: string;
  readonly sessionTimeoutMs: number;
  readonly minInsyncReplicas: number;
  readonly replicaLagTimeMaxMs: number;
  /**
   * Puts two proxies in front of each broker: one on its Kafka port (advertised, so clients and
   * the other brokers' replica fetchers dial it) and one on its way to coord, so that a test can
   * cut a broker off from everyone, or slow what reaches it.
   */
  readonly proxied?: boolean;
}

/** A broker's links when the cluster is proxied: everything into it, and its coord session. */
interface BrokerLinks {
  readonly inbound: TcpProxy;
  readonly toCoord: readonly TcpProxy[];
}

/** Brokers by id, each with a fixed port, so that a restarted broker comes back where it was. */
export class BrokerCluster {
  readonly processes = new Map<number, ManagedProcess>();

  private constructor(
    private readonly options: BrokerClusterOptions,
    readonly ports: ReadonlyMap<number, number>,
    private readonly links: ReadonlyMap<number, BrokerLinks>,
  ) {}

  /** Starts every broker in turn, each awaited until it has registered. */
  static async start(options: BrokerClusterOptions): Promise<BrokerCluster> {
    const ports = new Map<number, number>();
    const links = new Map<number, BrokerLinks>();
    for (const id of options.ids) {
      const port = await freePort();
      ports.set(id, port);
      if (options.proxied === true) {
        const coordPorts = options.coord.split(',').map((address) => Number(address.slice(address.lastIndexOf(':') + 1)));
        links.set(id, { inbound: await TcpProxy.start(port), toCoord: await Promise.all(coordPorts.map((coordPort) => TcpProxy.start(coordPort))) });
      }
    }
    const cluster = new BrokerCluster(options, ports, links);
    try {
      for (const id of options.ids) await cluster.startBroker(id);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** host:port of every broker, up or not (through its proxy when proxied). */
  get bootstrap(): string[] {
    return this.options.ids.map((id) => `127.0.0.1:${this.links.get(id)?.inbound.port ?? this.port(id)}`);
  }

  port(id: number): number {
    const port = this.ports.get(id);
    if (port === undefined) throw new Error(`no broker ${id} in this cluster (ids ${this.options.ids.join(', ')})`);
    return port;
  }

  dataDir(id: number): string {
    return join(this.options.workDir, `broker-${id}`);
  }

  /** (Re)starts broker `id` at its port and data directory. */
  async startBroker(id: number): Promise<void> {
    const links = this.links.get(id);
    const { process: broker } = await startBroker({
      name: `barista broker ${id}`,
      dataDir: this.dataDir(id),
      port: this.port(id),
      coord: links === undefined ? this.options.coord : links.toCoord.map((proxy) => `127.0.0.1:${proxy.port}`).join(','),
      id,
      extraArgs: [
        '--coord-session-timeout', String(this.options.sessionTimeoutMs),
        '--min-insync-replicas', String(this.options.minInsyncReplicas),
        '--replica-lag-time-max', String(this.options.replicaLagTimeMaxMs),
        ...(links === undefined ? [] : ['--advertised-listener', `127.0.0.1:${links.inbound.port}`]),
      ],
    });
    this.processes.set(id, broker);
  }

  /** The crash: SIGKILL, no chance to flush. */
  async kill9(id: number): Promise<void> {
    await this.processes.get(id)?.kill9();
    this.processes.delete(id);
  }

  /** Cuts broker `id` off from clients, the other brokers and coord (its own calls out to other brokers still go through). */
  isolate(id: number): void {
    const links = this.linksOf(id);
    links.inbound.cut();
    links.toCoord.forEach((proxy) => proxy.cut());
  }

  /** Heals every cut link. */
  heal(): void {
    for (const links of this.links.values()) [links.inbound, ...links.toCoord].forEach((proxy) => proxy.heal());
  }

  /** Latency on everything that reaches broker `id` (0 removes it). */
  delay(id: number, delayMs: number): void {
    this.linksOf(id).inbound.setDelay(delayMs);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((broker) => broker.stop()));
    await Promise.all([...this.links.values()].flatMap((links) => [links.inbound, ...links.toCoord].map((proxy) => proxy.close())));
  }

  private linksOf(id: number): BrokerLinks {
    const links = this.links.get(id);
    if (links === undefined) throw new Error(`broker ${id} has no proxies: start the cluster with proxied: true`);
    return links;
  }
}
