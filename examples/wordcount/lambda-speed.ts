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
import { parseArgs } from 'node:util';
import { createLogger } from '../../core/telemetry/logger.js';
import { RespKeyspace } from '../../serving/client/index.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { endpointOption, nextStopSignal, requiredOption, runIfMain, runTopologyUntilStopped } from './topology-process.js';
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
    bootstrap: endpointOption('bootstrap', values.bootstrap),
    serving: endpointOption('serving', values.serving),
    topic: requiredOption('topic', values.topic),
    view: requiredOption('view', values.view),
    offsetsPath: resolve(requiredOption('offsets', values.offsets)),
    logLevel: values['log-level'],
  };
}

/** Runs the view's speed topology until SIGTERM or SIGINT, then stops it cleanly. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const options = parseSpeedOptions(argv);
  const logger = createLogger({ name: 'wordcount-speed', level: options.logLevel });
  const stop = nextStopSignal();
  const view = wordCountView(options.view, options.topic);
  const keyspace = await RespKeyspace.connect(options.serving);
  try {
    await view.create({ keyspace });
    const offsetStore = new FileOffsetStore(options.offsetsPath);
    const topology = view.speedTopology({ keyspace, bootstrap: options.bootstrap, offsetStore });
    await runTopologyUntilStopped({ name: view.name, config: {}, topology, logger, readyLine: SPEED_READY_LINE, details: { view: view.name, topic: options.topic, offsets: options.offsetsPath }, stop });
  } finally {
    await keyspace.close();
  }
  logger.info('stopped');
}

runIfMain(import.meta.url, 'lambda-speed', main);
