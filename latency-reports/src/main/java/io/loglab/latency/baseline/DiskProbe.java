package io.loglab.latency.baseline;

import io.loglab.latency.result.DiskRate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Measures D beside a closed-loop run, in the directory its log will use: {@link MachineBaselines#disk}, or a fixed
 * figure in tests.
 */
@FunctionalInterface
public interface DiskProbe
{
    DiskRate measure(Path dir) throws IOException;
}
