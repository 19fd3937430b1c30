package io.loglab.cli;

import io.loglab.engine.log.LogReader;
import io.loglab.engine.partition.Partition;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.Record;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchDescriptor;
import io.loglab.engine.record.RecordBatchValidator;
import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.Topic;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * {@code loglab consume}: print records as {@code partition offset key value}.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
        "Print records as 'partition offset key value' ('-' for a null key), partition by partition.",
        "Every batch is CRC-checked before it is printed. Uncompressed and gzip batches are decoded; other",
        "compressed batches are stored and served as-is by the log, and reported here without their records."
    })
final class ConsumeCommand implements Callable<Integer>
{
    private static final int FETCH_BYTES = 1024 * 1024;

    @Option(names = "--dir", required = true, description = "Data directory.")
    Path dir;

    @Option(names = "--topic", required = true, description = "Topic name.")
    String topic;

    @Option(names = "--partition", description = "Only this partition (default: all).")
    Integer partition;

    @Option(names = "--from", description = "earliest, latest, an OFFSET, or time:EPOCH_MS (default: " +
        "${DEFAULT-VALUE}).")
    String from = "earliest";

    @Option(names = "--max", description = "Stop after this many records in all.")
    Long max;

    private final RecordBatchValidator validator = new RecordBatchValidator();
    private final RecordBatch batch = new RecordBatch();
    private final Record record = new Record();
    private final ByteBuffer fetched = ByteBuffer.allocateDirect(FETCH_BYTES);
    private final UnsafeBuffer fetchedView = new UnsafeBuffer(fetched);
    private PrintStream out;
    private long printed;

    @Override
    public Integer call() throws Exception
    {
        if (max != null && max < 0)
        {
            throw new IllegalArgumentException("--max must not be negative, was " + max);
        }
        out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
        try (LogManager manager = CliSupport.openExisting(dir))
        {
            final Topic source = manager.topic(topic);
            final int first = partition == null ? 0 : partition;
            final int last = partition == null ? source.partitionCount() - 1 : partition;
            for (int p = first; p <= last && !reachedMax(); p++)
            {
                consume(source.partition(p));
            }
        }
        finally
        {
            out.flush();
        }
        return 0;
    }

    private boolean reachedMax()
    {
        return max != null && printed >= max;
    }

    private void consume(final Partition source) throws IOException
    {
        final LogReader reader = source.newReader();
        final long endOffset = source.logEndOffset();
        long offset = startOffset(source, reader);
        while (offset < endOffset && !reachedMax())
        {
            if (reader.read(offset, FETCH_BYTES) == LogReader.OFFSET_OUT_OF_RANGE)
            {
                throw new IllegalArgumentException("offset " + offset + " is out of range for " + source +
                    ": the log holds " + source.logStartOffset() + " to " + (source.logEndOffset() - 1));
            }
            if (reader.length() == 0)
            {
                break;
            }
            final int length = Math.min(reader.length(), fetched.capacity());
            fetched.clear();
            if (reader.length() > fetched.capacity())
            {
                throw new IllegalStateException("a batch of " + reader.length() + " bytes at offset " + offset +
                    " exceeds this command's " + FETCH_BYTES + "-byte fetch buffer");
            }
            reader.copyTo(fetched);
            printBatches(source, length, offset);
            offset = reader.nextOffset();
        }
    }

    private long startOffset(final Partition source, final LogReader reader) throws IOException
    {
        if (from.equals("earliest"))
        {
            return source.logStartOffset();
        }
        if (from.equals("latest"))
        {
            return source.logEndOffset();
        }
        if (from.startsWith("time:"))
        {
            final long offset = reader.offsetForTimestamp(parse(from.substring("time:".length())));
            return offset == LogReader.NO_OFFSET ? source.logEndOffset() : offset;
        }
        final long offset = parse(from);
        if (offset < source.logStartOffset() || offset > source.logEndOffset())
        {
            throw new IllegalArgumentException("--from " + offset + " is out of range for " + source +
                ": the log holds offsets " + source.logStartOffset() + " to " + (source.logEndOffset() - 1) +
                (offset < source.logStartOffset() ? " (retention deleted what came before)" : ""));
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

    private void printBatches(final Partition source, final int length, final long fromOffset) throws IOException
    {
        int at = 0;
        while (at < length && !reachedMax())
        {
            batch.wrap(fetchedView, at);
            final int total = batch.totalLength();
            try
            {
                validator.validate(fetchedView, at, total, true);
            }
            catch (final InvalidRecordBatchException ex)
            {
                throw new IllegalStateException("corrupt batch in " + source + " at offset " + batch.baseOffset() +
                    ": " + ex.getMessage() + " (run loglab verify)");
            }
            if (batch.compressionCodec() == RecordBatchDescriptor.COMPRESSION_NONE)
            {
                printRecords(source, fetchedView, batch.recordsOffset(), batch.limit(), fromOffset);
            }
            else if (batch.compressionCodec() == 1)
            {
                final byte[] records = gunzip(batch);
                printRecords(source, new UnsafeBuffer(records), 0, records.length, fromOffset);
            }
            else
            {
                System.err.println(source + " offsets " + batch.baseOffset() + "-" + batch.lastOffset() + ": a " +
                    RecordBatchDescriptor.compressionName(batch.compressionCodec()) + "-compressed batch of " +
                    batch.recordsCount() + " records, not decoded by this command");
            }
            at += total;
        }
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

    private void printRecords(
        final Partition source, final DirectBuffer buffer, final int start, final int limit, final long fromOffset)
    {
        int at = start;
        for (int i = 0; i < batch.recordsCount() && at < limit && !reachedMax(); i++)
        {
            record.wrap(buffer, at, limit, batch.baseOffset(), batch.baseTimestamp());
            at += record.totalLength();
            if (record.offset() < fromOffset)
            {
                continue;
            }
            out.print(source.id());
            out.print(' ');
            out.print(record.offset());
            out.print(' ');
            out.print(text(buffer, record.keyOffset(), record.keyLength()));
            out.print(' ');
            out.println(text(buffer, record.valueOffset(), record.valueLength()));
            printed++;
        }
    }

    private static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        return length < 0 ? "-" : buffer.getStringWithoutLengthUtf8(offset, length);
    }
}
