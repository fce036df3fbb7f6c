"""kafka-python (Debian python3-kafka) consumer groups against a broker: a KafkaConsumer with a
group_id reads what was produced, commits, and closes; a second consumer in the same group then
sees only what was produced after the commit. Prints a JSON report."""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer

servers, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]


def produce(prefix, count):
    producer = KafkaProducer(bootstrap_servers=servers)
    for i in range(count):
        producer.send(topic, value=b'%s-%d' % (prefix.encode(), i)).get(timeout=10)
    producer.flush()
    producer.close()


def consume(expected):
    consumer = KafkaConsumer(topic, bootstrap_servers=servers, group_id=group, auto_offset_reset='earliest',
                             enable_auto_commit=False, consumer_timeout_ms=5000, session_timeout_ms=6000,
                             heartbeat_interval_ms=500)
    values = []
    for message in consumer:
        values.append(message.value.decode())
        if len(values) >= expected:
            break
    assignment = sorted(tp.partition for tp in consumer.assignment())
    consumer.commit()
    consumer.close()
    return values, assignment


produce('first', 20)
first, assignment = consume(20)
produce('second', 5)
second, _ = consume(5)
print(json.dumps({'first': first, 'second': second, 'assignment': assignment}))
