/**
 * Builds the TopologyContext each task receives in open/prepare.
 */
import type { Logger } from '../../telemetry/logger.js';
import type { ResolvedConfig } from '../api/config.js';
import type { TopologyContext } from '../api/context.js';
import { UndeclaredStreamError } from '../api/errors.js';
import { DEFAULT_STREAM_ID } from '../builder/limits.js';
import { findComponent, type ComponentDefinition, type TopologyDefinition } from '../builder/topology-definition.js';

export function createTaskContext(
  topologyName: string,
  topology: TopologyDefinition,
  component: ComponentDefinition,
  taskId: number,
  config: ResolvedConfig,
  logger: Logger,
): TopologyContext {
  return {
    topologyName,
    componentId: component.id,
    taskId,
    taskIndex: component.taskIds.indexOf(taskId),
    componentTaskIds: component.taskIds,
    config,
    logger: logger.child({ component: component.id, task: taskId }),
    taskIdsOf: (componentId) => findComponent(topology, componentId)?.taskIds ?? [],
    outputFields(streamId = DEFAULT_STREAM_ID) {
      const stream = component.streams.find((candidate) => candidate.streamId === streamId);
      if (stream === undefined) throw new UndeclaredStreamError(component.id, streamId);
      return stream.fields;
    },
  };
}
