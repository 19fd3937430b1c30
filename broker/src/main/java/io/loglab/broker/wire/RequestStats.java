package io.loglab.broker.wire;

import io.loglab.broker.network.Response;
import io.loglab.engine.stat.CountersFile;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.apache.kafka.common.protocol.ApiKeys;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broker's counters in the data directory's counters file ({@link CountersFile}, printed by {@code loglab stat}):
 * bytes in and out, requests refused, responses waiting (produces for their acks, fetches for data), and per API the
 * requests served and the p50, p99 and largest time from a request's arrival to its response being ready, over the
 * last second, from an HdrHistogram per API (microseconds, two significant digits).
 * <p>
 * Threading: the network thread records and publishes (ordered stores, once a second for the percentiles); any
 * process reads.
 */
final class RequestStats implements AutoCloseable
{
    private static final long PUBLISH_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_RECORDED_US = TimeUnit.MINUTES.toMicros(10);

    private final class Api
    {
        final AtomicCounter requests;
        final AtomicCounter p50;
        final AtomicCounter p99;
        final AtomicCounter max;
        final Histogram histogram = new Histogram(MAX_RECORDED_US, 2);

        Api(final CountersManager counters, final ApiKeys api)
        {
            requests = counter(counters, api.name + " requests");
            p50 = counter(counters, api.name + " p50 us (last second)");
            p99 = counter(counters, api.name + " p99 us (last second)");
            max = counter(counters, api.name + " max us (last second)");
        }

        void publish()
        {
            p50.setOrdered(histogram.getValueAtPercentile(50));
            p99.setOrdered(histogram.getValueAtPercentile(99));
            max.setOrdered(histogram.getMaxValue());
            histogram.reset();
        }
    }

    /** Times a response from the request's arrival until it is ready. */
    private final class Timed implements Response
    {
        private final Api api;
        private final Response response;
        private final long receivedNs;
        private boolean ready;

        Timed(final Api api, final Response response, final long receivedNs)
        {
            this.api = api;
            this.response = response;
            this.receivedNs = receivedNs;
        }

        @Override
        public boolean isReady(final long nowNs)
        {
            if (!ready && response.isReady(nowNs))
            {
                ready = true;
                waiting.decrementOrdered();
                api.requests.incrementOrdered();
                api.histogram.recordValue(Math.min(MAX_RECORDED_US, TimeUnit.NANOSECONDS.toMicros(nowNs - receivedNs)));
            }
            return ready;
        }

        @Override
        public boolean writeTo(final SocketChannel channel) throws IOException
        {
            return response.writeTo(channel);
        }

        @Override
        public boolean admitsOverlap()
        {
            return response.admitsOverlap();
        }

        @Override
        public boolean closesConnection()
        {
            return response.closesConnection();
        }

        @Override
        public void close()
        {
            if (!ready)
            {
                ready = true;
                waiting.decrementOrdered();
            }
            response.close();
        }
    }

    private final Map<ApiKeys, Api> apis = new EnumMap<>(ApiKeys.class);
    private final AtomicCounter bytesIn;
    private final AtomicCounter bytesOut;
    private final AtomicCounter refused;
    private final AtomicCounter waiting;
    private long nextPublishNs;

    RequestStats(final CountersManager counters)
    {
        bytesIn = counter(counters, "bytes in");
        bytesOut = counter(counters, "bytes out");
        refused = counter(counters, "requests refused (connection closed)");
        waiting = counter(counters, "responses waiting");
        for (final ApiKeys api : SupportedApis.served())
        {
            apis.put(api, new Api(counters, api));
        }
    }

    private static AtomicCounter counter(final CountersManager counters, final String label)
    {
        return counters.newCounter(label, CountersFile.BROKER_TYPE_ID);
    }

    /**
     * A request of {@code bytes} (its size prefix included) arrived.
     */
    void onRequest(final int bytes)
    {
        bytesIn.getAndAddOrdered(bytes);
    }

    /**
     * The request was refused and its connection closed.
     */
    void onRefused()
    {
        refused.incrementOrdered();
    }

    /**
     * Bytes written to a socket.
     */
    void onWritten(final long bytes)
    {
        bytesOut.getAndAddOrdered(bytes);
    }

    /**
     * {@code response} to a request of {@code api} that arrived at {@code receivedNs}, timed until it is ready.
     */
    Response timed(final ApiKeys api, final long receivedNs, final Response response)
    {
        final Api stats = apis.get(api);
        if (stats == null)
        {
            return response;
        }
        waiting.incrementOrdered();
        return new Timed(stats, response, receivedNs);
    }

    /**
     * Each pass of the network thread: publish the last second's percentiles when a second has passed.
     */
    void onPass(final long nowNs)
    {
        if (nowNs - nextPublishNs >= 0)
        {
            nextPublishNs = nowNs + PUBLISH_INTERVAL_NS;
            for (final Api api : apis.values())
            {
                api.publish();
            }
        }
    }

    /**
     * Free the counters: the broker stops, the data directory's owner goes on.
     */
    @Override
    public void close()
    {
        bytesIn.close();
        bytesOut.close();
        refused.close();
        waiting.close();
        for (final Api api : apis.values())
        {
            api.requests.close();
            api.p50.close();
            api.p99.close();
            api.max.close();
        }
    }
}
