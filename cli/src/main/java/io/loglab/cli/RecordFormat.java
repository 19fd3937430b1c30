package io.loglab.cli;

/**
 * How records are spelled on standard input ({@code produce --format}) and output ({@code consume --format}), and
 * the one home of the two binary-safe layouts, which {@code consume} writes exactly as {@code produce} reads them,
 * so {@code consume --format F | produce --format F} copies records byte for byte (keys, values, nulls; not
 * timestamps or offsets).
 * <ul>
 *   <li>{@code text}: produce reads {@code key<TAB>value} lines (no tab: a null key); consume prints
 *       {@code partition offset key value} ({@code -} for null). Bytes pass as they are (invalid UTF-8 and a lone
 *       {@code \r} included); only a value holding {@code \n}, or a key holding a tab, cannot be spelled.</li>
 *   <li>{@code base64}: {@code KEY<TAB>VALUE} lines, each field base64 (RFC 4648, padding optional on input),
 *       {@code -} for null: any bytes, tombstones included.</li>
 *   <li>{@code binary}: length-prefixed records, no separators: a big-endian int32 key length ({@code -1} for null),
 *       the key, a big-endian int32 value length ({@code -1} for null), the value.</li>
 * </ul>
 * Lines end at {@code \n} only.
 */
enum RecordFormat
{
    TEXT("text"),
    BASE64("base64"),
    BINARY("binary");

    /** Ends a line in the line formats. */
    static final byte NEWLINE = '\n';
    /** Separates key and value in the line formats. */
    static final byte TAB = '\t';
    /** Separates fields in consume's text output. */
    static final byte SPACE = ' ';
    /** A null key or value in {@code base64}, and in consume's text output. */
    static final byte NULL_FIELD = '-';
    /** Bytes of a length prefix in {@code binary}. */
    static final int LENGTH_BYTES = 4;
    /** The length prefix of a null key or value in {@code binary}. */
    static final int NULL_LENGTH = -1;

    /** The names, for --help. */
    static final String NAMES = "text, base64 or binary";

    private final String optionName;

    RecordFormat(final String optionName)
    {
        this.optionName = optionName;
    }

    /**
     * @throws IllegalArgumentException naming the choices.
     */
    static RecordFormat parse(final String name)
    {
        for (final RecordFormat format : values())
        {
            if (format.optionName.equals(name))
            {
                return format;
            }
        }
        throw new IllegalArgumentException("--format must be " + NAMES + ", was " + name);
    }

    /**
     * How a message names record {@code number} (counting from 1): {@code line N}, or {@code record N}.
     */
    String describe(final long number)
    {
        return (isLines() ? "line " : "record ") + number;
    }

    boolean isLines()
    {
        return this != BINARY;
    }

    @Override
    public String toString()
    {
        return optionName;
    }
}
