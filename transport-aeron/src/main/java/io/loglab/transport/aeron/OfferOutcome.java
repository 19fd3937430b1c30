package io.loglab.transport.aeron;

import io.aeron.Publication;

/**
 * What became of one message given to {@link AeronTransport#send}: every result of Aeron's
 * {@link Publication#offer} named, with what the caller does about it. Nothing is dropped silently: a message is
 * either {@link #SENT} or still the caller's.
 */
public enum OfferOutcome
{
    /** In the peer's publication: Aeron delivers it, in order, or the peer's image goes away. */
    SENT,
    /** The peer has not taken what was sent before (its window is full): offer it again on a later duty cycle. */
    BACK_PRESSURED,
    /** No peer is subscribed now (not started, restarted, or unreachable): wait for it to connect again. */
    NOT_CONNECTED,
    /** The log rotated under the offer: offer it again at once. */
    ADMIN_ACTION,
    /** The publication was closed or reached its largest position and was replaced by a new one: offer it again. */
    REPLACED;

    /**
     * The outcome of an {@link Publication#offer} result that is not a position.
     */
    static OfferOutcome ofFailure(final long result)
    {
        if (result == Publication.BACK_PRESSURED)
        {
            return BACK_PRESSURED;
        }
        if (result == Publication.NOT_CONNECTED)
        {
            return NOT_CONNECTED;
        }
        if (result == Publication.ADMIN_ACTION)
        {
            return ADMIN_ACTION;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            return REPLACED;
        }
        throw new IllegalStateException("Aeron offer result " + result + " is not one Aeron documents");
    }
}
