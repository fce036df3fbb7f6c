/**
 * Small components for the runtime's own tests: a reliable spout over a fixed list of sentences
 * that replays what fails, a splitter, a counter, and a shared store the tests read results from.
 */
import type { OutputCollector } from '../api/bolt.js';
import { BaseBasicBolt, BaseRichBolt, type BasicOutputCollector } from '../api/bolt.js';
import type { ResolvedConfig } from '../api/config.js';
import type { TopologyContext } from '../api/context.js';
import { BaseRichSpout, type SpoutOutputCollector } from '../api/spout.js';
import type { Tuple } from '../api/tuple.js';
import type { OutputFieldsDeclarer } from '../builder/components.js';

/** Shared across task copies (a class instance), so tests can read what every task saw. */
export class Ledger {
  readonly acked = new Map<number, number>();
  readonly failed = new Map<number, number>();
  readonly counts = new Map<string, number>();
  readonly seen: unknown[][] = [];
  emitted = 0;

  countOf(word: string): number {
    return this.counts.get(word) ?? 0;
  }
}

/** Emits each sentence once with its index as message id; replays failed ones. */
export class SentenceSpout extends BaseRichSpout<number> {
  private collector!: SpoutOutputCollector;
  private next = 0;
  private replay: number[] = [];
  private share: number[] = [];

  constructor(
    private readonly sentences: readonly string[],
    private readonly ledger: Ledger,
  ) {
    super();
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['sentence']);
  }

  open(_config: ResolvedConfig, context: TopologyContext, collector: SpoutOutputCollector): void {
    this.collector = collector;
    const tasks = context.componentTaskIds.length;
    this.share = this.sentences.map((_, index) => index).filter((index) => index % tasks === context.taskIndex);
  }

  nextTuple(): void {
    const index = this.replay.shift() ?? this.share[this.next++];
    if (index === undefined) return;
    this.ledger.emitted++;
    this.collector.emit([this.sentences[index]], index);
  }

  override ack(index: number): void {
    this.ledger.acked.set(index, (this.ledger.acked.get(index) ?? 0) + 1);
  }

  override fail(index: number): void {
    this.ledger.failed.set(index, (this.ledger.failed.get(index) ?? 0) + 1);
    this.replay.push(index);
  }
}

export class SplitBolt extends BaseBasicBolt {
  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word']);
  }

  execute(input: Tuple, collector: BasicOutputCollector): void {
    for (const word of String(input.getValueByField('sentence')).split(/\s+/)) if (word !== '') collector.emit([word]);
  }
}

/** Counts words into the ledger; fails an input when `shouldFail` says so (fault injection). */
export class CountBolt extends BaseRichBolt {
  private collector!: OutputCollector;

  constructor(
    private readonly ledger: Ledger,
    private readonly shouldFail: (word: string) => boolean = () => false,
  ) {
    super();
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word', 'count']);
  }

  prepare(_config: ResolvedConfig, _context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
  }

  execute(input: Tuple): void {
    const word = input.getStringByField('word');
    if (this.shouldFail(word)) {
      this.collector.fail(input);
      return;
    }
    const count = this.ledger.countOf(word) + 1;
    this.ledger.counts.set(word, count);
    this.collector.emit(input, [word, count]);
    this.collector.ack(input);
  }
}
