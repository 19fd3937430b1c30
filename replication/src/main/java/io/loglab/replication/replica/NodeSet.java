package io.loglab.replication.replica;

import java.util.Arrays;

/**
 * Sets of node ids as sorted arrays without duplicates, the form replica lists and in-sync sets travel in.
 */
public final class NodeSet
{
    private NodeSet()
    {
    }

    /**
     * A sorted copy without duplicates.
     */
    public static int[] of(final int[] nodes)
    {
        return Arrays.stream(nodes).sorted().distinct().toArray();
    }

    public static boolean contains(final int[] set, final int node)
    {
        return Arrays.binarySearch(set, node) >= 0;
    }

    public static boolean containsAll(final int[] set, final int[] nodes)
    {
        for (final int node : nodes)
        {
            if (!contains(set, node))
            {
                return false;
            }
        }
        return true;
    }

    public static int[] with(final int[] set, final int node)
    {
        if (contains(set, node))
        {
            return set;
        }
        final int[] grown = Arrays.copyOf(set, set.length + 1);
        grown[set.length] = node;
        Arrays.sort(grown);
        return grown;
    }

    public static int[] without(final int[] set, final int node)
    {
        return contains(set, node) ? Arrays.stream(set).filter(member -> member != node).toArray() : set;
    }
}
