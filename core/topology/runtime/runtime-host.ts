/**
 * What every executor of a running topology shares: the clock, the id source, where the acker
 * tasks are, how to hand batches to other tasks, and where errors go. Implemented by
 * RunningTopology; executors only see this interface.
 */
import type { Logger } from '../../telemetry/logger.js';
import type { UserCodeError } from '../api/errors.js';
import type { RuntimeTuple } from '../api/tuple.js';
import type { AckerMessage, SpoutEvent } from './messages.js';
import type { Transfer } from './transfer.js';

export interface RuntimeHost {
  readonly topologyName: string;
  readonly logger: Logger;
  /** Monotonic milliseconds. */
  nowMs(): number;
  /** A fresh random tuple id (see TUPLE_ID_BITS). */
  nextTupleId(): number;
  /** Acker task ids; empty when reliability is off. */
  readonly ackerTaskIds: readonly number[];
  deliverTuples(taskId: number, batch: RuntimeTuple[]): void;
  deliverAckerMessages(ackerTaskId: number, batch: AckerMessage[]): void;
  deliverSpoutEvents(spoutTaskId: number, batch: SpoutEvent[]): void;
  /** Flush `transfer` at the scheduler's next pass (it was written outside its task's turn). */
  requestFlush(transfer: Transfer): void;
  /** Some input queue of the topology is at capacity: spouts hold back. */
  readonly backpressure: boolean;
  /** A queue crossed its capacity upwards (+1) or back below it (-1). */
  queueFullChanged(delta: 1 | -1): void;
  reportError(error: UserCodeError): void;
  /** Ask the scheduler to run `executor`'s turn soon (new input, or an async call settled). */
  markReady(executor: Executor): void;
}

export interface Executor {
  readonly taskId: number;
  readonly componentId: string;
  /** Runs one turn; returns whether it did any work. */
  runTurn(): boolean;
  /** True when runTurn has work to do right now. */
  readonly hasWork: boolean;
  /** Set by the scheduler while queued in its ready list. */
  scheduled: boolean;
}
