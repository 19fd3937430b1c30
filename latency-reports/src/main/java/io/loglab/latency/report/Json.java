package io.loglab.latency.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loglab.latency.result.SuiteResult;

import java.io.IOException;
import java.nio.file.Path;

/**
 * summary.json: the {@link SuiteResult} as Jackson writes records. NaN and infinities are written as strings
 * ("NaN"), which JSON allows where it does not allow the bare tokens.
 */
public final class Json
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json()
    {
    }

    public static void write(final SuiteResult result, final Path file) throws IOException
    {
        MAPPER.writeValue(file.toFile(), result);
    }

    public static String toJson(final Object value) throws IOException
    {
        return MAPPER.writeValueAsString(value);
    }

    public static SuiteResult read(final Path file) throws IOException
    {
        try
        {
            return MAPPER.readValue(file.toFile(), SuiteResult.class);
        }
        catch (final IOException ex)
        {
            throw new IOException(file + " is not a loglab summary.json: " + ex.getMessage(), ex);
        }
    }
}
