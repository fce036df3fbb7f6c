/**
 * A worker of a distributed topology: runs the tasks an assignment gives it, in a RunningTopology
 * limited to them, and exchanges batches with the other workers through a WorkerTransport. Tuples,
 * acker messages and acker verdicts for remote tasks leave through the transport; those that arrive
 * are queued to the local task like any local batch, so acking works across workers unchanged.
 */
import type { Logger } from '../../telemetry/logger.js';
import { silentLogger } from '../../telemetry/logger.js';
import type { TopologyConfig } from '../api/config.js';
import type { TopologyDefinition } from '../builder/topology-definition.js';
import { ACKER_TASK_ID_BASE } from '../runtime/limits.js';
import { RunningTopology } from '../runtime/running-topology.js';
import { checkAssignment, tasksOf, type Assignment } from './assignment.js';
import { TransferKind, type Transfer } from './wire.js';
import { WorkerTransport } from './worker-transport.js';

export interface WorkerOptions {
  readonly topologyName: string;
  readonly workerId: string;
  readonly topology: TopologyDefinition;
  readonly config: TopologyConfig;
  readonly assignment: Assignment;
  readonly logger?: Logger;
}

/** The acker task ids a config implies (the same in every worker). */
export function ackerTaskIdsOf(config: TopologyConfig): number[] {
  const count = (config['topology.acker.executors'] as number | undefined) ?? 1;
  return Array.from({ length: count }, (_, index) => ACKER_TASK_ID_BASE + index);
}

export class Worker {
  readonly running: RunningTopology;
  readonly transport: WorkerTransport;

  private constructor(running: RunningTopology, transport: WorkerTransport) {
    this.running = running;
    this.transport = transport;
  }

  /** Listens for peers, then opens and prepares the local tasks and activates local spouts. */
  static async start(options: WorkerOptions): Promise<Worker> {
    const logger = (options.logger ?? silentLogger()).child({ worker: options.workerId });
    checkAssignment(options.topology, ackerTaskIdsOf(options.config), options.assignment);
    // Peers may send before this worker's tasks exist: hold their batches until start resolves.
    const state: { running?: RunningTopology; started: boolean } = { started: false };
    const early: Transfer[] = [];
    const transport = new WorkerTransport({
      workerId: options.workerId,
      assignment: options.assignment,
      topology: options.topology,
      onTransfer: (transfer) => {
        if (state.running !== undefined && state.started) deliver(state.running, transfer);
        else early.push(transfer);
      },
      onBackpressure: (delta) => state.running?.queueFullChanged(delta),
      logger,
    });
    await transport.listen();
    const running = new RunningTopology(options.topologyName, options.topology, options.config, {
      logger,
      placement: { localTasks: tasksOf(options.assignment, options.workerId), remote: transport },
    });
    try {
      await running.start();
    } catch (error) {
      await transport.close();
      throw error;
    }
    state.running = running;
    state.started = true;
    for (const transfer of early.splice(0)) deliver(running, transfer);
    return new Worker(running, transport);
  }

  async stop(waitMs = 0): Promise<void> {
    await this.running.stop(waitMs);
    await this.transport.close();
  }
}

function deliver(running: RunningTopology, transfer: Transfer): void {
  switch (transfer.kind) {
    case TransferKind.Tuples:
      running.deliverTuples(transfer.taskId, transfer.items);
      return;
    case TransferKind.AckerMessages:
      running.deliverAckerMessages(transfer.taskId, transfer.items);
      return;
    case TransferKind.SpoutEvents:
      running.deliverSpoutEvents(transfer.taskId, transfer.items);
  }
}
