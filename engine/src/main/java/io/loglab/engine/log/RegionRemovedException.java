package io.loglab.engine.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The region a {@link LogReader} found was removed before it was copied or sent: retention or truncation removed its
 * segment (nothing is wrong with the log: read again, and the offset is either out of range or served from the
 * segments there are now), or the log closed (reading again then throws).
 */
public final class RegionRemovedException extends IOException
{
    private static final long serialVersionUID = 1L;

    RegionRemovedException(final Path segmentFile)
    {
        super(segmentFile + " was removed before its region was read; read again");
    }
}
