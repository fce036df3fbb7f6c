/**
 * Direct grouping: the emitter names the receiving task (Storm's emitDirect). The grouping only
 * checks that the task subscribes to the stream; a plain emit on a directly grouped stream is an
 * error, because there is no sensible default receiver.
 */
import { DirectTaskRequiredError, NotATargetTaskError } from './errors.js';
import { checkedTargetTasks, type Grouping, type GroupingTarget } from './grouping.js';

export interface DirectGrouping extends Grouping {
  readonly direct: true;
  /** `[taskId]` if the task is a target; throws NotATargetTaskError otherwise. */
  chooseDirectTask(taskId: number): number[];
}

export function direct(target: GroupingTarget): DirectGrouping {
  const tasks = new Set(checkedTargetTasks(target));
  return {
    direct: true,
    chooseTasks: () => {
      throw new DirectTaskRequiredError(target);
    },
    chooseDirectTask: (taskId) => {
      if (!tasks.has(taskId)) throw new NotATargetTaskError(target, taskId, [...tasks]);
      return [taskId];
    },
  };
}
