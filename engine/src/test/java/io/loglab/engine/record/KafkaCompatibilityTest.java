package io.loglab.engine.record;

import io.loglab.engine.log.LogConfig;
import io.loglab.engine.log.LogReader;
import io.loglab.engine.log.PartitionLog;
import io.loglab.engine.record.RecordTestSupport.Header;
import io.loglab.engine.record.RecordTestSupport.Rec;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.loglab.engine.record.RecordTestSupport.append;
import static io.loglab.engine.record.RecordTestSupport.decode;
import static io.loglab.engine.record.RecordTestSupport.expected;
import static io.loglab.engine.record.RecordTestSupport.headers;
import static io.loglab.engine.record.RecordTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our codec against Kafka's own, in both directions, and the log storing Kafka's batches byte for byte.
 */
class KafkaCompatibilityTest
{
    enum Codec
    {
        NONE(Compression.NONE),
        GZIP(Compression.gzip().build()),
        SNAPPY(Compression.snappy().build()),
        LZ4(Compression.lz4().build()),
        ZSTD(Compression.zstd().build());

        final Compression compression;

        Codec(final Compression compression)
        {
            this.compression = compression;
        }
    }

    private final RecordBatchValidator validator = new RecordBatchValidator();

    // ---------------------------------------------------------------------------------------------------------------
    // Test data

    /**
     * Records with every combination of null, empty and non-empty keys, values and header values, compressible
     * enough that codecs actually shrink them. Offsets are left 0.
     */
    private static List<Rec> randomRecords(final long seed, final int count)
    {
        final Random random = new Random(seed);
        final List<Rec> records = new ArrayList<>();
        final long baseTimestamp = 1_700_000_000_000L + random.nextInt(1_000_000);
        for (int i = 0; i < count; i++)
        {
            final long timestamp = baseTimestamp + random.nextInt(20_000) - 5_000;
            final byte[] key = switch (random.nextInt(4))
            {
                case 0 -> null;
                case 1 -> new byte[0];
                default -> utf8("key-" + random.nextInt(50));
            };
            final byte[] value = switch (random.nextInt(5))
            {
                case 0 -> null;
                case 1 -> new byte[0];
                case 2 -> randomBytes(random, random.nextInt(300));
                default -> utf8("value " + i + " " + "lorem ipsum ".repeat(random.nextInt(20)));
            };
            final List<Header> headers = new ArrayList<>();
            final int headerCount = random.nextInt(4);
            for (int h = 0; h < headerCount; h++)
            {
                final byte[] headerValue = switch (random.nextInt(3))
                {
                    case 0 -> null;
                    case 1 -> new byte[0];
                    default -> randomBytes(random, 1 + random.nextInt(20));
                };
                headers.add(new Header("header-" + h + (random.nextBoolean() ? "-é" : ""), headerValue));
            }
            records.add(new Rec(0, timestamp, key, value, headers));
        }
        return records;
    }

    private static byte[] randomBytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(final ByteBuffer buffer)
    {
        if (buffer == null)
        {
            return null;
        }
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static org.apache.kafka.common.header.Header[] kafkaHeaders(final List<Header> headers)
    {
        return headers.stream()
            .map(h -> new RecordHeader(h.key(), h.value()))
            .toArray(org.apache.kafka.common.header.Header[]::new);
    }

    private static Rec fromKafka(final org.apache.kafka.common.record.internal.Record record)
    {
        final List<Header> headers = new ArrayList<>();
        for (final org.apache.kafka.common.header.Header h : record.headers())
        {
            headers.add(new Header(h.key(), h.value()));
        }
        return new Rec(record.offset(), record.timestamp(), bytes(record.key()), bytes(record.value()), headers);
    }

    /**
     * A batch built by Kafka's producer-side builder, as the bytes a producer sends.
     */
    private static byte[] kafkaBatch(
        final Codec codec, final List<Rec> records, final long producerId, final short epoch, final int sequence)
    {
        final MemoryRecordsBuilder builder = MemoryRecords.builder(
            ByteBuffer.allocate(1024), RecordBatch_CURRENT_MAGIC, codec.compression, TimestampType.CREATE_TIME, 0L,
            org.apache.kafka.common.record.internal.RecordBatch.NO_TIMESTAMP, producerId, epoch, sequence);
        for (final Rec rec : records)
        {
            builder.append(rec.timestamp(), rec.key(), rec.value(), kafkaHeaders(rec.headers()));
        }
        final MemoryRecords built = builder.build();
        return bytes(built.buffer());
    }

    private static final byte RecordBatch_CURRENT_MAGIC =
        org.apache.kafka.common.record.internal.RecordBatch.CURRENT_MAGIC_VALUE;

    private static byte[] ourBatch(final List<Rec> records, final long producerId, final short epoch, final int seq)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
        final RecordBatchBuilder builder = new RecordBatchBuilder().wrap(buffer, 0, buffer.capacity());
        if (producerId != RecordBatchDescriptor.NO_PRODUCER_ID)
        {
            builder.producer(producerId, epoch, seq);
        }
        final RecordHeaders scratch = new RecordHeaders();
        for (final Rec rec : records)
        {
            assertTrue(append(builder, scratch, rec));
        }
        final int length = builder.build();
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static long maxTimestamp(final List<Rec> records)
    {
        return records.stream().mapToLong(Rec::timestamp).max().orElseThrow();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // a. Kafka reads what we build

    @Test
    void shouldBeReadByKafkaWhenWeBuildBatches()
    {
        final List<List<Rec>> batches = List.of(
            randomRecords(1, 1),
            randomRecords(2, 7),
            randomRecords(3, 60),
            List.of(
                new Rec(0, 10, null, null, List.of()),
                new Rec(0, 5, new byte[0], new byte[0], headers("null-value", null, "empty", "")),
                new Rec(0, 30, utf8("k"), utf8("v"), headers("ключ", "значение"))));
        final long[] producerIds = {-1L, 77L, -1L, 1L << 40};
        final short[] epochs = {-1, 3, -1, Short.MAX_VALUE};
        final int[] sequences = {-1, 100, -1, Integer.MAX_VALUE - 5};

        // Concatenated as they would sit in a log, each batch at its own base offset as the log would stamp it.
        final ByteBuffer log = ByteBuffer.allocate(256 * 1024);
        long nextOffset = 0;
        for (int b = 0; b < batches.size(); b++)
        {
            final byte[] batch = ourBatch(batches.get(b), producerIds[b], epochs[b], sequences[b]);
            ByteBuffer.wrap(batch).putLong(RecordBatchDescriptor.BASE_OFFSET_OFFSET, nextOffset);
            log.put(batch);
            nextOffset += batches.get(b).size();
        }
        log.flip();

        final MemoryRecords records = MemoryRecords.readableRecords(log);
        int b = 0;
        long expectedOffset = 0;
        for (final MutableRecordBatch kafkaBatch : records.batches())
        {
            final List<Rec> written = batches.get(b);
            assertDoesNotThrow(kafkaBatch::ensureValid, "batch " + b);
            assertEquals(2, kafkaBatch.magic());
            assertEquals(expectedOffset, kafkaBatch.baseOffset());
            assertEquals(expectedOffset + written.size() - 1, kafkaBatch.lastOffset());
            assertEquals(written.size(), kafkaBatch.countOrNull());
            assertEquals(producerIds[b], kafkaBatch.producerId());
            assertEquals(epochs[b], kafkaBatch.producerEpoch());
            assertEquals(sequences[b], kafkaBatch.baseSequence());
            assertEquals(producerIds[b] >= 0, kafkaBatch.hasProducerId());
            if (sequences[b] >= 0)
            {
                assertEquals(sequences[b] + written.size() - 1, kafkaBatch.lastSequence());
            }
            assertEquals(maxTimestamp(written), kafkaBatch.maxTimestamp());
            assertEquals(written.get(0).timestamp(), ((DefaultRecordBatch)kafkaBatch).baseTimestamp());
            assertEquals(TimestampType.CREATE_TIME, kafkaBatch.timestampType());
            assertEquals(CompressionType.NONE, kafkaBatch.compressionType());
            assertEquals(RecordBatchDescriptor.NO_PARTITION_LEADER_EPOCH, kafkaBatch.partitionLeaderEpoch());
            assertFalse(kafkaBatch.isTransactional());
            assertFalse(kafkaBatch.isControlBatch());

            int i = 0;
            for (final org.apache.kafka.common.record.internal.Record record : kafkaBatch)
            {
                assertDoesNotThrow(record::ensureValid);
                assertEquals(expected(written.get(i), expectedOffset + i), fromKafka(record), "batch " + b + " #" + i);
                assertEquals(written.get(i).key() != null, record.hasKey());
                assertEquals(written.get(i).value() != null, record.hasValue());
                if (sequences[b] >= 0)
                {
                    assertEquals(sequences[b] + i, record.sequence());
                }
                i++;
            }
            assertEquals(written.size(), i, "records in batch " + b);
            expectedOffset += written.size();
            b++;
        }
        assertEquals(batches.size(), b, "batches Kafka found");
    }

    @Test
    void shouldMatchKafkaBytesWhenBothBuildSameUncompressedBatch()
    {
        final List<Rec> records = randomRecords(11, 40);
        final byte[] kafka = kafkaBatch(Codec.NONE, records, 5L, (short)1, 9);
        final byte[] ours = ourBatch(records, 5L, (short)1, 9);

        // The only field that may differ is the partition leader epoch, which the leader overwrites anyway.
        ByteBuffer.wrap(ours).putInt(RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET,
            ByteBuffer.wrap(kafka).getInt(RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET));
        assertArrayEquals(kafka, ours);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // b. We read what Kafka builds

    @ParameterizedTest
    @EnumSource(Codec.class)
    void shouldValidateAndDecodeWhenKafkaBuildsBatch(final Codec codec)
    {
        for (final boolean idempotent : new boolean[] {false, true})
        {
            final List<Rec> records = randomRecords(codec.ordinal() * 10L + (idempotent ? 1 : 0), 50);
            final long producerId = idempotent ? 4_242L : -1L;
            final short epoch = idempotent ? (short)12 : (short)-1;
            final int sequence = idempotent ? 1_000 : -1;
            final byte[] kafka = kafkaBatch(codec, records, producerId, epoch, sequence);

            assertDoesNotThrow(() -> validator.validate(ByteBuffer.wrap(kafka), 0, kafka.length, true));
            final ByteBuffer direct = ByteBuffer.allocateDirect(kafka.length).put(kafka).flip();
            assertDoesNotThrow(() -> validator.validate(direct, 0, kafka.length, true));

            final MutableRecordBatch kafkaBatch = MemoryRecords.readableRecords(ByteBuffer.wrap(kafka))
                .batches().iterator().next();
            final RecordBatch ours = new RecordBatch().wrap(new UnsafeBuffer(kafka), 0);
            assertEquals(kafkaBatch.baseOffset(), ours.baseOffset());
            assertEquals(kafkaBatch.lastOffset(), ours.lastOffset());
            assertEquals(kafkaBatch.nextOffset(), ours.nextOffset());
            assertEquals(kafkaBatch.sizeInBytes(), ours.totalLength());
            assertEquals(kafka.length, ours.totalLength());
            assertEquals(kafkaBatch.partitionLeaderEpoch(), ours.partitionLeaderEpoch());
            assertEquals(kafkaBatch.magic(), ours.magic());
            assertEquals(kafkaBatch.checksum(), ours.crc());
            assertEquals(kafkaBatch.compressionType().id, ours.compressionCodec());
            assertEquals(codec != Codec.NONE, ours.isCompressed());
            assertEquals(kafkaBatch.isTransactional(), ours.isTransactional());
            assertEquals(kafkaBatch.isControlBatch(), ours.isControl());
            assertEquals(((DefaultRecordBatch)kafkaBatch).baseTimestamp(), ours.baseTimestamp());
            assertEquals(kafkaBatch.maxTimestamp(), ours.maxTimestamp());
            assertEquals(maxTimestamp(records), ours.maxTimestamp());
            assertEquals(producerId, ours.producerId());
            assertEquals(epoch, ours.producerEpoch());
            assertEquals(sequence, ours.baseSequence());
            assertEquals(kafkaBatch.producerId(), ours.producerId());
            assertEquals(kafkaBatch.producerEpoch(), ours.producerEpoch());
            assertEquals(kafkaBatch.baseSequence(), ours.baseSequence());
            assertEquals(kafkaBatch.countOrNull(), ours.recordsCount());
            assertEquals(records.size(), ours.recordsCount());
            assertEquals(RecordBatchDescriptor.compressionName(codec.compression.type().id),
                codec.name().toLowerCase(java.util.Locale.ROOT));

            if (codec == Codec.NONE)
            {
                final List<Rec> decoded = decode(ours);
                final List<Rec> kafkaDecoded = new ArrayList<>();
                kafkaBatch.forEach(r -> kafkaDecoded.add(fromKafka(r)));
                assertEquals(kafkaDecoded, decoded);
                for (int i = 0; i < records.size(); i++)
                {
                    assertEquals(expected(records.get(i), i), decoded.get(i), "record " + i);
                }
            }
            else
            {
                assertTrue(kafka.length < kafkaBatch(Codec.NONE, records, producerId, epoch, sequence).length,
                    codec + " should actually compress");
            }
        }
    }

    @Test
    void shouldMatchKafkaHeaderWhenKafkaBatchHasNonZeroBaseOffsetAndLeaderEpoch()
    {
        final MemoryRecordsBuilder builder = MemoryRecords.builder(
            ByteBuffer.allocate(256), RecordBatch_CURRENT_MAGIC, Compression.NONE, TimestampType.CREATE_TIME,
            1_000_000_007L, org.apache.kafka.common.record.internal.RecordBatch.NO_TIMESTAMP,
            9L, (short)2, 3, false, 17);
        builder.append(100L, utf8("a"), utf8("b"));
        builder.append(300L, (byte[])null, utf8("c"));
        builder.append(200L, utf8("d"), null);
        final byte[] kafka = bytes(builder.build().buffer());

        validator.validate(ByteBuffer.wrap(kafka), 0, kafka.length, true);
        final RecordBatch ours = new RecordBatch().wrap(new UnsafeBuffer(kafka), 0);
        assertEquals(1_000_000_007L, ours.baseOffset());
        assertEquals(1_000_000_009L, ours.lastOffset());
        assertEquals(17, ours.partitionLeaderEpoch());
        assertEquals(100L, ours.baseTimestamp());
        assertEquals(300L, ours.maxTimestamp());
        final List<Rec> decoded = decode(ours);
        assertEquals(new Rec(1_000_000_008L, 300L, null, utf8("c"), List.of()), decoded.get(1));
        assertEquals(new Rec(1_000_000_009L, 200L, utf8("d"), null, List.of()), decoded.get(2));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // c. The log stores Kafka's batches as they are

    @Test
    void shouldStoreKafkaBatchesAsIsWhenAppendedToLog(@TempDir final Path dir) throws IOException
    {
        final List<List<Rec>> written = new ArrayList<>();
        final List<byte[]> originals = new ArrayList<>();
        final List<ByteBuffer> toAppend = new ArrayList<>();
        int round = 0;
        for (final boolean idempotent : new boolean[] {false, true})
        {
            for (final Codec codec : Codec.values())
            {
                final List<Rec> records = randomRecords(100 + round, 1 + (round * 7) % 40);
                final byte[] batch = idempotent ?
                    kafkaBatch(codec, records, 31L, (short)4, round * 100) :
                    kafkaBatch(codec, records, -1L, (short)-1, -1);
                written.add(records);
                originals.add(batch);
                // Producers' buffers come in both byte orders and at non-zero positions.
                final ByteBuffer buffer = ByteBuffer.allocate(batch.length + 10).position(3).slice();
                buffer.put(4, batch).position(4).limit(4 + batch.length);
                if (round % 2 == 1)
                {
                    buffer.order(ByteOrder.LITTLE_ENDIAN);
                }
                toAppend.add(buffer);
                round++;
            }
        }

        final Path partitionDir = dir.resolve("topic-0");
        final PartitionLog log = PartitionLog.open(partitionDir, new LogConfig());
        final ByteBuffer[] batches = toAppend.toArray(new ByteBuffer[0]);
        int done = 0;
        while (done < batches.length)
        {
            final int n = log.append(batches, done, batches.length - done, 1_000L);
            assertTrue(n >= 1, "append makes progress");
            done += n;
        }
        for (int i = 0; i < batches.length; i++)
        {
            assertEquals(4, batches[i].position(), "append restores the position of batch " + i);
            assertEquals(4 + originals.get(i).length, batches[i].limit());
        }

        final long[] baseOffsets = new long[originals.size()];
        long total = 0;
        int totalBytes = 0;
        for (int i = 0; i < written.size(); i++)
        {
            baseOffsets[i] = total;
            total += written.get(i).size();
            totalBytes += originals.get(i).length;
        }
        assertEquals(total, log.logEndOffset());
        assertEquals(totalBytes, log.sizeInBytes());

        // What the log hands a consumer: the producer's bytes with only baseOffset and partitionLeaderEpoch changed.
        final ByteBuffer expected = ByteBuffer.allocate(totalBytes);
        for (int i = 0; i < originals.size(); i++)
        {
            final byte[] stamped = originals.get(i).clone();
            ByteBuffer.wrap(stamped).putLong(RecordBatchDescriptor.BASE_OFFSET_OFFSET, baseOffsets[i])
                .putInt(RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET, 0);
            expected.put(stamped);
        }
        final LogReader reader = log.newReader();
        assertEquals(LogReader.OK, reader.read(0, Integer.MAX_VALUE));
        assertEquals(totalBytes, reader.length());
        assertEquals(0, reader.firstOffset());
        assertEquals(total, reader.nextOffset());
        final ByteBuffer copied = ByteBuffer.allocate(totalBytes + 5).position(5);
        reader.copyTo(copied);
        final byte[] copiedBytes = Arrays.copyOfRange(copied.array(), 5, 5 + totalBytes);
        assertBytesEqualExceptStampedFields(originals, baseOffsets, copiedBytes);
        assertArrayEquals(expected.array(), copiedBytes);

        final Path sent = dir.resolve("sent.bin");
        try (FileChannel target = FileChannel.open(sent, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            assertEquals(totalBytes, reader.transferTo(target));
        }
        assertArrayEquals(copiedBytes, Files.readAllBytes(sent));

        // A read from inside a compressed batch starts at that batch, whole.
        for (int i = 0; i < originals.size(); i++)
        {
            final long inside = baseOffsets[i] + written.get(i).size() - 1;
            assertEquals(LogReader.OK, reader.read(inside, 1));
            assertEquals(baseOffsets[i], reader.firstOffset(), "read at " + inside);
            assertEquals(originals.get(i).length, reader.length(), "read at " + inside + " returns one whole batch");
            assertEquals(baseOffsets[i] + written.get(i).size(), reader.nextOffset());
        }
        log.close();

        final Path segment = partitionDir.resolve("00000000000000000000.log");
        assertTrue(Files.exists(segment));
        assertArrayEquals(copiedBytes, Files.readAllBytes(segment), "the segment holds exactly the batches");
        try (FileRecords fileRecords = FileRecords.open(segment.toFile()))
        {
            int b = 0;
            for (final FileChannelRecordBatch kafkaBatch : fileRecords.batches())
            {
                final List<Rec> records = written.get(b);
                assertDoesNotThrow(kafkaBatch::ensureValid, "batch " + b);
                assertEquals(baseOffsets[b], kafkaBatch.baseOffset());
                assertEquals(baseOffsets[b] + records.size() - 1, kafkaBatch.lastOffset());
                assertEquals(0, kafkaBatch.partitionLeaderEpoch());
                assertEquals(Codec.values()[b % Codec.values().length].compression.type(),
                    kafkaBatch.compressionType());
                int i = 0;
                for (final org.apache.kafka.common.record.internal.Record record : kafkaBatch)
                {
                    assertEquals(expected(records.get(i), baseOffsets[b] + i), fromKafka(record),
                        "batch " + b + " record " + i);
                    i++;
                }
                assertEquals(records.size(), i);
                b++;
            }
            assertEquals(originals.size(), b);
        }

        try (PartitionLog reopened = PartitionLog.open(partitionDir, new LogConfig()))
        {
            assertEquals(List.of(), reopened.recoveryReport());
            assertEquals(total, reopened.logEndOffset());
            final LogReader again = reopened.newReader();
            assertEquals(LogReader.OK, again.read(0, Integer.MAX_VALUE));
            final ByteBuffer reread = ByteBuffer.allocate(again.length());
            again.copyTo(reread);
            assertArrayEquals(copiedBytes, reread.array());
        }
    }

    private static void assertBytesEqualExceptStampedFields(
        final List<byte[]> originals, final long[] baseOffsets, final byte[] stored)
    {
        int at = 0;
        for (int b = 0; b < originals.size(); b++)
        {
            final byte[] original = originals.get(b);
            assertArrayEquals(
                Arrays.copyOfRange(original, 8, 12), Arrays.copyOfRange(stored, at + 8, at + 12), "batch " + b);
            assertArrayEquals(
                Arrays.copyOfRange(original, 16, original.length),
                Arrays.copyOfRange(stored, at + 16, at + original.length),
                "batch " + b + " from magic on");
            final ByteBuffer view = ByteBuffer.wrap(stored);
            assertEquals(baseOffsets[b], view.getLong(at), "big-endian base offset of batch " + b);
            assertEquals(0, view.getInt(at + 12), "leader epoch of batch " + b);
            at += original.length;
        }
        assertEquals(stored.length, at);
    }

    @Test
    void shouldDecodeHeaderKeysAsUtf8WhenKafkaWritesNonAsciiKeys()
    {
        final List<Rec> records = List.of(new Rec(0, 1, utf8("k"), utf8("v"), headers("naïve-ключ-🔑", "v")));
        final byte[] kafka = kafkaBatch(Codec.NONE, records, -1, (short)-1, -1);
        final List<Rec> decoded = decode(new RecordBatch().wrap(new UnsafeBuffer(kafka), 0));
        assertEquals("naïve-ключ-🔑", decoded.get(0).headers().get(0).key());
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), decoded.get(0).headers().get(0).value());
        assertEquals(1, decoded.get(0).headers().size());
    }
}
