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

    public static void write(final String title, final List<Source> sources, final Path file) throws IOException
    {
        Files.writeString(file, render(title, sources), StandardCharsets.UTF_8);
    }

    static String render(final String title, final List<Source> sources) throws IOException
    {
        final List<Map<String, Object>> data = new ArrayList<>();
        for (final Source source : sources)
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("label", source.label());
            entry.put("suite", source.suite());
            data.add(entry);
        }
        // "</" inside a script element would end it early; JSON allows the escaped form.
        final String json = Json.toJson(Map.of("sources", data)).replace("</", "<\\/");
        final String escapedTitle = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return resource(HtmlReport.class, "report.html")
            .replace("{{TITLE}}", escapedTitle)
            .replace("/*UPLOT_CSS*/", webJar("dist/uPlot.min.css"))
            .replace("/*UPLOT_JS*/", webJar("dist/uPlot.iife.min.js").replace("</", "<\\/"))
            .replace("/*DATA*/", json);
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
