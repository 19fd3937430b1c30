package io.loglab.cli;

import io.loglab.broker.wire.GroupsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * {@code loglab groups list|describe}: consumer groups as a running broker knows them, as
 * {@code kafka-consumer-groups} shows them.
 */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description = {
        "Consumer groups, asked of a running broker (loglab's or Apache Kafka's) over Kafka's protocol: their state",
        "lives in the broker. 'list' prints each group's id, state and type; 'describe --group G' prints, per",
        "partition, the committed offset, the log end offset, the lag and the member that holds it, as",
        "'kafka-consumer-groups --describe' does."
    },
    subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.DescribeGroup.class})
final class GroupsCommand implements Runnable
{
    @Override
    public void run()
    {
        throw new IllegalArgumentException("say 'list' or 'describe --group G' (see loglab groups --help)");
    }

    /**
     * The call, with what goes wrong talking to the broker reported as its cause.
     */
    private static <T> T ask(final String bootstrap, final Request<T> request) throws Exception
    {
        try (GroupsClient client = new GroupsClient(bootstrap))
        {
            return request.ask(client);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("the broker at " + bootstrap + " did not answer: " +
                ex.getCause().getMessage(), ex.getCause());
        }
    }

    @FunctionalInterface
    private interface Request<T>
    {
        T ask(GroupsClient client) throws Exception;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every group: id, state and type.")
    static final class ListGroups implements Callable<Integer>
    {
        @Option(names = "--bootstrap", required = true, description = "The broker, HOST:PORT.")
        String bootstrap;

        @Override
        public Integer call() throws Exception
        {
            final List<GroupsClient.GroupSummary> groups = ask(bootstrap, GroupsClient::list);
            System.out.printf("%-40s %-20s %s%n", "GROUP", "STATE", "TYPE");
            for (final GroupsClient.GroupSummary group : groups)
            {
                System.out.printf("%-40s %-20s %s%n", group.groupId(), group.state(), group.type());
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
        description = "One group: per partition, the committed offset, log end offset, lag and holder.")
    static final class DescribeGroup implements Callable<Integer>
    {
        @Option(names = "--bootstrap", required = true, description = "The broker, HOST:PORT.")
        String bootstrap;

        @Option(names = "--group", required = true, description = "The group id.")
        String group;

        @Override
        public Integer call() throws Exception
        {
            final GroupsClient.GroupDetail detail = ask(bootstrap, client -> client.describe(group));
            if (detail == null)
            {
                throw new IllegalArgumentException("consumer group '" + group + "' does not exist at " + bootstrap);
            }
            System.out.println("group " + detail.groupId() + ": " + detail.state() + ", " + detail.members() +
                " member" + (detail.members() == 1 ? "" : "s"));
            System.out.printf("%-30s %9s %14s %14s %8s  %-40s %-16s %s%n", "TOPIC", "PARTITION", "CURRENT-OFFSET",
                "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
            for (final GroupsClient.PartitionLag line : detail.partitions())
            {
                System.out.printf("%-30s %9d %14s %14s %8s  %-40s %-16s %s%n", line.topic(), line.partition(),
                    dash(line.committed()), dash(line.logEndOffset()), dash(line.lag()), line.memberId(),
                    line.host(), line.clientId());
            }
            return 0;
        }

        private static String dash(final long value)
        {
            return value < 0 ? "-" : Long.toString(value);
        }
    }
}
