package io.loglab.engine.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code leader-epoch-checkpoint} file, in Kafka's text format:
 * <pre>
 *   0                 version
 *   2                 number of entries
 *   0 0               epoch, then the offset of its first batch
 *   3 1200
 * </pre>
 * Replaced atomically and durably. Reading never changes it.
 */
final class LeaderEpochCheckpointFile
{
    private static final int VERSION = 0;

    private final Path file;

    LeaderEpochCheckpointFile(final Path file)
    {
        this.file = file;
    }

    Path file()
    {
        return file;
    }

    /**
     * @return the entries, or null when the file is absent.
     * @throws IllegalStateException naming the line that breaks the format.
     */
    List<LeaderEpochCache.EpochEntry> read() throws IOException
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final java.nio.charset.CharacterCodingException ex)
        {
            throw new IllegalStateException("not text");
        }
        if (lines.size() < 2 || !lines.get(0).trim().equals(Integer.toString(VERSION)))
        {
            throw new IllegalStateException("line 1: expected version " + VERSION);
        }
        final int count = parse(lines.get(1), 2);
        if (lines.size() - 2 != count)
        {
            throw new IllegalStateException("line 2 announces " + count + " entries, the file has " +
                (lines.size() - 2));
        }
        final List<LeaderEpochCache.EpochEntry> entries = new ArrayList<>(count);
        for (int i = 2; i < lines.size(); i++)
        {
            final String[] fields = lines.get(i).trim().split(" ");
            if (fields.length != 2)
            {
                throw new IllegalStateException("line " + (i + 1) + ": expected 'epoch offset'");
            }
            entries.add(new LeaderEpochCache.EpochEntry(parse(fields[0], i + 1), parseOffset(fields[1], i + 1)));
        }
        return entries;
    }

    void write(final List<LeaderEpochCache.EpochEntry> entries) throws IOException
    {
        final StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(entries.size()).append('\n');
        for (final LeaderEpochCache.EpochEntry entry : entries)
        {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        FileSync.writeAtomically(file, text.toString());
    }

    private static int parse(final String text, final int line)
    {
        final long value = parseOffset(text, line);
        if (value > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("line " + line + ": " + text.trim() + " is out of range");
        }
        return (int)value;
    }

    private static long parseOffset(final String text, final int line)
    {
        try
        {
            final long value = Long.parseLong(text.trim());
            if (value < 0)
            {
                throw new IllegalStateException("line " + line + ": " + text.trim() + " is negative");
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalStateException("line " + line + ": '" + text.trim() + "' is not a whole number");
        }
    }
}
