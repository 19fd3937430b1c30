package io.loglab.engine.topic;

import io.loglab.engine.log.FileSync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Producer ids for idempotent producers, never handed out twice by a data directory, across restarts and crashes:
 * ids are taken in blocks, and a block's end is written to {@value #FILE_NAME} (atomically, fsynced) before any id
 * of it is given, so a restart starts after every block that may have been used, as Kafka's controller allocates
 * them.
 * <p>
 * Threading: callers serialise (the {@link LogManager}'s monitor).
 */
final class ProducerIds
{
    static final String FILE_NAME = ".producer-ids";
    private static final long BLOCK = 1_000;

    private final Path file;
    private long next;
    private long blockEnd;

    ProducerIds(final Path dataDir)
    {
        this.file = dataDir.resolve(FILE_NAME);
    }

    long allocate() throws IOException
    {
        if (next == blockEnd)
        {
            final long start = blockEnd == 0 ? readReserved() : blockEnd;
            FileSync.writeAtomically(file, Long.toString(start + BLOCK));
            next = start;
            blockEnd = start + BLOCK;
        }
        return next++;
    }

    private long readReserved() throws IOException
    {
        final String content;
        try
        {
            content = Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        catch (final NoSuchFileException none)
        {
            return 0;
        }
        try
        {
            final long reserved = Long.parseLong(content);
            if (reserved < 0)
            {
                throw new NumberFormatException();
            }
            return reserved;
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException(file + ": '" + content + "' is not the next free producer id; it is left as it " +
                "is, and no producer id is handed out until it is mended");
        }
    }
}
