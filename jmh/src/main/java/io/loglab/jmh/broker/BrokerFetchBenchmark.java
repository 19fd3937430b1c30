package io.loglab.jmh.broker;

import io.loglab.jmh.support.Batches;
import io.loglab.jmh.support.JvmFlags;
import io.loglab.jmh.support.KafkaConnection;
import io.loglab.jmh.support.RecordCounters;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
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
 * The broker's fetch request path over loopback: one connection sends a Fetch request (v12, one partition, from the
 * base offset of one of the log's batches, at most one batch) and reads the response whole, over and over, walking
 * the log. What is measured is the broker's whole path: decode with the generated classes, the lookup in the
 * partition's index, and the response whose fixed fields are encoded by the generated classes and whose record
 * bytes go from the segment file to the socket with {@code transferTo}. With {@code -prof gc}, the allocation per
 * operation is the broker's per-request cost (the client side here allocates nothing per call).
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
public class BrokerFetchBenchmark
{
    /** Batches in the log: 256 of 16 KiB is 4 MiB, in page cache. */
    private static final int BATCHES = 256;

    @Param({"100", "1024"})
    int recordSize;

    @Param({"16384"})
    String batchBytes;

    private BenchBroker broker;
    private KafkaConnection connection;
    private ByteBuffer[] requests;
    private int next;
    private int records;
    private int batchLength;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        broker = BenchBroker.start("loglab-broker-fetch-");
        connection = broker.connection();
        final ByteBuffer batch = Batches.build(recordSize, batchBytes, System.currentTimeMillis());
        records = Batches.recordCount(batch);
        batchLength = batch.remaining();
        final ByteBuffer produce = BrokerProduceBenchmark.produceRequest(BenchBroker.TOPIC, (short)1, batch);
        requests = new ByteBuffer[BATCHES];
        for (int i = 0; i < BATCHES; i++)
        {
            connection.roundTrip(produce);
            requests[i] = fetchRequest(BenchBroker.TOPIC, (long)i * records, batchLength);
        }
        for (final ByteBuffer request : new ByteBuffer[] {requests[0], requests[BATCHES - 1]})
        {
            // A response without the batch would make every score a lie.
            final int length = connection.roundTrip(request);
            if (length < batchLength)
            {
                throw new IllegalStateException("a fetch got " + length + " bytes, less than its batch of " +
                    batchLength);
            }
        }
    }

    /**
     * A Fetch request (v12, no session, no wait) for partition 0 of {@code topic} from {@code offset}: at most
     * {@code maxBytes}, which is one whole batch whatever its size.
     */
    private static ByteBuffer fetchRequest(final String topic, final long offset, final int maxBytes)
    {
        final FetchRequestData body = new FetchRequestData()
            .setReplicaId(-1)
            .setMaxWaitMs(0)
            .setMinBytes(1)
            .setMaxBytes(maxBytes)
            .setSessionId(0)
            .setSessionEpoch(-1);
        final FetchRequestData.FetchTopic fetched = new FetchRequestData.FetchTopic().setTopic(topic);
        fetched.partitions().add(new FetchRequestData.FetchPartition()
            .setPartition(0)
            .setFetchOffset(offset)
            .setPartitionMaxBytes(maxBytes));
        body.topics().add(fetched);
        return KafkaConnection.frame(ApiKeys.FETCH, (short)12, body);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        broker.close();
    }

    @Benchmark
    public int fetch(final RecordCounters counters) throws IOException
    {
        final int length = connection.roundTrip(requests[next]);
        next = next + 1 == BATCHES ? 0 : next + 1;
        counters.records += records;
        counters.bytes += batchLength;
        return length;
    }
}
