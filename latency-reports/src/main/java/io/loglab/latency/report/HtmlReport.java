package io.loglab.latency.report;

import io.loglab.latency.result.SuiteResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * report.html: one self-contained file. The uPlot chart library is inlined from its WebJar and the results are
 * embedded as JSON, so the report opens offline and stays interactive. The same page renders one suite or, for
 * {@code compare}, several side by side.
 */
public final class HtmlReport
{
    private static final String UPLOT_DIR = "META-INF/resources/webjars/uplot/";
    private static final String UPLOT_VERSION = webJarVersion();

    /**
     * A suite's results and the label its series carry in the charts.
     */
    public record Source(String label, SuiteResult suite)
    {
    }

    private HtmlReport()
    {
    }

    /**
     * @param warnings shown at the top of the report, e.g. configurations a comparison could not match.
     */
    public static void write(final String title, final List<Source> sources, final List<String> warnings,
        final Path file) throws IOException
    {
        Files.writeString(file, render(title, sources, warnings), StandardCharsets.UTF_8);
    }

    static String render(final String title, final List<Source> sources, final List<String> warnings)
        throws IOException
    {
        final List<Map<String, Object>> data = new ArrayList<>();
        for (final Source source : sources)
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("label", source.label());
            entry.put("suite", source.suite());
            data.add(entry);
        }
        return selfContained(HtmlReport.class, "report.html", title,
            Map.of("sources", data, "warnings", warnings));
    }

    /**
     * A template (a resource beside {@code anchor}) made one offline page: the title where {@code {{TITLE}}} stands,
     * uPlot's CSS and script inlined at the UPLOT_CSS and UPLOT_JS comments, every report's own (report-base.css:
     * the page and table styles; report-base.js: the series colours, {@code el} and {@code fmt}) at BASE_CSS and BASE_JS, and
     * {@code data} as JSON at the DATA comment.
     */
    public static String selfContained(final Class<?> anchor, final String template, final String title,
        final Object data) throws IOException
    {
        // Inside a script element "</script" would end it and "<!--<script" would change how it ends; JSON strings
        // may spell every '<' as \u003c, and the data then holds none.
        final String json = Json.toJson(data).replace("<", "\\u003c");
        final String escapedTitle = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return fill(resource(anchor, template), Map.of(
            "{{TITLE}}", escapedTitle,
            "/*UPLOT_CSS*/", webJar("dist/uPlot.min.css"),
            "/*UPLOT_JS*/", webJar("dist/uPlot.iife.min.js"),
            "/*BASE_CSS*/", resource(HtmlReport.class, "report-base.css"),
            "/*BASE_JS*/", resource(HtmlReport.class, "report-base.js"),
            "/*DATA*/", json));
    }

    /**
     * Replace each placeholder where it stands in the template, in one pass, so text inserted for one placeholder
     * is never searched for another.
     */
    static String fill(final String template, final Map<String, String> values)
    {
        final StringBuilder out = new StringBuilder(template.length() * 2);
        int at = 0;
        while (at < template.length())
        {
            int next = -1;
            String placeholder = null;
            for (final String candidate : values.keySet())
            {
                final int index = template.indexOf(candidate, at);
                if (index >= 0 && (next < 0 || index < next))
                {
                    next = index;
                    placeholder = candidate;
                }
            }
            if (next < 0)
            {
                out.append(template, at, template.length());
                break;
            }
            out.append(template, at, next).append(values.get(placeholder));
            at = next + placeholder.length();
        }
        return out.toString();
    }

    private static String webJarVersion()
    {
        final Properties versions = new Properties();
        try (InputStream in = HtmlReport.class.getResourceAsStream("webjars.properties"))
        {
            if (in == null)
            {
                throw new IllegalStateException("webjars.properties is missing from the build");
            }
            versions.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return versions.getProperty("uplot.version");
    }

    private static String webJar(final String path)
    {
        return resource(HtmlReport.class, "/" + UPLOT_DIR + UPLOT_VERSION + "/" + path);
    }

    private static String resource(final Class<?> anchor, final String name)
    {
        try (InputStream in = anchor.getResourceAsStream(name))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing resource " + name + " (is the uPlot WebJar on the classpath?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
