/**
 * The plan of `barista up`: which child processes a cluster of N nodes on this machine is made of,
 * their ports, data directories, log files and `barista` arguments, and the order they stop in.
 * Pure — nothing here opens a socket or a file — so the layout is unit-tested and documented by
 * the same function the launcher runs.
 *
 * Ports. Without --base-port every service takes its familiar port plus 10000, counting up per
 * node: coord 12181.., coord Raft 12888.., brokers 19092.., serving 16380.. (peers 16390..),
 * supervisor slots 16700... The familiar ports themselves are left to `barista dev` and to
 * services started one by one, so `up` runs beside them. With --base-port B, everything lives in
 * the 100 ports from B: coord B+0.., coord Raft B+10.., brokers B+20.., serving B+30.. (peers
 * B+40..), supervisor slots B+50...
 */
import { join, resolve } from 'node:path';

export const MIN_NODES = 1;
export const MAX_NODES = 7;
/** Worker slots per supervisor: with --base-port, 7 supervisors' slots must fit in B+50..B+99. */
export const MAX_SLOTS_PER_NODE = 7;
export const MAX_NIMBUSES = 3;
/** Replicas (Kafka's replication factor, the serving layer's N) never exceed this, whatever N nodes. */
export const MAX_REPLICAS = 3;
export const DEFAULT_UP_DATA_DIR = '.barista/up';
export const DEFAULT_SLOTS_PER_NODE = 2;
export const UP_HOST = '127.0.0.1';
/** Name, in the cluster's data dir, of the peer secret file every coord and serving child is given. */
export const PEER_SECRET_FILE = 'peer-secret';
const BASE_PORT_SPAN = 100;
const LAST_PORT = 65_535;

export type ServiceKind = 'coord' | 'broker' | 'serve' | 'nimbus' | 'supervisor';

/** Stop order: whoever depends on a service stops before it; coord, which everyone uses, goes last. */
export const STOP_ORDER: readonly (readonly ServiceKind[])[] = [['supervisor', 'nimbus'], ['serve'], ['broker'], ['coord']];

export interface UpOptions {
  nodes: number;
  basePort?: number;
  dataDir: string;
  slots: number;
  nimbuses: number;
  logLevel: string;
}

export interface PlannedPort {
  readonly port: number;
  /** What listens there, for error messages: "broker 2", "coord 1 (Raft)". */
  readonly role: string;
}

export interface PlannedService {
  readonly kind: ServiceKind;
  /** 1-based within its kind. */
  readonly index: number;
  /** Unique label: "coord-1", "broker-2", "serve-3", "nimbus-1", "supervisor-1"; names the data dir and log. */
  readonly name: string;
  /** What clients dial: host:port; "slots:6700-6701" for supervisors; "-" for nimbus. */
  readonly address: string;
  readonly ports: readonly PlannedPort[];
  readonly dataDir: string;
  readonly logFile: string;
  /** Arguments after the barista script path. */
  readonly args: readonly string[];
}

export interface ClusterPlan {
  readonly nodes: number;
  readonly dataDir: string;
  readonly coordConnect: string;
  readonly bootstrap: string;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly serving: { readonly n: number; readonly r: number; readonly w: number };
  /** Coord servers first (everyone else needs them), then the rest. */
  readonly services: readonly PlannedService[];
  /** The cluster secret coord servers and serving nodes prove to each other (written by up, mode 0600). */
  readonly peerSecretFile: string;
}

export class InvalidUpOptionError extends Error {
  readonly code = 'INVALID_UP_OPTION';
  constructor(
    readonly option: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${option} ${String(value)}: ${reason}`);
    this.name = 'InvalidUpOptionError';
  }
}

interface PortLayout {
  coord: number;
  coordRaft: number;
  broker: number;
  serve: number;
  servePeer: number;
  slots: number;
}

/** The familiar ports (ZooKeeper 2181/2888, Kafka 9092, serving 6380, Storm's slots 6700) plus 10000. */
const DEFAULT_PORTS: PortLayout = { coord: 12_181, coordRaft: 12_888, broker: 19_092, serve: 16_380, servePeer: 16_390, slots: 16_700 };
/** For --help: where the default ports start. */
export const DEFAULT_PORTS_SUMMARY = `coord ${DEFAULT_PORTS.coord}.., brokers ${DEFAULT_PORTS.broker}.., serving ${DEFAULT_PORTS.serve}.., slots ${DEFAULT_PORTS.slots}..`;

function portLayout(basePort: number | undefined): PortLayout {
  if (basePort === undefined) return DEFAULT_PORTS;
  return { coord: basePort, coordRaft: basePort + 10, broker: basePort + 20, serve: basePort + 30, servePeer: basePort + 40, slots: basePort + 50 };
}

function validate(options: UpOptions): void {
  const integerIn = (option: string, value: number, low: number, high: number) => {
    if (!Number.isInteger(value) || value < low || value > high) throw new InvalidUpOptionError(option, value, `expected an integer from ${low} to ${high}`);
  };
  integerIn('--nodes', options.nodes, MIN_NODES, MAX_NODES);
  integerIn('--slots', options.slots, 1, MAX_SLOTS_PER_NODE);
  integerIn('--nimbuses', options.nimbuses, 1, MAX_NIMBUSES);
  if (options.basePort !== undefined) integerIn('--base-port', options.basePort, 1_024, LAST_PORT - BASE_PORT_SPAN + 1);
}

/** Serving quorums for n replicas: W a majority, R the least that still meets every write (R + W > N). */
export function servingQuorums(nodes: number): { n: number; r: number; w: number } {
  const n = Math.min(MAX_REPLICAS, nodes);
  const w = Math.floor(n / 2) + 1;
  return { n, r: n - w + 1, w };
}

/** One replica may be down and acks=all writes still succeed — except with a single replica. */
export function minInsyncReplicasFor(replicationFactor: number): number {
  return Math.max(1, replicationFactor - 1);
}

export function planCluster(options: UpOptions): ClusterPlan {
  validate(options);
  const ports = portLayout(options.basePort);
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  const nodeIndexes = Array.from({ length: options.nodes }, (_, i) => i + 1);
  const address = (port: number) => `${UP_HOST}:${port}`;
  const coordConnect = nodeIndexes.map((i) => address(ports.coord + i - 1)).join(',');
  const replicationFactor = Math.min(MAX_REPLICAS, options.nodes);
  const minInsyncReplicas = minInsyncReplicasFor(replicationFactor);
  const serving = servingQuorums(options.nodes);
  const globalArgs = ['--log-level', options.logLevel, '--exit-with-parent'];
  const peerSecretFile = join(dataDir, PEER_SECRET_FILE);
  const service = (kind: ServiceKind, index: number, address: string, servicePorts: PlannedPort[], args: (dataDir: string) => string[]): PlannedService => {
    const name = `${kind}-${index}`;
    const serviceDataDir = join(dataDir, name);
    return { kind, index, name, address, ports: servicePorts, dataDir: serviceDataDir, logFile: join(logDir, `${name}.log`), args: [...globalArgs, kind, ...args(serviceDataDir)] };
  };

  const raftPeers = nodeIndexes.map((i) => `${i}=${address(ports.coordRaft + i - 1)}`).join(',');
  const coords = nodeIndexes.map((i) => {
    const port = ports.coord + i - 1;
    const servicePorts = [{ port, role: `coord ${i}` }, ...(options.nodes > 1 ? [{ port: ports.coordRaft + i - 1, role: `coord ${i} (Raft)` }] : [])];
    return service('coord', i, address(port), servicePorts, (dir) => ['--id', String(i), '--port', String(port), '--host', UP_HOST, '--data-dir', dir, '--peer-secret-file', peerSecretFile, ...(options.nodes > 1 ? ['--peers', raftPeers] : [])]);
  });
  const brokers = nodeIndexes.map((i) => {
    const port = ports.broker + i - 1;
    return service('broker', i, address(port), [{ port, role: `broker ${i}` }], (dir) => [
      ...['--id', String(i), '--port', String(port), '--host', UP_HOST, '--data-dir', dir, '--coord', coordConnect],
      ...['--replication-factor', String(replicationFactor), '--min-insync-replicas', String(minInsyncReplicas)],
    ]);
  });
  const servingNodes = nodeIndexes.map((i) => {
    const port = ports.serve + i - 1;
    const peerPort = ports.servePeer + i - 1;
    return service('serve', i, address(port), [{ port, role: `serving node ${i}` }, { port: peerPort, role: `serving node ${i} (peer)` }], (dir) => [
      ...['--id', `serve-${i}`, '--port', String(port), '--peer-port', String(peerPort), '--host', UP_HOST, '--data-dir', dir, '--coord', coordConnect],
      ...['--replicas', String(serving.n), '--read-quorum', String(serving.r), '--write-quorum', String(serving.w), '--peer-secret-file', peerSecretFile],
    ]);
  });
  const nimbuses = Array.from({ length: options.nimbuses }, (_, k) => service('nimbus', k + 1, '-', [], (dir) => ['--coord', coordConnect, '--data-dir', dir]));
  const supervisors = nodeIndexes.map((i) => {
    const slotPorts = Array.from({ length: options.slots }, (_, s) => ports.slots + (i - 1) * options.slots + s);
    const slotList = slotPorts.join(',');
    const slotRange = slotPorts.length === 1 ? `${slotPorts[0]}` : `${slotPorts[0]}-${slotPorts[slotPorts.length - 1]}`;
    return service('supervisor', i, `slots:${slotRange}`, slotPorts.map((port) => ({ port, role: `supervisor ${i} (worker slot)` })), (dir) => ['--coord', coordConnect, '--id', `supervisor-${i}`, '--host', UP_HOST, '--slot-ports', slotList, '--data-dir', dir]);
  });

  const services = [...coords, ...brokers, ...servingNodes, ...nimbuses, ...supervisors];
  const bootstrap = brokers.map((broker) => broker.address).join(',');
  return { nodes: options.nodes, dataDir, coordConnect, bootstrap, replicationFactor, minInsyncReplicas, serving, services, peerSecretFile };
}

/** Every port the plan binds, each once (a clash inside the plan is a bug, caught in tests). */
export function plannedPorts(plan: ClusterPlan): PlannedPort[] {
  return plan.services.flatMap((service) => service.ports);
}

/** Services grouped in the order they stop. */
export function stopGroups(plan: ClusterPlan): PlannedService[][] {
  return STOP_ORDER.map((kinds) => plan.services.filter((service) => kinds.includes(service.kind)));
}
