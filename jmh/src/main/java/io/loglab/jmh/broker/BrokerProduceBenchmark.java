package io.loglab.jmh.broker;

import io.loglab.jmh.support.Batches;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.jmh.support.KafkaConnection;
import io.loglab.jmh.support.RecordCounters;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The broker's produce request path over loopback: one connection sends a Produce request (v9, one partition, one
 * batch, encoded once with kafka-clients' classes, as a client would) and waits for its response, over and over.
 * What is measured is the broker's whole path: the network thread reads the frame into its connection's buffer,
 * decodes it with the generated classes, offers the batch to the partition's writer shard, and encodes and writes
 * the response once the append is answered. With {@code -prof gc}, the allocation per operation is the broker's
 * per-request cost (the client side here allocates nothing per call).
 * <p>
 * Scores: requests/s; {@code :records} and {@code :bytes} per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.EXPORT_MISC, JvmFlags.OPEN_MISC, JvmFlags.OPEN_ZIP})
public class BrokerProduceBenchmark
{
    @Param({"100", "1024"})
    int recordSize;

    @Param({"16384", "65536"})
    String batchBytes;

    /** {@code 1}: answered once written; {@code -1}: once the topic's flush policy made it durable (os: written). */
    @Param({"1"})
    short acks;

    private BenchBroker broker;
    private KafkaConnection connection;
    private ByteBuffer request;
    private int records;
    private int batchLength;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        broker = BenchBroker.start("loglab-broker-produce-");
        connection = broker.connection();
        final ByteBuffer batch = Batches.build(recordSize, batchBytes, System.currentTimeMillis());
        records = Batches.recordCount(batch);
        batchLength = batch.remaining();
        request = produceRequest(BenchBroker.TOPIC, acks, batch);
    }

    /**
     * A Produce request (v9) of one batch to partition 0 of {@code topic}.
     */
    static ByteBuffer produceRequest(final String topic, final short acks, final ByteBuffer batch)
    {
        final ProduceRequestData body = new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000);
        final ProduceRequestData.TopicProduceData produced = new ProduceRequestData.TopicProduceData().setName(topic);
        produced.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
            .setRecords(MemoryRecords.readableRecords(batch)));
        body.topicData().add(produced);
        return KafkaConnection.frame(ApiKeys.PRODUCE, (short)9, body);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        broker.close();
    }

    @Benchmark
    public int produce(final RecordCounters counters) throws IOException
    {
        final int length = connection.roundTrip(request);
        counters.records += records;
        counters.bytes += batchLength;
        return length;
    }
}
