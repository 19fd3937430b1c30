package io.loglab.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Damage a test does to a log's files, and the few system commands tests run (mounts).
 */
public final class TestFiles
{
    private TestFiles()
    {
    }

    /**
     * Invert the byte at {@code position}.
     */
    public static void flipByte(final Path file, final long position) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            if (channel.read(one, position) != 1)
            {
                throw new IOException(file + " has no byte " + position);
            }
            one.put(0, (byte)~one.get(0)).rewind();
            channel.write(one, position);
        }
    }

    public static void truncate(final Path file, final long size) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }

    public static void append(final Path file, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
        {
            channel.write(ByteBuffer.wrap(bytes));
        }
    }

    /**
     * Run a system command (a mount, say), discarding its output.
     *
     * @return true if it ran and exited 0 within 30 s.
     */
    public static boolean run(final String... command) throws InterruptedException
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
