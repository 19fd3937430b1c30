package io.loglab.latency.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds JMH's JSON result ({@code -rf json}) into report rows: benchmark, parameters, mode, score, error, unit, and
 * the {@code -prof gc} normalised allocation when present.
 */
public final class JmhResults
{
    private JmhResults()
    {
    }

    public static List<Map<String, Object>> read(final Path jmhJson) throws IOException
    {
        final JsonNode root;
        try
        {
            root = new ObjectMapper().readTree(jmhJson.toFile());
        }
        catch (final IOException ex)
        {
            throw new IOException(jmhJson + " is not JMH JSON output: " + ex.getMessage(), ex);
        }
        if (root == null || !root.isArray())
        {
            throw new IOException(jmhJson + " is not JMH JSON output (expected an array of results)");
        }
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final JsonNode result : root)
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            final String benchmark = result.path("benchmark").asText();
            row.put("benchmark", benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            row.put("params", params(result.path("params")));
            row.put("mode", result.path("mode").asText());
            row.put("threads", result.path("threads").asInt());
            final JsonNode primary = result.path("primaryMetric");
            row.put("score", primary.path("score").asDouble(Double.NaN));
            row.put("error", primary.path("scoreError").asDouble(Double.NaN));
            row.put("unit", primary.path("scoreUnit").asText());
            final JsonNode allocation = allocationNorm(result.path("secondaryMetrics"));
            if (allocation != null)
            {
                row.put("allocNorm", allocation.path("score").asDouble(Double.NaN));
            }
            rows.add(row);
            addCounterRows(row, result.path("secondaryMetrics"), rows);
        }
        return rows;
    }

    /**
     * Benchmarks that count records or bytes with {@code @AuxCounters} report them as secondary metrics
     * ({@code :records}, {@code :bytes}); those are the figures to read, so each gets a row of its own.
     */
    private static void addCounterRows(
        final Map<String, Object> primary, final JsonNode secondary, final List<Map<String, Object>> rows)
    {
        final Iterator<Map.Entry<String, JsonNode>> fields = secondary.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().startsWith("\u00b7"))
            {
                continue; // profiler output such as ·gc.alloc.rate
            }
            final Map<String, Object> row = new LinkedHashMap<>(primary);
            row.remove("allocNorm");
            row.put("benchmark", primary.get("benchmark") + ":" + field.getKey());
            row.put("score", field.getValue().path("score").asDouble(Double.NaN));
            row.put("error", field.getValue().path("scoreError").asDouble(Double.NaN));
            row.put("unit", field.getValue().path("scoreUnit").asText());
            rows.add(row);
        }
    }

    private static String params(final JsonNode params)
    {
        final StringBuilder text = new StringBuilder();
        final Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            text.append(text.length() == 0 ? "" : " ").append(field.getKey()).append('=').append(field.getValue().asText());
        }
        return text.toString();
    }

    private static JsonNode allocationNorm(final JsonNode secondary)
    {
        final Iterator<Map.Entry<String, JsonNode>> fields = secondary.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().endsWith("gc.alloc.rate.norm"))
            {
                return field.getValue();
            }
        }
        return null;
    }
}
