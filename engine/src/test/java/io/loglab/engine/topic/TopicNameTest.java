package io.loglab.engine.topic;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicNameTest
{
    private static final String LEGAL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    private static boolean kafkaAccepts(final String name)
    {
        try
        {
            Topic.validate(name);
            return true;
        }
        catch (final InvalidTopicException ex)
        {
            return false;
        }
    }

    private static boolean weAccept(final String name)
    {
        try
        {
            TopicName.validate(name);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "a", "A", "0", "_", "-", "...", ".a", "..a", "a..", "my.topic_v2-final",
        "__consumer_offsets", "UPPER.lower-123_"})
    void shouldAcceptWhenNameFollowsKafkaRules(final String name)
    {
        assertSame(name, TopicName.validate(name));
        assertTrue(kafkaAccepts(name), "Kafka agrees");
    }

    @Test
    void shouldAcceptWhenNameIs249LegalCharacters()
    {
        final StringBuilder name = new StringBuilder();
        while (name.length() < TopicName.MAX_LENGTH)
        {
            name.append(LEGAL.charAt(name.length() % LEGAL.length()));
        }
        assertEquals(249, name.length());
        assertDoesNotThrow(() -> TopicName.validate(name.toString()));
        assertTrue(kafkaAccepts(name.toString()));
    }

    @Test
    void shouldRejectWhenNameIs250Characters()
    {
        final String name = "x".repeat(250);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TopicName.validate(name));
        assertTrue(ex.getMessage().contains("250"), ex.getMessage());
        assertTrue(ex.getMessage().contains("249"), ex.getMessage());
        assertTrue(!kafkaAccepts(name), "Kafka agrees");
    }

    @Test
    void shouldRejectWhenNameIsEmptyOrNull()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopicName.validate(""))
            .getMessage().contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> TopicName.validate(null));
        assertTrue(!kafkaAccepts(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void shouldRejectWhenNameIsDotOrDotDot(final String name)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TopicName.validate(name));
        assertTrue(ex.getMessage().contains("\".\" or \"..\""), ex.getMessage());
        assertTrue(!kafkaAccepts(name), "Kafka agrees");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a b", " ", "café", "é", "a\\b", "a:b", "a*", "topic\n", "a\u0000b", "ñ",
        "тема", "a+b", "a,b", "a#b", "\t", "🔑", "a~b"})
    void shouldRejectWhenNameHasIllegalCharacter(final String name)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TopicName.validate(name));
        assertTrue(ex.getMessage().contains("illegal character"), ex.getMessage());
        assertTrue(!kafkaAccepts(name), "Kafka agrees");
    }

    @Test
    void shouldAgreeWithKafkaWhenNamesAreRandom()
    {
        final Random random = new Random(99);
        final String alphabet = LEGAL + "/ é:*+\\\u0000ÿ";
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < 3000; i++)
        {
            final int length = switch (random.nextInt(4))
            {
                case 0 -> random.nextInt(4);
                case 1 -> 245 + random.nextInt(10);
                default -> random.nextInt(40);
            };
            final StringBuilder name = new StringBuilder();
            final boolean legalOnly = random.nextInt(3) != 0;
            for (int c = 0; c < length; c++)
            {
                name.append(legalOnly ?
                    LEGAL.charAt(random.nextInt(LEGAL.length())) :
                    alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(name.toString());
        }
        names.add(".");
        names.add("..");
        names.add("...");
        int accepted = 0;
        for (final String name : names)
        {
            assertEquals(kafkaAccepts(name), weAccept(name), "name \"" + name + "\"");
            accepted += weAccept(name) ? 1 : 0;
        }
        assertTrue(accepted > 500 && accepted < names.size() - 500, "both outcomes exercised: " + accepted);
    }
}
