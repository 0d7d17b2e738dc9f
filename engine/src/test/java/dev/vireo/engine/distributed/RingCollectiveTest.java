package dev.vireo.engine.distributed;

import dev.vireo.engine.testing.LocalRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/**
 * The ring over 127.0.0.1 with K threads: sums and gathers against a plain loop for K = 1, 2, 3 and
 * awkward lengths (empty, shorter than K, odd, one larger than the sockets' buffers), the same bits on
 * every rank and in every run, and each failure (a peer that never comes, that hangs up or falls
 * silent mid-step, that calls something else) a one-line IOException, never a hang.
 */
class RingCollectiveTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int[] LENGTHS = {0, 1, 2, 3, 5, 7, 64, 1001, 300_007};

    static float[] data(int rank, int length) {
        SplittableRandom random = new SplittableRandom(31L * rank + length);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float) random.nextGaussian();
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void allReduceSumsEveryLengthToTheSameBitsOnEveryRank(int k) throws Exception {
        List<List<float[]>> first = LocalRing.run(k, TIMEOUT, c -> sums(c));
        List<List<float[]>> second = LocalRing.run(k, TIMEOUT, c -> sums(c));
        for (int i = 0; i < LENGTHS.length; i++) {
            int n = LENGTHS[i];
            double[] expected = new double[n];
            for (int r = 0; r < k; r++) {
                float[] x = data(r, n);
                for (int j = 0; j < n; j++) expected[j] += x[j];
            }
            float[] sum = first.get(0).get(i);
            for (int j = 0; j < n; j++) assertThat((double) sum[j]).as("K=%d n=%d [%d]", k, n, j).isCloseTo(expected[j], offset(1e-5 * k));
            for (int r = 0; r < k; r++) {
                assertThat(Arrays.equals(first.get(r).get(i), sum)).as("K=%d n=%d rank %d has rank 0's bits", k, n, r).isTrue();
                assertThat(Arrays.equals(second.get(r).get(i), sum)).as("K=%d n=%d rank %d: a second run has the same bits", k, n, r).isTrue();
            }
        }
    }

    private static List<float[]> sums(Collective c) throws IOException {
        List<float[]> out = new ArrayList<>();
        for (int n : LENGTHS) {
            float[] x = data(c.rank(), n);
            c.allReduceSum(x);
            out.add(x);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void allGatherConcatenatesInRankOrderAndBarrierWaitsForTheLast(int k) throws Exception {
        List<Long> waited = LocalRing.run(k, TIMEOUT, c -> {
            for (int n : LENGTHS) {
                float[] all = c.allGather(data(c.rank(), n));
                assertThat(all).hasSize(k * n);
                for (int r = 0; r < k; r++) assertThat(Arrays.copyOfRange(all, r * n, (r + 1) * n)).as("K=%d n=%d slot %d", k, n, r).isEqualTo(data(r, n));
            }
            if (c.rank() == k - 1) Thread.sleep(300);
            long t0 = System.nanoTime();
            c.barrier();
            return (System.nanoTime() - t0) / 1_000_000;
        });
        if (k > 1) assertThat(waited.getFirst()).as("rank 0 waited for the sleeping rank").isGreaterThanOrEqualTo(250);
    }

    @Test
    void singleIsRankZeroOfOneAndChangesNothing() throws Exception {
        Collective c = Collective.single();
        float[] x = {1, 2, 3};
        c.allReduceSum(x);
        c.barrier();
        assertThat(x).containsExactly(1, 2, 3);
        assertThat(c.allGather(x)).containsExactly(1, 2, 3).isNotSameAs(x);
        assertThat(c.rank()).isZero();
        assertThat(c.size()).isOne();
    }

    @Test
    void aPeerThatNeverComesIsAOneLineErrorWithinTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(600);
        // rank 1's port is bound but nobody accepts there: the dial lands in its backlog, then nothing answers
        try (ServerSocket silent = RingCollective.listen(InetAddress.getLoopbackAddress())) {
            ServerSocket own = RingCollective.listen(InetAddress.getLoopbackAddress());
            List<InetSocketAddress> addresses = List.of((InetSocketAddress) own.getLocalSocketAddress(), (InetSocketAddress) silent.getLocalSocketAddress());
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> RingCollective.connect(0, addresses, own, timeout)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("rank 0: rank 1").hasMessageContaining("did not").hasMessageContaining("0.6 s")
                    .hasMessageNotContaining("\n");
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3.0);
            assertThat(own.isClosed()).as("the join closes its server socket").isTrue();
        }
        // rank 1's port refuses (nothing listens there any more)
        ServerSocket gone = RingCollective.listen(InetAddress.getLoopbackAddress());
        InetSocketAddress goneAddress = (InetSocketAddress) gone.getLocalSocketAddress();
        gone.close();
        ServerSocket own = RingCollective.listen(InetAddress.getLoopbackAddress());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> RingCollective.connect(0, List.of((InetSocketAddress) own.getLocalSocketAddress(), goneAddress), own, timeout))
                .isInstanceOf(IOException.class).hasMessageContaining("rank 1 at").hasMessageContaining("did not come within 0.6 s")
                .hasMessageNotContaining("\n");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3.0);
    }

    @Test
    void aPeerThatHangsUpOrFallsSilentMidStepIsAnErrorNotAHang() throws Exception {
        List<String> errors = LocalRing.run(2, Duration.ofSeconds(2), c -> {
            float[] x = data(c.rank(), 100_000);
            c.allReduceSum(x); // one good step
            if (c.rank() == 1) {
                c.close();
                return null;
            }
            try {
                c.allReduceSum(x);
                return "no error";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        assertThat(errors.getFirst()).startsWith("rank 0: allReduceSum").contains("#1 failed").doesNotContain("\n");
        // a peer alive but silent: the step timeout ends the wait
        List<String> silent = LocalRing.run(2, Duration.ofMillis(500), c -> {
            if (c.rank() == 1) {
                Thread.sleep(1500);
                return null;
            }
            long t0 = System.nanoTime();
            try {
                c.barrier();
                return "no error";
            } catch (IOException e) {
                assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.4);
                return e.getMessage();
            }
        });
        assertThat(silent.getFirst()).isEqualTo("rank 0: barrier #0 failed: rank 1 sent nothing for 0.5 s (it stopped, or is slower than the step timeout)");
    }

    @Test
    void ranksOutOfStepAreRefusedNamingWhatEachSent() throws Exception {
        List<String> errors = LocalRing.run(2, TIMEOUT, c -> {
            try {
                if (c.rank() == 0) c.allReduceSum(new float[10]);
                else c.allGather(new float[10]);
                return "no error";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        assertThat(errors.get(0)).contains("rank 1 is out of step: expected allReduceSum (reduce-scatter) #0 step 0, got allGather #0 step 0");
        assertThat(errors.get(1)).contains("rank 0 is out of step: expected allGather #0 step 0, got allReduceSum (reduce-scatter)");
        List<String> lengths = LocalRing.run(2, TIMEOUT, c -> {
            try {
                c.allGather(new float[3 + c.rank()]);
                return "no error";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        assertThat(lengths.get(0)).contains("rank 1 sent 4 floats where 3 were expected in allGather #0");
        // a broken ring stays broken
        List<String> after = LocalRing.run(2, TIMEOUT, c -> {
            try {
                c.allGather(new float[3 + c.rank()]);
            } catch (IOException expected) {
                // the ring is closed now
            }
            try {
                c.barrier();
                return "no error";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        assertThat(after.get(0)).startsWith("rank 0: barrier on a broken ring (rank 0: allGather #0 failed:");
    }

    @Test
    void badArgumentsAreOneLineErrors() throws Exception {
        ServerSocket own = RingCollective.listen(InetAddress.getLoopbackAddress());
        InetSocketAddress a = (InetSocketAddress) own.getLocalSocketAddress();
        assertThatThrownBy(() -> RingCollective.connect(2, List.of(a, a), own, TIMEOUT)).hasMessage("ring: rank 2 outside 0..1");
        assertThatThrownBy(() -> RingCollective.connect(0, List.of(), own, TIMEOUT)).hasMessage("ring: no addresses");
        assertThatThrownBy(() -> RingCollective.connect(0, List.of(a, a), own, Duration.ZERO)).hasMessageContaining("join timeout must be positive");
        own.close();
        try (RingCollective alone = RingCollective.connect(0, List.of(a), null, TIMEOUT)) {
            float[] x = {4};
            alone.allReduceSum(x);
            assertThat(x).containsExactly(4);
        }
    }
}
