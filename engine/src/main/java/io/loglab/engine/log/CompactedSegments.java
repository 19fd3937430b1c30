package io.loglab.engine.log;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one compaction pass made of a log, for its writer to swap in ({@link PartitionLog#swapCompacted}): for each
 * group of segments it rewrote, the segments it replaces and the compacted copy (null when nothing of the group was
 * kept), and the offset below which the log is now compacted.
 */
public final class CompactedSegments
{
    /**
     * @param replaced consecutive segments of the log, as the pass found them.
     * @param cleaned  their compacted copy over a {@code .cleaned} file, or null when they go without replacement.
     */
    record Group(LogSegment[] replaced, LogSegment cleaned)
    {
    }

    private final List<Group> groups;
    private final long cleanedTo;
    /** Set once, by the writer's swap or by a discard, whichever comes first: it owns the copies. */
    private final AtomicBoolean taken = new AtomicBoolean();

    CompactedSegments(final List<Group> groups, final long cleanedTo)
    {
        this.groups = List.copyOf(groups);
        this.cleanedTo = cleanedTo;
    }

    List<Group> groups()
    {
        return groups;
    }

    /**
     * The offset below which the log is compacted once these are swapped in: where the next pass's dirty part begins.
     */
    public long cleanedTo()
    {
        return cleanedTo;
    }

    /**
     * The writer's swap, before it touches a copy: false when {@link #discard()} came first.
     */
    boolean take()
    {
        return taken.compareAndSet(false, true);
    }

    /**
     * Delete the copies unless the swap has taken them: it could not run (the log closed, or its writer stopped), or
     * did not in time. Any thread.
     */
    public void discard()
    {
        if (!take())
        {
            return;
        }
        for (final Group group : groups)
        {
            if (group.cleaned() != null)
            {
                CleanedSegmentWriter.discard(group.cleaned());
            }
        }
    }
}
