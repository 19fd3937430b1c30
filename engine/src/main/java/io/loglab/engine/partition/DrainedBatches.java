package io.loglab.engine.partition;

import io.loglab.engine.log.IdempotenceException;
import io.loglab.engine.log.NotLeaderException;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.log.ProducerStateTable;
import io.loglab.engine.record.InvalidRecordBatchException;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;

import static io.loglab.engine.record.RecordBatchDescriptor.*;

/**
 * One drain of a partition's queue, as its writer shard appends it: up to a fixed number of requests, all leader
 * appends or all follower appends (a drain stops where the kind changes, and the rest waits for the next turn),
 * written with one gathering write and answered.
 * <ul>
 *     <li>As leader, each batch of an idempotent producer is checked first: a retry of a stored batch gets its
 *     original offsets, a fenced or out-of-order one fails; the rest take the next offsets and the log's epoch.</li>
 *     <li>As follower ({@link AppendRequest#asFollower}), the batches keep the leader's offsets and epochs; they
 *     must continue the log, and the first that does not fails with every one after it (the follower asks its
 *     leader again). Idempotent producers' state is derived from the headers all the same, so a follower that
 *     becomes leader has it.</li>
 *     <li>A log replication owns takes leader appends only while it leads
 *     ({@link io.loglab.engine.log.LeaderAppends#taken}): the others fail with a {@link NotLeaderException}.</li>
 * </ul>
 * Threading: the shard's thread only; it reuses the arrays, so a drain allocates nothing.
 */
final class DrainedBatches
{
    private final AppendRequest[] drained;
    private final ByteBuffer[] batches;
    private final ErrorHandler errorHandler;
    private int count;
    private boolean asFollower;

    DrainedBatches(final int capacity, final ErrorHandler errorHandler)
    {
        this.drained = new AppendRequest[capacity];
        this.batches = new ByteBuffer[capacity];
        this.errorHandler = errorHandler;
    }

    /**
     * Take up to the capacity of requests of one kind from the front of {@code queue}.
     *
     * @return how many were taken.
     */
    int drain(final AppendQueue queue)
    {
        count = 0;
        AppendRequest request;
        while (count < drained.length && (request = queue.peek()) != null &&
            (count == 0 || request.isFollower() == asFollower))
        {
            queue.poll();
            asFollower = request.isFollower();
            drained[count] = request;
            batches[count] = request.batch();
            count++;
        }
        return count;
    }

    /**
     * Append what was drained to {@code log} and answer every request; the arrays are cleared after.
     */
    void append(final Partition partition, final PartitionLog log, final long nowMs)
    {
        try
        {
            if (asFollower)
            {
                write(partition, log, count, nowMs);
            }
            else if (!log.leaderAppends().taken())
            {
                fail(0, count, new NotLeaderException(partition + " is not led here: its replication has not " +
                    "made this log the leader's, or has moved the leadership away"));
            }
            else
            {
                write(partition, log, screenIdempotent(partition, log), nowMs);
            }
        }
        finally
        {
            clear();
        }
    }

    /**
     * Answer every request drained as not appended.
     */
    void failAll(final Throwable failure)
    {
        fail(0, count, failure);
        clear();
    }

    /**
     * Answer the drained batches of idempotent producers that must not be appended (retries of stored batches get
     * their original offsets; fenced or out-of-order ones fail) and close the gaps they leave.
     *
     * @return the batches left to append, in order, at the front of the arrays.
     */
    private int screenIdempotent(final Partition partition, final PartitionLog log)
    {
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            final ByteBuffer batch = batches[i];
            final int verdict;
            try
            {
                verdict = getLong(batch, batch.position() + PRODUCER_ID_OFFSET) == NO_PRODUCER_ID ?
                    ProducerStateTable.APPEND : log.producerState().check(batch);
            }
            catch (final IOException | RuntimeException ex)
            {
                // The state could not be read (a damaged older segment, say): this request hears why.
                drained[i].fail(ex, errorHandler);
                continue;
            }
            if (verdict == ProducerStateTable.APPEND)
            {
                drained[kept] = drained[i];
                batches[kept] = batch;
                kept++;
            }
            else if (verdict == ProducerStateTable.DUPLICATE)
            {
                final ProducerStateTable state = log.checkedProducerState();
                drained[i].complete(state.duplicateBaseOffset(), state.duplicateLastOffset(),
                    state.duplicateLastOffset() < log.durableEndOffset(), errorHandler);
            }
            else
            {
                drained[i].fail(new IdempotenceException(verdict, partition + ": " + describe(verdict)), errorHandler);
            }
        }
        return kept;
    }

    private static String describe(final int verdict)
    {
        return switch (verdict)
        {
            case ProducerStateTable.FENCED -> "the producer's epoch is older than the one it has written with";
            case ProducerStateTable.OUT_OF_SEQUENCE -> "the batch's sequence does not follow the producer's last";
            default -> "a retry of a batch that is still being written";
        };
    }

    private void write(final Partition partition, final PartitionLog log, final int toWrite, final long nowMs)
    {
        final boolean durableOnWrite = partition.config().flushPolicy().durableOnWrite();
        int done = 0;
        while (done < toWrite)
        {
            final int appended;
            try
            {
                appended = asFollower ? log.appendAsFollower(batches, done, toWrite - done, nowMs) :
                    log.append(batches, done, toWrite - done, nowMs);
                // Before the completions, so whoever hears of an append sees the counter include it.
                partition.lazyLog().publishLogEnd();
            }
            catch (final Throwable ex)
            {
                if (asFollower && ex instanceof InvalidRecordBatchException)
                {
                    // This batch does not continue the log, so neither can any after it; the log is intact.
                    fail(done, toWrite, ex);
                    return;
                }
                // Whatever went wrong, every producer waiting on these requests must hear of it, and the producer
                // state, which took their sequences in, is read again from what is on disk when next asked.
                log.checkedProducerState().invalidate();
                fail(done, toWrite, ex);
                errorHandler.onError(ex);
                return;
            }
            for (int i = done; i < done + appended; i++)
            {
                final ByteBuffer batch = batches[i];
                final long baseOffset = getLong(batch, batch.position() + BASE_OFFSET_OFFSET);
                if (getLong(batch, batch.position() + PRODUCER_ID_OFFSET) != NO_PRODUCER_ID)
                {
                    log.checkedProducerState().onAppended(batch);
                }
                drained[i].complete(baseOffset, baseOffset + getInt(batch, batch.position() + LAST_OFFSET_DELTA_OFFSET),
                    durableOnWrite, errorHandler);
            }
            done += appended;
        }
    }

    private void fail(final int from, final int to, final Throwable failure)
    {
        for (int i = from; i < to; i++)
        {
            drained[i].fail(failure, errorHandler);
        }
    }

    private void clear()
    {
        for (int i = 0; i < count; i++)
        {
            drained[i] = null;
            batches[i] = null;
        }
        count = 0;
    }
}
