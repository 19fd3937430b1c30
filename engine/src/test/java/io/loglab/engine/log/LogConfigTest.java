package io.loglab.engine.log;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

class LogConfigTest
{
    @Test
    void shouldParseEveryFlushPolicySpellingAndWriteItBack()
    {
        assertSame(FlushPolicy.EVERY, FlushPolicy.parse("every"));
        assertSame(FlushPolicy.OS, FlushPolicy.parse(" OS "));
        assertEquals(FlushPolicy.interval(250), FlushPolicy.parse("interval:250"));
        for (final String spec : new String[]{ "every", "os", "interval:1", "interval:60000" })
        {
            assertEquals(spec, FlushPolicy.parse(spec).toString());
        }
    }

    @Test
    void shouldRefuseMalformedFlushPolicies()
    {
        for (final String spec : new String[]{ "", "sometimes", "interval:", "interval:0", "interval:-5",
            "interval:1.5", "interval:99999999999999999999", null })
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> FlushPolicy.parse(spec), String.valueOf(spec));
            assertTrue(ex.getMessage().contains("every, os or interval:MS"), ex.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new FlushPolicy(FlushPolicy.Kind.OS, 5));
    }

    @Test
    void shouldFreezeSettingsOnceConcluded()
    {
        final LogConfig config = new LogConfig().segmentBytes(4096).conclude();
        assertTrue(config.isConcluded());
        assertThrows(IllegalStateException.class, () -> config.segmentBytes(8192));
        assertThrows(IllegalStateException.class, () -> config.flush("every"));
        assertThrows(IllegalStateException.class, config::conclude);
        assertSame(config, config.concludedIfNeeded());
        assertEquals(4096, config.segmentBytes());
    }

    @Test
    void shouldNameTheFieldOfABadProperty()
    {
        final Properties properties = new Properties();
        properties.setProperty(LogConfig.FLUSH_POLICY_PROP, "hourly");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> LogConfig.fromProperties(properties));
        assertTrue(ex.getMessage().startsWith("flush.policy=hourly"), ex.getMessage());
    }

    @Test
    void shouldRoundTripThroughProperties()
    {
        final LogConfig config = new LogConfig().segmentBytes(2048).retentionMs(-1).flush("interval:100").conclude();
        final LogConfig read = LogConfig.fromProperties(config.toProperties());
        assertEquals(config.toProperties(), read.toProperties());
        assertEquals(FlushPolicy.interval(100), read.flushPolicy());
    }
}
