package io.loglab.engine.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class OffsetIndexTest
{
    private static final long BASE = 100;

    @TempDir
    Path dir;

    private Path file()
    {
        return dir.resolve(LogFiles.segmentFileName(BASE, LogFiles.INDEX_SUFFIX));
    }

    @Test
    void shouldReturnPositionOfLargestEntryAtOrBelowTargetWhenLookingUp() throws Exception
    {
        try (OffsetIndex index = new OffsetIndex(file(), BASE, 0, 1024, true))
        {
            index.append(105, 0);
            index.append(110, 200);
            index.append(120, 500);

            assertEquals(3, index.entriesAcquire());
            assertEquals(105, index.keyAt(0));
            assertEquals(200, index.positionAt(1));
            assertEquals(0, index.lookup(105));
            assertEquals(0, index.lookup(109));
            assertEquals(200, index.lookup(110));
            assertEquals(200, index.lookup(119));
            assertEquals(500, index.lookup(120));
            assertEquals(500, index.lookup(Long.MAX_VALUE));
            assertEquals(2, index.largestLowerBound(125));
            assertEquals(1, index.largestLowerBound(115));
        }
    }

    @Test
    void shouldReturnSegmentStartWhenTargetIsBelowFirstEntry() throws Exception
    {
        try (OffsetIndex index = new OffsetIndex(file(), BASE, 0, 1024, true))
        {
            assertEquals(0, index.lookup(BASE), "empty index");
            assertEquals(-1, index.largestLowerBound(BASE));

            index.append(110, 4096);
            assertEquals(-1, index.largestLowerBound(109));
            assertEquals(0, index.lookup(100));
            assertEquals(0, index.lookup(109));
            assertEquals(4096, index.lookup(110));
        }
    }

    @Test
    void shouldFindEveryEntryWhenManyAreIndexed() throws Exception
    {
        try (OffsetIndex index = new OffsetIndex(file(), BASE, 0, 8 * 1000, true))
        {
            for (int i = 0; i < 1000; i++)
            {
                index.append(BASE + i * 3L + 2, i * 100);
            }
            assertTrue(index.isFull());
            for (int i = 0; i < 1000; i++)
            {
                final long lastOffset = BASE + i * 3L + 2;
                assertEquals(i * 100, index.lookup(lastOffset), "at " + lastOffset);
                assertEquals(i * 100, index.lookup(lastOffset + 2), "after " + lastOffset);
                if (i > 0)
                {
                    assertEquals((i - 1) * 100, index.lookup(lastOffset - 1), "before " + lastOffset);
                }
            }
        }
    }

    @Test
    void shouldReportFullWhenMaxEntriesAppended() throws Exception
    {
        try (OffsetIndex index = new OffsetIndex(file(), BASE, 0, 3 * OffsetIndex.ENTRY_SIZE + 5, true))
        {
            assertEquals(3, index.maxEntries());
            index.append(101, 0);
            index.append(102, 10);
            assertFalse(index.isFull());
            index.append(103, 20);
            assertTrue(index.isFull());
            assertEquals(20, index.lookup(1_000));
        }
    }

    @Test
    void shouldKeepEntriesWhenTrimmedAndReopened() throws Exception
    {
        try (OffsetIndex index = new OffsetIndex(file(), BASE, 0, 1024 * 1024, true))
        {
            assertEquals(1024 * 1024, Files.size(file()), "a mutable index is preallocated");
            index.append(103, 0);
            index.append(107, 300);
            index.append(111, 900);
            index.flush();
            index.trimToEntries();
        }
        assertEquals(3 * OffsetIndex.ENTRY_SIZE, Files.size(file()));

        try (OffsetIndex reopened = new OffsetIndex(file(), BASE, 3, 1024 * 1024, false))
        {
            assertEquals(3, reopened.entriesAcquire());
            assertEquals(3, reopened.maxEntries());
            assertTrue(reopened.isFull());
            assertEquals(111, reopened.keyAt(2));
            assertEquals(300, reopened.lookup(110));
            assertEquals(900, reopened.lookup(111));
            assertNull(reopened.findDamage(1000));
        }
    }

    @Test
    void shouldReportDamageWhenEntriesAreOutOfOrder() throws Exception
    {
        final ByteBuffer bytes = ByteBuffer.allocate(3 * OffsetIndex.ENTRY_SIZE);
        bytes.putInt(5).putInt(0);
        bytes.putInt(9).putInt(100);
        bytes.putInt(7).putInt(200); // offset goes backwards
        Files.write(file(), bytes.array());

        try (OffsetIndex index = new OffsetIndex(file(), BASE, 3, 1024, false))
        {
            final String damage = index.findDamage(10_000);
            assertNotNull(damage);
            assertTrue(damage.startsWith("entry 2 "), damage);
        }
    }

    @Test
    void shouldReportDamageWhenPositionsGoBackwardsOrPastTheLog() throws Exception
    {
        try (OffsetIndex index = new OffsetIndex(file(), BASE, 0, 1024, true))
        {
            index.append(105, 100);
            index.append(110, 500);
            assertNull(index.findDamage(501));
            final String pastEnd = index.findDamage(500);
            assertNotNull(pastEnd);
            assertTrue(pastEnd.startsWith("entry 1 "), pastEnd);

            index.append(115, 400);
            final String backwards = index.findDamage(10_000);
            assertNotNull(backwards);
            assertTrue(backwards.startsWith("entry 2 "), backwards);
        }
    }

    @Test
    void shouldReportDamageWhenFirstEntryIsBelowBaseOffset() throws Exception
    {
        final ByteBuffer bytes = ByteBuffer.allocate(OffsetIndex.ENTRY_SIZE);
        bytes.putInt(-1).putInt(0);
        Files.write(file(), bytes.array());
        try (OffsetIndex index = new OffsetIndex(file(), BASE, 1, 1024, false))
        {
            assertNotNull(index.findDamage(10_000));
        }
    }
}
