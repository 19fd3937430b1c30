package io.loglab.latency.vskafka;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class WritebackTest
{
    @Test
    void shouldAddDirtyAndWritebackFromMeminfo()
    {
        assertEquals((1_000 + 24) * 1024L, Writeback.pendingBytes(String.join("\n",
            "MemTotal:       24641224 kB", "Dirty:              1000 kB", "Writeback:            24 kB",
            "WritebackTmp:          7 kB")));
        assertEquals(0, Writeback.pendingBytes("MemTotal: 1 kB"));
    }
}
