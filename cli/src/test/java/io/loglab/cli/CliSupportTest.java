package io.loglab.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

class CliSupportTest
{
    @Test
    void shouldReportAnErrorInOneLineUnlessDebugAsksForItsStackTrace()
    {
        final IOException full = new IOException("No space left on device");
        assertEquals("loglab: No space left on device", CliSupport.report("loglab: ", full, false));
        assertEquals("error: java.lang.IllegalStateException",
            CliSupport.report("error: ", new IllegalStateException(), false), "no message: the type");

        final String newline = System.lineSeparator();
        final String debug = CliSupport.report("loglab: ", full, true);
        assertTrue(debug.startsWith("loglab: No space left on device" + newline +
            "java.io.IOException: No space left on device" + newline + "\tat "), debug);
        assertFalse(debug.endsWith(newline), "println adds the last line end");
    }
}
