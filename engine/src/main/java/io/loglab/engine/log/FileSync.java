package io.loglab.engine.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The few durable file-system steps the log takes outside its segments.
 */
public final class FileSync
{
    private FileSync()
    {
    }

    /**
     * fsync a directory, so that files created, renamed or deleted in it survive a power loss.
     */
    public static void syncDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    /**
     * Replace {@code file} with {@code content} atomically and durably: write a temporary file, fsync it, rename it
     * over the old one, fsync the directory. A crash leaves either the old content or the new, never a mix.
     */
    public static void writeAtomically(final Path file, final String content) throws IOException
    {
        writeAtomically(file, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * As {@link #writeAtomically(Path, String)}, for the bytes between {@code bytes}' position and limit.
     */
    public static void writeAtomically(final Path file, final ByteBuffer bytes) throws IOException
    {
        final Path temporary = LogFiles.temporaryFile(file);
        try (FileChannel channel = FileChannel.open(
            temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
    }
}
