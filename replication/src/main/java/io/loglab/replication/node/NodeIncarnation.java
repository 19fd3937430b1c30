package io.loglab.replication.node;

import io.loglab.engine.log.FileSync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's incarnation: a number larger each time the node starts on its directory, which every replica message
 * carries so peers ignore what an earlier run of the node sent. Kept in {@value #FILE_NAME}, replaced atomically
 * and durably ({@link FileSync#writeAtomically}) before the node sends anything, so a crash at any point leaves the
 * last number or the next.
 */
final class NodeIncarnation
{
    static final String FILE_NAME = "replica-incarnation";

    private NodeIncarnation()
    {
    }

    /**
     * The next incarnation for the node whose directory is {@code nodeDir}, recorded before it is returned.
     *
     * @throws IOException if the file cannot be written, or holds something that is not an incarnation.
     */
    static long next(final Path nodeDir) throws IOException
    {
        final Path file = nodeDir.resolve(FILE_NAME);
        long last = 0;
        if (Files.exists(file))
        {
            final String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            try
            {
                last = Long.parseLong(text);
            }
            catch (final NumberFormatException ex)
            {
                throw new IOException(file + " holds \"" + text + "\", not a node incarnation: it is left as it is",
                    ex);
            }
        }
        final long next = last + 1;
        FileSync.writeAtomically(file, Long.toString(next));
        return next;
    }
}
