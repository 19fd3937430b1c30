package io.loglab.engine.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file and directory under a root with a digest of its bytes: what tests compare before and after a command
 * that must change nothing.
 */
public final class DirectoryChecksums
{
    private DirectoryChecksums()
    {
    }

    /**
     * Relative path -> SHA-256 of the file (or "dir" for a directory), sorted.
     */
    public static Map<String, String> of(final Path root) throws IOException
    {
        final Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.forEach(path ->
            {
                final String name = root.relativize(path).toString();
                sums.put(name, Files.isDirectory(path) ? "dir" : digest(path));
            });
        }
        return sums;
    }

    private static String digest(final Path file)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
