package io.loglab.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Anything produce accepts, consume gives back: byte for byte, through each format.
 */
class RecordFormatsTest
{
    @TempDir
    Path tmp;

    private CliCapture cli;
    private String dir;

    /** A key and value, either null. */
    private record Rec(byte[] key, byte[] value)
    {
    }

    @BeforeEach
    void setUp()
    {
        cli = new CliCapture();
        dir = tmp.resolve("data").toString();
    }

    @AfterEach
    void tearDown()
    {
        cli.restore();
    }

    /**
     * Records of random bytes, rich in what breaks line formats and text decoding: newlines, carriage returns,
     * tabs, invalid UTF-8; and empty and null keys and values.
     */
    private static List<Rec> awkwardRecords()
    {
        final SplittableRandom random = new SplittableRandom(6);
        final byte[] awkward = { '\n', '\r', '\t', (byte)0xFF, (byte)0xC3, 0, '-', ' ' };
        final List<Rec> records = new ArrayList<>();
        records.add(new Rec(null, null));
        records.add(new Rec(new byte[0], new byte[0]));
        records.add(new Rec(null, "-".getBytes(StandardCharsets.US_ASCII)));
        for (int i = 0; i < 300; i++)
        {
            records.add(new Rec(random.nextInt(5) == 0 ? null : bytes(random, awkward, 0, 12),
                random.nextInt(7) == 0 ? null : bytes(random, awkward, 0, 300)));
        }
        return records;
    }

    private static byte[] bytes(final SplittableRandom random, final byte[] awkward, final int min, final int max)
    {
        final byte[] bytes = new byte[random.nextInt(min, max + 1)];
        random.nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++)
        {
            if (random.nextInt(4) == 0)
            {
                bytes[i] = awkward[random.nextInt(awkward.length)];
            }
        }
        return bytes;
    }

    private static byte[] binary(final List<Rec> records) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        for (final Rec record : records)
        {
            for (final byte[] field : new byte[][]{ record.key(), record.value() })
            {
                out.writeInt(field == null ? -1 : field.length);
                if (field != null)
                {
                    out.write(field);
                }
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] base64(final List<Rec> records)
    {
        final StringBuilder lines = new StringBuilder();
        for (final Rec record : records)
        {
            lines.append(base64(record.key())).append('\t').append(base64(record.value())).append('\n');
        }
        return lines.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String base64(final byte[] field)
    {
        return field == null ? "-" : Base64.getEncoder().encodeToString(field);
    }

    private void produce(final String topic, final String format, final byte[] input)
    {
        System.setIn(new ByteArrayInputStream(input));
        assertEquals(0, cli.run("produce", "--dir", dir, "--topic", topic, "--format", format), cli.err());
    }

    private byte[] consume(final String topic, final String format)
    {
        assertEquals(0, cli.run("consume", "--dir", dir, "--topic", topic, "--format", format), cli.err());
        return cli.outBytes();
    }

    @Test
    void shouldRoundTripArbitraryBytesThroughBinaryAndBase64()
        throws IOException
    {
        final List<Rec> records = awkwardRecords();
        final byte[] binary = binary(records);
        final byte[] base64 = base64(records);
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "a", "--partitions", "1"));
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "b", "--partitions", "1"));

        produce("a", "binary", binary);
        assertEquals(records.size() - 1, cli.lastAcks().get(0));
        assertArrayEquals(binary, consume("a", "binary"));
        assertArrayEquals(base64, consume("a", "base64"));

        produce("b", "base64", base64);
        assertArrayEquals(binary, consume("b", "binary"));
    }

    @Test
    void shouldCopyTopicOverManyPartitionsThroughBinaryFormat() throws IOException
    {
        final List<Rec> records = awkwardRecords();
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "a", "--partitions", "3"));
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "b", "--partitions", "3"));
        produce("a", "binary", binary(records));
        final byte[] copied = consume("a", "binary");
        assertEquals(binary(records).length, copied.length);

        // Keyed records land where their keys hash, so a copy to a topic of as many partitions is the same topic.
        produce("b", "binary", copied);
        assertArrayEquals(copied, consume("b", "binary"));
        assertArrayEquals(consume("a", "text"), consume("b", "text"));
    }

    @Test
    void shouldStoreTextLinesByteForByteSplittingOnNewlineOnly()
    {
        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "1"));
        final byte[] input = {
            'k', '\t', 'a', '\r', 'b', '\n',               // a lone \r is data
            (byte)0xFF, '\t', (byte)0xC3, '(', '\n',       // invalid UTF-8, stored as it is
            '\n',                                          // an empty line: null key, empty value
            '\t', 'v', '\t', 'w', '\n',                    // empty key; the value keeps its tab
            'l', 'a', 's', 't', '\r' };                    // a last line needs no newline
        produce("t", "text", input);

        assertEquals(String.join("\n",
            base64("k".getBytes()) + "\t" + base64(new byte[]{ 'a', '\r', 'b' }),
            base64(new byte[]{ (byte)0xFF }) + "\t" + base64(new byte[]{ (byte)0xC3, '(' }),
            "-\t",
            "\t" + base64("v\tw".getBytes()),
            "-\t" + base64("last\r".getBytes())) + "\n",
            new String(consume("t", "base64"), StandardCharsets.US_ASCII));

        final byte[] text = consume("t", "text");
        final byte[] expected = "0 0 k a\rb\n0 1 \u00ff \u00c3(\n0 2 - \n0 3  v\tw\n0 4 - last\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(expected, text, "text output writes the stored bytes, undecoded");
    }

    @Test
    void shouldDocumentFormatsAndRefuseUnknownOnes()
    {
        assertEquals(0, cli.run("produce", "--help"));
        for (final String expected : new String[]{ "--format", "--linger-ms", "--batch-bytes", "--in-flight",
            "--null-keys", "base64", "binary", "int32 key length" })
        {
            assertTrue(cli.out().contains(expected), expected + " in " + cli.out());
        }
        assertEquals(0, cli.run("consume", "--help"));
        assertTrue(cli.out().contains("--format") && cli.out().contains("base64"), cli.out());

        assertEquals(0, cli.run("topic", "create", "--dir", dir, "--topic", "t", "--partitions", "1"));
        assertEquals(2, cli.run("produce", "--dir", dir, "--topic", "t", "--format", "xml"));
        assertTrue(cli.err().contains("--format must be text, base64 or binary, was xml"), cli.err());
        assertEquals(2, cli.run("consume", "--dir", dir, "--topic", "t", "--format", "csv"));
        assertTrue(cli.err().contains("--format must be text, base64 or binary, was csv"), cli.err());
        assertEquals(2, cli.run("produce", "--dir", dir, "--topic", "t", "--count", "1", "--format", "text"));
        assertEquals(2, cli.run("produce", "--dir", dir, "--topic", "t", "--linger-ms", "-1"));
        assertTrue(cli.err().contains("--linger-ms must not be negative"), cli.err());
    }
}
