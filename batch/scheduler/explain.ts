/**
 * explain(): the lineage as Spark's toDebugString prints it — partition counts, operations, ids;
 * narrow parents under `|`, shuffle parents under `+-` one level deeper — followed by the stages
 * the scheduler would cut it into.
 */
import type { RDD } from '../rdd/rdd.js';
import { StageBuilder, type Stage } from './stages.js';

function describeRdd(rdd: RDD<unknown>, checkpointed: (rddId: number) => boolean): string {
  const detail = rdd.plan.detail === undefined ? '' : ` ${rdd.plan.detail}`;
  const storage = rdd.storageLevel === undefined ? '' : ` [${rdd.storageLevel}]`;
  const checkpoint = checkpointed(rdd.id) ? ' [checkpointed: lineage cut]' : '';
  return `(${rdd.numPartitions}) ${rdd.plan.name} [${rdd.id}]${detail}${storage}${checkpoint}`;
}

function lineage(rdd: RDD<unknown>, indent: string, lines: string[], checkpointed: (rddId: number) => boolean): void {
  if (checkpointed(rdd.id)) return;
  for (const dependency of rdd.dependencies) {
    if (dependency.kind === 'narrow') {
      lines.push(`${indent}|  ${describeRdd(dependency.rdd, checkpointed)}`);
      lineage(dependency.rdd, indent, lines, checkpointed);
    } else {
      lines.push(`${indent}+-${describeRdd(dependency.rdd, checkpointed)}  <- shuffle ${dependency.shuffleId} (${dependency.partitioner.describe()}${dependency.mapSideCombine ? ', map-side combine' : ''})`);
      lineage(dependency.rdd, `${indent}   `, lines, checkpointed);
    }
  }
}

function describeStage(stage: Stage): string {
  const parents = stage.parents.length === 0 ? '' : `, after stage${stage.parents.length > 1 ? 's' : ''} ${stage.parents.map((parent) => parent.id).join(', ')}`;
  if (stage.kind === 'result') return `stage ${stage.id}: result stage, ${stage.partitions.length} task(s) computing ${stage.rdd.plan.name} [${stage.rdd.id}]${parents}`;
  return `stage ${stage.id}: shuffle map stage, ${stage.numTasks} task(s) writing shuffle ${stage.dependency.shuffleId} from ${stage.rdd.plan.name} [${stage.rdd.id}]${parents}`;
}

export function explainLineage(rdd: RDD<unknown>, checkpointed: (rddId: number) => boolean): string {
  const lines = [describeRdd(rdd, checkpointed)];
  lineage(rdd, ' ', lines, checkpointed);
  const graph = new StageBuilder(checkpointed).build(rdd, Array.from({ length: rdd.numPartitions }, (_, partition) => partition));
  lines.push('', ...graph.shuffleStages.map(describeStage), describeStage(graph.result));
  return lines.join('\n');
}
