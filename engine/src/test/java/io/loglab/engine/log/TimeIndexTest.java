package io.loglab.engine.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TimeIndexTest
{
    private static final long BASE = 1_000;

    @TempDir
    Path dir;

    private Path file()
    {
        return dir.resolve(LogFiles.segmentFileName(BASE, LogFiles.TIME_INDEX_SUFFIX));
    }

    @Test
    void shouldReturnOffsetOfLastEntryBelowTargetWhenLookingUp() throws Exception
    {
        try (TimeIndex index = new TimeIndex(file(), BASE, 0, 1200, true))
        {
            index.maybeAppend(10_000, 1_004);
            index.maybeAppend(20_000, 1_010);
            index.maybeAppend(30_000, 1_020);

            assertEquals(3, index.entriesAcquire());
            assertEquals(30_000, index.lastTimestamp());
            assertEquals(1_010, index.offsetAt(1));
            // An entry (T, O) says nothing up to O is newer than T, so the search for T starts at the one before.
            assertEquals(BASE, index.lookup(10_000));
            assertEquals(1_004, index.lookup(10_001));
            assertEquals(1_004, index.lookup(20_000));
            assertEquals(1_010, index.lookup(20_001));
            assertEquals(1_020, index.lookup(Long.MAX_VALUE));
        }
    }

    @Test
    void shouldReturnBaseOffsetWhenTargetIsAtOrBelowFirstEntry() throws Exception
    {
        try (TimeIndex index = new TimeIndex(file(), BASE, 0, 1200, true))
        {
            assertEquals(BASE, index.lookup(5), "empty index");
            assertEquals(Long.MIN_VALUE, index.lastTimestamp());
            index.maybeAppend(500, 1_003);
            assertEquals(BASE, index.lookup(0));
            assertEquals(BASE, index.lookup(500));
            assertEquals(1_003, index.lookup(501));
        }
    }

    @Test
    void shouldSkipEntriesWhoseTimestampDoesNotGrow() throws Exception
    {
        try (TimeIndex index = new TimeIndex(file(), BASE, 0, 1200, true))
        {
            index.maybeAppend(100, 1_001);
            index.maybeAppend(100, 1_002);
            index.maybeAppend(50, 1_003);
            assertEquals(1, index.entriesAcquire());
            index.maybeAppend(101, 1_004);
            assertEquals(2, index.entriesAcquire());
            assertEquals(1_004, index.offsetAt(1));
        }
    }

    @Test
    void shouldStopAppendingWhenFull() throws Exception
    {
        try (TimeIndex index = new TimeIndex(file(), BASE, 0, 2 * TimeIndex.ENTRY_SIZE, true))
        {
            index.maybeAppend(1, 1_000);
            assertFalse(index.isFull());
            index.maybeAppend(2, 1_001);
            assertTrue(index.isFull());
            index.maybeAppend(3, 1_002);
            assertEquals(2, index.entriesAcquire());
            assertEquals(2, index.lastTimestamp());
        }
    }

    @Test
    void shouldKeepEntriesWhenTrimmedAndReopened() throws Exception
    {
        try (TimeIndex index = new TimeIndex(file(), BASE, 0, 12 * 1000, true))
        {
            for (int i = 0; i < 10; i++)
            {
                index.maybeAppend(1_000L * (i + 1), BASE + 5L * i);
            }
            index.flush();
            index.trimToEntries();
        }
        assertEquals(10 * TimeIndex.ENTRY_SIZE, Files.size(file()));

        try (TimeIndex reopened = new TimeIndex(file(), BASE, 10, 12 * 1000, false))
        {
            assertEquals(10, reopened.entriesAcquire());
            assertEquals(10_000, reopened.lastTimestamp());
            assertEquals(BASE + 20, reopened.lookup(5_001));
            assertNull(reopened.findDamage(BASE + 46));
            assertNotNull(reopened.findDamage(BASE + 45), "last entry's offset must be below the next offset");
        }
    }

    @Test
    void shouldReportDamageWhenTimestampsGoBackwards() throws Exception
    {
        final ByteBuffer bytes = ByteBuffer.allocate(3 * TimeIndex.ENTRY_SIZE);
        bytes.putLong(100).putInt(1);
        bytes.putLong(300).putInt(2);
        bytes.putLong(200).putInt(3);
        Files.write(file(), bytes.array());
        try (TimeIndex index = new TimeIndex(file(), BASE, 3, 1200, false))
        {
            final String damage = index.findDamage(BASE + 10);
            assertNotNull(damage);
            assertTrue(damage.startsWith("entry 2 "), damage);
        }
    }

    @Test
    void shouldReportDamageWhenOffsetsGoBackwards() throws Exception
    {
        final ByteBuffer bytes = ByteBuffer.allocate(2 * TimeIndex.ENTRY_SIZE);
        bytes.putLong(100).putInt(5);
        bytes.putLong(200).putInt(4);
        Files.write(file(), bytes.array());
        try (TimeIndex index = new TimeIndex(file(), BASE, 2, 1200, false))
        {
            final String damage = index.findDamage(BASE + 10);
            assertNotNull(damage);
            assertTrue(damage.startsWith("entry 1 "), damage);
        }
    }
}
