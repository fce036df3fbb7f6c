/**
 * The word-count Lambda view (view.ts) as a topology module for a cluster (`barista submit`): the
 * view's speed layer — LogSpout → ViewDeltasBolt → ServingSinkBolt — writing into a `barista
 * serve` node over RESP, with the spout's offsets in coord so that a worker restarted elsewhere
 * resumes where the last one committed (only fully acked offsets are committed).
 *
 * Arguments (`--arg key=value`):
 *   bootstrap    host:port of a broker leading the topic's partitions (required)
 *   serving      host:port of a serving node (required)
 *   coord        coord connect string for the spout's offsets (required)
 *   topic        the lines (default 'raven'); view: the view's name (default 'words')
 *   parallelism  tasks of the map and sink bolts (default 3)
 *   timeoutSecs  topology.message.timeout.secs (default 5: a tree lost with a worker replays soon)
 *   maxSpoutPending  events in flight (default the speed layer's)
 *   offsetsRoot  znode under which offsets are kept (default /barista/spouts/offsets/<view>)
 */
import { TopologyBuilder } from '../../core/topology/builder/topology-builder.js';
import type { BuiltTopology, TopologyArguments } from '../../core/topology/distributed/topology-module.js';
import { InvalidConfigError } from '../../core/topology/api/errors.js';
import { DEFAULT_OFFSETS_ROOT } from '../../spouts/coord-offset-store.js';
import { CoordOffsetStoreOnFirstUse, RespKeyspaceOnFirstUse } from './connect-on-first-use.js';
import { wordCountView } from './view.js';

export const DEFAULT_CLUSTER_PARALLELISM = 3;
export const DEFAULT_CLUSTER_TIMEOUT_SECS = 5;
/** Acker tasks: one per worker of a three-worker run, so losing one worker loses a third of the trees' bookkeeping, not all. */
const ACKER_TASKS = 3;

function required(args: TopologyArguments, name: string): string {
  const value = args[name];
  if (value === undefined || value === '') throw new InvalidConfigError(`--arg ${name}`, value, `a value (${name}=...)`);
  return value;
}

function endpoint(args: TopologyArguments, name: string): { host: string; port: number } {
  const value = required(args, name);
  const colon = value.lastIndexOf(':');
  const port = Number(value.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) throw new InvalidConfigError(`--arg ${name}`, value, 'host:port');
  return { host: value.slice(0, colon), port };
}

function positiveInteger(args: TopologyArguments, name: string, fallback: number): number {
  const value = args[name];
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidConfigError(`--arg ${name}`, value, 'a positive integer');
  return parsed;
}

export default function clusterViewTopology(args: TopologyArguments): BuiltTopology {
  const bootstrap = endpoint(args, 'bootstrap');
  const serving = endpoint(args, 'serving');
  const coord = required(args, 'coord');
  const view = wordCountView(args.view ?? 'words', args.topic ?? 'raven');
  const keyspace = new RespKeyspaceOnFirstUse(serving, (connected) => view.create({ keyspace: connected }));
  const offsetStore = new CoordOffsetStoreOnFirstUse(coord, args.offsetsRoot ?? `${DEFAULT_OFFSETS_ROOT}/${view.name}`);
  const parallelism = positiveInteger(args, 'parallelism', DEFAULT_CLUSTER_PARALLELISM);
  const maxSpoutPending = args.maxSpoutPending === undefined ? {} : { maxSpoutPending: positiveInteger(args, 'maxSpoutPending', 1) };

  const builder = new TopologyBuilder();
  view.addTo(builder, { keyspace, bootstrap, offsetStore, parallelism, ...maxSpoutPending });
  const config = { 'topology.message.timeout.secs': positiveInteger(args, 'timeoutSecs', DEFAULT_CLUSTER_TIMEOUT_SECS), 'topology.acker.executors': ACKER_TASKS };
  return { topology: builder.createTopology(), config };
}
