/**
 * Topology modules: how a distributed topology is shipped, like Storm's topology jar. The default
 * export builds the topology from string arguments; every worker imports the same module and gets
 * the same definition (task ids are assigned deterministically by the builder).
 *
 *   export default function wordCount(args) {
 *     const builder = new TopologyBuilder();
 *     …
 *     return { topology: builder.createTopology(), config: { 'topology.max.spout.pending': 500 } };
 *   }
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TopologyConfig } from '../api/config.js';
import type { TopologyDefinition } from '../builder/topology-definition.js';
import { InvalidTopologyModuleError } from './errors.js';

export interface BuiltTopology {
  readonly topology: TopologyDefinition;
  readonly config?: TopologyConfig;
}

export type TopologyArguments = Readonly<Record<string, string>>;

export async function loadTopologyModule(modulePath: string, args: TopologyArguments): Promise<BuiltTopology> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as { default?: unknown };
  } catch (error) {
    throw new InvalidTopologyModuleError(modulePath, `cannot be imported: ${(error as Error).message}`);
  }
  if (typeof loaded.default !== 'function') throw new InvalidTopologyModuleError(modulePath, 'has no default export function (args) => ({ topology, config })');
  const built = (await (loaded.default as (args: TopologyArguments) => unknown)(args)) as Partial<BuiltTopology> | undefined;
  if (built?.topology === undefined || !Array.isArray(built.topology.components)) {
    throw new InvalidTopologyModuleError(modulePath, 'its default export must return { topology: builder.createTopology(), config? }');
  }
  return built as BuiltTopology;
}
