/**
 * The distributed word count test module (../../distributed/test-topologies/word-count.ts) with a
 * short message timeout (args.timeoutSecs, default 5), so trees lost with a killed worker replay
 * within a test's patience instead of Storm's 30 s.
 */
import wordCount from '../../distributed/test-topologies/word-count.js';
import type { BuiltTopology, TopologyArguments } from '../../distributed/topology-module.js';

export default function clusterWordCount(args: TopologyArguments): BuiltTopology {
  const built = wordCount(args);
  return { topology: built.topology, config: { ...built.config, 'topology.message.timeout.secs': Number(args.timeoutSecs ?? 5) } };
}
