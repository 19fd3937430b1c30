package io.loglab.broker.network;

import org.agrona.ErrorHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One network thread with a selector: accepts connections, reads frames, and writes each connection's responses, in
 * request order, as they become ready (a producer's pipelined requests are handled together: see {@link Connection}).
 * Requests that wait (a produce for its appends, a fetch for data) are checked on every pass; while any
 * waits, the thread polls the selector without blocking and, when passes find nothing to do, backs off: a few spins,
 * a few yields, then passes that block in the selector for up to a millisecond, which a socket or
 * {@link #wakeup()} (an append completed) ends at once. It never parks deaf to its sockets, and spins only briefly:
 * on a machine with two cores the clients and the writers need them. With nothing waiting it blocks in the
 * selector. No thread waits for a request.
 * <p>
 * Threading: {@link #start}, {@link #close()} and {@link #wakeup()} from any thread; the rest runs on the network
 * thread.
 */
public final class NetworkServer implements AutoCloseable
{
    private static final long IDLE_SELECT_MS = 100;
    /** While responses wait and passes find nothing: this many spinning passes, then yielding ones... */
    private static final int WAITING_SPINS = 50;
    private static final int WAITING_YIELDS = 10;
    /** ...then passes that block in the selector this long at most. */
    private static final long WAITING_SELECT_MS = 1;

    private final Selector selector;
    private final ServerSocketChannel acceptor;
    /** Set by {@link #start} before the network thread starts (published by {@code Thread.start}). */
    private RequestHandler handler;
    private final ErrorHandler errorHandler;
    private final int maxRequestBytes;
    private final List<Connection> waiting = new ArrayList<>();
    private final Thread thread;
    /** Passes in a row that found nothing to do while responses wait: how far the thread has backed off. */
    private int idlePasses;
    /** Written by the closing thread, read by the network thread on each pass. */
    private volatile boolean running = true;

    /**
     * Bind now (so the port is known, and taken, when this returns); serve after {@link #start}.
     *
     * @param errorHandler told, once per connection, why a connection was closed, and of any failure.
     */
    public NetworkServer(final InetSocketAddress address, final ErrorHandler errorHandler, final int maxRequestBytes)
        throws IOException
    {
        this.errorHandler = errorHandler;
        this.maxRequestBytes = maxRequestBytes;
        this.selector = Selector.open();
        this.acceptor = ServerSocketChannel.open();
        try
        {
            bind(address);
            acceptor.configureBlocking(false);
            acceptor.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            acceptor.close();
            selector.close();
            throw ex;
        }
        this.thread = new Thread(this::run, "loglab-network");
    }

    private void bind(final InetSocketAddress address) throws IOException
    {
        try
        {
            acceptor.bind(address);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": " +
                ex.getMessage(), ex);
        }
    }

    public InetSocketAddress localAddress() throws IOException
    {
        return (InetSocketAddress)acceptor.getLocalAddress();
    }

    /**
     * Serve requests with {@code handler}, which may be built knowing this server's address and {@link #wakeup()}.
     */
    public void start(final RequestHandler handler)
    {
        this.handler = handler;
        thread.start();
    }

    /**
     * Make the network thread look at its waiting responses now (an append completed): it returns from the selector
     * at once, or skips its next block in it.
     */
    public void wakeup()
    {
        selector.wakeup();
    }

    private void run()
    {
        while (running)
        {
            try
            {
                final int selected = select();
                final long nowNs = System.nanoTime();
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isAcceptable())
                    {
                        accept();
                    }
                    else if (key.isValid())
                    {
                        serve((Connection)key.attachment(), key, nowNs);
                    }
                }
                handler.onPass(nowNs);
                final int waitingBefore = waiting.size();
                progressWaiting(System.nanoTime());
                idlePasses = selected == 0 && !waiting.isEmpty() && waiting.size() == waitingBefore ? idlePasses + 1 : 0;
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        }
        closeAll();
    }

    private int select() throws IOException
    {
        if (waiting.isEmpty())
        {
            return selector.select(IDLE_SELECT_MS);
        }
        if (idlePasses < WAITING_SPINS)
        {
            Thread.onSpinWait();
            return selector.selectNow();
        }
        if (idlePasses < WAITING_SPINS + WAITING_YIELDS)
        {
            Thread.yield();
            return selector.selectNow();
        }
        return selector.select(WAITING_SELECT_MS);
    }

    private void accept() throws IOException
    {
        SocketChannel channel;
        while ((channel = acceptor.accept()) != null)
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            key.attach(new Connection(channel, key, handler, maxRequestBytes));
        }
    }

    private void serve(final Connection connection, final SelectionKey key, final long nowNs)
    {
        // Between passes a connection is on the waiting list exactly when it is busy (progressWaiting drops the rest).
        final boolean listed = connection.isBusy();
        try
        {
            if (key.isReadable() && !connection.onReadable(nowNs))
            {
                connection.close();
                return;
            }
            if (key.isValid() && key.isWritable())
            {
                connection.progress(nowNs);
            }
            if (!listed && connection.isBusy())
            {
                waiting.add(connection);
            }
        }
        catch (final BadRequestException | RuntimeException ex)
        {
            closeReporting(connection, ex);
        }
        catch (final IOException ex)
        {
            // The peer reset or vanished: nothing to answer.
            connection.close();
        }
    }

    /**
     * Close a connection Kafka would close, or whose request failed in a way it cannot be answered (a handler's
     * unexpected exception): told once, and its held regions let go. The other connections go on.
     */
    private void closeReporting(final Connection connection, final Exception ex)
    {
        errorHandler.onError(new IOException("closing " + connection.peer() + ": " + ex.getMessage(), ex));
        connection.close();
    }

    private void progressWaiting(final long nowNs)
    {
        for (int i = waiting.size() - 1; i >= 0; i--)
        {
            final Connection connection = waiting.get(i);
            try
            {
                connection.progress(nowNs);
            }
            catch (final BadRequestException | RuntimeException ex)
            {
                closeReporting(connection, ex);
            }
            catch (final IOException ex)
            {
                connection.close();
            }
            if (!connection.isBusy())
            {
                waiting.remove(i);
            }
        }
    }

    private void closeAll()
    {
        for (final SelectionKey key : selector.keys())
        {
            if (key.attachment() instanceof Connection connection)
            {
                connection.close();
            }
        }
        try
        {
            acceptor.close();
            selector.close();
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * Stop serving, close every connection (their pending responses are dropped), and wait for the network thread.
     */
    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        if (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                // The network thread still stops on its next pass; keep the interrupt for the caller.
                Thread.currentThread().interrupt();
            }
        }
        else if (thread.getState() == Thread.State.NEW)
        {
            closeAll();
        }
    }
}
