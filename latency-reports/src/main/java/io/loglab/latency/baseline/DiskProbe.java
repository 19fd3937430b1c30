package io.loglab.latency.baseline;

import io.loglab.latency.result.DiskRate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Measures D right after a closed-loop run, in the directory its log used, writing what the run wrote:
 * {@link MachineBaselines#disk}, or a fixed figure in tests.
 */
@FunctionalInterface
public interface DiskProbe
{
    /**
     * @param shape the log bytes the run wrote in its warm-up and its measured period, and how long each took.
     */
    DiskRate measure(Path dir, WriteShape shape) throws IOException;
}
