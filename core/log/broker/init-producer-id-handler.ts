/**
 * InitProducerId (key 22) for idempotent producers: a fresh producer id, unique in the cluster
 * (producers/producer-id-blocks.ts), with epoch 0 — what Kafka's transaction coordinator answers
 * when there is no transactional id, whatever id and epoch (v3+) the producer already had. Any
 * broker answers (kafkajs asks the controller, librdkafka any broker).
 *
 * Transactions are not offered: a transactional id is refused with
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED, which clients report at once instead of retrying.
 */
import { ErrorCode, type InitProducerIdRequest, type InitProducerIdResponse } from '../protocol/index.js';
import type { BrokerContext } from './handlers.js';

export async function handleInitProducerId(context: BrokerContext, request: InitProducerIdRequest): Promise<InitProducerIdResponse> {
  const answer = (errorCode: number, producerId = -1n, producerEpoch = -1) => ({ throttleTimeMs: 0, errorCode, producerId, producerEpoch });
  if (request.transactionalId !== null) return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  try {
    return answer(ErrorCode.NONE, BigInt(await context.producerIds.nextProducerId()), 0);
  } catch (error) {
    // Retriable for the client: coord may be between leaders.
    context.logger.warn({ err: error }, 'producer id allocation failed');
    return answer(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  }
}
