/**
 * Producer ids unique across the cluster and its restarts, allocated as ZooKeeper-era Kafka does
 * (ProducerIdManager): the znode /latest_producer_id_block holds the last block handed out,
 * {"version":1,"broker":<id>,"block_start":<n>,"block_end":<m>}; a broker claims the next block
 * of PRODUCER_ID_BLOCK_SIZE ids with a conditional setData on the version it read (a broker that
 * lost the race re-reads and tries the next block), then hands its ids out from memory. Ids of a
 * block left unused at a crash are simply never used: uniqueness, not density.
 */
import type { CoordClient } from '../../coord/client/coord-client.js';
import { ZooKeeperError } from '../../coord/client/errors.js';
import { ErrorCode as CoordErrorCode } from '../../coord/zookeeper-constants.js';

export const PRODUCER_ID_BLOCK_PATH = '/latest_producer_id_block';
/** Kafka's block size. */
export const PRODUCER_ID_BLOCK_SIZE = 1000;
/** Claims attempted before giving up (each lost race means another broker just took a block). */
const MAX_CLAIM_ATTEMPTS = 20;

export interface ProducerIdBlock {
  brokerId: number;
  firstId: number;
  lastId: number;
}

export class ProducerIdExhaustedError extends Error {
  readonly code = 'PRODUCER_ID_CLAIM_FAILED';
  constructor(readonly attempts: number) {
    super(`could not claim a producer id block in ${PRODUCER_ID_BLOCK_PATH} after ${attempts} attempts; the cluster is contended or coord is failing, retry later`);
    this.name = 'ProducerIdExhaustedError';
  }
}

function isCoordError(error: unknown, code: number): boolean {
  return error instanceof ZooKeeperError && error.code === code;
}

function encodeBlock(block: ProducerIdBlock): string {
  return JSON.stringify({ version: 1, broker: block.brokerId, block_start: block.firstId, block_end: block.lastId });
}

/** Claims the block after the latest one in coord (the first block starts at 0). */
export async function claimProducerIdBlock(client: CoordClient, brokerId: number): Promise<ProducerIdBlock> {
  for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
    let latest: { data: Buffer; stat: { version: number } } | undefined;
    try {
      latest = await client.getData(PRODUCER_ID_BLOCK_PATH);
    } catch (error) {
      if (!isCoordError(error, CoordErrorCode.NONODE)) throw error;
    }
    const previousEnd = latest === undefined ? -1 : (JSON.parse(latest.data.toString()) as { block_end: number }).block_end;
    const block = { brokerId, firstId: previousEnd + 1, lastId: previousEnd + PRODUCER_ID_BLOCK_SIZE };
    try {
      if (latest === undefined) await client.create(PRODUCER_ID_BLOCK_PATH, encodeBlock(block));
      else await client.setData(PRODUCER_ID_BLOCK_PATH, encodeBlock(block), latest.stat.version);
      return block;
    } catch (error) {
      if (!isCoordError(error, CoordErrorCode.NODEEXISTS) && !isCoordError(error, CoordErrorCode.BADVERSION)) throw error;
    }
  }
  throw new ProducerIdExhaustedError(MAX_CLAIM_ATTEMPTS);
}

/** Hands out producer ids from claimed blocks, one claim at a time. */
export class ProducerIdAllocator {
  private block: ProducerIdBlock | undefined;
  private next = 0;
  private claiming: Promise<ProducerIdBlock> | undefined;

  constructor(
    private readonly client: () => CoordClient,
    private readonly brokerId: number,
  ) {}

  async nextProducerId(): Promise<number> {
    for (;;) {
      if (this.block !== undefined && this.next <= this.block.lastId) return this.next++;
      this.claiming ??= claimProducerIdBlock(this.client(), this.brokerId).finally(() => (this.claiming = undefined));
      const claimed = await this.claiming;
      if (this.block !== claimed && (this.block === undefined || this.next > this.block.lastId)) {
        this.block = claimed;
        this.next = claimed.firstId;
      }
    }
  }
}
