package io.loglab.cli;

import io.loglab.engine.log.FileBatchIterator;
import io.loglab.engine.record.InvalidRecordBatchException;
import io.loglab.engine.record.RecordBatch;
import io.loglab.engine.record.RecordBatchDescriptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

/**
 * {@code loglab dump}: one line per batch of a segment file.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = "Print each batch of a segment (.log) file: position, base and last offset, record count, size, " +
        "whether its CRC is valid, timestamps, producer id and compression. Exits 1 at bytes that are not a batch.")
final class DumpCommand implements Callable<Integer>
{
    @Option(names = "--segment", required = true, description = "A segment file, e.g. 00000000000000000000.log.")
    Path segment;

    @Override
    public Integer call() throws Exception
    {
        if (!Files.isRegularFile(segment))
        {
            throw new IllegalArgumentException("no segment file at " + segment);
        }
        final FileBatchIterator iterator = new FileBatchIterator(64 * 1024);
        long batches = 0;
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ))
        {
            iterator.reset(channel::read, 0, channel.size());
            while (iterator.next())
            {
                final boolean crcValid = iterator.crcMatchesStreaming();
                final RecordBatch batch = iterator.batch();
                System.out.println("position=" + iterator.position() +
                    " baseOffset=" + batch.baseOffset() +
                    " lastOffset=" + batch.lastOffset() +
                    " count=" + batch.recordsCount() +
                    " size=" + batch.totalLength() +
                    " crcValid=" + crcValid +
                    " baseTimestamp=" + batch.baseTimestamp() +
                    " maxTimestamp=" + batch.maxTimestamp() +
                    " producerId=" + batch.producerId() +
                    " producerEpoch=" + batch.producerEpoch() +
                    " baseSequence=" + batch.baseSequence() +
                    " leaderEpoch=" + batch.partitionLeaderEpoch() +
                    " compression=" + RecordBatchDescriptor.compressionName(batch.compressionCodec()));
                batches++;
            }
        }
        catch (final InvalidRecordBatchException ex)
        {
            System.out.flush();
            System.err.println(segment + ": not a batch at byte " + Math.max(iterator.position(), 0) + ": " +
                ex.getMessage());
            return 1;
        }
        System.err.println(segment + ": " + batches + " batches");
        return 0;
    }
}
