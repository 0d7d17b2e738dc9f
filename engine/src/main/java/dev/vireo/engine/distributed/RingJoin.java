package dev.vireo.engine.distributed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * Opening the ring: each rank dials its successor and accepts its predecessor, and both ends of a
 * connection exchange a 16-byte greeting (magic, version, rank, K), so a rank knows that the socket
 * it accepted is the rank it expects in a ring of the size it expects. Dialing first cannot deadlock:
 * the successor's server socket is already bound, so the connection lands in its backlog until it
 * accepts. Everything waits at most until one deadline.
 */
final class RingJoin {
    static final int VERSION = 1;
    /** Pause between two dials of a successor whose port refuses (it is not listening yet). */
    private static final long REDIAL_MILLIS = 50;

    /** The two sockets of a rank: to its successor (written) and from its predecessor (read). */
    record Links(Socket next, Socket previous) {}

    private RingJoin() {}

    static Links join(int rank, List<InetSocketAddress> addresses, ServerSocket own, Duration timeout) throws IOException {
        int size = addresses.size(), successor = (rank + 1) % size, predecessor = (rank - 1 + size) % size;
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket next = dial(rank, successor, addresses.get(successor), deadline, timeout);
        Socket previous = null;
        try {
            greet(next, rank, size);
            previous = accept(rank, predecessor, size, own, deadline, timeout);
            greet(previous, rank, size);
            next.setSoTimeout(Math.max(1, remainingMillis(deadline)));
            try {
                if (!greetingMatches(next, successor, size)) {
                    throw new IOException("rank " + rank + ": the process at " + addresses.get(successor)
                            + " is not rank " + successor + " of a ring of " + size);
                }
            } catch (SocketTimeoutException e) {
                throw new IOException("rank " + rank + ": rank " + successor + " at " + addresses.get(successor)
                        + " did not join within " + seconds(timeout));
            } catch (IOException e) {
                throw new IOException("rank " + rank + ": rank " + successor + " at " + addresses.get(successor)
                        + " broke the connection while joining (" + e + ")", e);
            }
            return new Links(next, previous);
        } catch (IOException | RuntimeException e) {
            closeQuietly(next);
            closeQuietly(previous);
            throw e;
        }
    }

    /** Connects to the successor, redialing while its port refuses, until the deadline. */
    private static Socket dial(int rank, int successor, InetSocketAddress address, long deadline, Duration timeout) throws IOException {
        IOException last = null;
        while (System.nanoTime() < deadline) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(address, Math.max(1, remainingMillis(deadline)));
                return s;
            } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
                closeQuietly(s);
                last = e;
                sleep(Math.min(REDIAL_MILLIS, Math.max(1, remainingMillis(deadline))));
            } catch (IOException e) {
                closeQuietly(s);
                throw new IOException("rank " + rank + ": cannot dial rank " + successor + " at " + address + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("rank " + rank + ": rank " + successor + " at " + address + " did not come within " + seconds(timeout)
                + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    /** Accepts the predecessor; a connection that does not greet as it is dropped, and the wait goes on. */
    private static Socket accept(int rank, int predecessor, int size, ServerSocket own, long deadline, Duration timeout) throws IOException {
        while (true) {
            int left = remainingMillis(deadline);
            if (left <= 0) break;
            own.setSoTimeout(left);
            Socket s;
            try {
                s = own.accept();
            } catch (SocketTimeoutException e) {
                break;
            }
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(Math.max(1, remainingMillis(deadline)));
                if (greetingMatches(s, predecessor, size)) return s;
            } catch (IOException e) {
                // a stray or broken connection: not our predecessor
            }
            closeQuietly(s);
        }
        throw new IOException("rank " + rank + ": rank " + predecessor + " did not join within " + seconds(timeout)
                + " (nothing dialed " + own.getLocalSocketAddress() + ")");
    }

    private static void greet(Socket s, int rank, int size) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(RingFrame.MAGIC);
        out.writeInt(VERSION);
        out.writeInt(rank);
        out.writeInt(size);
        out.flush();
    }

    private static boolean greetingMatches(Socket s, int expectedRank, int size) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        return in.readInt() == RingFrame.MAGIC && in.readInt() == VERSION && in.readInt() == expectedRank && in.readInt() == size;
    }

    private static int remainingMillis(long deadline) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while joining the ring");
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: the first error is the one to report
        }
    }
}
