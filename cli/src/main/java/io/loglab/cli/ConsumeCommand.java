package io.loglab.cli;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.ReadableLog;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchDescriptor;
import io.loglab.engine.record.RecordBatchValidator;
import io.loglab.engine.record.RecordIterator;
import org.agrona.concurrent.UnsafeBuffer;
import io.loglab.broker.wire.RemoteLogClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * {@code loglab consume}: print records, partition by partition, in a {@link RecordFormat}.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
        "Print records partition by partition. Every batch is CRC-checked before it is printed. Uncompressed and",
        "gzip batches are decoded; other compressed batches are stored and served as-is by the log, and reported",
        "here (on standard error) without their records.",
        "",
        "Output formats (bytes are written as stored):",
        "  text    'partition offset key value' lines, '-' for null; for reading (a value holding a newline",
        "          spans lines)",
        "  base64  KEY<TAB>VALUE lines, each field base64, '-' for null",
        "  binary  records of: int32 key length (-1 for null), key, int32 value length (-1 for null), value",
        "          (big-endian)",
        "base64 and binary are exactly what 'loglab produce --format' reads, so 'consume --format F | produce",
        "--format F' copies keys and values byte for byte (not partitions, offsets or timestamps)."
    })
final class ConsumeCommand implements Callable<Integer>
{
    private static final int FETCH_BYTES = 1024 * 1024;

    @ArgGroup(exclusive = true, multiplicity = "1")
    LogSource source;

    @Option(names = "--topic", required = true, description = "Topic name.")
    String topic;

    @Option(names = "--partition", description = "Only this partition (default: all).")
    Integer partition;

    @Option(names = "--from", description = "earliest, latest, an OFFSET, or time:EPOCH_MS (default: " +
        "${DEFAULT-VALUE}).")
    String from = "earliest";

    @Option(names = "--max", description = "Stop after this many records in all.")
    Long max;

    @Option(names = "--format", description = "Output format: " + RecordFormat.NAMES + " (default: " +
        "${DEFAULT-VALUE}); see above.")
    String format = "text";

    private final RecordBatchValidator strict = new RecordBatchValidator();
    /** For a log that compacts: batches there may hold fewer records than the offsets they span. */
    private final RecordBatchValidator compacted = new RecordBatchValidator(true);
    private RecordBatchValidator validator;
    private final RecordIterator records = new RecordIterator();
    private final ByteBuffer fetched = ByteBuffer.allocateDirect(FETCH_BYTES);
    private final UnsafeBuffer fetchedView = new UnsafeBuffer(fetched);
    private RecordWriter writer;
    private long printed;

    @Override
    public Integer call() throws Exception
    {
        if (max != null && max < 0)
        {
            throw new IllegalArgumentException("--max must not be negative, was " + max);
        }
        final RecordFormat outputFormat = RecordFormat.parse(format);
        final OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        writer = new RecordWriter(outputFormat, out);
        if (source.remote())
        {
            try
            {
                consumeRemote();
            }
            finally
            {
                out.flush();
            }
            return 0;
        }
        try (TopicLogs logs = TopicLogs.open(source.dir, topic))
        {
            final int first = partition == null ? 0 : partition;
            final int last = partition == null ? logs.partitionCount() - 1 : partition;
            for (int p = first; p <= last && !reachedMax(); p++)
            {
                consume(p, logs.log(p), logs.name(p));
            }
        }
        finally
        {
            out.flush();
        }
        return 0;
    }

    /**
     * Read from a running broker with Kafka's consumer: each partition from --from to the end it had when its read
     * began.
     */
    private void consumeRemote() throws Exception
    {
        try (RemoteLogClient client = source.client())
        {
            final int partitions = LogSource.ask(source.bootstrap(), topic,
                () -> client.describe(topic).partitions().size());
            if (partition != null && (partition < 0 || partition >= partitions))
            {
                throw new IllegalArgumentException("topic " + topic + " has partitions 0 to " + (partitions - 1) +
                    ", not " + partition);
            }
            final int first = partition == null ? 0 : partition;
            final int last = partition == null ? partitions - 1 : partition;
            for (int p = first; p <= last && !reachedMax(); p++)
            {
                client.read(topic, p, from, (partitionId, offset, key, value) ->
                {
                    writer.write(partitionId, offset, key, value);
                    printed++;
                    return !reachedMax();
                });
            }
        }
    }

    private boolean reachedMax()
    {
        return max != null && printed >= max;
    }

    private void consume(final int partitionId, final ReadableLog log, final String name) throws IOException
    {
        final LogReader reader = log.newReader();
        validator = log.config().cleanupPolicy().compacts() ? compacted : strict;
        final long endOffset = log.logEndOffset();
        long offset = startOffset(log, reader, name);
        while (offset < endOffset && !reachedMax())
        {
            if (reader.read(offset, FETCH_BYTES) == LogReader.OFFSET_OUT_OF_RANGE)
            {
                throw new IllegalArgumentException("offset " + offset + " is out of range for " + name +
                    ": the log holds " + log.logStartOffset() + " to " + (log.logEndOffset() - 1));
            }
            if (reader.length() == 0)
            {
                break;
            }
            if (reader.length() > fetched.capacity())
            {
                throw new IllegalStateException("a batch of " + reader.length() + " bytes at offset " + offset +
                    " exceeds this command's " + FETCH_BYTES + "-byte fetch buffer");
            }
            fetched.clear();
            reader.copyTo(fetched);
            printBatches(partitionId, name, reader.length(), offset);
            offset = reader.nextOffset();
        }
    }

    private long startOffset(final ReadableLog log, final LogReader reader, final String name) throws IOException
    {
        if (from.equals("earliest"))
        {
            return log.logStartOffset();
        }
        if (from.equals("latest"))
        {
            return log.logEndOffset();
        }
        if (from.startsWith("time:"))
        {
            final long offset = reader.offsetForTimestamp(parse(from.substring("time:".length())));
            return offset == LogReader.NO_OFFSET ? log.logEndOffset() : offset;
        }
        final long offset = parse(from);
        if (offset < log.logStartOffset() || offset > log.logEndOffset())
        {
            throw new IllegalArgumentException("--from " + offset + " is out of range for " + name +
                ": the log holds offsets " + log.logStartOffset() + " to " + (log.logEndOffset() - 1) +
                (offset < log.logStartOffset() ? " (retention deleted what came before)" : ""));
        }
        return offset;
    }

    private long parse(final String number)
    {
        try
        {
            return Long.parseLong(number);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(
                "--from must be earliest, latest, an offset or time:EPOCH_MS, was " + from);
        }
    }

    private void printBatches(final int partitionId, final String name, final int length, final long fromOffset)
        throws IOException
    {
        records.wrap(fetchedView, 0, length, fromOffset);
        while (!reachedMax() && nextBatch(name))
        {
            final RecordBatch batch = records.batch();
            try
            {
                validator.validate(fetchedView, batch.offset(), batch.totalLength(), true);
            }
            catch (final InvalidRecordBatchException ex)
            {
                throw corrupt(name, batch.baseOffset(), ex);
            }
            final int codec = batch.compressionCodec();
            if (codec == RecordBatchDescriptor.COMPRESSION_GZIP)
            {
                if (batch.lastOffset() >= fromOffset)
                {
                    final byte[] decompressed = gunzip(batch);
                    records.recordsFrom(new UnsafeBuffer(decompressed), 0, decompressed.length);
                }
            }
            else if (codec != RecordBatchDescriptor.COMPRESSION_NONE)
            {
                System.err.println(name + " offsets " + batch.baseOffset() + "-" + batch.lastOffset() + ": a " +
                    RecordBatchDescriptor.compressionName(codec) + "-compressed batch of " +
                    batch.recordsCount() + " records, not decoded by this command");
                continue;
            }
            while (!reachedMax() && records.nextRecord())
            {
                writer.write(partitionId, records.record());
                printed++;
            }
        }
    }

    private boolean nextBatch(final String name)
    {
        try
        {
            return records.nextBatch();
        }
        catch (final InvalidRecordBatchException ex)
        {
            throw corrupt(name, -1, ex);
        }
    }

    private static IllegalStateException corrupt(final String name, final long baseOffset, final Exception ex)
    {
        return new IllegalStateException("corrupt batch in " + name +
            (baseOffset >= 0 ? " at offset " + baseOffset : "") + ": " + ex.getMessage() + " (run loglab verify)");
    }

    private byte[] gunzip(final RecordBatch gzipped) throws IOException
    {
        final byte[] compressed = new byte[gzipped.limit() - gzipped.recordsOffset()];
        fetchedView.getBytes(gzipped.recordsOffset(), compressed);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed)))
        {
            return in.readAllBytes();
        }
    }
}
