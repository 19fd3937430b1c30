package io.loglab.engine.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;

/**
 * The ordered set of a log's segments (Kafka's {@code LogSegments}): a copy-on-write array, the last element the
 * active segment.
 * <p>
 * Threading: the log's writer thread replaces the array (roll, retention, truncation) with a release store of a new
 * one and never changes an array it has published; readers load it with acquire semantics and may keep using the
 * array they got, whose segments stay readable until released (see {@link LogSegment#retain()}).
 */
final class LogSegments
{
    private static final VarHandle SEGMENTS;

    static
    {
        try
        {
            SEGMENTS = MethodHandles.lookup().findVarHandle(LogSegments.class, "segments", LogSegment[].class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Writer: release store of a new array. Readers: acquire load. */
    @SuppressWarnings("unused")
    private volatile LogSegment[] segments;

    /**
     * Writer: volatile store, odd from just before a truncation cuts a segment file until the truncated array is
     * published, so a reader that meets torn bytes can tell the cut from damage. Readers: volatile load.
     */
    private volatile long cutSequence;

    LogSegments(final List<LogSegment> initial)
    {
        SEGMENTS.setRelease(this, initial.toArray(new LogSegment[0]));
    }

    /**
     * The segments as a reader sees them: acquire load.
     */
    LogSegment[] acquire()
    {
        return (LogSegment[])SEGMENTS.getAcquire(this);
    }

    /**
     * The writer's own view.
     */
    LogSegment[] plain()
    {
        return (LogSegment[])SEGMENTS.get(this);
    }

    /**
     * Writer thread: the segment taking appends.
     */
    LogSegment active()
    {
        final LogSegment[] current = plain();
        return current[current.length - 1];
    }

    /**
     * Writer thread: publish {@code segment} as the new active segment.
     */
    void add(final LogSegment segment)
    {
        final LogSegment[] current = plain();
        final LogSegment[] updated = Arrays.copyOf(current, current.length + 1);
        updated[current.length] = segment;
        SEGMENTS.setRelease(this, updated);
    }

    /**
     * Writer thread: publish the set without its {@code count} oldest segments.
     */
    void dropOldest(final int count)
    {
        final LogSegment[] current = plain();
        SEGMENTS.setRelease(this, Arrays.copyOfRange(current, count, current.length));
    }

    /**
     * Writer thread: publish {@code replacement} as the whole set.
     */
    void replace(final List<LogSegment> replacement)
    {
        SEGMENTS.setRelease(this, replacement.toArray(new LogSegment[0]));
    }

    /**
     * Writer thread: a truncation is about to cut a segment file that readers of the current array may be reading.
     */
    void beginCut()
    {
        cutSequence = cutSequence + 1;
    }

    /**
     * Writer thread: the truncated array is published.
     */
    void endCut()
    {
        cutSequence = cutSequence + 1;
    }

    /**
     * Any thread: taken when a lookup starts and again where it meets bytes that are not a batch; a cut happened
     * under the lookup when the two differ or the first is odd ({@link #cutDuring}).
     */
    long cutSequence()
    {
        return cutSequence;
    }

    /**
     * True when a truncation cut a segment file after, or was cutting one when, {@code sequenceAtStart} was taken.
     */
    boolean cutDuring(final long sequenceAtStart)
    {
        return (sequenceAtStart & 1) == 1 || cutSequence != sequenceAtStart;
    }

    /**
     * Index of the last segment whose base offset is at most {@code offset}, or -1 when the first starts after it.
     */
    static int floor(final LogSegment[] segments, final long offset)
    {
        int low = 0;
        int high = segments.length - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (segments[mid].baseOffset() <= offset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }

    /**
     * Bytes in all segments; any thread, a moment's view.
     */
    long sizeInBytes()
    {
        long total = 0;
        for (final LogSegment segment : acquire())
        {
            total += segment.size();
        }
        return total;
    }
}
