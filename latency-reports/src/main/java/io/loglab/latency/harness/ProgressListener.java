package io.loglab.latency.harness;

/**
 * Told about every 5 s how a run is going, on the thread that called {@link LoadRun#run}.
 */
@FunctionalInterface
public interface ProgressListener
{
    ProgressListener NONE = (elapsedSeconds, recordsPerSecond, records) -> { };

    /**
     * @param elapsedSeconds   since the run began, warm-up included.
     * @param recordsPerSecond acknowledged since the last call.
     * @param records          acknowledged since the run began.
     */
    void onProgress(double elapsedSeconds, double recordsPerSecond, long records);
}
