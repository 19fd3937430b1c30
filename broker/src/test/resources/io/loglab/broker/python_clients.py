"""Round trips through loglab with the Python clients Debian ships: kafka-python and confluent-kafka (librdkafka).

Usage: python_clients.py BOOTSTRAP TOPIC CLIENT COUNT
Produces COUNT records with acks=all to partition 0 of TOPIC, then reads partition 0 from the start and prints every
value it read, one per line, after a line 'produced N'.
"""
import sys

bootstrap, topic, client, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
values = [("%s-%d" % (client, i)).encode() for i in range(count)]

if client == "kafka-python":
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    offsets = [producer.send(topic, value=v, partition=0).get(timeout=30).offset for v in values]
    producer.close()
    print("produced %d" % len(offsets))
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=5000)
    consumer.assign([TopicPartition(topic, 0)])
    for record in consumer:
        print(record.value.decode())
    consumer.close()
elif client == "confluent-kafka":
    from confluent_kafka import Consumer, Producer, TopicPartition
    acked = []
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    for v in values:
        producer.produce(topic, value=v, partition=0,
                         on_delivery=lambda err, msg: acked.append(err is None))
    producer.flush(30)
    print("produced %d" % sum(acked))
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused", "enable.auto.commit": False,
                         "auto.offset.reset": "earliest"})
    consumer.assign([TopicPartition(topic, 0, 0)])
    empty = 0
    while empty < 10:
        message = consumer.poll(0.5)
        if message is None:
            empty += 1
            continue
        if message.error():
            continue
        empty = 0
        print(message.value().decode())
    consumer.close()
else:
    sys.exit("unknown client " + client)
