package io.loglab.cli;

import io.loglab.engine.topic.LogManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the commands share: opening a data directory that must already exist.
 */
final class CliSupport
{
    private CliSupport()
    {
    }

    /**
     * Open a data directory without creating one, so a mistyped path is an error rather than a new empty log.
     */
    static LogManager openExisting(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException("no data directory at " + dir + " (create a topic there first)");
        }
        return LogManager.open(new LogManager.Context().dataDir(dir));
    }
}
