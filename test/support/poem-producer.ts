/**
 * A poem produced again and again into a topic while a fault test runs: copy after copy, line i of
 * the stream to partition i mod partitions, acks=all, until the test says it has seen enough (and
 * at least `minCopies` are out) or `maxCopies` is reached. A recount multiplies the oracle by the
 * number of copies it reports.
 */
import type { Producer } from 'kafkajs';

export interface PoemProducerOptions {
  readonly topic: string;
  readonly partitions: number;
  readonly minCopies: number;
  readonly maxCopies: number;
  readonly copyIntervalMs: number;
}

export class PoemProducer {
  copies = 0;
  private enough = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly producer: Producer,
    private readonly lines: readonly string[],
    private readonly options: PoemProducerOptions,
  ) {}

  start(): void {
    const { topic, partitions, minCopies, maxCopies, copyIntervalMs } = this.options;
    this.running = (async () => {
      while (this.copies < maxCopies && !(this.enough && this.copies >= minCopies)) {
        const first = this.copies * this.lines.length;
        await this.producer.send({ topic, acks: -1, messages: this.lines.map((value, index) => ({ value, partition: (first + index) % partitions })) });
        this.copies += 1;
        await new Promise((resolve) => setTimeout(resolve, copyIntervalMs));
      }
    })();
  }

  /** Stops once `minCopies` are out; resolves with the number of copies produced. */
  async finish(): Promise<number> {
    this.enough = true;
    await this.running;
    return this.copies;
  }
}
