package io.loglab.cli;

import io.loglab.engine.log.LogFinding;
import io.loglab.engine.topic.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code loglab repair}: what a writer refuses to do on its own, done on request.
 */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description = {
        "Repair a partition a writer refuses to open: truncate its log at the first damage, as Kafka's recovery",
        "would, moving everything from there on (the rest of that segment file, every later segment) into the",
        "partition's quarantine/ directory with a report, never deleting it. Then print what was found and done.",
        "Nothing else in the data directory changes; the directory must not be open in another process."
    })
final class RepairCommand implements Callable<Integer>
{
    private static final long TIMEOUT_MINUTES = 30;

    @Option(names = "--dir", required = true, description = "Data directory.")
    Path dir;

    @Option(names = "--topic", required = true, description = "Topic name.")
    String topic;

    @Option(names = "--partition", required = true, description = "Partition number.")
    int partition;

    @Override
    public Integer call() throws Exception
    {
        try (LogManager manager = CliSupport.openExisting(dir))
        {
            final List<LogFinding> report;
            try
            {
                report = manager.topic(topic).partition(partition).repair().get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            }
            catch (final ExecutionException ex)
            {
                throw ex.getCause() instanceof Exception cause ? cause : ex;
            }
            final String name = topic + "-" + partition;
            if (report.isEmpty())
            {
                System.out.println(name + ": nothing to repair");
            }
            for (final LogFinding finding : report)
            {
                System.out.println(name + ": " + finding);
            }
        }
        return 0;
    }
}
