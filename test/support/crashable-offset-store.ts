/**
 * An offset store whose process "dies": after crash() it records no more commits, while whatever the
 * topology already wrote elsewhere stays — so a restart replays from the last durable commit. crash()
 * resolves once commits already on their way to the inner store have landed (or failed), so the
 * committed offsets read afterwards are the ones the restart will see.
 */
import type { OffsetStore } from '../../spouts/offset-store.js';

export class CrashableOffsetStore implements OffsetStore {
  private crashed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly inner: OffsetStore) {}

  get hasCrashed(): boolean {
    return this.crashed;
  }

  read(topic: string, partition: number): Promise<number | undefined> {
    return this.inner.read(topic, partition);
  }

  async commit(topic: string, partition: number, offset: number): Promise<void> {
    if (this.crashed) return;
    const write = this.inner.commit(topic, partition, offset);
    this.inFlight.add(write);
    try {
      await write;
    } finally {
      this.inFlight.delete(write);
    }
  }

  async crash(): Promise<void> {
    this.crashed = true;
    await Promise.allSettled([...this.inFlight]);
  }
}
