package io.loglab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A producer's history and what was read back, checked in the spirit of Jepsen's Kafka checker: every record the
 * producer was told is stored (an ack, with its offset) must be read, once, at that offset; no offset may hold two
 * values; no value may be read twice.
 */
final class AckHistory
{
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final Map<String, Long> ackedAtNs = new ConcurrentHashMap<>();
    private final Map<Long, String> read = new TreeMap<>();
    private final Map<String, Integer> readEpochs = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    void acked(final String value, final long offset)
    {
        acked.put(value, offset);
        ackedAtNs.put(value, System.nanoTime());
    }

    int ackedCount()
    {
        return acked.size();
    }

    /**
     * When the first acknowledgement of a record read from a batch of a leader epoch above {@code epoch} came, as
     * nanoTime: the new leader's first; -1 if none.
     */
    long firstAckAfterEpoch(final int epoch)
    {
        return readEpochs.entrySet().stream().filter(entry -> entry.getValue() > epoch)
            .map(entry -> ackedAtNs.get(entry.getKey())).filter(java.util.Objects::nonNull).min(Long::compare)
            .orElse(-1L);
    }

    void read(final long offset, final String value, final int leaderEpoch)
    {
        readEpochs.put(value, leaderEpoch);
        final String before = read.put(offset, value);
        if (before != null && !before.equals(value))
        {
            problems.add("inconsistent: offset " + offset + " read as " + before + " and as " + value);
        }
    }

    int readCount()
    {
        return read.size();
    }

    /**
     * What is wrong with the history: lost, duplicated or moved acknowledged records; empty if nothing.
     */
    List<String> check()
    {
        final List<String> found = new ArrayList<>(problems);
        final Map<String, Long> seen = new TreeMap<>();
        read.forEach((offset, value) ->
        {
            final Long earlier = seen.put(value, offset);
            if (earlier != null)
            {
                found.add("duplicated: " + value + " at offsets " + earlier + " and " + offset);
            }
        });
        acked.forEach((value, offset) ->
        {
            if (!seen.containsKey(value))
            {
                found.add("lost: " + value + ", acknowledged at offset " + offset);
            }
            else if (!seen.get(value).equals(offset))
            {
                found.add("moved: " + value + " acknowledged at offset " + offset + ", read at " + seen.get(value));
            }
        });
        return found.subList(0, Math.min(found.size(), 20));
    }
}
