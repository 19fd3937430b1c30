package io.loglab.latency.config;

import io.loglab.engine.topic.LogManagerContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class RunConfigTest
{
    /**
     * A value for each setting other than its default, valid for the record.
     */
    private static final Map<String, String> CHANGED = Map.ofEntries(
        Map.entry("record-size", "101"),
        Map.entry("rate", "5"),
        Map.entry("partitions", "2"),
        Map.entry("producers", "2"),
        Map.entry("consumers", "0"),
        Map.entry("consumer-rate", "7"),
        Map.entry("batch-bytes", "4096"),
        Map.entry("linger-ms", "0"),
        Map.entry("flush", "interval:100"),
        Map.entry("duration-seconds", "11"),
        Map.entry("warmup-seconds", "4"),
        Map.entry("segment-bytes", "1048576"),
        Map.entry("retention-bytes", "1000000"),
        Map.entry("retention-check-ms", "999"),
        Map.entry("writer-threads", "0"));

    @Test
    void shouldGiveTheSameHashToTheSameSettingsWhateverTheNameOrSpelling()
    {
        final RunConfig a = RunConfig.DEFAULTS.with(Map.of("name", "a", "rate", "100000", "flush", "every"));
        final RunConfig b = RunConfig.DEFAULTS.with(Map.of("name", "b", "rate", "100_000", "flush", " EVERY "));

        assertEquals(a.hash(), b.hash());
        assertEquals(a.hash(), RunConfig.DEFAULTS.with(a.toMap()).hash(), "stable across a round trip");
        assertTrue(a.hash().matches("[0-9a-f]{" + RunConfig.HASH_HEX_DIGITS + "}"), a.hash());
    }

    @Test
    void shouldHashTheSortedSettingsButTheNameWithSha256() throws Exception
    {
        final StringBuilder canonical = new StringBuilder();
        final Map<String, String> sorted = new TreeMap<>(RunConfig.DEFAULTS.toMap());
        sorted.remove("name");
        sorted.forEach((key, value) -> canonical.append(key).append('=').append(value).append('\n'));
        final byte[] digest = MessageDigest.getInstance("SHA-256")
            .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));

        assertEquals(HexFormat.of().formatHex(digest).substring(0, 8), RunConfig.DEFAULTS.hash());
    }

    @Test
    void shouldGiveAnotherHashWhenAnySettingChanges()
    {
        final Set<String> keys = new HashSet<>(RunConfig.DEFAULTS.toMap().keySet());
        keys.remove("name");
        assertEquals(keys, CHANGED.keySet(), "every setting is tried");
        final Set<String> hashes = new HashSet<>();
        hashes.add(RunConfig.DEFAULTS.hash());
        for (final Map.Entry<String, String> change : CHANGED.entrySet())
        {
            final RunConfig changed = RunConfig.DEFAULTS.with(Map.of(change.getKey(), change.getValue()));
            assertNotEquals(RunConfig.DEFAULTS.hash(), changed.hash(), change.toString());
            assertTrue(hashes.add(changed.hash()), "no two changes collide: " + change);
        }
    }

    @Test
    void shouldSpellTheEngineDefaultWriterThreadsAsDefaultAndApplyOnlyACount()
    {
        final RunConfig byDefault = RunConfig.DEFAULTS;
        final RunConfig zero = RunConfig.DEFAULTS.with(Map.of("writer-threads", "0"));
        final RunConfig three = RunConfig.DEFAULTS.with(Map.of("writer-threads", "3"));

        assertEquals("default", byDefault.toMap().get("writer-threads"));
        assertEquals(RunConfig.WRITER_THREADS_DEFAULT, RunConfig.DEFAULTS.with(Map.of("writer-threads", "Default"))
            .writerThreads());
        final int engineDefault = new LogManagerContext().writerThreads();
        assertEquals(engineDefault, byDefault.applyTo(new LogManagerContext().dataDir(Path.of("x"))).writerThreads());
        assertEquals(0, zero.applyTo(new LogManagerContext()).writerThreads());
        assertEquals(3, three.applyTo(new LogManagerContext()).writerThreads());
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> RunConfig.DEFAULTS.with(Map.of("writer-threads", "-2"))).getMessage().contains("writer-threads=-2"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> RunConfig.DEFAULTS.with(Map.of("writer-threads", "many"))).getMessage()
            .contains("writer-threads=many"));
    }
}
