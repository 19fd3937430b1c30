package io.loglab.latency.result;

import io.loglab.latency.config.RunConfig;

import java.util.List;

/**
 * One configuration of a suite: every repetition of it, in the order run, and its headline figures over them.
 *
 * @param name        the configuration's name.
 * @param configHash  {@link RunConfig#hash()}, which compare matches configurations by.
 * @param status      PASS when every repetition passed, else FAIL.
 * @param headline    median, min and max of the figures a reader quotes.
 * @param repetitions each run's full results; each carries the configuration.
 */
public record ConfigurationResult(
    String name,
    String configHash,
    String status,
    Headline headline,
    List<RunResult> repetitions)
{
    public ConfigurationResult
    {
        if (repetitions.isEmpty())
        {
            throw new IllegalArgumentException("configuration " + name + " has no repetitions");
        }
        repetitions = List.copyOf(repetitions);
    }

    /**
     * @param repetitions runs of one configuration.
     * @throws IllegalArgumentException if they are not all of the same configuration.
     */
    public static ConfigurationResult of(final List<RunResult> repetitions)
    {
        final RunResult first = repetitions.get(0);
        for (final RunResult run : repetitions)
        {
            if (!run.config().equals(first.config()))
            {
                throw new IllegalArgumentException("repetitions of " + first.config().name() + " differ: " +
                    run.config().toMap() + " vs " + first.config().toMap());
            }
        }
        final boolean passed = repetitions.stream().allMatch(RunResult::passed);
        return new ConfigurationResult(first.config().name(), first.configHash(),
            passed ? RunResult.PASS : RunResult.FAIL, Headline.of(repetitions), repetitions);
    }

    /**
     * The configuration every repetition ran.
     */
    public RunConfig config()
    {
        return repetitions.get(0).config();
    }

    /**
     * @return how many repetitions failed.
     */
    public long failures()
    {
        return repetitions.stream().filter(run -> !run.passed()).count();
    }
}
