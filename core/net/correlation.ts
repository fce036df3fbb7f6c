/**
 * Where a protocol keeps the id that pairs a response with its request. Kafka requests carry it
 * after api key and version (offset 4) and responses at offset 0; ZooKeeper's xid is at offset 0
 * both ways, with negative xids for server pushes (watch events) and pings.
 */
export interface CorrelationCodec {
  /** Stamps `id` into an encoded request (the payload reserves the bytes). */
  writeRequestId(request: Buffer, id: number): void;
  /** The id of a received frame, or undefined when the frame is an unsolicited push. */
  readResponseId(response: Buffer): number | undefined;
}

/** An int32 id at a fixed offset of requests and responses; frames too short to hold one, or with a negative id, are pushes. */
export function int32Correlation(requestOffset: number, responseOffset: number): CorrelationCodec {
  return {
    writeRequestId(request, id) {
      request.writeInt32BE(id, requestOffset);
    },
    readResponseId(response) {
      if (response.length < responseOffset + 4) return undefined;
      const id = response.readInt32BE(responseOffset);
      return id >= 0 ? id : undefined;
    },
  };
}

/** Barista's internal RPC convention: the id is the first int32 of both request and response. */
export const leadingInt32Correlation: CorrelationCodec = int32Correlation(0, 0);
