package io.loglab.latency.harness;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.SingleWriterRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyLogTest
{
    private static final long BASE_EPOCH_MS = 1_700_000_000_000L;

    @Test
    void shouldReadBackEveryIntervalItWroteWhenTheLogIsReplayedWithHdrHistogramsReader(@TempDir final Path dir)
        throws Exception
    {
        final SingleWriterRecorder first = new SingleWriterRecorder(3);
        final SingleWriterRecorder second = new SingleWriterRecorder(3);
        final Path hlog = dir.resolve("run.ack-written.hlog");
        final long[] perInterval = {1000, 0, 2500};
        final Histogram written = new Histogram(3);
        try (LatencyLog log = new LatencyLog("ack-written", List.of(first, second), hlog, BASE_EPOCH_MS))
        {
            first.recordValue(999_999_999L);
            log.discard();
            for (int i = 0; i < perInterval.length; i++)
            {
                for (long v = 1; v <= perInterval[i]; v++)
                {
                    (v % 2 == 0 ? first : second).recordValue(v * 1_000);
                    written.recordValue(v * 1_000);
                }
                log.cutInterval();
                log.logInterval(BASE_EPOCH_MS + i * 1000L, BASE_EPOCH_MS + (i + 1) * 1000L);
            }
            assertEquals(written, log.total(), "total is the sum of the intervals, warm-up discarded");
            log.writeDistribution(dir.resolve("run.ack-written.hgrm"));
        }

        final HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        final Histogram readBack = new Histogram(3);
        int intervals = 0;
        EncodableHistogram interval;
        while ((interval = reader.nextIntervalHistogram()) != null)
        {
            assertEquals(perInterval[intervals], ((Histogram)interval).getTotalCount(), "interval " + intervals);
            assertEquals(BASE_EPOCH_MS + intervals * 1000L, interval.getStartTimeStamp(), "interval " + intervals);
            readBack.add((Histogram)interval);
            intervals++;
        }
        reader.close();
        assertEquals(perInterval.length, intervals);
        assertEquals(written.getTotalCount(), readBack.getTotalCount());
        assertEquals(written.getMaxValue(), readBack.getMaxValue());
        final String hgrm = Files.readString(dir.resolve("run.ack-written.hgrm"));
        final String footer = "(?s).*#\\[Max +=  +2500\\.\\d+, Total count += +3500].*";
        assertTrue(hgrm.matches(footer), "values in microseconds: " + hgrm);
    }
}
