"""kafka-python (Debian python3-kafka) against a broker: produce with acks 0/1/all and gzip to
partition 0, then a consumer without a group assigns and seeks. Prints a JSON report."""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

servers = sys.argv[1]
topic = sys.argv[2]
report = {}
for acks in (0, 1, 'all'):
    producer = KafkaProducer(bootstrap_servers=servers, acks=acks, compression_type='gzip' if acks == 'all' else None)
    for i in range(3):
        producer.send(topic, key=b'k-%s-%d' % (str(acks).encode(), i), value=b'v%d' % i, partition=0).get(timeout=10)
    producer.flush()
    producer.close()
consumer = KafkaConsumer(bootstrap_servers=servers, enable_auto_commit=False, consumer_timeout_ms=3000)
tp = TopicPartition(topic, 0)
consumer.assign([tp])
consumer.seek(tp, 4)
records = [(m.offset, m.key.decode(), m.value.decode()) for m in consumer]
report['from_offset_4'] = records
report['end_offsets'] = consumer.end_offsets([tp])[tp]
consumer.close()
print(json.dumps(report))
