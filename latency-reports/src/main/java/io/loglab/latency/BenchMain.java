package io.loglab.latency;

import io.loglab.latency.config.SuiteConfig;
import io.loglab.latency.config.Suites;
import io.loglab.latency.report.ComparisonReport;
import io.loglab.latency.report.EnvironmentProbe;
import io.loglab.latency.report.JmhResults;
import io.loglab.latency.report.ReportWriter;
import io.loglab.latency.result.SuiteResult;
import io.loglab.latency.replication.ReplicationCommand;
import io.loglab.latency.vskafka.ClusterClientCommand;
import io.loglab.latency.vskafka.VsKafkaCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The benchmark harness's command line, behind scripts/bench.sh and scripts/compare.sh.
 * Exit status: 0 success (including a suite whose runs FAILed their targets: the report says so), 1 error,
 * 2 bad arguments.
 */
@Command(
    name = "loglab-bench",
    mixinStandardHelpOptions = true,
    description = "Run load suites against the embedded engine, or the same workloads against loglab's broker and " +
        "Apache Kafka side by side, and write reports.",
    subcommands = { BenchMain.Run.class, BenchMain.Compare.class, BenchMain.JmhReport.class, VsKafkaCommand.class,
        ReplicationCommand.class, ClusterClientCommand.class })
public final class BenchMain implements Runnable
{
    static final Path DEFAULT_OUT = Path.of("latency-reports", "out");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    public static int run(final String... args)
    {
        return new CommandLine(new BenchMain())
            .setExecutionExceptionHandler((ex, commandLine, parseResult) ->
            {
                commandLine.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
                if (System.getenv("LOGLAB_DEBUG") != null)
                {
                    ex.printStackTrace(commandLine.getErr());
                }
                return ex instanceof IllegalArgumentException ? 2 : 1;
            })
            .execute(args);
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static Path reportDir(final Path parent, final String name)
    {
        return parent.resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a suite and write its report to OUT/<suite>-<timestamp>/.")
    static final class Run implements Callable<Integer>
    {
        @Parameters(index = "0", defaultValue = "quick",
            description = "quick (default), engine, latency, lag, shards, or a suite properties file.")
        String suite;

        @Option(names = "--repeat", description = "Run every configuration N times, interleaved (default: the " +
            "suite's repeat, else 1).")
        Integer repeat;

        @Option(names = "--out", description = "Parent directory of the report (default: ${DEFAULT-VALUE}).")
        Path out = DEFAULT_OUT;

        @Option(names = "--peak", description = "Peak records/s for the partition-count recommendation " +
            "(default: ${DEFAULT-VALUE}).")
        double peak = 1_000_000;

        @Option(names = "--jmh-json", description = "A JMH JSON result to fold into the report.")
        Path jmhJson;

        @Override
        public Integer call() throws Exception
        {
            final SuiteConfig loaded = Suites.load(suite);
            final SuiteConfig config = repeat == null ? loaded : loaded.withRepeat(repeat);
            final Path dir = reportDir(out, config.name());
            Files.createDirectories(dir);
            final SuiteResult result = new SuiteRunner(System.err).run(config, dir, peak,
                jmhJson == null ? List.of() : JmhResults.read(jmhJson));
            ReportWriter.write(result, dir);
            System.out.println("report: " + dir.resolve("report.html"));
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Put several reports side by side: the same configurations (matched by config hash), ratios " +
            "to the first, overlaid percentile curves. Warns when a name matches but its settings differ.")
    static final class Compare implements Callable<Integer>
    {
        @Parameters(arity = "2..*", description = "Report directories (each with a summary.json).")
        List<Path> runs;

        @Option(names = "--out", description = "Parent directory of the comparison (default: ${DEFAULT-VALUE}).")
        Path out = DEFAULT_OUT;

        @Override
        public Integer call() throws Exception
        {
            final ComparisonReport.Written written = ComparisonReport.write(runs, reportDir(out, "compare"));
            written.warnings().forEach(warning -> System.err.println("warning: " + warning));
            System.out.println("report: " + written.html());
            return 0;
        }
    }

    @Command(name = "jmh-report", mixinStandardHelpOptions = true,
        description = "Write a report holding a JMH JSON result only.")
    static final class JmhReport implements Callable<Integer>
    {
        @Option(names = "--json", required = true, description = "JMH JSON result (-rf json).")
        Path json;

        @Option(names = "--suite", description = "Suite name for the report (default: ${DEFAULT-VALUE}).")
        String suite = "jmh";

        @Option(names = "--out", description = "Parent directory of the report (default: ${DEFAULT-VALUE}).")
        Path out = DEFAULT_OUT;

        @Override
        public Integer call() throws Exception
        {
            if (!Files.isRegularFile(json))
            {
                throw new IllegalArgumentException("no JMH result at " + json);
            }
            final Path dir = reportDir(out, suite);
            final SuiteResult result = new SuiteResult(SuiteResult.SCHEMA_VERSION, suite, 1,
                EnvironmentProbe.probe(Map.of("jmh.json", json.toString())), List.of(), JmhResults.read(json),
                List.of("JMH results from " + json));
            ReportWriter.write(result, dir);
            System.out.println("report: " + dir.resolve("report.html"));
            return 0;
        }
    }
}
