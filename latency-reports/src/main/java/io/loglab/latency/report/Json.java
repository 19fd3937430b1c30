package io.loglab.latency.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.loglab.latency.result.SuiteResult;

import java.io.IOException;
import java.nio.file.Path;

/**
 * summary.json: the {@link SuiteResult} as Jackson writes records. NaN and infinities are written as strings
 * ("NaN"), which JSON allows where it does not allow the bare tokens.
 */
public final class Json
{
    // Records serialise by their components; derived is-getters (RunConfig.isOpenLoop) are not data.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();

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

    static JsonNode fromJson(final String json) throws IOException
    {
        return MAPPER.readTree(json);
    }

    static SuiteResult toSuiteResult(final JsonNode node) throws IOException
    {
        return MAPPER.treeToValue(node, SuiteResult.class);
    }

    /**
     * @throws IllegalArgumentException if the file has another schema version than this build writes.
     * @throws IOException if it is not a summary.json.
     */
    public static SuiteResult read(final Path file) throws IOException
    {
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(file.toFile());
        }
        catch (final IOException ex)
        {
            throw new IOException(file + " is not a loglab summary.json: " + ex.getMessage(), ex);
        }
        final int version = root == null ? -1 : root.path("schemaVersion").asInt(-1);
        if (version != SuiteResult.SCHEMA_VERSION)
        {
            throw new IllegalArgumentException(file + " has schema version " + version + "; this build reads " +
                SuiteResult.SCHEMA_VERSION + " (run the suite again with this build)");
        }
        try
        {
            return toSuiteResult(root);
        }
        catch (final IOException ex)
        {
            throw new IOException(file + " is not a loglab summary.json: " + ex.getMessage(), ex);
        }
    }
}
