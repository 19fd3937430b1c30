package io.loglab.latency.result;

import java.util.Arrays;
import java.util.function.DoubleFunction;

/**
 * One figure over a configuration's repetitions: median, minimum and maximum of the values that exist (NaN values,
 * such as the end-to-end latency of a run without consumers, are left out).
 *
 * @param median the middle value; with an even count, the mean of the two middle ones. NaN when count is 0.
 * @param count  values the figures were taken over.
 */
public record Spread(double median, double min, double max, int count)
{
    public static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    public static Spread of(final double... values)
    {
        final double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        final int n = present.length;
        if (n == 0)
        {
            return NONE;
        }
        final double median = n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
        return new Spread(median, present[0], present[n - 1], n);
    }

    /**
     * The median as {@code number} writes it, then (min–max) when the repetitions differ; "-" when there were none.
     */
    public String text(final DoubleFunction<String> number)
    {
        if (count == 0)
        {
            return "-";
        }
        final String text = number.apply(median);
        return count == 1 || min == max ? text : text + " (" + number.apply(min) + "–" + number.apply(max) + ")";
    }
}
