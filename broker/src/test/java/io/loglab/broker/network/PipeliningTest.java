package io.loglab.broker.network;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The connection's rule for pipelined requests, with a handler whose responses the test releases one by one: a
 * request that may overlap is handled while earlier ones wait, if they admit it, up to the in-flight limit; any other
 * waits until every earlier response is written; responses always leave in request order.
 */
@Timeout(30)
class PipeliningTest
{
    /** A request that may overlap and admits one after it at once (a produce whose batches are queued). */
    private static final short OVERLAPS = 1;
    /** One that may not (a fetch, a metadata request). */
    private static final short IN_TURN = 2;
    /** One that may overlap but admits one after it only once the test says it is queued. */
    private static final short OVERLAPS_ONCE_QUEUED = 3;

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    /** Each handled request's id, and how many responses had been written when it was handled. */
    private final BlockingQueue<int[]> handled = new LinkedBlockingQueue<>();
    private final Map<Integer, Boolean> released = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> queued = new ConcurrentHashMap<>();
    private final AtomicInteger written = new AtomicInteger();
    private NetworkServer server;
    private SocketChannel client;

    private final class Released implements Response
    {
        private final int id;
        private final short kind;

        Released(final int id, final short kind)
        {
            this.id = id;
            this.kind = kind;
        }

        @Override
        public boolean isReady(final long nowNs)
        {
            return released.containsKey(id);
        }

        @Override
        public boolean admitsOverlap()
        {
            return kind == OVERLAPS || (kind == OVERLAPS_ONCE_QUEUED && queued.containsKey(id));
        }

        @Override
        public boolean writeTo(final SocketChannel channel) throws IOException
        {
            final ByteBuffer answer = ByteBuffer.allocate(8).putInt(4).putInt(id).flip();
            while (answer.hasRemaining())
            {
                channel.write(answer);
            }
            written.incrementAndGet();
            return true;
        }

        @Override
        public void close()
        {
        }
    }

    @BeforeEach
    void start() throws IOException
    {
        server = new NetworkServer(new InetSocketAddress("127.0.0.1", 0), errors::add, 1024);
        server.start(new RequestHandler()
        {
            @Override
            public Response handle(final ByteBuffer frame, final String clientHost, final long nowNs)
            {
                final int id = frame.getInt(2);
                handled.add(new int[] {id, written.get()});
                return new Released(id, frame.getShort(0));
            }

            @Override
            public boolean mayOverlap(final ByteBuffer frame)
            {
                return frame.getShort(0) != IN_TURN;
            }

            @Override
            public void onPass(final long nowNs)
            {
            }
        });
        client = SocketChannel.open(server.localAddress());
    }

    @AfterEach
    void stop() throws IOException
    {
        client.close();
        server.close();
        assertEquals(0, errors.size(), () -> "no connection was closed: " + errors);
    }

    /** Send requests {@code kinds[0]} with id {@code firstId}, ... in one write. */
    private void send(final int firstId, final short... kinds) throws IOException
    {
        final ByteBuffer frames = ByteBuffer.allocate(kinds.length * 10);
        for (int i = 0; i < kinds.length; i++)
        {
            frames.putInt(6).putShort(kinds[i]).putInt(firstId + i);
        }
        frames.flip();
        while (frames.hasRemaining())
        {
            client.write(frames);
        }
    }

    private int[] nextHandled() throws InterruptedException
    {
        final int[] next = handled.poll(10, TimeUnit.SECONDS);
        assertNotNull(next, "a request was handled");
        return next;
    }

    private int nextAnswer() throws IOException
    {
        final ByteBuffer answer = ByteBuffer.allocate(8);
        while (answer.hasRemaining())
        {
            assertTrue(client.read(answer) >= 0, "the connection is open");
        }
        return answer.getInt(4);
    }

    private void release(final int... ids)
    {
        for (final int id : ids)
        {
            released.put(id, true);
        }
        server.wakeup();
    }

    @Test
    void shouldHandlePipelinedRequestsThatMayOverlapTogetherAndAnswerThemInRequestOrder() throws Exception
    {
        send(1, OVERLAPS, OVERLAPS, OVERLAPS);
        for (int id = 1; id <= 3; id++)
        {
            assertArrayEquals(new int[] {id, 0}, nextHandled(), "handled while none is answered");
        }
        release(3, 2);
        release(1);
        assertEquals(1, nextAnswer());
        assertEquals(2, nextAnswer());
        assertEquals(3, nextAnswer(), "the last released first still goes out last");
    }

    @Test
    void shouldHandleARequestThatMayNotOverlapOnlyOnceEveryEarlierOneIsWrittenAndNothingAfterItBeforeItsOwn()
        throws Exception
    {
        send(1, OVERLAPS, IN_TURN, OVERLAPS);
        assertArrayEquals(new int[] {1, 0}, nextHandled());
        release(1);
        assertArrayEquals(new int[] {2, 1}, nextHandled(), "handled after the response before it was written");
        release(2);
        assertArrayEquals(new int[] {3, 2}, nextHandled(), "one after it waits for its response too");
        release(3);
        assertEquals(1, nextAnswer());
        assertEquals(2, nextAnswer());
        assertEquals(3, nextAnswer());
    }

    @Test
    void shouldHandleNoMoreThanTheInFlightLimitBeforeTheFirstIsAnswered() throws Exception
    {
        final short[] kinds = new short[Connection.MAX_IN_FLIGHT + 2];
        Arrays.fill(kinds, OVERLAPS);
        send(1, kinds);
        for (int id = 1; id <= Connection.MAX_IN_FLIGHT; id++)
        {
            assertArrayEquals(new int[] {id, 0}, nextHandled());
        }
        release(1);
        assertArrayEquals(new int[] {Connection.MAX_IN_FLIGHT + 1, 1}, nextHandled(), "taken once one is answered");
        for (int id = 2; id <= kinds.length; id++)
        {
            release(id);
        }
        assertEquals(Connection.MAX_IN_FLIGHT + 2, nextHandled()[0]);
        for (int id = 1; id <= kinds.length; id++)
        {
            assertEquals(id, nextAnswer());
        }
    }

    @Test
    void shouldLetARequestOverlapOneThatIsNotQueuedYetOnlyOnceItIs() throws Exception
    {
        send(1, OVERLAPS_ONCE_QUEUED, OVERLAPS);
        assertArrayEquals(new int[] {1, 0}, nextHandled());
        queued.put(1, true);
        server.wakeup();
        assertArrayEquals(new int[] {2, 0}, nextHandled(), "handled once the first is queued, before its answer");
        release(1, 2);
        assertEquals(1, nextAnswer());
        assertEquals(2, nextAnswer());
    }
}
