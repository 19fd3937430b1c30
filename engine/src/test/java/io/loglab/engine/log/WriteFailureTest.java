package io.loglab.engine.log;

import io.loglab.engine.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.loglab.engine.log.PartitionLogTest.append;
import static io.loglab.engine.log.PartitionLogTest.assertContiguous;
import static io.loglab.engine.log.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A real I/O failure without changing main code: a FileChannel write on an interrupted thread fails with
 * {@link ClosedByInterruptException} and closes the channel, which is also what happens to the writer thread when
 * Agrona's AgentRunner.close() times out and interrupts it.
 */
class WriteFailureTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @AfterEach
    void clearInterrupt()
    {
        Thread.interrupted();
    }

    private static LogConfig config()
    {
        return new LogConfig().segmentBytes(4096).indexIntervalBytes(256).retentionMs(-1);
    }

    @Test
    void shouldPublishNothingAndStayRecoverableWhenWriteFails() throws IOException
    {
        final byte[] before;
        final ByteBuffer failed = TestBatches.batch(3, NOW);
        final ByteBuffer second = TestBatches.batch(2, NOW);
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            for (int i = 0; i < 10; i++)
            {
                append(log, TestBatches.batch(4, NOW, 0, 100), NOW);
            }
            assertTrue(log.segmentCount() > 1);
            before = readAll(log, 0, Integer.MAX_VALUE);
            final long sizeBefore = log.sizeInBytes();
            final int failedLimit = failed.limit();

            Thread.currentThread().interrupt();
            assertThrows(ClosedByInterruptException.class,
                () -> log.append(new ByteBuffer[]{ failed, second }, 0, 2, NOW));
            assertTrue(Thread.interrupted());

            assertEquals(40, log.logEndOffset(), "nothing published");
            assertEquals(sizeBefore, log.sizeInBytes());
            assertEquals(0, failed.position(), "the producer's buffer is left as it was");
            assertEquals(failedLimit, failed.limit());
            final IOException refused = assertThrows(IOException.class,
                () -> log.append(new ByteBuffer[]{ TestBatches.batch(1, NOW) }, 0, 1, NOW));
            assertTrue(refused.getMessage().contains("takes no more appends"), refused.getMessage());
            assertThrows(IOException.class, log::roll);
            assertThrows(IOException.class, () -> log.applyRetention(NOW));
        }
        assertFalse(Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN)),
            "a failed log must not claim a clean shutdown");

        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            assertEquals(List.of(), log.recoveryReport());
            assertEquals(40, log.logEndOffset());
            assertArrayEquals(before, readAll(log, 0, Integer.MAX_VALUE));
            // The same buffers can be offered again after the failure.
            assertEquals(2, log.append(new ByteBuffer[]{ failed, second }, 0, 2, NOW));
            assertEquals(45, log.logEndOffset());
            assertContiguous(TestBatches.decode(readAll(log, 0, 1)), 0, 45);
        }
    }

    @Test
    void shouldKeepOlderSegmentsReadableWhenActiveSegmentWriteFails() throws IOException
    {
        try (PartitionLog log = PartitionLog.open(dir, config()))
        {
            for (int i = 0; i < 10; i++)
            {
                append(log, TestBatches.batch(4, NOW, 0, 100), NOW);
            }
            final long activeBase = log.segments().acquire()[log.segmentCount() - 1].baseOffset();
            Thread.currentThread().interrupt();
            assertThrows(ClosedByInterruptException.class,
                () -> log.append(new ByteBuffer[]{ TestBatches.batch(1, NOW) }, 0, 1, NOW));
            Thread.interrupted();

            final LogReader reader = log.newReader();
            assertEquals(LogReader.OK, reader.read(0, Integer.MAX_VALUE));
            assertTrue(reader.nextOffset() <= activeBase);
            final ByteBuffer bytes = ByteBuffer.allocate(reader.length());
            reader.copyTo(bytes);
            assertContiguous(TestBatches.decode(bytes.array()), 0, reader.nextOffset());
        }
    }
}
