package io.loglab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code loglab}: create topics, produce, consume, dump segments and verify logs from the shell.
 * Exit status: 0 success, 1 failure or damage found, 2 bad arguments.
 */
@Command(
    name = "loglab",
    mixinStandardHelpOptions = true,
    version = "loglab 0.1.0",
    description = "Inspect and exercise a loglab data directory.",
    subcommands = {
        TopicCommand.class,
        ProduceCommand.class,
        ConsumeCommand.class,
        DumpCommand.class,
        VerifyCommand.class,
        RepairCommand.class,
        BrokerCommand.class,
        GroupsCommand.class,
        StatCommand.class,
        NodeCommand.class,
        ClusterCommand.class,
    })
public final class LoglabCli implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run a command line and return its exit status, for tests and {@link #main}.
     */
    public static int run(final String... args)
    {
        return new CommandLine(new LoglabCli())
            // Descriptions are written for 120 columns; picocli's 80 would wrap them mid-sentence.
            .setUsageHelpWidth(120)
            .setExecutionExceptionHandler((ex, commandLine, parseResult) ->
            {
                commandLine.getErr().println(CliSupport.report("error: ", ex, CliSupport.debug()));
                commandLine.getErr().flush();
                return ex instanceof IllegalArgumentException ? 2 : 1;
            })
            .execute(args);
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
