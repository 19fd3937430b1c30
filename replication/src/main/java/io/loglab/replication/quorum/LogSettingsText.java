package io.loglab.replication.quorum;

import io.loglab.engine.log.LogConfig;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * A topic's log settings as the controller carries them: {@link LogConfig#toProperties()} as {@code name=value} lines,
 * sorted, so every member keeps the same bytes (the values are numbers and policy names, which need no escaping).
 */
final class LogSettingsText
{
    private LogSettingsText()
    {
    }

    static String of(final LogConfig config)
    {
        final Properties properties = config.toProperties();
        final StringBuilder text = new StringBuilder();
        properties.stringPropertyNames().stream().sorted()
            .forEach(name -> text.append(name).append('=').append(properties.getProperty(name)).append('\n'));
        return text.toString();
    }

    /**
     * @throws IllegalArgumentException if the text holds a setting that is not valid.
     */
    static LogConfig parse(final String text)
    {
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(text));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return LogConfig.fromProperties(properties);
    }
}
