/**
 * A supervisor: offers worker slots (ports) on one host, registered as an ephemeral node for as
 * long as its coord session lives, and runs the workers nimbus assigns to those slots. Each
 * reconcile pass (on any assignment change, and every RECONCILE_INTERVAL_MS) reads every
 * topology's assignment and applies the plan worker-plan.ts computes: stop workers no longer
 * assigned here, restart those whose assignment version changed (peers or tasks moved), start new
 * ones (module and assignment written to local files first), toggle spouts on activation changes.
 *
 * Each running worker is registered under /barista/topologies/<name>/workers/<id> (ephemeral,
 * with its pid) once ready; a worker that keeps failing to start is reported under failures/ so
 * nimbus moves it. A worker that exits unexpectedly is restarted on the same slot.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoordClient } from '../../coord/client/coord-client.js';
import { createOwnedEphemeral } from '../../coord/recipes/ephemeral-nodes.js';
import { MemberExistsError } from '../../coord/recipes/errors.js';
import { deleteIfPresent, isErrorCode } from '../../coord/recipes/waits.js';
import { CreateMode, ErrorCode } from '../../coord/zookeeper-constants.js';
import { silentLogger, type Logger } from '../../telemetry/logger.js';
import { readAssignment, readModule, readTopology, topologyNames } from './cluster-store.js';
import { InvalidClusterOptionError } from './errors.js';
import { encodeRecord, failurePath, supervisorPath, SUPERVISORS_PATH, TOPOLOGIES_PATH, workerPath, type ClusterAssignment, type SupervisorRecord, type WorkerFailureRecord, type WorkerRecord } from './layout.js';
import { DEFAULT_SUPERVISOR_SESSION_TIMEOUT_MS, MAX_SLOTS_PER_SUPERVISOR, RECONCILE_INTERVAL_MS, REGISTRATION_WAIT_MS } from './limits.js';
import { materializeModule } from './module-source.js';
import { ReconcileLoop } from './reconcile-loop.js';
import { SupervisedWorker } from './supervised-worker.js';
import { desiredWorkers, planWorkers, type DesiredWorker } from './worker-plan.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-process.js', import.meta.url));
const REGISTRATION_RETRY_MS = 500;

export interface SupervisorOptions {
  readonly coord: string;
  /** Unique in the cluster; stable across restarts of the same supervisor. */
  readonly id: string;
  /** Host workers listen on and peers dial. */
  readonly host: string;
  readonly slotPorts: readonly number[];
  /** Local modules and assignment files. */
  readonly dataDir: string;
  readonly sessionTimeoutMs?: number;
  readonly reconcileIntervalMs?: number;
  readonly logger?: Logger;
}

export class Supervisor {
  private readonly logger: Logger;
  private readonly loop: ReconcileLoop;
  private readonly workers = new Map<string, SupervisedWorker>();

  private constructor(
    private readonly client: CoordClient,
    private readonly options: SupervisorOptions,
  ) {
    this.logger = (options.logger ?? silentLogger()).child({ supervisor: options.id });
    this.loop = new ReconcileLoop(() => this.pass(), (error) => this.logger.error({ err: error }, 'reconcile pass failed; retrying on the next change'), options.reconcileIntervalMs ?? RECONCILE_INTERVAL_MS);
  }

  static async start(options: SupervisorOptions): Promise<Supervisor> {
    if (options.slotPorts.length === 0 || options.slotPorts.length > MAX_SLOTS_PER_SUPERVISOR) throw new InvalidClusterOptionError('--slots', `must be 1..${MAX_SLOTS_PER_SUPERVISOR}, got ${options.slotPorts.length}`);
    const client = await CoordClient.connect(options.coord, { sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_SUPERVISOR_SESSION_TIMEOUT_MS });
    await client.mkdirp(SUPERVISORS_PATH);
    await client.mkdirp(TOPOLOGIES_PATH);
    const supervisor = new Supervisor(client, options);
    await supervisor.register();
    await supervisor.loop.start();
    return supervisor;
  }

  /** Workers running (or restarting) here, by `<topology>/<worker id>`. */
  get workerKeys(): string[] {
    return [...this.workers.keys()];
  }

  /** Stops every worker and leaves the cluster. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
    await this.client.close();
  }

  /** Registers, waiting out the node of an earlier session under the same id (a quick restart). */
  private async register(): Promise<void> {
    const record: SupervisorRecord = { host: this.options.host, slots: [...this.options.slotPorts], pid: process.pid };
    const deadline = monotonicNowMs() + REGISTRATION_WAIT_MS;
    for (;;) {
      try {
        return await createOwnedEphemeral(this.client, supervisorPath(this.options.id), encodeRecord(record));
      } catch (error) {
        if (!(error instanceof MemberExistsError) || monotonicNowMs() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, REGISTRATION_RETRY_MS));
      }
    }
  }

  private async pass(): Promise<void> {
    const assignments = new Map<string, ClusterAssignment>();
    for (const name of await topologyNames(this.client, this.loop.trigger)) {
      const assignment = await readAssignment(this.client, name, this.loop.trigger).catch((error: unknown) => {
        this.logger.warn({ err: error, topology: name }, 'unreadable assignment: skipped');
        return null;
      });
      if (assignment !== null) assignments.set(name, assignment);
    }
    const running = new Map([...this.workers].map(([key, worker]) => [key, { version: worker.spec.version, active: worker.isActive }]));
    const plan = planWorkers(desiredWorkers(assignments, this.options.id), running);
    // Stops first: a restarted or new worker may need the port a stopped one held.
    await Promise.all([...plan.stop, ...plan.restart.map((worker) => worker.key)].map((key) => this.stopWorker(key)));
    for (const spec of [...plan.restart, ...plan.start]) {
      const assignment = assignments.get(spec.topology);
      if (assignment !== undefined) await this.startWorker(spec, assignment);
    }
    for (const { key, active } of plan.setActive) this.workers.get(key)?.setActive(active);
  }

  private async startWorker(spec: DesiredWorker, assignment: ClusterAssignment): Promise<void> {
    const record = await readTopology(this.client, spec.topology);
    if (record === null) return;
    const modulePath = materializeModule(join(this.options.dataDir, 'modules'), await readModule(this.client, record));
    const directory = join(this.options.dataDir, 'assignments');
    mkdirSync(directory, { recursive: true });
    const assignmentFile = join(directory, `${spec.topology}-${spec.workerId}-v${spec.version}.json`);
    writeFileSync(assignmentFile, JSON.stringify({ workers: assignment.workers, tasks: assignment.tasks }));
    const args = [WORKER_ENTRY, '--module', modulePath, '--worker', spec.workerId, '--assignment', assignmentFile, '--name', spec.topology, ...Object.entries(record.args).flatMap(([key, value]) => ['--arg', `${key}=${value}`])];
    const worker = new SupervisedWorker(spec, { execPath: process.execPath, args }, {
      onReady: (started, pid) => void this.registerWorker(started, pid),
      onExit: (exited, code, signal) => {
        this.logger.info({ worker: exited.spec.key, code, signal }, 'worker exited');
        void deleteIfPresent(this.client, workerPath(exited.spec.topology, exited.spec.workerId)).catch(() => undefined);
      },
      onStartFailures: (failed, error) => void this.reportFailure(failed, error),
    }, this.logger);
    this.workers.set(spec.key, worker);
    worker.start();
    this.logger.info({ worker: spec.key, version: spec.version, port: spec.port }, 'worker started');
  }

  private async stopWorker(key: string): Promise<void> {
    const worker = this.workers.get(key);
    if (worker === undefined) return;
    this.workers.delete(key);
    await worker.stop();
    this.logger.info({ worker: key }, 'worker stopped');
  }

  /** Ephemeral, so it vanishes with this supervisor; never recreates a removed topology's nodes. */
  private async registerWorker(worker: SupervisedWorker, pid: number): Promise<void> {
    const record: WorkerRecord = { supervisor: this.options.id, pid, version: worker.spec.version, startedAtMs: Date.now() };
    const path = workerPath(worker.spec.topology, worker.spec.workerId);
    try {
      await deleteIfPresent(this.client, path);
      await this.client.create(path, encodeRecord(record), { mode: CreateMode.EPHEMERAL });
    } catch (error) {
      if (!isErrorCode(error, ErrorCode.NONODE) && !isErrorCode(error, ErrorCode.NODEEXISTS)) this.logger.warn({ err: error, path }, 'could not register a running worker');
    }
  }

  private async reportFailure(worker: SupervisedWorker, error: string): Promise<void> {
    const record: WorkerFailureRecord = { supervisor: this.options.id, port: worker.spec.port, version: worker.spec.version, error };
    this.logger.error({ worker: worker.spec.key, error }, 'worker keeps failing to start: reporting it to nimbus');
    try {
      await this.client.create(failurePath(worker.spec.topology, worker.spec.workerId), encodeRecord(record));
    } catch (failure) {
      if (!isErrorCode(failure, ErrorCode.NODEEXISTS) && !isErrorCode(failure, ErrorCode.NONODE)) this.logger.warn({ err: failure }, 'could not report a failing worker');
    }
  }
}
