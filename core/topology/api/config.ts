/**
 * Topology configuration with Storm's key names, so a Storm user finds the knobs they know.
 * A config is a plain object: the known keys below are typed and checked when a topology is
 * submitted; any other key is the user's own and is passed through to open/prepare untouched.
 * Component configuration (the declarer's addConfiguration, or a component's
 * getComponentConfiguration) overrides the topology's for that component only.
 */
import { InvalidConfigError } from './errors.js';
import {
  DEFAULT_MESSAGE_TIMEOUT_SECS,
  DEFAULT_RECEIVE_QUEUE_TUPLES,
  DEFAULT_SPOUT_WAIT_MS,
  DEFAULT_TRANSFER_BATCH_TUPLES,
  MAX_ACKER_EXECUTORS,
  MAX_MESSAGE_TIMEOUT_SECS,
  MAX_RECEIVE_QUEUE_TUPLES,
  MAX_SPOUT_PENDING,
  MAX_SPOUT_WAIT_MS,
  MAX_TICK_FREQUENCY_SECS,
  MAX_TRANSFER_BATCH_TUPLES,
} from './limits.js';

export interface KnownConfig {
  /** A tuple tree not fully acked this long after its spout emit fails and is replayed. */
  'topology.message.timeout.secs': number;
  /** Most tuple trees one spout task may have in flight; null: no limit besides backpressure. */
  'topology.max.spout.pending': number | null;
  /** Acker tasks; 0 turns reliability off (spouts are acked as soon as they emit). */
  'topology.acker.executors': number;
  /** Every task of the component gets a tick tuple this often; null: no ticks. */
  'topology.tick.tuple.freq.secs': number | null;
  /** Capacity of each task's input queue in tuples; beyond it spouts upstream are paused. */
  'topology.executor.receive.buffer.size': number;
  /** Most tuples moved to one receiving task in one batch. */
  'topology.transfer.batch.size': number;
  /** How long a spout that emitted nothing waits before nextTuple is called again. */
  'topology.sleep.spout.wait.strategy.time.ms': number;
  /** Logs every emitted tuple at debug level. */
  'topology.debug': boolean;
}

export type TopologyConfig = Partial<KnownConfig> & Readonly<Record<string, unknown>>;

export type ResolvedConfig = KnownConfig & Readonly<Record<string, unknown>>;

export const DEFAULT_CONFIG: KnownConfig = Object.freeze({
  'topology.message.timeout.secs': DEFAULT_MESSAGE_TIMEOUT_SECS,
  'topology.max.spout.pending': null,
  'topology.acker.executors': 1,
  'topology.tick.tuple.freq.secs': null,
  'topology.executor.receive.buffer.size': DEFAULT_RECEIVE_QUEUE_TUPLES,
  'topology.transfer.batch.size': DEFAULT_TRANSFER_BATCH_TUPLES,
  'topology.sleep.spout.wait.strategy.time.ms': DEFAULT_SPOUT_WAIT_MS,
  'topology.debug': false,
});

function checkNumber(key: string, value: unknown, min: number, max: number, integer: boolean): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
  if (!ok) throw new InvalidConfigError(key, value, `${integer ? 'an integer' : 'a number'} in ${min}..${max}`);
}

/** Layers `layers` (later wins) over the defaults and checks every known key. */
export function resolveConfig(...layers: (TopologyConfig | undefined)[]): ResolvedConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (typeof layer !== 'object' || layer === null) throw new InvalidConfigError('(config)', layer, 'a plain object of settings');
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  checkNumber('topology.message.timeout.secs', merged['topology.message.timeout.secs'], 0.001, MAX_MESSAGE_TIMEOUT_SECS, false);
  const pending = merged['topology.max.spout.pending'];
  if (pending !== null) checkNumber('topology.max.spout.pending', pending, 1, MAX_SPOUT_PENDING, true);
  checkNumber('topology.acker.executors', merged['topology.acker.executors'], 0, MAX_ACKER_EXECUTORS, true);
  const tick = merged['topology.tick.tuple.freq.secs'];
  if (tick !== null) checkNumber('topology.tick.tuple.freq.secs', tick, 0.001, MAX_TICK_FREQUENCY_SECS, false);
  checkNumber('topology.executor.receive.buffer.size', merged['topology.executor.receive.buffer.size'], 1, MAX_RECEIVE_QUEUE_TUPLES, true);
  checkNumber('topology.transfer.batch.size', merged['topology.transfer.batch.size'], 1, MAX_TRANSFER_BATCH_TUPLES, true);
  checkNumber('topology.sleep.spout.wait.strategy.time.ms', merged['topology.sleep.spout.wait.strategy.time.ms'], 0, MAX_SPOUT_WAIT_MS, false);
  if (typeof merged['topology.debug'] !== 'boolean') throw new InvalidConfigError('topology.debug', merged['topology.debug'], 'true or false');
  return Object.freeze(merged) as ResolvedConfig;
}
