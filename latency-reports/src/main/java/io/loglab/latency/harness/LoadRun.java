package io.loglab.latency.harness;

import io.loglab.engine.record.RecordBatchBuilder;
import io.loglab.engine.record.RecordBatchDescriptor;
import io.loglab.latency.baseline.DiskProbe;
import io.loglab.latency.baseline.MachineBaselines;
import io.loglab.latency.baseline.WriteShape;
import io.loglab.latency.config.RunConfig;
import io.loglab.latency.result.Baselines;
import io.loglab.latency.result.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one {@link RunConfig} against a fresh embedded engine and measures it: producers at a fixed rate (or closed
 * loop), consumers, a sampler, a warm-up excluded from every figure, then the measured period with one HdrHistogram
 * interval per second per latency kind. Right after a closed-loop run, once the engine has closed, the disk baseline
 * D writes the run's own log bytes in the run's shape in the same directory ({@link DiskProbe}), so its disk ratio
 * compares the engine with raw writes of the same work from the same state of the disk; a fixed-rate run measures
 * the platform's hiccups beside its latencies. See {@link RunResult} for what comes back.
 * <p>
 * Three parts: {@link RunWiring} builds the engine and agents, {@link RunCoordinator} times the run on the calling
 * thread, {@link RunAssembly} turns what was recorded into the result after every agent thread has stopped and the
 * engine has closed.
 */
public final class LoadRun
{
    /**
     * What one run needs besides its configuration.
     */
    public static final class Context
    {
        private RunConfig config;
        private Path runDir;
        private int repetition = 1;
        private Baselines suiteBaselines = Baselines.loopbackOnly(Double.NaN, "N: not measured");
        private DiskProbe diskProbe = MachineBaselines::disk;
        private ProgressListener progress = ProgressListener.NONE;

        /**
         * @throws IllegalArgumentException naming what is missing or wrong.
         */
        public Context conclude()
        {
            if (config == null || runDir == null)
            {
                throw new IllegalArgumentException("a run needs a config and a runDir");
            }
            if (repetition < 1)
            {
                throw new IllegalArgumentException("repetition=" + repetition + ": must be at least 1");
            }
            if (suiteBaselines == null || diskProbe == null || progress == null)
            {
                throw new IllegalArgumentException("suiteBaselines, diskProbe and progress must not be null");
            }
            return this;
        }

        public Context config(final RunConfig config)
        {
            this.config = config;
            return this;
        }

        /**
         * Where the run's {@code .hlog} and {@code .hgrm} files go; the engine's data lives in a directory under it
         * for the run and is deleted afterwards.
         */
        public Context runDir(final Path runDir)
        {
            this.runDir = runDir;
            return this;
        }

        /**
         * Which run of its configuration this is in the suite, from 1: part of its result name.
         */
        public Context repetition(final int repetition)
        {
            this.repetition = repetition;
            return this;
        }

        /**
         * N, measured once for the suite; D is measured after each closed-loop run with {@link #diskProbe}.
         */
        public Context suiteBaselines(final Baselines suiteBaselines)
        {
            this.suiteBaselines = suiteBaselines;
            return this;
        }

        /**
         * How D is measured right after a closed-loop run (default {@link MachineBaselines#disk}).
         */
        public Context diskProbe(final DiskProbe diskProbe)
        {
            this.diskProbe = diskProbe;
            return this;
        }

        public Context progress(final ProgressListener progress)
        {
            this.progress = progress;
            return this;
        }
    }

    private LoadRun()
    {
    }

    /**
     * Run {@code context}'s configuration, writing its {@code .hlog} and {@code .hgrm} files into its run directory.
     *
     * @throws IOException if the run's files or the engine's directory cannot be created.
     * @throws IllegalArgumentException if a record of the configuration does not fit its batches.
     */
    public static RunResult run(final Context context) throws IOException, InterruptedException
    {
        context.conclude();
        final RunConfig config = context.config;
        checkRecordFitsBatch(config);
        Files.createDirectories(context.runDir);
        final Problems problems = new Problems();
        final RunWiring wiring = RunWiring.open(
            config, RunResult.resultName(config, context.repetition), context.runDir, problems);
        final RunCoordinator.MeasuredPeriod period;
        try
        {
            period = RunCoordinator.measure(wiring, context.progress, problems);
        }
        finally
        {
            wiring.closeEngine(problems);
        }
        // D in the same JVM and directory, once the engine has flushed, closed and deleted its data: the disk is
        // back in the state the run started from.
        final WriteShape shape = period.writeShape(wiring.timeline.startNanos(), wiring.logFootprint);
        final Baselines baselines = config.isOpenLoop() || shape.measureBytes() == 0 ? context.suiteBaselines :
            context.suiteBaselines.withDisk(context.diskProbe.measure(context.runDir, shape));
        return RunAssembly.assemble(wiring, period, baselines, context.repetition, context.runDir, problems);
    }

    private static void checkRecordFitsBatch(final RunConfig config)
    {
        final int recordLength = RecordBatchBuilder.recordLength(
            0, 0, -1, RecordValue.length(config.recordSize()), null);
        if (RecordBatchDescriptor.HEADER_LENGTH + recordLength > config.batchBytes())
        {
            throw new IllegalArgumentException("record-size=" + config.recordSize() + " needs batches of at least " +
                (RecordBatchDescriptor.HEADER_LENGTH + recordLength) + " bytes; batch-bytes=" + config.batchBytes());
        }
    }
}
