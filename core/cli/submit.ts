/**
 * `barista submit` and the other topology admin commands (`list`, `kill`, `activate`,
 * `deactivate`, `rebalance`): each connects to coord, asks nimbus through the topology's record,
 * prints the outcome and exits.
 */
import { resolve } from 'node:path';
import { CoordClient } from '../coord/client/coord-client.js';
import { bundleTopologyModule } from '../topology/cluster/module-bundle.js';
import { killTopology, listTopologies, rebalanceTopology, setTopologyActive, submitTopology, type TopologySummary } from '../topology/cluster/cluster-admin.js';

export interface SubmitCommandOptions {
  coord: string;
  name: string;
  workers: number;
  arg: Record<string, string>;
  inactive?: boolean;
}

async function withCoord<T>(coord: string, body: (client: CoordClient) => Promise<T>): Promise<T> {
  const client = await CoordClient.connect(coord);
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

/** Bundles the module first, so a module that does not compile is refused before anything is uploaded. */
export async function runSubmit(modulePath: string, options: SubmitCommandOptions): Promise<void> {
  const bundle = await bundleTopologyModule(modulePath);
  await withCoord(options.coord, async (client) => {
    const record = await submitTopology(client, { module: bundle.code, modulePath: resolve(modulePath), name: options.name, workers: options.workers, args: options.arg, inactive: options.inactive === true });
    process.stdout.write(`topology ${record.name} submitted: ${record.status}, ${record.workers} workers\n`);
  });
}

function formatUptime(uptimeMs: number | undefined): string {
  if (uptimeMs === undefined) return '-';
  const seconds = Math.floor(uptimeMs / 1000);
  return seconds < 60 ? `${seconds}s` : seconds < 3600 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

export function formatTopologyTable(rows: readonly TopologySummary[]): string {
  const lines = [['NAME', 'STATUS', 'WORKERS', 'UPTIME', 'ERROR']];
  for (const row of rows) lines.push([row.name, row.status, `${row.workersRunning}/${row.workersWanted}`, formatUptime(row.uptimeMs), row.error ?? '']);
  const widths = lines[0]!.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  return lines.map((line) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

export async function runList(options: { coord: string; json?: boolean }): Promise<void> {
  const rows = await withCoord(options.coord, (client) => listTopologies(client));
  process.stdout.write(options.json === true ? `${JSON.stringify(rows)}\n` : `${formatTopologyTable(rows)}\n`);
}

export async function runKill(name: string, options: { coord: string }): Promise<void> {
  await withCoord(options.coord, (client) => killTopology(client, name));
  process.stdout.write(`topology ${name} killed\n`);
}

export async function runSetActive(name: string, active: boolean, options: { coord: string }): Promise<void> {
  await withCoord(options.coord, (client) => setTopologyActive(client, name, active));
  process.stdout.write(`topology ${name} ${active ? 'activated' : 'deactivated'}\n`);
}

export async function runRebalance(name: string, options: { coord: string; workers: number }): Promise<void> {
  const version = await withCoord(options.coord, (client) => rebalanceTopology(client, name, options.workers));
  process.stdout.write(`topology ${name} rebalanced over ${options.workers} workers (assignment v${version})\n`);
}
