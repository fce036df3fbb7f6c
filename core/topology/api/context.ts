/**
 * What a task learns about itself and the topology when it opens or prepares (Storm's
 * TopologyContext): its id and index among its component's tasks, the task ids of every
 * component, declared output fields, and a logger named after it.
 */
import type { Logger } from '../../telemetry/logger.js';
import type { ResolvedConfig } from './config.js';

export interface TopologyContext {
  readonly topologyName: string;
  readonly componentId: string;
  readonly taskId: number;
  /** Position of this task among its component's tasks: 0..parallelism-1. */
  readonly taskIndex: number;
  /** Task ids of this task's component, ascending. */
  readonly componentTaskIds: readonly number[];
  /** The effective configuration of this component (topology config + component overrides). */
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  /** Task ids of any component; empty for an unknown id. */
  taskIdsOf(componentId: string): readonly number[];
  /** Declared fields of `streamId` of this component; throws for an undeclared stream. */
  outputFields(streamId?: string): readonly string[];
}
