package io.loglab.latency.result;

import java.util.List;
import java.util.Map;

/**
 * A whole suite's results: what {@code summary.json} holds.
 *
 * @param schemaVersion bumped when a field changes meaning; readers check it.
 * @param suite         suite name.
 * @param environment   machine, JVM, commit, date, settings.
 * @param runs          one per configuration, in the order run.
 * @param jmh           JMH results folded in (primary metric per benchmark and parameters, gc.alloc.rate.norm),
 *                      empty when the suite ran none.
 * @param notes         the suite's own notes.
 */
public record SuiteResult(
    int schemaVersion,
    String suite,
    Environment environment,
    List<RunResult> runs,
    List<Map<String, Object>> jmh,
    List<String> notes)
{
    public static final int SCHEMA_VERSION = 1;
}
