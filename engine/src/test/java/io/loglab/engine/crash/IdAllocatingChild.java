package io.loglab.engine.crash;

import io.loglab.engine.topic.LogManager;
import io.loglab.engine.topic.LogManagerContext;

import java.nio.file.Path;

/**
 * A child JVM for {@link ProducerIdsSigkillTest}: opens a data directory and hands out producer ids until killed,
 * printing each one (flushed) once it has it.
 */
public final class IdAllocatingChild
{
    private IdAllocatingChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (LogManager logs = LogManager.open(new LogManagerContext().dataDir(Path.of(args[0]))))
        {
            while (true)
            {
                System.out.println(logs.allocateProducerId());
                System.out.flush();
            }
        }
    }
}
