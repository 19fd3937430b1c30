package io.loglab.engine.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A partition's {@code quarantine/} directory: where a writer moves what it cannot keep instead of deleting it. Each
 * item is the file (or the cut bytes of one) under a name that says when and from where, beside a {@code .report}
 * text naming the file, byte position, offsets affected and why. The engine never reads it back; a person decides.
 * <p>
 * Threading: the log's writer thread, while opening or repairing.
 */
final class Quarantine
{
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path partitionDir;
    private final Path dir;

    Quarantine(final Path partitionDir)
    {
        this.partitionDir = partitionDir;
        this.dir = partitionDir.resolve(LogFiles.QUARANTINE_DIR);
    }

    /**
     * Move {@code file} whole into quarantine.
     *
     * @return where it went.
     */
    Path moveFile(final Path file, final LogFinding why) throws IOException
    {
        final Path target = itemPath(file.getFileName().toString());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        writeReport(target, why, "the whole file");
        FileSync.syncDirectory(partitionDir);
        return target;
    }

    /**
     * Copy the bytes of {@code file} from {@code from} to its end into quarantine and make the copy durable; the
     * caller then cuts them from the file.
     *
     * @return where they went.
     */
    Path copyTail(final Path file, final long from, final LogFinding why) throws IOException
    {
        final Path target = itemPath(file.getFileName() + ".from-byte-" + from);
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel copy = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final long end = source.size();
            long at = from;
            while (at < end)
            {
                at += source.transferTo(at, end - at, copy);
            }
            copy.force(true);
        }
        writeReport(target, why, "bytes " + from + " to the end of " + file.getFileName());
        return target;
    }

    private Path itemPath(final String name) throws IOException
    {
        Files.createDirectories(dir);
        final String stamp = STAMP.format(Instant.now());
        Path target = dir.resolve(stamp + "-" + name);
        for (int n = 1; Files.exists(target) || Files.exists(reportPath(target)); n++)
        {
            target = dir.resolve(stamp + "-" + n + "-" + name);
        }
        return target;
    }

    private void writeReport(final Path item, final LogFinding why, final String what) throws IOException
    {
        FileSync.writeAtomically(reportPath(item),
            "item: " + item.getFileName() + "\n" +
            "holds: " + what + "\n" +
            "from: " + why.file() + "\n" +
            "byte position: " + why.position() + "\n" +
            "offsets affected: " + (why.offsets().isEmpty() ? "none" : why.offsets()) + "\n" +
            "why: " + why.reason() + "\n" +
            "moved at: " + Instant.now() + "\n");
    }

    private static Path reportPath(final Path item)
    {
        return item.resolveSibling(item.getFileName() + ".report");
    }
}
