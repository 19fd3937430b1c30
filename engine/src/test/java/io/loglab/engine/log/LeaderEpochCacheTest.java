package io.loglab.engine.log;

import io.loglab.engine.log.LeaderEpochCache.EpochEndOffset;
import io.loglab.engine.log.LeaderEpochCache.EpochEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.loglab.engine.log.LeaderEpochCache.UNDEFINED_EPOCH;
import static io.loglab.engine.log.LeaderEpochCache.UNDEFINED_OFFSET;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The epoch cache's answers and truncations, case by case as Kafka's {@code LeaderEpochFileCacheTest} checks them.
 */
class LeaderEpochCacheTest
{
    @TempDir
    Path dir;

    private LeaderEpochCheckpointFile file()
    {
        return new LeaderEpochCheckpointFile(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT));
    }

    private LeaderEpochCache cache(final EpochEntry... entries)
    {
        return new LeaderEpochCache(file(), List.of(entries));
    }

    private static EpochEntry entry(final int epoch, final long startOffset)
    {
        return new EpochEntry(epoch, startOffset);
    }

    @Test
    void shouldReturnTheLogEndOffsetForTheLatestEpoch() throws IOException
    {
        final LeaderEpochCache cache = cache();
        assertTrue(cache.assign(2, 10));
        assertEquals(new EpochEndOffset(2, 11), cache.endOffsetFor(2, 11));
        assertEquals(2, cache.latestEpoch());
    }

    @Test
    void shouldAnswerUndefinedForAnUndefinedEpochOrAnEmptyCache() throws IOException
    {
        assertEquals(new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET), cache().endOffsetFor(3, 100));
        final LeaderEpochCache cache = cache(entry(1, 0));
        assertEquals(new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET), cache.endOffsetFor(UNDEFINED_EPOCH, 10));
    }

    @Test
    void shouldAnswerUndefinedForAnEpochNewerThanAnyKnown()
    {
        final LeaderEpochCache cache = cache(entry(0, 0), entry(2, 10));
        assertEquals(new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET), cache.endOffsetFor(5, 20));
    }

    @Test
    void shouldAnswerTheFirstEntrysStartForAnEpochOlderThanAnyKnown()
    {
        final LeaderEpochCache cache = cache(entry(3, 100), entry(5, 200));
        assertEquals(new EpochEndOffset(1, 100), cache.endOffsetFor(1, 300));
    }

    @Test
    void shouldAnswerTheStartOfTheNextEpochForAnEarlierOne()
    {
        final LeaderEpochCache cache = cache(entry(0, 10), entry(2, 13), entry(4, 17));
        assertEquals(new EpochEndOffset(0, 13), cache.endOffsetFor(0, 30));
        assertEquals(new EpochEndOffset(0, 13), cache.endOffsetFor(1, 30), "no epoch 1: the one before it");
        assertEquals(new EpochEndOffset(2, 17), cache.endOffsetFor(2, 30));
        assertEquals(new EpochEndOffset(2, 17), cache.endOffsetFor(3, 30));
        assertEquals(new EpochEndOffset(4, 30), cache.endOffsetFor(4, 30));
    }

    @Test
    void shouldNotMoveAnEpochsStartOffsetForward() throws IOException
    {
        final LeaderEpochCache cache = cache();
        assertTrue(cache.assign(2, 6));
        assertFalse(cache.assign(2, 7));
        assertEquals(List.of(entry(2, 6)), cache.entries());
    }

    @Test
    void shouldMoveTheLatestEpochsStartBackAndDropWhatConflicts() throws IOException
    {
        final LeaderEpochCache cache = cache(entry(1, 11));
        assertTrue(cache.assign(1, 10));
        assertEquals(List.of(entry(1, 10)), cache.entries());
        assertTrue(cache.assign(3, 20));
        assertTrue(cache.assign(4, 15), "a later epoch starting earlier removes the entries at or after it");
        assertEquals(List.of(entry(1, 10), entry(4, 15)), cache.entries());
        assertTrue(cache.assign(2, 12), "an older epoch removes every later one");
        assertEquals(List.of(entry(1, 10), entry(2, 12)), cache.entries());
    }

    @Test
    void shouldOnlyTakeNewerEpochsWhileLoading()
    {
        final LeaderEpochCache cache = cache(entry(0, 0), entry(3, 500));
        assertFalse(cache.assignInMemoryIfNewer(entry(0, 400)), "the batches scanned after a checkpoint are older");
        assertFalse(cache.assignInMemoryIfNewer(entry(3, 500)));
        assertTrue(cache.assignInMemoryIfNewer(entry(4, 600)));
        assertEquals(List.of(entry(0, 0), entry(3, 500), entry(4, 600)), cache.entries());
    }

    @Test
    void shouldTruncateFromTheEnd() throws IOException
    {
        final LeaderEpochCache cache = cache(entry(2, 6), entry(3, 8), entry(4, 11));
        cache.truncateFromEnd(12);
        assertEquals(3, cache.entries().size(), "nothing starts at or after 12");
        cache.truncateFromEnd(9);
        assertEquals(List.of(entry(2, 6), entry(3, 8)), cache.entries());
        cache.truncateFromEnd(8);
        assertEquals(List.of(entry(2, 6)), cache.entries());
        cache.truncateFromEnd(0);
        assertEquals(List.of(), cache.entries());
        assertEquals(UNDEFINED_EPOCH, cache.latestEpoch());
    }

    @Test
    void shouldTruncateFromTheStartKeepingTheEpochOfTheFirstOffsetKept() throws IOException
    {
        LeaderEpochCache cache = cache(entry(2, 6), entry(3, 8), entry(4, 11));
        cache.truncateFromStart(5);
        assertEquals(List.of(entry(2, 6), entry(3, 8), entry(4, 11)), cache.entries());
        cache.truncateFromStart(8);
        assertEquals(List.of(entry(3, 8), entry(4, 11)), cache.entries());
        cache.truncateFromStart(9);
        assertEquals(List.of(entry(3, 9), entry(4, 11)), cache.entries());
        cache.truncateFromStart(12);
        assertEquals(List.of(entry(4, 12)), cache.entries());

        cache = cache(entry(2, 6), entry(3, 8), entry(4, 11));
        cache.truncateFromStart(11);
        assertEquals(List.of(entry(4, 11)), cache.entries());
    }

    @Test
    void shouldGiveTheEpochOfAnyOffset()
    {
        final LeaderEpochCache cache = cache(entry(1, 5), entry(3, 20));
        assertEquals(UNDEFINED_EPOCH, cache.epochForOffset(4));
        assertEquals(1, cache.epochForOffset(5));
        assertEquals(1, cache.epochForOffset(19));
        assertEquals(3, cache.epochForOffset(20));
        assertEquals(3, cache.epochForOffset(1_000));
    }

    @Test
    void shouldPersistEveryChangeInKafkasFormat() throws IOException
    {
        final LeaderEpochCache cache = cache();
        cache.assign(0, 0);
        cache.assign(3, 1200);
        assertEquals("0\n2\n0 0\n3 1200\n", Files.readString(file().file()));
        assertEquals(List.of(entry(0, 0), entry(3, 1200)), file().read());
        cache.truncateFromEnd(1200);
        assertEquals(List.of(entry(0, 0)), file().read());
        cache.clear();
        assertEquals(List.of(), file().read());
    }

    @Test
    void shouldRefuseACheckpointThatBreaksTheFormat() throws IOException
    {
        for (final String content : new String[]{ "", "1\n0\n", "0\n2\n0 0\n", "0\n1\n0\n", "0\n1\nx 5\n",
            "0\n1\n-1 5\n" })
        {
            Files.writeString(file().file(), content);
            assertThrows(IllegalStateException.class, () -> file().read(), "content: " + content);
        }
        Files.delete(file().file());
        assertNull(file().read(), "absent");
    }
}
