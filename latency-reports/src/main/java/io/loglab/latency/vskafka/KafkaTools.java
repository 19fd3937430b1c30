package io.loglab.latency.vskafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own performance tools, run against each system as a second opinion: {@code ProducerPerformance},
 * {@code ConsumerPerformance} and {@code EndToEndLatency}, from an Apache Kafka installation's jars, each in its own
 * JVM, their summary lines parsed into figures.
 */
final class KafkaTools
{
    /** One tool's run against one system: its figures by name, or why it has none. */
    record ToolRun(String system, String tool, Map<String, Double> figures, String problem)
    {
    }

    private static final long TOOL_TIMEOUT_S = 300;
    private static final Pattern PRODUCER = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec " +
        "\\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms " +
        "95th, (\\d+) ms 99th, (\\d+) ms 99.9th");
    private static final Pattern END_TO_END_AVERAGE = Pattern.compile("Avg latency: ([\\d.]+) ms");
    private static final Pattern END_TO_END_PERCENTILES =
        Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");

    private final Path libs;
    private final Path log4jConfig;

    /**
     * @param libs        an Apache Kafka installation's jars ({@code $LOGLAB_PEER_HOME/libs}).
     * @param log4jConfig the tools' log4j2 configuration, or null for theirs.
     */
    KafkaTools(final Path libs, final Path log4jConfig)
    {
        this.libs = libs;
        this.log4jConfig = log4jConfig;
    }

    /**
     * Run the three tools against one system: {@code records} records of {@code recordSize} bytes, acks=all.
     */
    List<ToolRun> run(final String system, final String bootstrap, final long records, final int recordSize)
        throws IOException, InterruptedException
    {
        final String topic = "vs-tools-" + System.currentTimeMillis();
        final List<ToolRun> runs = new ArrayList<>();
        final Output created = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap,
            "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1");
        if (created.exitCode != 0)
        {
            runs.add(new ToolRun(system, "TopicCommand", Map.of(), created.text));
            return runs;
        }
        final Output produced = tool("org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
            "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
            "--throughput", "-1", "--command-property", "bootstrap.servers=" + bootstrap, "acks=all");
        runs.add(parsed(system, "ProducerPerformance", produced, producerFigures(produced.text)));
        final Output consumed = tool("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap,
            "--topic", topic, "--num-records", Long.toString(records));
        runs.add(parsed(system, "ConsumerPerformance", consumed, consumerFigures(consumed.text)));
        final Output latency = tool("org.apache.kafka.tools.EndToEndLatency", bootstrap, topic, "10000", "all",
            Integer.toString(recordSize));
        runs.add(parsed(system, "EndToEndLatency", latency, endToEndFigures(latency.text)));
        return runs;
    }

    private static ToolRun parsed(final String system, final String tool, final Output output,
        final Map<String, Double> figures)
    {
        if (output.exitCode == 0 && !figures.isEmpty())
        {
            return new ToolRun(system, tool, figures, null);
        }
        final String text = output.text.strip();
        return new ToolRun(system, tool, Map.of(), "exit " + output.exitCode + ": " +
            text.substring(Math.max(0, text.length() - 400)));
    }

    private record Output(int exitCode, String text)
    {
    }

    private Output tool(final String mainClass, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        if (log4jConfig != null)
        {
            command.add("-Dlog4j2.configurationFile=" + log4jConfig);
        }
        command.add("-cp");
        command.add(libs.resolve("*").toString());
        command.add(mainClass);
        command.addAll(List.of(args));
        final Path out = Files.createTempFile("kafka-tool", ".out");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
            if (!process.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
                return new Output(-1, mainClass + " did not finish in " + TOOL_TIMEOUT_S + " s");
            }
            return new Output(process.exitValue(), Files.readString(out));
        }
        finally
        {
            Files.deleteIfExists(out);
        }
    }

    /**
     * ProducerPerformance's last line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max
     * latency, P ms 50th, P ms 95th, P ms 99th, P ms 99.9th."
     */
    static Map<String, Double> producerFigures(final String output)
    {
        final Map<String, Double> figures = new LinkedHashMap<>();
        String lastLine = null;
        final Matcher matcher = PRODUCER.matcher(output);
        while (matcher.find())
        {
            lastLine = matcher.group();
        }
        if (lastLine != null)
        {
            final Matcher last = PRODUCER.matcher(lastLine);
            last.matches();
            figures.put("records/s", Double.parseDouble(last.group(2)));
            figures.put("MB/s", Double.parseDouble(last.group(3)));
            figures.put("avg latency ms", Double.parseDouble(last.group(4)));
            figures.put("max latency ms", Double.parseDouble(last.group(5)));
            figures.put("p50 ms", Double.parseDouble(last.group(6)));
            figures.put("p99 ms", Double.parseDouble(last.group(8)));
            figures.put("p99.9 ms", Double.parseDouble(last.group(9)));
        }
        return figures;
    }

    /**
     * ConsumerPerformance's header line and the values line after it.
     */
    static Map<String, Double> consumerFigures(final String output)
    {
        final Map<String, Double> figures = new LinkedHashMap<>();
        final List<String> lines = output.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++)
        {
            if (!lines.get(i).startsWith("start.time, end.time"))
            {
                continue;
            }
            final String[] names = lines.get(i).split(",\\s*");
            final String[] values = lines.get(i + 1).split(",\\s*");
            for (int c = 2; c < Math.min(names.length, values.length); c++)
            {
                figures.put(names[c], Double.parseDouble(values[c]));
            }
        }
        return figures;
    }

    /**
     * EndToEndLatency's "Avg latency: A ms" and "Percentiles: 50th = P, 99th = P, 99.9th = P" (milliseconds).
     */
    static Map<String, Double> endToEndFigures(final String output)
    {
        final Map<String, Double> figures = new LinkedHashMap<>();
        final Matcher average = END_TO_END_AVERAGE.matcher(output);
        final Matcher percentiles = END_TO_END_PERCENTILES.matcher(output);
        if (average.find() && percentiles.find())
        {
            figures.put("avg ms", Double.parseDouble(average.group(1)));
            figures.put("p50 ms", Double.parseDouble(percentiles.group(1)));
            figures.put("p99 ms", Double.parseDouble(percentiles.group(2)));
            figures.put("p99.9 ms", Double.parseDouble(percentiles.group(3)));
        }
        return figures;
    }
}
