package io.loglab.latency.harness;

import org.HdrHistogram.SingleWriterRecorder;

/**
 * One consumer thread's duty cycle: poll each of its partitions in turn, within its rate limit if it has one.
 * <p>
 * Threading: the consumer thread only; its end-to-end recorder is read by the coordinator with
 * {@code getIntervalHistogram}, its lanes' positions by the sampler.
 */
final class ConsumerAgent implements LoadAgent
{
    private final String name;
    private final ConsumerLane[] lanes;
    private final RateLimiter rateLimiter;
    private final SingleWriterRecorder endToEnd = new SingleWriterRecorder(3);
    private int firstLane;

    /**
     * @param rateLimiter null for unthrottled.
     */
    ConsumerAgent(final String name, final ConsumerLane[] lanes, final RateLimiter rateLimiter)
    {
        this.name = name;
        this.lanes = lanes;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public int doWork(final long nowNanos) throws Exception
    {
        int consumed = 0;
        // Start one lane further each cycle, so a rate limit that runs out part-way favours no partition.
        firstLane = (firstLane + 1) % lanes.length;
        for (int i = 0; i < lanes.length; i++)
        {
            final ConsumerLane lane = lanes[(firstLane + i) % lanes.length];
            final long permits = rateLimiter == null ? Long.MAX_VALUE : rateLimiter.available(nowNanos);
            if (permits == 0)
            {
                break;
            }
            final int taken = lane.poll(permits, endToEnd);
            if (rateLimiter != null)
            {
                rateLimiter.acquire(taken);
            }
            consumed += taken;
        }
        return consumed;
    }

    @Override
    public void onStop(final long deadlineNanos)
    {
    }

    SingleWriterRecorder endToEnd()
    {
        return endToEnd;
    }

    ConsumerLane[] lanes()
    {
        return lanes;
    }

    @Override
    public String name()
    {
        return name;
    }
}
