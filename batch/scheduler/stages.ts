/**
 * Cuts a lineage into stages (Spark's DAGScheduler, the pure part): walking back from the final
 * RDD through narrow dependencies stays in one stage; each shuffle dependency starts a parent
 * shuffle-map stage (one per shuffle id, shared by every job that reaches it). A checkpointed RDD
 * is a leaf: its lineage is cut there.
 */
import type { ShuffleDependency } from '../rdd/dependency.js';
import type { RDD } from '../rdd/rdd.js';

export interface ShuffleMapStage {
  readonly kind: 'shuffleMap';
  readonly id: number;
  readonly rdd: RDD<unknown>;
  readonly dependency: ShuffleDependency;
  readonly numTasks: number;
  readonly parents: readonly ShuffleMapStage[];
}

export interface ResultStage {
  readonly kind: 'result';
  readonly id: number;
  readonly rdd: RDD<unknown>;
  readonly partitions: readonly number[];
  readonly parents: readonly ShuffleMapStage[];
}

export type Stage = ShuffleMapStage | ResultStage;

export interface StageGraph {
  readonly result: ResultStage;
  /** Every shuffle-map stage the result needs, parents before children. */
  readonly shuffleStages: readonly ShuffleMapStage[];
}

/** Builds stages; `known` keeps shuffle-map stages across jobs (their outputs may be reusable). */
export class StageBuilder {
  private nextStageId = 0;
  private readonly byShuffle = new Map<number, ShuffleMapStage>();

  constructor(private readonly isCheckpointed: (rddId: number) => boolean) {}

  build(rdd: RDD<unknown>, partitions: readonly number[]): StageGraph {
    const order: ShuffleMapStage[] = [];
    const parents = this.parentStages(rdd, order);
    const result: ResultStage = { kind: 'result', id: this.nextStageId++, rdd, partitions, parents };
    return { result, shuffleStages: order };
  }

  /** The shuffle dependencies reachable from `rdd` through narrow dependencies only. */
  shuffleDependenciesOf(rdd: RDD<unknown>): ShuffleDependency[] {
    const found: ShuffleDependency[] = [];
    const seen = new Set<number>();
    const visit = (current: RDD<unknown>): void => {
      if (seen.has(current.id)) return;
      seen.add(current.id);
      if (this.isCheckpointed(current.id)) return;
      for (const dependency of current.dependencies) {
        if (dependency.kind === 'shuffle') {
          if (!found.includes(dependency)) found.push(dependency);
        } else visit(dependency.rdd);
      }
    };
    visit(rdd);
    return found;
  }

  private parentStages(rdd: RDD<unknown>, order: ShuffleMapStage[]): ShuffleMapStage[] {
    return this.shuffleDependenciesOf(rdd).map((dependency) => this.shuffleStage(dependency, order));
  }

  private shuffleStage(dependency: ShuffleDependency, order: ShuffleMapStage[]): ShuffleMapStage {
    let stage = this.byShuffle.get(dependency.shuffleId);
    if (stage === undefined) {
      const parents = this.parentStages(dependency.rdd, order);
      stage = { kind: 'shuffleMap', id: this.nextStageId++, rdd: dependency.rdd, dependency, numTasks: dependency.rdd.numPartitions, parents };
      this.byShuffle.set(dependency.shuffleId, stage);
    } else {
      for (const parent of stage.parents) this.shuffleStage(parent.dependency, order);
    }
    if (!order.includes(stage)) order.push(stage);
    return stage;
  }
}
