package io.loglab.engine.topic;

/**
 * Kafka's rules for topic names: 1 to 249 characters of ASCII letters, digits, '.', '_' and '-', and neither "."
 * nor "..".
 */
public final class TopicName
{
    public static final int MAX_LENGTH = 249;

    private TopicName()
    {
    }

    /**
     * @throws IllegalArgumentException saying which rule {@code name} breaks.
     */
    public static String validate(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("topic name is empty");
        }
        if (name.equals(".") || name.equals(".."))
        {
            throw new IllegalArgumentException("topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_LENGTH)
        {
            throw new IllegalArgumentException(
                "topic name is " + name.length() + " characters, the limit is " + MAX_LENGTH);
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!legal)
            {
                throw new IllegalArgumentException(
                    "topic name \"" + name + "\" has an illegal character '" + c + "' at " + i +
                    "; only ASCII letters, digits, '.', '_' and '-' are allowed");
            }
        }
        return name;
    }
}
