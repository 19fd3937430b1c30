package io.loglab.engine.log;

import java.nio.file.Path;

/**
 * Damage found in a log file: where, and what rule the bytes there break.
 *
 * @param file     the damaged file.
 * @param position byte position in it of the first bad byte or bad batch.
 * @param reason   what is wrong, in words.
 * @param action   what recovery did about it, or what {@code verify} advises.
 */
public record Corruption(Path file, long position, String reason, String action)
{
    @Override
    public String toString()
    {
        return file + " at byte " + position + ": " + reason + (action.isEmpty() ? "" : " (" + action + ")");
    }
}
