package io.loglab.jmh.support;

/**
 * What every forked benchmark JVM needs on Java 17: Agrona reaches {@code jdk.internal.misc.Unsafe}, and the engine's
 * checksum path opens {@code java.util.zip}. Constants, so each {@code @Fork(jvmArgsAppend = ...)} can name them.
 */
public final class JvmFlags
{
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String OPEN_MISC = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String OPEN_ZIP = "--add-opens=java.base/java.util.zip=ALL-UNNAMED";

    private JvmFlags()
    {
    }
}
