"""confluent-kafka (Debian python3-confluent-kafka, librdkafka underneath) against a broker.

One flow per sub-command, each printing JSON (one object per line) for the jest test to check
(LIBRDKAFKA_DEBUG=feature,msg,... in the environment turns on librdkafka's debug log on stderr):
  produce BOOTSTRAP TOPIC COUNT       idempotent acks=all producer, keyed records, delivery reports
  member BOOTSTRAP TOPIC GROUP        a group member; prints its assignments and records, obeys
                                      'commit' and 'close' lines on stdin
  admin BOOTSTRAP TOPIC PARTITIONS    AdminClient create_topics, list_topics, delete_topics
  compression BOOTSTRAP TOPIC CODEC   produce with a codec, read back from the beginning
  differential BOOTSTRAP TOPIC PARTITIONS COUNT
                                      create the topic, produce keyed records, read every
                                      partition back; BOOTSTRAP 'mock' runs it against
                                      librdkafka's built-in mock cluster (test.mock.num.brokers)
"""
import json
import logging
import os
import re
import select
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

# Generous bounds: librdkafka retries internally; a flow that exceeds them has failed.
FLUSH_TIMEOUT_S = 30
ADMIN_TIMEOUT_S = 30
READ_BACK_TIMEOUT_S = 30
POLL_INTERVAL_S = 0.2


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def base_config(bootstrap):
    config = {'debug': os.environ['LIBRDKAFKA_DEBUG']} if os.environ.get('LIBRDKAFKA_DEBUG') else {}
    return {**config, 'bootstrap.servers': bootstrap}


class MockBootstrapCatcher(logging.Handler):
    """Picks the mock cluster's address out of librdkafka's 'mock' debug log."""
    bootstrap = None

    def emit(self, record):
        match = re.search(r'Mock cluster \S+ bootstrap\.servers=(\S+)', record.getMessage())
        if match:
            self.bootstrap = match.group(1)


def start_mock_cluster():
    """A one-broker mock cluster, alive as long as the returned producer; and its bootstrap."""
    catcher = MockBootstrapCatcher()
    logger = logging.getLogger('librdkafka-mock')
    logger.addHandler(catcher)
    logger.setLevel(logging.DEBUG)
    holder = Producer({'test.mock.num.brokers': 1, 'debug': 'mock'}, logger=logger)
    deadline = time.monotonic() + ADMIN_TIMEOUT_S
    while catcher.bootstrap is None and time.monotonic() < deadline:
        holder.poll(POLL_INTERVAL_S)
    if catcher.bootstrap is None:
        sys.exit('the mock cluster did not log its bootstrap address')
    return holder, catcher.bootstrap


def produce(bootstrap, topic, count):
    producer = Producer({**base_config(bootstrap), 'acks': 'all', 'enable.idempotence': True, 'linger.ms': 5})
    deliveries = []
    errors = []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            deliveries.append({'key': msg.key().decode(), 'value': msg.value().decode(),
                               'partition': msg.partition(), 'offset': msg.offset()})

    for i in range(count):
        producer.produce(topic, key=b'key-%d' % (i % 10), value=b'value-%d' % i, on_delivery=on_delivery)
        producer.poll(0)
    remaining = producer.flush(FLUSH_TIMEOUT_S)
    emit({'deliveries': deliveries, 'errors': errors, 'undelivered': remaining})


def member(bootstrap, topic, group):
    consumer = Consumer({**base_config(bootstrap), 'group.id': group, 'auto.offset.reset': 'earliest',
                         'enable.auto.commit': False, 'session.timeout.ms': 6000,
                         'heartbeat.interval.ms': 500})

    def on_assign(_consumer, partitions):
        emit({'assigned': sorted(tp.partition for tp in partitions)})

    def on_revoke(_consumer, partitions):
        emit({'revoked': sorted(tp.partition for tp in partitions)})

    consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    while True:
        msg = consumer.poll(POLL_INTERVAL_S)
        if msg is not None:
            if msg.error() is not None:
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    emit({'error': str(msg.error())})
            else:
                emit({'record': [msg.partition(), msg.offset(), msg.key().decode(), msg.value().decode()]})
        readable, _, _ = select.select([sys.stdin], [], [], 0)
        if not readable:
            continue
        command = sys.stdin.readline().strip()
        if command == 'commit':
            committed = consumer.commit(asynchronous=False)
            emit({'committed': sorted([tp.partition, tp.offset] for tp in committed)})
        elif command in ('close', ''):
            consumer.close()
            emit({'closed': True})
            return


def admin(bootstrap, topic, partitions):
    client = AdminClient(base_config(bootstrap))
    report = {}
    created = client.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)],
                                   operation_timeout=ADMIN_TIMEOUT_S)
    created[topic].result(ADMIN_TIMEOUT_S)
    again = client.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    try:
        again[topic].result(ADMIN_TIMEOUT_S)
        report['create_again'] = 'no error'
    except Exception as error:  # KafkaException carrying the broker's error
        report['create_again'] = error.args[0].name()
    metadata = client.list_topics(timeout=ADMIN_TIMEOUT_S)
    report['brokers'] = len(metadata.brokers)
    report['listed_partitions'] = sorted(metadata.topics[topic].partitions.keys())
    deleted = client.delete_topics([topic], operation_timeout=ADMIN_TIMEOUT_S)
    deleted[topic].result(ADMIN_TIMEOUT_S)
    report['listed_after_delete'] = topic in client.list_topics(timeout=ADMIN_TIMEOUT_S).topics
    emit(report)


def compression(bootstrap, topic, codec):
    producer = Producer({**base_config(bootstrap), 'compression.codec': codec, 'linger.ms': 50,
                         'enable.idempotence': True})
    values = ['%s line %d %s' % (codec, i, 'payload ' * (i % 7)) for i in range(200)]
    for value in values:
        producer.produce(topic, value=value.encode(), partition=0)
    remaining = producer.flush(FLUSH_TIMEOUT_S)
    consumer = Consumer({**base_config(bootstrap), 'group.id': 'unused-' + topic, 'enable.auto.commit': False})
    consumer.assign([TopicPartition(topic, 0, 0)])
    read = []
    deadline = time.monotonic() + READ_BACK_TIMEOUT_S
    while len(read) < len(values) and time.monotonic() < deadline:
        msg = consumer.poll(POLL_INTERVAL_S)
        if msg is not None and msg.error() is None:
            read.append(msg.value().decode())
    consumer.close()
    emit({'undelivered': remaining, 'same': read == values, 'read': len(read)})


def differential(bootstrap, topic, partitions, count):
    holder = None
    if bootstrap == 'mock':
        holder, bootstrap = start_mock_cluster()
        # librdkafka 2.0's mock cluster has no CreateTopics: it auto-creates the topic, with its
        # default partition count, reported below for the other run to use.
    else:
        admin = AdminClient(base_config(bootstrap))
        admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(ADMIN_TIMEOUT_S)
    producer = Producer({**base_config(bootstrap), 'acks': 'all', 'enable.idempotence': True, 'linger.ms': 5})
    partitions = len(producer.list_topics(topic, timeout=ADMIN_TIMEOUT_S).topics[topic].partitions)
    delivered = []
    for i in range(count):
        producer.produce(topic, key=b'key-%d' % (i % 17), value=b'value-%d' % i,
                         on_delivery=lambda err, msg: delivered.append(err is None))
    remaining = producer.flush(FLUSH_TIMEOUT_S)
    consumer = Consumer({**base_config(bootstrap), 'group.id': 'unused-' + topic, 'enable.auto.commit': False})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    read = {str(p): [] for p in range(partitions)}
    deadline = time.monotonic() + READ_BACK_TIMEOUT_S
    while sum(len(records) for records in read.values()) < count and time.monotonic() < deadline:
        msg = consumer.poll(POLL_INTERVAL_S)
        if msg is not None and msg.error() is None:
            read[str(msg.partition())].append([msg.offset(), msg.key().decode(), msg.value().decode()])
    consumer.close()
    emit({'undelivered': remaining, 'delivered_ok': delivered.count(True), 'partition_count': partitions, 'partitions': read})
    del holder


if __name__ == '__main__':
    flow, args = sys.argv[1], sys.argv[2:]
    if flow == 'produce':
        produce(args[0], args[1], int(args[2]))
    elif flow == 'member':
        member(args[0], args[1], args[2])
    elif flow == 'admin':
        admin(args[0], args[1], int(args[2]))
    elif flow == 'compression':
        compression(args[0], args[1], args[2])
    elif flow == 'differential':
        differential(args[0], args[1], int(args[2]), int(args[3]))
    else:
        sys.exit('unknown flow ' + flow)
