/** Running topologies in this process: LocalCluster and the executors behind it. */
export * from './local-cluster.js';
export type { ComponentStatsSnapshot } from './component-stats.js';
