package io.loglab.engine.stat;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.ConcurrentCountersManager;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * The counters of the process that owns a data directory, in a memory-mapped file beside its topics
 * ({@value #FILE_NAME}), as Aeron keeps its counters in its CnC file: Agrona's counters layout (a metadata buffer of
 * labels and a values buffer of 64-bit values, one cache line each), behind a header that says who writes it.
 * The owner allocates and updates counters through {@link #manager()}; any other process reads them with
 * {@link #read}, without a lock and without changing a byte, as {@code loglab stat} does.
 * <pre>
 *   0   int  magic "LLCT"
 *   4   int  version
 *   8   int  metadata buffer length
 *   12  int  values buffer length
 *   16  long pid of the owner
 *   24  long start time, ms since the epoch
 *   32  int  state: 1 running, 2 closed (volatile)
 *   128      metadata buffer, then values buffer
 * </pre>
 * Threading: counters are allocated and freed from any thread ({@link ConcurrentCountersManager}); each counter has
 * one writer, which publishes with ordered stores; readers load with volatile loads.
 */
public final class CountersFile implements AutoCloseable
{
    public static final String FILE_NAME = "counters.dat";
    public static final int MAX_COUNTERS_DEFAULT = 4096;

    /** Counters of the engine: one per open partition. */
    public static final int ENGINE_TYPE_ID = 1;
    /** Counters of the broker. */
    public static final int BROKER_TYPE_ID = 2;
    /** Counters of a replication node: its replica messages and their offers. */
    public static final int REPLICATION_TYPE_ID = 3;
    /** Counters of one replica on a replication node: its role, leader, epoch, in-sync set and offsets. */
    public static final int REPLICA_TYPE_ID = 4;

    private static final int MAGIC = 0x4C4C4354;
    private static final int VERSION = 1;
    private static final int METADATA_LENGTH_OFFSET = 8;
    private static final int VALUES_LENGTH_OFFSET = 12;
    private static final int PID_OFFSET = 16;
    private static final int START_TIME_OFFSET = 24;
    private static final int STATE_OFFSET = 32;
    private static final int HEADER_LENGTH = 128;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;

    private final UnsafeBuffer header;
    private final ConcurrentCountersManager manager;

    private CountersFile(final MappedByteBuffer mapped, final int metadataLength, final int valuesLength)
    {
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        this.manager = new ConcurrentCountersManager(new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength), StandardCharsets.UTF_8);
    }

    /**
     * The owner of {@code dataDir}, holding its lock: a new file replacing any an earlier owner left (a reader that
     * still maps the old one keeps it until it looks again).
     */
    public static CountersFile create(final Path dataDir, final int maxCounters) throws IOException
    {
        final int metadataLength = maxCounters * CountersReader.METADATA_LENGTH;
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        final Path file = dataDir.resolve(FILE_NAME);
        final Path temporary = dataDir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        final MappedByteBuffer mapped =
            IoUtil.mapNewFile(temporary.toFile(), (long)HEADER_LENGTH + metadataLength + valuesLength, false);
        final CountersFile counters = new CountersFile(mapped, metadataLength, valuesLength);
        final UnsafeBuffer header = counters.header;
        header.putInt(4, VERSION);
        header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(START_TIME_OFFSET, System.currentTimeMillis());
        header.putInt(STATE_OFFSET, RUNNING);
        header.putIntVolatile(0, MAGIC);
        try
        {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            counters.close();
            Files.deleteIfExists(temporary);
            throw ex;
        }
        return counters;
    }

    /**
     * Allocate and free counters here.
     */
    public CountersManager manager()
    {
        return manager;
    }

    /**
     * Mark the file closed for its readers; the file stays, with the last values. The mapping is not unmapped here
     * but left to the garbage collector, once no counter refers to it: a thread that touches a counter late (a
     * partition closed after its manager, say) must never fault on unmapped memory.
     */
    @Override
    public void close()
    {
        header.putIntVolatile(STATE_OFFSET, CLOSED);
    }

    /**
     * What another process reads: the header's owner and state, and the counters.
     */
    public record Snapshot(long pid, long startTimeMs, boolean running, CountersReader counters)
    {
    }

    /**
     * Map the file of {@code dataDir} read-only and hand it to {@code reader}, then unmap it.
     *
     * @throws NoSuchFileException if the directory has none.
     * @throws IOException         if it is not a counters file of this version.
     */
    public static <T> T read(final Path dataDir, final Function<Snapshot, T> reader)
        throws IOException
    {
        final Path file = dataDir.resolve(FILE_NAME);
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file))
        {
            if (channel.size() < HEADER_LENGTH)
            {
                throw new IOException(file + " is not a loglab counters file (" + channel.size() + " bytes)");
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        try
        {
            final AtomicBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
            final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
            final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
            if (header.getIntVolatile(0) != MAGIC || header.getInt(4) != VERSION || metadataLength < 0 ||
                valuesLength < 0 || (long)HEADER_LENGTH + metadataLength + valuesLength > mapped.capacity())
            {
                throw new IOException(file + " is not a loglab counters file of version " + VERSION);
            }
            final CountersReader counters = new CountersReader(new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
                new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength), StandardCharsets.UTF_8);
            final boolean running = header.getIntVolatile(STATE_OFFSET) == RUNNING &&
                ProcessHandle.of(header.getLong(PID_OFFSET)).map(ProcessHandle::isAlive).orElse(false);
            return reader.apply(new Snapshot(header.getLong(PID_OFFSET), header.getLong(START_TIME_OFFSET), running,
                counters));
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }
}
