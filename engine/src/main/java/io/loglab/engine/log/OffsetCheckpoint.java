package io.loglab.engine.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file holding one offset as decimal text and a newline: the recovery point, the high watermark, the log start
 * offset. Replaced atomically and durably ({@link FileSync#writeAtomically}), so a crash leaves the old value or the
 * new one. Reading never changes it; a value that is missing or does not parse is reported, never guessed.
 * <p>
 * Threading: the log's writer thread writes; reads happen while the log is being opened.
 */
final class OffsetCheckpoint
{
    /** {@link #read} found no file. */
    static final long ABSENT = -1;
    /** {@link #read} found a file that is not one non-negative offset. */
    static final long UNREADABLE = -2;

    private final Path file;

    OffsetCheckpoint(final Path file)
    {
        this.file = file;
    }

    Path file()
    {
        return file;
    }

    /**
     * @return the offset, {@link #ABSENT} or {@link #UNREADABLE}.
     */
    long read() throws IOException
    {
        final String content;
        try
        {
            content = Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        catch (final NoSuchFileException ex)
        {
            return ABSENT;
        }
        catch (final java.nio.charset.MalformedInputException ex)
        {
            return UNREADABLE;
        }
        try
        {
            final long offset = Long.parseLong(content);
            return offset < 0 ? UNREADABLE : offset;
        }
        catch (final NumberFormatException ex)
        {
            return UNREADABLE;
        }
    }

    void write(final long offset) throws IOException
    {
        FileSync.writeAtomically(file, offset + "\n");
    }
}
