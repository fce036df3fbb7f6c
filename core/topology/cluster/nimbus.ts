/**
 * Nimbus: the topology master. Candidates elect one leader through coord; only the leader acts.
 * Each reconcile pass (on any watched change, and every RECONCILE_INTERVAL_MS) reads the whole
 * cluster state from coord and moves every topology one step towards what its record asks:
 *
 * - submitted: load the uploaded module with its args; a module that fails to import or build is
 *   rejected (status 'rejected', error kept for `barista submit` and `barista list`); otherwise
 *   assign it and mark it active (or inactive).
 * - active / inactive: keep the assignment while its worker count is right and every worker's slot
 *   is offered by a live supervisor; otherwise place the workers again (keeping the ones that can
 *   stay) and write a new assignment version. A worker reported as failing to start is moved off
 *   its slot. Activation changes are written without a new version (no restart).
 * - killed: remove the assignment (supervisors stop the workers), then the topology's nodes.
 *
 * Nimbus keeps nothing of its own: a restarted nimbus reads the same coord state and carries on;
 * running workers are untouched (a pass that finds everything in place writes nothing).
 */
import { join } from 'node:path';
import { CoordClient } from '../../coord/client/coord-client.js';
import { LeaderElection } from '../../coord/recipes/leader-election.js';
import { silentLogger, type Logger } from '../../telemetry/logger.js';
import { ackerTaskIdsOf } from '../distributed/worker.js';
import { loadTopologyModule, type BuiltTopology } from '../distributed/topology-module.js';
import { deleteTree, liveSupervisors, readAssignment, readFailures, readModule, readTopology, runningWorkerIds, topologyNames, updateTopology, writeAssignment } from './cluster-store.js';
import { NotEnoughSlotsError } from './errors.js';
import { assignmentPath, failurePath, failuresPath, NIMBUS_ELECTION_PATH, SUPERVISORS_PATH, topologyPath, TOPOLOGIES_PATH, type ClusterAssignment, type TopologyRecord } from './layout.js';
import { DEFAULT_NIMBUS_SESSION_TIMEOUT_MS, KILL_WORKERS_WAIT_MS, RECONCILE_INTERVAL_MS } from './limits.js';
import { materializeModule } from './module-source.js';
import { ReconcileLoop } from './reconcile-loop.js';
import { assignmentHolds, buildClusterAssignment, placeWorkers, slotKey, slotsInUse, type LiveSupervisor } from './scheduling.js';

export interface NimbusOptions {
  /** Coord connect string. */
  readonly coord: string;
  /** Where uploaded modules are written to be loaded. */
  readonly dataDir: string;
  /** Stored in the election node (who leads). Default: this pid. */
  readonly id?: string;
  readonly sessionTimeoutMs?: number;
  readonly reconcileIntervalMs?: number;
  readonly logger?: Logger;
  readonly nowMs?: () => number;
}

export class Nimbus {
  private readonly logger: Logger;
  private readonly loop: ReconcileLoop;
  private readonly built = new Map<string, BuiltTopology>();
  private election: LeaderElection | undefined;
  private unsupported = new Set<string>();

  private constructor(
    private readonly client: CoordClient,
    private readonly options: NimbusOptions,
  ) {
    this.logger = options.logger ?? silentLogger();
    this.loop = new ReconcileLoop(() => this.pass(), (error) => this.logger.error({ err: error }, 'reconcile pass failed; retrying on the next change'), options.reconcileIntervalMs ?? RECONCILE_INTERVAL_MS);
  }

  static async start(options: NimbusOptions): Promise<Nimbus> {
    const client = await CoordClient.connect(options.coord, { sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_NIMBUS_SESSION_TIMEOUT_MS });
    for (const path of [NIMBUS_ELECTION_PATH, SUPERVISORS_PATH, TOPOLOGIES_PATH]) await client.mkdirp(path);
    const nimbus = new Nimbus(client, options);
    nimbus.election = new LeaderElection(client, NIMBUS_ELECTION_PATH, { candidateData: options.id ?? `nimbus-${process.pid}` });
    nimbus.election.leadership$.subscribe({
      next: (leading) => {
        nimbus.logger.info({ leading }, leading ? 'leading: reconciling topologies' : 'standing by');
        if (leading) void nimbus.loop.schedule();
      },
      error: (error: unknown) => nimbus.logger.error({ err: error }, 'leader election failed'),
    });
    await nimbus.election.start();
    await nimbus.loop.start();
    return nimbus;
  }

  get isLeader(): boolean {
    return this.election?.isLeader ?? false;
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.election?.resign().catch(() => undefined);
    await this.client.close();
  }

  private async pass(): Promise<void> {
    if (!this.isLeader) return;
    const watch = this.loop.trigger;
    const supervisors = await liveSupervisors(this.client, watch);
    const topologies: Array<{ record: TopologyRecord; assignment: ClusterAssignment | null }> = [];
    for (const name of await topologyNames(this.client, watch)) {
      try {
        const record = await readTopology(this.client, name, watch);
        if (record !== null) topologies.push({ record, assignment: await readAssignment(this.client, name) });
      } catch (error) {
        this.logger.warn({ err: error, topology: name }, 'unreadable topology record: skipped');
      }
    }
    const assignments = new Map(topologies.filter((entry) => entry.assignment !== null).map((entry) => [entry.record.name, entry.assignment!]));
    for (const { record, assignment } of topologies) {
      if (!this.isLeader) return;
      if (record.status === 'submitted') await this.validate(record);
      else if (record.status === 'killed') await this.remove(record, assignment);
      else if (record.status === 'active' || record.status === 'inactive') {
        const others = [...assignments].filter(([name]) => name !== record.name).map(([, other]) => other);
        const updated = await this.ensureAssigned(record, assignment, supervisors, others);
        if (updated !== undefined) assignments.set(record.name, updated);
      }
    }
  }

  /** The built topology of a record (modules are loaded once per content and args). */
  private async build(record: TopologyRecord): Promise<BuiltTopology> {
    const key = `${record.moduleSha256} ${JSON.stringify(record.args)}`;
    let built = this.built.get(key);
    if (built === undefined) {
      const path = materializeModule(join(this.options.dataDir, 'modules'), await readModule(this.client, record));
      built = await loadTopologyModule(path, record.args);
      this.built.set(key, built);
    }
    return built;
  }

  private async validate(record: TopologyRecord): Promise<void> {
    try {
      await this.build(record);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ topology: record.name, error: message }, 'submission rejected');
      await updateTopology(this.client, record.name, (current) => ({ ...current, status: 'rejected', error: message }));
      return;
    }
    const status = record.startActive === false ? 'inactive' : 'active';
    await updateTopology(this.client, record.name, (current) => ({ ...current, status }));
    this.logger.info({ topology: record.name, workers: record.workers }, 'topology accepted');
  }

  private async ensureAssigned(record: TopologyRecord, assignment: ClusterAssignment | null, supervisors: LiveSupervisor[], others: ClusterAssignment[]): Promise<ClusterAssignment | undefined> {
    const active = record.status === 'active';
    const failures = (await readFailures(this.client, record.name, this.loop.trigger)).filter(({ failure }) => assignment !== null && failure.version === assignment.version);
    if (assignment !== null && failures.length === 0 && assignmentHolds(assignment, record.workers, supervisors)) {
      if (assignment.active === active) return undefined;
      const toggled = { ...assignment, active };
      await writeAssignment(this.client, record.name, toggled);
      return toggled;
    }
    const avoid = new Set(failures.map(({ failure }) => slotKey(failure.supervisor, failure.port)));
    let placements;
    try {
      placements = placeWorkers({ count: record.workers, supervisors, inUse: slotsInUse(others), avoid, ...(assignment !== null ? { previous: assignment.placements } : {}) });
    } catch (error) {
      if (!(error instanceof NotEnoughSlotsError)) throw error;
      if (!this.unsupported.has(record.name)) this.logger.warn({ topology: record.name, err: error }, 'cannot place the workers yet: waiting for supervisors');
      this.unsupported.add(record.name);
      return undefined;
    }
    this.unsupported.delete(record.name);
    const built = await this.build(record);
    const updated = buildClusterAssignment(built.topology, ackerTaskIdsOf(built.config ?? {}), placements, { version: (assignment?.version ?? 0) + 1, active, nowMs: this.now() });
    await writeAssignment(this.client, record.name, updated);
    for (const { workerId } of failures) await deleteTree(this.client, failurePath(record.name, workerId));
    if (record.startedAtMs === undefined) await updateTopology(this.client, record.name, (current) => ({ ...current, startedAtMs: this.now() }));
    this.logger.info({ topology: record.name, version: updated.version, placements }, 'assignment written');
    return updated;
  }

  private async remove(record: TopologyRecord, assignment: ClusterAssignment | null): Promise<void> {
    if (assignment !== null) await deleteTree(this.client, assignmentPath(record.name));
    const running = await runningWorkerIds(this.client, record.name, this.loop.trigger);
    const waitedMs = this.now() - (record.killedAtMs ?? 0);
    if (running.length > 0 && waitedMs < KILL_WORKERS_WAIT_MS) return;
    await deleteTree(this.client, failuresPath(record.name));
    await deleteTree(this.client, topologyPath(record.name));
    this.logger.info({ topology: record.name, leftRunning: running }, 'topology removed');
  }

  private now(): number {
    return (this.options.nowMs ?? Date.now)();
  }
}
