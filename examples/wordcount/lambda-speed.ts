#!/usr/bin/env node
/**
 * The word-count Lambda view's speed layer (view.ts) as a process of its own: LogSpout →
 * ViewDeltasBolt → ServingSinkBolt in a LocalCluster, writing into a `barista serve` node over
 * RESP, with the spout's committed offsets in a file. It runs until SIGTERM or SIGINT, then stops
 * cleanly (the trees in flight get SHUTDOWN_WAIT_SECS, the spout commits what is acked).
 *
 * Killed with SIGKILL it commits nothing more; started again with the same offsets file it resumes
 * from the last commit. The events after that commit are processed again: their deltas reach the
 * view a second time and are dropped there as duplicates (idempotent per key, partition, offset).
 *
 *   node dist/examples/wordcount/lambda-speed.js --bootstrap 127.0.0.1:9092 --topic raven \
 *     --serving 127.0.0.1:6380 --offsets .barista/words-offsets.json --view words
 *
 * Prints "wordcount speed layer running" on stdout once the topology runs; logs go to stderr.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalCluster } from '../../core/topology/runtime/local-cluster.js';
import { createLogger } from '../../core/telemetry/logger.js';
import { RespKeyspace } from '../../serving/client/index.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { SHUTDOWN_WAIT_SECS, UsageError } from './run-topology.js';
import { wordCountView } from './view.js';

export const SPEED_READY_LINE = 'wordcount speed layer running';

export interface SpeedOptions {
  readonly bootstrap: { host: string; port: number };
  readonly serving: { host: string; port: number };
  readonly topic: string;
  readonly view: string;
  readonly offsetsPath: string;
  readonly logLevel: string;
}

function required(option: string, value: string | undefined): string {
  if (value === undefined || value.length === 0) throw new UsageError(option, value, 'a value');
  return value;
}

function endpoint(option: string, value: string | undefined): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(required(option, value));
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65_535) throw new UsageError(option, value, 'host:port');
  return { host: match[1]!, port };
}

export function parseSpeedOptions(argv: readonly string[]): SpeedOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      bootstrap: { type: 'string' },
      serving: { type: 'string' },
      topic: { type: 'string', default: 'raven' },
      view: { type: 'string', default: 'words' },
      offsets: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  return {
    bootstrap: endpoint('bootstrap', values.bootstrap),
    serving: endpoint('serving', values.serving),
    topic: required('topic', values.topic),
    view: required('view', values.view),
    offsetsPath: resolve(required('offsets', values.offsets)),
    logLevel: values['log-level'],
  };
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolveSignal(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** Runs the view's speed topology until SIGTERM or SIGINT, then stops it cleanly. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const options = parseSpeedOptions(argv);
  const logger = createLogger({ name: 'wordcount-speed', level: options.logLevel });
  const signal = nextSignal();
  const view = wordCountView(options.view, options.topic);
  const keyspace = await RespKeyspace.connect(options.serving);
  try {
    await view.create({ keyspace });
    const offsetStore = new FileOffsetStore(options.offsetsPath);
    const cluster = new LocalCluster({ logger });
    cluster.errors$.subscribe(({ error }) => logger.warn({ component: error.componentId, task: error.taskId, err: error }, 'user code error'));
    await cluster.submitTopology(view.name, {}, view.speedTopology({ keyspace, bootstrap: options.bootstrap, offsetStore }));
    logger.info({ view: view.name, topic: options.topic, offsets: options.offsetsPath }, 'speed layer running');
    process.stdout.write(`${SPEED_READY_LINE}\n`);
    const received = await signal;
    logger.info({ signal: received }, 'stopping: finishing the trees in flight, committing offsets');
    await cluster.killTopology(view.name, { waitSecs: SHUTDOWN_WAIT_SECS });
    await cluster.shutdown();
  } finally {
    await keyspace.close();
  }
  logger.info('stopped');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`lambda-speed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
