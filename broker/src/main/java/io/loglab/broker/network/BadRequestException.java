package io.loglab.broker.network;

/**
 * A request Kafka answers by closing the connection: an unknown API key or version, a body that does not parse.
 */
public final class BadRequestException extends Exception
{
    private static final long serialVersionUID = 1L;

    public BadRequestException(final String message)
    {
        super(message);
    }

    public BadRequestException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
