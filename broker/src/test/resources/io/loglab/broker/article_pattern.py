"""The seed article's reliability pattern, written for the Python clients Debian ships and run against loglab.

Usage:
  article_pattern.py produce BOOTSTRAP TOPIC CLIENT COUNT
      Send COUNT order events keyed by order id with acks=all (and idempotence where the client has it: confluent-
      kafka; kafka-python 2.0 has none). Every third order has a negative amount: processing will refuse it. Prints
      'sent N' once every event is acknowledged.
  article_pattern.py consume BOOTSTRAP TOPIC CLIENT GROUP AT_LEAST
      A group member that processes each event and commits only after a poll's records are all processed; an event
      that fails processing goes to TOPIC.dlq with the error (never silently dropped) before the commit. Stops once
      it has handled AT_LEAST events (finishing the poll it is in), commits, and closes. Prints 'processed ID' or
      'dead-lettered ID' per event.
"""
import json
import sys


def process(event):
    if event["amount"] < 0:
        raise ValueError("order %s has a negative amount" % event["order_id"])


def dead_letter(event, error):
    return json.dumps({"event_type": "dead_letter", "original_event": event, "error": str(error)}).encode()


def events(count):
    for i in range(count):
        yield "ORD-%05d" % i, {"order_id": "ORD-%05d" % i, "amount": -1.0 if i % 3 == 2 else 10.0 + i}


def produce_kafka_python(bootstrap, topic, count):
    from kafka import KafkaProducer
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", retries=3, linger_ms=10, batch_size=32768,
                             max_in_flight_requests_per_connection=1)
    futures = [producer.send(topic, key=key.encode(), value=json.dumps(event).encode(),
                             headers=[("event_type", b"order_created")]) for key, event in events(count)]
    producer.flush(30)
    sent = sum(1 for f in futures if f.get(timeout=30) is not None)
    producer.close()
    return sent


def produce_confluent(bootstrap, topic, count):
    from confluent_kafka import Producer
    acked = []
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True,
                         "linger.ms": 10, "batch.size": 32768})
    for key, event in events(count):
        producer.produce(topic, key=key.encode(), value=json.dumps(event).encode(),
                         headers=[("event_type", b"order_created")],
                         on_delivery=lambda err, msg: acked.append(err is None))
    producer.flush(30)
    return sum(acked)


def consume_kafka_python(bootstrap, topic, group, at_least):
    from kafka import KafkaConsumer, KafkaProducer
    dlq = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                             enable_auto_commit=False, max_poll_records=50, session_timeout_ms=30000,
                             heartbeat_interval_ms=3000)
    handled = 0
    while handled < at_least:
        records = consumer.poll(timeout_ms=1000)
        for messages in records.values():
            for message in messages:
                event = json.loads(message.value.decode())
                try:
                    process(event)
                    print("processed %s" % event["order_id"])
                except ValueError as error:
                    dlq.send(topic + ".dlq", value=dead_letter(event, error)).get(timeout=30)
                    print("dead-lettered %s" % event["order_id"])
                handled += 1
        if records:
            consumer.commit()
    consumer.close()
    dlq.close()


def consume_confluent(bootstrap, topic, group, at_least):
    from confluent_kafka import Consumer, Producer
    dlq = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True})
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                         "enable.auto.commit": False, "session.timeout.ms": 30000})
    consumer.subscribe([topic])
    handled = 0
    while handled < at_least:
        messages = consumer.consume(num_messages=50, timeout=1.0)
        for message in messages:
            if message.error():
                raise SystemExit("consume error: %s" % message.error())
            event = json.loads(message.value().decode())
            try:
                process(event)
                print("processed %s" % event["order_id"])
            except ValueError as error:
                dlq.produce(topic + ".dlq", value=dead_letter(event, error))
                if dlq.flush(30) != 0:
                    raise SystemExit("the dead letter for %s was not acknowledged" % event["order_id"])
                print("dead-lettered %s" % event["order_id"])
            handled += 1
        if messages:
            consumer.commit(asynchronous=False)
    consumer.close()


def main(argv):
    command, bootstrap, topic, client = argv[1], argv[2], argv[3], argv[4]
    if command == "produce":
        count = int(argv[5])
        produce = produce_kafka_python if client == "kafka-python" else produce_confluent
        print("sent %d" % produce(bootstrap, topic, count))
    elif command == "consume":
        consume = consume_kafka_python if client == "kafka-python" else consume_confluent
        consume(bootstrap, topic, argv[5], int(argv[6]))
    else:
        sys.exit("unknown command " + command)
    sys.stdout.flush()


main(sys.argv)
