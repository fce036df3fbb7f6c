/** InitProducerId (key 22) bodies, normalised across versions (InitProducerIdRequest/Response.json). */
export interface InitProducerIdRequest {
  /** null: an idempotent (non-transactional) producer. */
  transactionalId: string | null;
  transactionTimeoutMs: number;
  /** v3+: the producer's current id and epoch (-1 when it has none); -1 on decode of v0-v2. */
  producerId: bigint;
  producerEpoch: number;
}

export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}
