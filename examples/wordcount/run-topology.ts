#!/usr/bin/env node
/**
 * The word-count topology as a process: reads lines from a log topic, writes per-word deltas
 * keyed by their source to another (see topology.ts and word-deltas.ts), and keeps the spout's
 * committed offsets in a file. It runs in a LocalCluster until SIGTERM or SIGINT, then stops
 * cleanly (topology-process.ts): the spout stops emitting, the trees in flight get
 * `SHUTDOWN_WAIT_SECS` to finish, the sink sends what it holds and the spout commits what is acked. Killed with SIGKILL it commits
 * nothing more; started again with the same offsets file it resumes from the last commit, so the
 * lines after it are processed again (their deltas are duplicates a reader drops by key).
 *
 *   node dist/examples/wordcount/run-topology.js --bootstrap 127.0.0.1:9092 --topic raven \
 *     --out-topic raven-word-deltas --offsets .barista/wordcount-offsets.json
 *
 * Prints "wordcount topology running" on stdout once every component is ready; logs go to stderr.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TopologyConfig } from '../../core/topology/api/config.js';
import { createLogger } from '../../core/telemetry/logger.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { buildWordCountTopology } from './topology.js';
import { endpointOption, nextStopSignal, positiveIntegerOption, requiredOption, runIfMain, runTopologyUntilStopped } from './topology-process.js';

export const TOPOLOGY_NAME = 'wordcount';
export const READY_LINE = 'wordcount topology running';

export interface RunOptions {
  readonly bootstrap: { host: string; port: number };
  readonly topic: string;
  readonly outTopic: string;
  readonly offsetsPath: string;
  /** topology.max.spout.pending (default: no limit besides backpressure). */
  readonly maxSpoutPending?: number;
  readonly emitsPerCall?: number;
  readonly lingerMs?: number;
  readonly commitIntervalMs?: number;
  readonly logLevel: string;
}

export function parseRunOptions(argv: readonly string[]): RunOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      'out-topic': { type: 'string' },
      offsets: { type: 'string' },
      'max-spout-pending': { type: 'string' },
      'emits-per-call': { type: 'string' },
      'linger-ms': { type: 'string' },
      'commit-interval-ms': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  const optional = (key: keyof RunOptions, value: number | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    bootstrap: endpointOption('bootstrap', values.bootstrap),
    topic: requiredOption('topic', values.topic),
    outTopic: requiredOption('out-topic', values['out-topic']),
    offsetsPath: resolve(requiredOption('offsets', values.offsets)),
    ...optional('maxSpoutPending', positiveIntegerOption('max-spout-pending', values['max-spout-pending'])),
    ...optional('emitsPerCall', positiveIntegerOption('emits-per-call', values['emits-per-call'])),
    ...optional('lingerMs', positiveIntegerOption('linger-ms', values['linger-ms'])),
    ...optional('commitIntervalMs', positiveIntegerOption('commit-interval-ms', values['commit-interval-ms'])),
    logLevel: values['log-level'],
  };
}

/** Runs the topology until SIGTERM or SIGINT, then stops it cleanly. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const options = parseRunOptions(argv);
  const logger = createLogger({ name: TOPOLOGY_NAME, level: options.logLevel });
  const stop = nextStopSignal();
  const topology = buildWordCountTopology({
    bootstrap: options.bootstrap,
    topic: options.topic,
    offsetStore: new FileOffsetStore(options.offsetsPath),
    sink: { kind: 'log', brokers: [`${options.bootstrap.host}:${options.bootstrap.port}`], topic: options.outTopic, ...(options.lingerMs !== undefined ? { lingerMs: options.lingerMs } : {}) },
    ...(options.commitIntervalMs !== undefined ? { commitIntervalMs: options.commitIntervalMs } : {}),
    ...(options.emitsPerCall !== undefined ? { emitsPerCall: options.emitsPerCall } : {}),
  });
  const config: TopologyConfig = { 'topology.max.spout.pending': options.maxSpoutPending ?? null };
  await runTopologyUntilStopped({ name: TOPOLOGY_NAME, config, topology, logger, readyLine: READY_LINE, details: { topic: options.topic, outTopic: options.outTopic, offsets: options.offsetsPath }, stop });
  logger.info('stopped');
}

runIfMain(import.meta.url, 'run-topology', main);
