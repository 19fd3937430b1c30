package io.loglab.latency.vskafka;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Waits, between comparison runs, until the kernel has written back the page cache's dirty bytes (Linux's
 * {@code /proc/meminfo} Dirty plus Writeback), so one system's gigabytes are not flushed during the other's run.
 * Where there is no {@code /proc/meminfo} it does not wait.
 */
final class Writeback
{
    /** Settled: what a quiet machine keeps dirty anyway. */
    static final long SETTLED_BYTES = 64L * 1024 * 1024;
    private static final long GIVE_UP_NS = TimeUnit.SECONDS.toNanos(120);
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private Writeback()
    {
    }

    static void await(final PrintStream progress) throws InterruptedException
    {
        final long deadline = System.nanoTime() + GIVE_UP_NS;
        boolean told = false;
        long pending;
        while ((pending = pendingBytes()) > SETTLED_BYTES && System.nanoTime() - deadline < 0)
        {
            if (!told)
            {
                progress.printf("  waiting for %d MiB of dirty page cache to be written back...%n",
                    pending / (1024 * 1024));
                told = true;
            }
            Thread.sleep(200);
        }
    }

    /**
     * Dirty plus Writeback from {@code /proc/meminfo}, in bytes; 0 if it cannot be read.
     */
    static long pendingBytes()
    {
        try
        {
            return pendingBytes(Files.readString(MEMINFO));
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    static long pendingBytes(final String meminfo)
    {
        long kib = 0;
        for (final String line : meminfo.lines().toList())
        {
            if (line.startsWith("Dirty:") || line.startsWith("Writeback:"))
            {
                kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kib * 1024;
    }
}
