package dev.vireo.engine.distributed;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * K ranks in a ring over TCP: each sends to its successor and receives from its predecessor.
 * {@link #allReduceSum} is the bandwidth-optimal ring all-reduce (Patarasuk and Yuan 2009, as in
 * Baidu's ring-allreduce and Horovod): the buffer is cut into K chunks, a reduce-scatter of K − 1
 * steps leaves rank r the whole sum of chunk (r + 1) mod K, and an all-gather of K − 1 steps hands
 * every sum round the ring; each rank sends 2(K − 1)/K of the buffer whatever K. Each chunk is summed
 * in one fixed order on one rank and then copied, so every rank holds the same bits, run after run.
 *
 * <p>Each step sends on a thread of its own while the caller receives: a chunk larger than the
 * sockets' buffers would otherwise leave every rank blocked in a write. Frames carry a checked header
 * ({@link RingFrame}). A peer that breaks the connection, sends what was not expected, or stays silent
 * longer than the step timeout makes the call throw a one-line {@link IOException}; the ring is then
 * closed and every later call throws too.
 */
public final class RingCollective implements Collective {
    /** How long a failing call waits for its send in flight, so the peer reads why instead of a hang-up. */
    private static final long FINISH_SENDING_MILLIS = 2_000;
    private final int rank, size;
    private final Socket next, previous;
    private final OutputStream toNext;
    private final InputStream fromPrevious;
    private final String predecessor;
    private final Duration stepTimeout;
    private final ExecutorService sender;
    private final RingFrame sendFrame = new RingFrame(), receiveFrame = new RingFrame();
    private float[] scratch = new float[0];
    private long calls;
    private String broken;

    private RingCollective(int rank, int size, RingJoin.Links links, Duration stepTimeout) throws IOException {
        this.rank = rank;
        this.stepTimeout = stepTimeout;
        this.size = size;
        this.next = links == null ? null : links.next();
        this.previous = links == null ? null : links.previous();
        this.toNext = next == null ? null : next.getOutputStream();
        this.fromPrevious = previous == null ? null : previous.getInputStream();
        this.predecessor = "rank " + ((rank - 1 + size) % size);
        this.sender = links == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vireo-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds a server socket for this rank on an ephemeral port of {@code host} (the address the others will dial). */
    public static ServerSocket listen(InetAddress host) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(host, 0), 16);
        return s;
    }

    /**
     * Joins the ring: dials rank (rank+1)%K at addresses.get(..), accepts rank (rank-1+K)%K on {@code own};
     * a clear one-line IOException when a peer does not come within {@code timeout} or the connection breaks
     * mid-step. The same {@code timeout} bounds the wait for any one message of a later call (a rank
     * silent that long, while it writes a checkpoint say, is taken as lost): see the overload to set it apart.
     * {@code own} is closed once the ring is joined (or the join failed): nobody else may dial it.
     */
    public static RingCollective connect(int rank, List<InetSocketAddress> addresses, ServerSocket own, Duration timeout) throws IOException {
        return connect(rank, addresses, own, timeout, timeout);
    }

    /** As {@link #connect(int, List, ServerSocket, Duration)}, waiting at most {@code stepTimeout} for any one message after the join. */
    public static RingCollective connect(int rank, List<InetSocketAddress> addresses, ServerSocket own, Duration joinTimeout,
                                         Duration stepTimeout) throws IOException {
        if (addresses == null || addresses.isEmpty()) throw new IllegalArgumentException("ring: no addresses");
        int size = addresses.size();
        if (rank < 0 || rank >= size) throw new IllegalArgumentException("ring: rank " + rank + " outside 0.." + (size - 1));
        requirePositive(joinTimeout, "join timeout");
        requirePositive(stepTimeout, "step timeout");
        if (size == 1) {
            RingJoin.closeQuietly(own);
            return new RingCollective(0, 1, null, stepTimeout);
        }
        if (own == null || !own.isBound()) throw new IllegalArgumentException("ring: rank " + rank + " has no bound server socket");
        RingJoin.Links links;
        try {
            links = RingJoin.join(rank, addresses, own, joinTimeout);
        } finally {
            RingJoin.closeQuietly(own);
        }
        links.previous().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, stepTimeout.toMillis())));
        return new RingCollective(rank, size, links, stepTimeout);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("ring: the " + what + " must be positive, got " + d);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void allReduceSum(float[] buffer) throws IOException {
        if (size == 1) return;
        long call = begin(RingFrame.Op.REDUCE);
        int n = buffer.length;
        if (scratch.length < n / size + 1) scratch = new float[n / size + 1];
        // reduce-scatter: at step s, pass on chunk r - s (partly summed), add chunk r - s - 1 from the predecessor
        for (int s = 0; s < size - 1; s++) {
            int out = chunk(rank - s), in = chunk(rank - s - 1);
            int inLength = start(in + 1, n) - start(in, n);
            exchange(RingFrame.Op.REDUCE, call, s, buffer, start(out, n), start(out + 1, n) - start(out, n), scratch, 0, inLength);
            for (int i = 0, j = start(in, n); i < inLength; i++, j++) buffer[j] += scratch[i];
        }
        // all-gather: rank r now holds the whole sum of chunk r + 1; pass the sums round the ring
        for (int s = 0; s < size - 1; s++) {
            int out = chunk(rank + 1 - s), in = chunk(rank - s);
            exchange(RingFrame.Op.SPREAD, call, s, buffer, start(out, n), start(out + 1, n) - start(out, n),
                    buffer, start(in, n), start(in + 1, n) - start(in, n));
        }
    }

    @Override
    public float[] allGather(float[] local) throws IOException {
        return gather(RingFrame.Op.GATHER, local);
    }

    /** A gather of nothing: after K − 1 steps every rank has heard from every other, so all have called. */
    @Override
    public void barrier() throws IOException {
        gather(RingFrame.Op.BARRIER, new float[0]);
    }

    private float[] gather(RingFrame.Op op, float[] local) throws IOException {
        int n = local.length;
        if ((long) n * size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ring: allGather of " + n + " floats from " + size + " ranks exceeds one Java array");
        }
        float[] all = new float[n * size]; // (K, n)
        System.arraycopy(local, 0, all, rank * n, n);
        if (size == 1) return all;
        long call = begin(op);
        // at step s, pass on rank r - s's array, receive rank r - s - 1's
        for (int s = 0; s < size - 1; s++) {
            exchange(op, call, s, all, chunk(rank - s) * n, n, all, chunk(rank - s - 1) * n, n);
        }
        return all;
    }

    /** Sends {@code src[sendOff..]} to the successor (on the sender thread) while receiving {@code dst[receiveOff..]} from the predecessor. */
    private void exchange(RingFrame.Op op, long call, int step, float[] src, int sendOff, int sendLength, float[] dst, int receiveOff,
                          int receiveLength) throws IOException {
        Future<?> sent = sender.submit(() -> {
            sendFrame.write(toNext, op, call, step, src, sendOff, sendLength);
            return null;
        });
        try {
            receiveFrame.read(fromPrevious, op, call, step, dst, receiveOff, receiveLength, predecessor);
            sent.get();
        } catch (SocketTimeoutException e) {
            throw fail(op, call, predecessor + " sent nothing for " + RingJoin.seconds(stepTimeout)
                    + " (it stopped, or is slower than the step timeout)");
        } catch (RingFrame.Mismatch e) {
            finishSending(sent); // so that the peer too reads a whole frame and names the mismatch, not a hang-up
            throw fail(op, call, e.getMessage());
        } catch (EOFException e) {
            throw fail(op, call, e.getMessage());
        } catch (IOException e) {
            throw fail(op, call, oneLine(e));
        } catch (ExecutionException e) {
            throw fail(op, call, "sending to rank " + (rank + 1) % size + " failed: " + oneLine(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(op, call, "interrupted");
            throw new InterruptedIOException("rank " + rank + ": interrupted in " + op.label + " #" + call);
        }
    }

    /** Waits a little for a send in flight before the ring is closed. */
    private static void finishSending(Future<?> sent) {
        try {
            sent.get(FINISH_SENDING_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the peer stopped reading: closing ends the send
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Numbers the call; refuses one on a ring that already failed. */
    private long begin(RingFrame.Op op) throws IOException {
        if (broken != null) throw new IOException("rank " + rank + ": " + op.label + " on a broken ring (" + broken + ")");
        if (next == null) throw new IOException("rank " + rank + ": " + op.label + " on a closed ring");
        return calls++;
    }

    /** Closes the ring after a failure and returns the error to throw. */
    private IOException fail(RingFrame.Op op, long call, String why) {
        String message = "rank " + rank + ": " + op.label + " #" + call + " failed: " + why;
        broken = message;
        closeLinks();
        return new IOException(message);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ').replace('\r', ' ');
    }

    /** Chunk index c mod K. */
    private int chunk(int c) {
        return Math.floorMod(c, size);
    }

    /** Start of chunk c of a buffer of n floats; chunks differ in length by at most one, and may be empty. */
    private int start(int c, int n) {
        return (int) ((long) c * n / size);
    }

    private void closeLinks() {
        if (sender != null) sender.shutdownNow();
        RingJoin.closeQuietly(next);
        RingJoin.closeQuietly(previous);
    }

    @Override
    public void close() {
        if (broken == null) broken = "closed";
        closeLinks();
    }
}
