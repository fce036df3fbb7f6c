/**
 * TopologyBuilder, as terse as Storm's:
 *
 *   const builder = new TopologyBuilder();
 *   builder.setSpout('sentences', new SentenceSpout(), 2);
 *   builder.setBolt('split', new SplitBolt(), 4).shuffleGrouping('sentences');
 *   builder.setBolt('count', new CountBolt(), 4).fieldsGrouping('split', ['word']);
 *   const topology = builder.createTopology();
 *
 * Ids and parallelism are checked when set; everything that depends on other components (sources,
 * streams, fields) when createTopology() runs, which returns a frozen TopologyDefinition and may be
 * called again after more components are added.
 */
import type { AnyBolt } from '../api/bolt.js';
import type { Spout } from '../api/spout.js';
import { checkId, collectStreams, type ComponentLike, type StreamDefinition } from './components.js';
import { BoltDeclarer } from './bolt-declarer.js';
import { SpoutDeclarer } from './component-configuration.js';
import { DuplicateComponentError, InvalidParallelismError, SpoutAsBoltError, TopologyTooLargeError } from './errors.js';
import { DEFAULT_PARALLELISM, MAX_COMPONENTS, MAX_PARALLELISM, MAX_TOPOLOGY_TASKS } from './limits.js';
import type { ComponentDefinition, SubscriptionDefinition, TopologyDefinition } from './topology-definition.js';
import { validateSubscriptions } from './validate-subscriptions.js';

type Registration =
  | { readonly kind: 'spout'; readonly id: string; readonly spout: Spout; readonly parallelism: number; readonly config: Record<string, unknown> }
  | {
      readonly kind: 'bolt';
      readonly id: string;
      readonly bolt: AnyBolt;
      readonly parallelism: number;
      readonly inputs: SubscriptionDefinition[];
      readonly config: Record<string, unknown>;
    };

function objectOf(registration: Registration): ComponentLike {
  return registration.kind === 'spout' ? registration.spout : registration.bolt;
}

export class TopologyBuilder {
  private readonly registrations = new Map<string, Registration>();

  setSpout(id: string, spout: Spout, parallelism: number = DEFAULT_PARALLELISM): SpoutDeclarer {
    const config: Record<string, unknown> = {};
    this.register({ kind: 'spout', id, spout, parallelism, config });
    return new SpoutDeclarer(id, config);
  }

  setBolt(id: string, bolt: AnyBolt, parallelism: number = DEFAULT_PARALLELISM): BoltDeclarer {
    const inputs: SubscriptionDefinition[] = [];
    const config: Record<string, unknown> = {};
    this.register({ kind: 'bolt', id, bolt, parallelism, inputs, config });
    return new BoltDeclarer(id, inputs, config);
  }

  createTopology(): TopologyDefinition {
    const sorted = [...this.registrations.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const streamsOf = new Map<string, readonly StreamDefinition[]>();
    for (const registration of sorted) streamsOf.set(registration.id, collectStreams(registration.id, objectOf(registration)));
    validateSubscriptions(
      sorted.flatMap((registration) => (registration.kind === 'bolt' ? [{ id: registration.id, inputs: registration.inputs }] : [])),
      streamsOf,
    );
    let nextTaskId = 1;
    const components = sorted.map((registration): ComponentDefinition => {
      const taskIds = Object.freeze(Array.from({ length: registration.parallelism }, (_, index) => nextTaskId + index));
      nextTaskId += registration.parallelism;
      const common = {
        id: registration.id,
        parallelism: registration.parallelism,
        taskIds,
        streams: streamsOf.get(registration.id) ?? [],
        config: Object.freeze({ ...registration.config }),
      };
      return Object.freeze(
        registration.kind === 'spout'
          ? { kind: 'spout', ...common, spout: registration.spout }
          : { kind: 'bolt', ...common, bolt: registration.bolt, inputs: Object.freeze([...registration.inputs]) },
      );
    });
    return Object.freeze({ components: Object.freeze(components), taskCount: nextTaskId - 1 });
  }

  private register(registration: Registration): void {
    const { id, parallelism } = registration;
    checkId(String(id), id, 'component');
    if (this.registrations.has(id)) throw new DuplicateComponentError(id);
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new InvalidParallelismError(id, parallelism, MAX_PARALLELISM);
    }
    if (this.registrations.size >= MAX_COMPONENTS) {
      throw new TopologyTooLargeError('TOO_MANY_COMPONENTS', id, `the topology already has the maximum of ${MAX_COMPONENTS} components`);
    }
    let tasks = parallelism;
    for (const other of this.registrations.values()) {
      tasks += other.parallelism;
      if (objectOf(other) === objectOf(registration) && other.kind !== registration.kind) {
        throw new SpoutAsBoltError(id, other.id);
      }
    }
    if (tasks > MAX_TOPOLOGY_TASKS) {
      throw new TopologyTooLargeError('TOO_MANY_TASKS', id, `brings the topology to ${tasks} tasks, more than the limit of ${MAX_TOPOLOGY_TASKS}`);
    }
    this.registrations.set(id, registration);
  }
}
