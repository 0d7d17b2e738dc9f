package dev.vireo.engine.testing;

import dev.vireo.engine.distributed.Collective;
import dev.vireo.engine.distributed.RingCollective;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** K ranks as K threads of this JVM joined in a {@link RingCollective} over 127.0.0.1: the data-parallel tests' tool. */
public final class LocalRing {
    /** What one rank does with its collective. */
    @FunctionalInterface
    public interface RankBody<T> {
        T run(Collective collective) throws Exception;
    }

    private LocalRing() {}

    /** Runs {@code body} on K ranks at once and returns each rank's result in rank order; a rank's failure is rethrown. */
    public static <T> List<T> run(int k, Duration timeout, RankBody<T> body) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            ServerSocket s = RingCollective.listen(InetAddress.getLoopbackAddress());
            servers.add(s);
            addresses.add((InetSocketAddress) s.getLocalSocketAddress());
        }
        ExecutorService ranks = Executors.newFixedThreadPool(k);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < k; r++) {
                int rank = r;
                futures.add(ranks.submit(() -> {
                    try (Collective c = RingCollective.connect(rank, addresses, servers.get(rank), timeout)) {
                        return body.run(c);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get(2 * timeout.toMillis() + 60_000, TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) throw cause;
                    throw e;
                } catch (TimeoutException e) {
                    throw new AssertionError("a rank hung", e);
                }
            }
            return out;
        } finally {
            ranks.shutdownNow();
            for (ServerSocket s : servers) closeQuietly(s);
        }
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed by the join
        }
    }
}
