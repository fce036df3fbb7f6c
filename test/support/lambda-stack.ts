/**
 * The processes under a Lambda view for end-to-end tests: a one-server `barista coord`, a `barista
 * broker` with the view's source topic already created, and one `barista serve` node (N=R=W=1)
 * taking writes — each awaited until ready, all in one temporary directory that stop() removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { BARISTA_BIN } from './barista.js';
import { startCoordEnsemble, type CoordEnsemble } from './coord.js';
import { startBroker } from './log-brokers.js';
import { freePort, waitForPort } from './ports.js';
import { startProcess, type ManagedProcess } from './processes.js';
import { until } from './until.js';

const SERVING_WRITABLE_TIMEOUT_MS = 20_000;
/** VIEW.TOP's largest count: every key of a test's view. */
const VIEW_TOP_MAX = 10_000;
const SERVING_WRITABLE_POLL_MS = 200;

export interface LambdaStackOptions {
  /** Names the temporary directory and the kafkajs client. */
  readonly name: string;
  readonly topic: string;
  readonly partitions: number;
  /** Coord's tick; its session timeouts range from 2 to 20 ticks. */
  readonly coordTickTimeMs?: number;
}

export interface LambdaStack {
  readonly directory: string;
  readonly ensemble: CoordEnsemble;
  /** The running broker and serving node (replaced by a restart). */
  readonly broker: ManagedProcess;
  readonly serving: ManagedProcess;
  /** host:port */
  readonly brokerAddress: string;
  readonly brokerPort: number;
  /** host:port of the serving node's RESP port. */
  readonly servingAddress: string;
  /** Connected to the serving node. */
  readonly redis: Redis;
  readonly kafka: Kafka;
  /** The log end offset of each of the topic's partitions (kafkajs admin). */
  endOffsets(): Promise<number[]>;
  /** Every key of a view with its merged value (VIEW.TOP over all keys the server lists). */
  viewValues(view: string): Promise<Map<string, number>>;
  /** kill -9 of the broker / the serving node, then a restart at the same port and data directory. */
  killBroker(): Promise<void>;
  restartBroker(): Promise<void>;
  killServing(): Promise<void>;
  restartServing(): Promise<void>;
  /** Stops serving, broker and coord (in that order) and removes the directory. */
  stop(): Promise<void>;
}

async function startServingProcess(directory: string, coord: string, port: number): Promise<ManagedProcess> {
  return startProcess({
    name: 'serve',
    command: process.execPath,
    args: [BARISTA_BIN, '--log-level', 'warn', 'serve', '--id', 'n1', '--port', String(port), '--peer-port', '0', '--data-dir', join(directory, 'serve'), '--coord', coord, '-n', '1', '-r', '1', '-w', '1'],
    ready: () => waitForPort(port, 100).then(() => true, () => false),
  });
}

/** Listening comes before the node has joined the ring and can take a write. */
async function untilServingWritable(redis: Redis): Promise<void> {
  await until('the serving node to take writes', async () => (await redis.set('probe', 'x').catch(() => 'no')) === 'OK', SERVING_WRITABLE_TIMEOUT_MS, SERVING_WRITABLE_POLL_MS);
}

export async function startLambdaStack(options: LambdaStackOptions): Promise<LambdaStack> {
  const directory = mkdtempSync(join(tmpdir(), `barista-${options.name}-`));
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const part of [...started].reverse()) await part.stop();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    const ensemble = await startCoordEnsemble({ servers: 1, ...(options.coordTickTimeMs === undefined ? {} : { tickTimeMs: options.coordTickTimeMs }) });
    started.push(ensemble);
    const brokerOptions = { name: 'broker', dataDir: join(directory, 'broker'), coord: ensemble.connectString };
    const broker = await startBroker(brokerOptions);
    let brokerProcess = broker.process;
    started.push({ stop: () => brokerProcess.stop() });
    const servingPort = await freePort();
    let serving = await startServingProcess(directory, ensemble.connectString, servingPort);
    const redis = new Redis({ port: servingPort, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    started.push({ stop: () => serving.stop() }, { stop: async () => redis.disconnect() });
    await untilServingWritable(redis);

    const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: `${options.name}-test`, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: options.topic, numPartitions: options.partitions }], waitForLeaders: true });
    await admin.disconnect();
    return {
      directory,
      ensemble,
      get broker() {
        return brokerProcess;
      },
      get serving() {
        return serving;
      },
      endOffsets: async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          const offsets = await admin.fetchTopicOffsets(options.topic);
          return Array.from({ length: options.partitions }, (_, partition) => Number(offsets.find((entry) => entry.partition === partition)?.high ?? 0));
        } finally {
          await admin.disconnect();
        }
      },
      viewValues: async (view) => {
        const flat = (await redis.call('VIEW.TOP', view, String(VIEW_TOP_MAX))) as Array<string | number>;
        const values = new Map<string, number>();
        for (let index = 0; index < flat.length; index += 2) values.set(String(flat[index]), Number(flat[index + 1]));
        return values;
      },
      killBroker: () => brokerProcess.kill9(),
      // Waits out the killed broker's coord registration, as a real restart would.
      restartBroker: async () => {
        brokerProcess = (await startBroker({ ...brokerOptions, port: broker.port })).process;
      },
      killServing: () => serving.kill9(),
      restartServing: async () => {
        serving = await startServingProcess(directory, ensemble.connectString, servingPort);
        await untilServingWritable(redis);
      },
      brokerAddress: broker.bootstrap,
      brokerPort: broker.port,
      servingAddress: `127.0.0.1:${servingPort}`,
      redis,
      kafka,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
