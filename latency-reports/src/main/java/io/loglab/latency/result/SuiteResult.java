package io.loglab.latency.result;

import java.util.List;
import java.util.Map;

/**
 * A whole suite's results: what {@code summary.json} holds.
 *
 * @param schemaVersion  bumped when a field changes meaning; readers check it.
 * @param suite          suite name.
 * @param repeat         how many times each configuration ran, interleaved.
 * @param environment    machine, JVM, commit, date, settings.
 * @param configurations one per configuration, in the order of the suite, each with all its repetitions.
 * @param jmh            JMH results folded in (primary metric per benchmark and parameters, gc.alloc.rate.norm),
 *                       empty when the suite ran none.
 * @param notes          the suite's own notes.
 */
public record SuiteResult(
    int schemaVersion,
    String suite,
    int repeat,
    Environment environment,
    List<ConfigurationResult> configurations,
    List<Map<String, Object>> jmh,
    List<String> notes)
{
    /** 2: configurations with repetitions and headline spreads; runs grouped; config as settings; config hash. */
    public static final int SCHEMA_VERSION = 2;
}
