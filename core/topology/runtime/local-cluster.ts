/**
 * LocalCluster: runs topologies inside this process, as Storm's LocalCluster does — for tests,
 * development, and the embedded `barista dev`. Submit, kill, activate/deactivate, rebalance
 * (change component parallelism: the topology is drained and restarted with fresh task copies),
 * per-component figures and their Prometheus export, and a stream of user-code errors.
 */
import { Subject, type Observable } from 'rxjs';
import type { Registry } from 'prom-client';
import { createRegistry } from '../../telemetry/metrics.js';
import { silentLogger, type Logger } from '../../telemetry/logger.js';
import type { TopologyConfig } from '../api/config.js';
import { ClusterShutDownError, TopologyExistsError, TopologyNotFoundError, type UserCodeError } from '../api/errors.js';
import { withParallelism, type TopologyDefinition } from '../builder/topology-definition.js';
import type { ComponentStatsSnapshot } from './component-stats.js';
import { registerTopologyMetrics } from './metrics-exporter.js';
import { RunningTopology } from './running-topology.js';

export interface LocalClusterOptions {
  readonly logger?: Logger;
  /** Registry to export figures to (default: a new one, see `registry`). */
  readonly registry?: Registry;
}

export interface KillOptions {
  /** Deactivate, then wait up to this long for pending trees to finish before stopping. */
  readonly waitSecs?: number;
}

export interface RebalanceOptions extends KillOptions {
  /** New parallelism per component id; others keep theirs. */
  readonly parallelism: Readonly<Record<string, number>>;
}

export interface TopologyErrorEvent {
  readonly topologyName: string;
  readonly error: UserCodeError;
}

interface Entry {
  running: RunningTopology;
  readonly config: TopologyConfig;
}

export class LocalCluster {
  readonly registry: Registry;
  private readonly logger: Logger;
  private readonly topologies = new Map<string, Entry>();
  private readonly errorsSubject = new Subject<TopologyErrorEvent>();
  private shutDown = false;

  constructor(options: LocalClusterOptions = {}) {
    this.logger = options.logger ?? silentLogger();
    this.registry = options.registry ?? createRegistry({ service: 'topology' });
    registerTopologyMetrics(this.registry, { topologyStats: () => this.allStats() });
  }

  /** Errors thrown or reported by user code in any topology. */
  get errors$(): Observable<TopologyErrorEvent> {
    return this.errorsSubject.asObservable();
  }

  /** Starts `topology` under `name`; resolves once every spout is open and every bolt prepared. */
  async submitTopology(name: string, config: TopologyConfig, topology: TopologyDefinition, options: { inactive?: boolean } = {}): Promise<void> {
    if (this.shutDown) throw new ClusterShutDownError();
    if (this.topologies.has(name)) throw new TopologyExistsError(name);
    const running = await this.start(name, config, topology, options.inactive === true);
    this.topologies.set(name, { running, config });
  }

  async killTopology(name: string, options: KillOptions = {}): Promise<void> {
    const entry = this.entry(name);
    this.topologies.delete(name);
    await entry.running.stop((options.waitSecs ?? 0) * 1000);
  }

  activate(name: string): void {
    this.entry(name).running.setActive(true);
  }

  deactivate(name: string): void {
    this.entry(name).running.setActive(false);
  }

  async rebalance(name: string, options: RebalanceOptions): Promise<void> {
    const entry = this.entry(name);
    const topology = withParallelism(entry.running.topology, options.parallelism);
    await entry.running.stop((options.waitSecs ?? 0) * 1000);
    entry.running = await this.start(name, entry.config, topology, false);
  }

  getTopologyNames(): string[] {
    return [...this.topologies.keys()];
  }

  /** Per-component figures of a running topology. */
  getStats(name: string): ComponentStatsSnapshot[] {
    return this.entry(name).running.statsSnapshot();
  }

  /** Trees emitted by the topology's spouts and not yet acked or failed. */
  pendingTrees(name: string): number {
    return this.entry(name).running.pendingTrees;
  }

  /** The most recent user-code errors of a topology (bounded). */
  recentErrors(name: string): readonly UserCodeError[] {
    return this.entry(name).running.recentErrors;
  }

  async shutdown(): Promise<void> {
    this.shutDown = true;
    for (const name of [...this.topologies.keys()]) await this.killTopology(name);
    this.errorsSubject.complete();
  }

  private async start(name: string, config: TopologyConfig, topology: TopologyDefinition, inactive: boolean): Promise<RunningTopology> {
    const running = new RunningTopology(name, topology, config, { logger: this.logger, inactive });
    running.errors$.subscribe((error) => this.errorsSubject.next({ topologyName: name, error }));
    await running.start();
    return running;
  }

  private entry(name: string): Entry {
    const entry = this.topologies.get(name);
    if (entry === undefined) throw new TopologyNotFoundError(name);
    return entry;
  }

  private allStats(): Map<string, readonly ComponentStatsSnapshot[]> {
    const result = new Map<string, readonly ComponentStatsSnapshot[]>();
    for (const [name, entry] of this.topologies) result.set(name, entry.running.statsSnapshot());
    return result;
  }
}
