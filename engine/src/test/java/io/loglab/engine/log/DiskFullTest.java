package io.loglab.engine.log;

import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.record.RecordBatchValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A real full disk: a 512 KiB tmpfs mounted for the test (root only, as in CI; skipped where mount is refused).
 */
class DiskFullTest
{
    @TempDir
    Path tmp;

    private Path mountPoint;

    @BeforeEach
    void mountSmallFileSystem() throws Exception
    {
        mountPoint = tmp.resolve("small");
        Files.createDirectories(mountPoint);
        final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs",
            mountPoint.toString()).redirectErrorStream(true).start();
        final boolean exited = mount.waitFor(30, TimeUnit.SECONDS);
        Assumptions.assumeTrue(exited && mount.exitValue() == 0, "cannot mount a tmpfs here (needs root)");
    }

    @AfterEach
    void unmount() throws Exception
    {
        new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldFailAppendClearlyAndStayConsistentWhenDiskIsFull() throws Exception
    {
        // Ballast the operator can delete to free space once the disk has filled.
        final Path ballast = mountPoint.resolve("ballast");
        Files.write(ballast, new byte[64 * 1024]);

        final Path dir = mountPoint.resolve("partition-0");
        final LogConfig config = new LogConfig().segmentBytes(128 * 1024).flushPolicy(FlushPolicy.EVERY);
        final List<byte[]> appended = new ArrayList<>();
        IOException failure = null;
        long endBeforeFailure = -1;
        try (PartitionLog log = PartitionLog.open(dir, config))
        {
            for (int i = 0; i < 1000 && failure == null; i++)
            {
                final ByteBuffer batch = batch(i, 8 * 1024);
                final byte[] copy = new byte[batch.remaining()];
                batch.duplicate().get(copy);
                endBeforeFailure = log.logEndOffset();
                try
                {
                    log.append(new ByteBuffer[]{ batch }, 0, 1, System.currentTimeMillis());
                    appended.add(copy);
                }
                catch (final IOException ex)
                {
                    failure = ex;
                }
            }
            assertNotNull(failure, "a 512 KiB file system must fill up");
            System.out.println("append on a full disk failed with: " + failure + ", cause: " + failure.getCause());
            assertTrue(String.valueOf(failure.getMessage()).contains("No space left") ||
                String.valueOf(failure.getMessage()).startsWith("indexing "), "the error says why: " + failure);
            assertEquals(endBeforeFailure, log.logEndOffset(), "a failed append publishes nothing");
            assertEquals(appended.size(), countBatches(log), "every good batch is readable");

            Files.delete(ballast);
        }

        try (PartitionLog reopened = PartitionLog.open(dir, config))
        {
            assertEquals(endBeforeFailure, reopened.logEndOffset());
            assertEquals(appended.size(), countBatches(reopened));
            reopened.append(new ByteBuffer[]{ batch(9999, 1024) }, 0, 1, System.currentTimeMillis());
            assertEquals(endBeforeFailure + 1, reopened.logEndOffset(), "the log takes appends again");
        }
        final LogVerifier.Result verified = LogVerifier.verify(dir, config);
        assertEquals(LogVerifier.Status.CLEAN, verified.status(), verified.findings().toString());
        assertEquals(List.of(), verified.findings());
    }

    private static int countBatches(final PartitionLog log) throws IOException
    {
        final LogReader reader = log.newReader();
        final RecordBatchValidator validator = new RecordBatchValidator();
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int batches = 0;
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset())
        {
            assertEquals(LogReader.OK, reader.read(offset, 1));
            buffer.clear();
            reader.copyTo(buffer);
            validator.validate(buffer, 0, reader.length(), true);
            batches++;
            offset = reader.nextOffset();
        }
        return batches;
    }

    private static ByteBuffer batch(final int seed, final int valueBytes)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(valueBytes + 256);
        final RecordBatchBuilder builder = new RecordBatchBuilder().wrap(new UnsafeBuffer(buffer), 0, buffer.capacity());
        final UnsafeBuffer value = new UnsafeBuffer(new byte[valueBytes]);
        value.setMemory(0, valueBytes, (byte)seed);
        assertTrue(builder.tryAppend(seed, null, 0, 0, value, 0, valueBytes, null));
        return buffer.limit(builder.build()).position(0);
    }
}
