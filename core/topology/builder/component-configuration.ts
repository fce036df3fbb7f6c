/**
 * Per-component configuration, declared fluently next to the component as in Storm:
 *
 *   builder.setSpout('lines', spout, 2).setMaxSpoutPending(1_000);
 *   builder.setBolt('rank', bolt).globalGrouping('count').addConfiguration('topology.tick.tuple.freq.secs', 1);
 *
 * Values are checked when the topology is submitted, together with the topology's own config.
 */

export class ComponentConfigurationDeclarer {
  /** @param config the component's overrides, owned by the builder. */
  constructor(
    readonly componentId: string,
    private readonly config: Record<string, unknown>,
  ) {}

  addConfiguration(key: string, value: unknown): this {
    this.config[key] = value;
    return this;
  }

  addConfigurations(settings: Readonly<Record<string, unknown>>): this {
    Object.assign(this.config, settings);
    return this;
  }

  setMaxSpoutPending(trees: number): this {
    return this.addConfiguration('topology.max.spout.pending', trees);
  }

  setDebug(debug: boolean): this {
    return this.addConfiguration('topology.debug', debug);
  }
}

/** What setSpout returns: configuration only (spouts subscribe to nothing). */
export class SpoutDeclarer extends ComponentConfigurationDeclarer {}
