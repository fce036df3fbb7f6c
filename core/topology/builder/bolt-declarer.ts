/**
 * The fluent declarer setBolt returns, as in Storm: one method per grouping, each adding one
 * subscription of this bolt to a stream (the default stream unless named). Nothing is checked
 * against other components here — sources may be declared later — createTopology checks it all.
 */
import type { CustomChooser, GroupingSpec } from '../groupings/index.js';
import type { SubscriptionDefinition } from './topology-definition.js';
import { ComponentConfigurationDeclarer } from './component-configuration.js';
import { DEFAULT_STREAM_ID } from './limits.js';

export class BoltDeclarer extends ComponentConfigurationDeclarer {
  /**
   * @param subscriptions the bolt's input list, owned by the builder.
   * @param config the bolt's configuration overrides, owned by the builder.
   */
  constructor(
    componentId: string,
    private readonly subscriptions: SubscriptionDefinition[],
    config: Record<string, unknown>,
  ) {
    super(componentId, config);
  }

  shuffleGrouping(sourceComponentId: string, streamId = DEFAULT_STREAM_ID): this {
    return this.subscribe(sourceComponentId, streamId, { kind: 'shuffle' });
  }

  fieldsGrouping(sourceComponentId: string, fields: readonly string[], streamId = DEFAULT_STREAM_ID): this {
    return this.subscribe(sourceComponentId, streamId, { kind: 'fields', fields: Object.freeze([...fields]) });
  }

  allGrouping(sourceComponentId: string, streamId = DEFAULT_STREAM_ID): this {
    return this.subscribe(sourceComponentId, streamId, { kind: 'all' });
  }

  globalGrouping(sourceComponentId: string, streamId = DEFAULT_STREAM_ID): this {
    return this.subscribe(sourceComponentId, streamId, { kind: 'global' });
  }

  directGrouping(sourceComponentId: string, streamId = DEFAULT_STREAM_ID): this {
    return this.subscribe(sourceComponentId, streamId, { kind: 'direct' });
  }

  localOrShuffleGrouping(sourceComponentId: string, streamId = DEFAULT_STREAM_ID): this {
    return this.subscribe(sourceComponentId, streamId, { kind: 'localOrShuffle' });
  }

  partialKeyGrouping(sourceComponentId: string, fields: readonly string[], streamId = DEFAULT_STREAM_ID): this {
    return this.subscribe(sourceComponentId, streamId, { kind: 'partialKey', fields: Object.freeze([...fields]) });
  }

  customGrouping(sourceComponentId: string, chooser: CustomChooser, streamId = DEFAULT_STREAM_ID): this {
    return this.subscribe(sourceComponentId, streamId, { kind: 'custom', chooser });
  }

  private subscribe(sourceComponentId: string, streamId: string, grouping: GroupingSpec): this {
    this.subscriptions.push(Object.freeze({ sourceComponentId, streamId, grouping: Object.freeze(grouping) }));
    return this;
  }
}
