package dev.vireo.examples.serve;

import dev.vireo.models.Clip;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.IndexProgress;
import dev.vireo.search.SearchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated HTTP requests against the server (seeded byte flips, insertions, deletions and cuts of a
 * text search, an image upload and a thumbnail request, sent raw): every answer is a 2xx or a 4xx,
 * never a 5xx, and the server still answers its health check at the end. An unparsable request the
 * JDK's server drops without an answer is counted, not an error.
 */
class SearchServerFuzzTest {
    static final int INPUTS = 300;

    @TempDir
    Path tmp;

    @Test
    void mutatedRequestsGetA2xxOr4xxAndTheServerStaysUp() throws Exception {
        List<Path> files = TestPictures.write(tmp.resolve("photos"), 6, 64, 48, 21);
        try (Clip clip = Clip.load(Path.of("../models/src/test/resources/hf/tiny-clip"));
             ImageIndex index = ImageIndex.open(tmp.resolve("index"), clip, "tiny-clip")) {
            index.update(tmp.resolve("photos"), 8, IndexProgress.NONE);
            String id = index.searchImage(files.get(1), 1, SearchOptions.defaults()).getFirst().id();
            byte[] png = Files.readAllBytes(files.get(2));
            List<byte[]> seeds = List.of(
                    "GET /api/search?q=a+red+circle&k=5 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    concat(("POST /api/search?k=3 HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: " + png.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), png),
                    ("GET /thumb/" + id + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try (SearchServer server = SearchServer.start(index, "127.0.0.1", 0)) {
                for (byte[] seed : seeds) assertThat(status(server.port(), seed)).as("a seed is answered 200").isEqualTo(200);
                Random random = new Random(7);
                int[] byClass = new int[6]; // 0: no answer, 1..5: 1xx..5xx
                for (int i = 0; i < INPUTS; i++) {
                    int status = status(server.port(), mutate(seeds.get(i % seeds.size()), random));
                    byClass[status / 100]++;
                    assertThat(status / 100).as("input %d answered %d", i, status).isNotEqualTo(5);
                }
                System.out.printf("HTTP fuzz, %d inputs: 2xx %d, 4xx %d, 5xx %d, closed without an answer %d%n",
                        INPUTS, byClass[2], byClass[4], byClass[5], byClass[0]);
                assertThat(byClass[4]).as("mutations refused with a 4xx").isGreaterThan(INPUTS / 10);
                assertThat(status(server.port(), seeds.get(0))).as("still serving").isEqualTo(200);
            }
        }
    }

    /** The status code of the answer, or 0 when the server closed without one (or said nothing in 20 s). */
    static int status(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            } catch (IOException e) {
                return 0; // the server closed first, on a request it could not parse
            }
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try {
                for (int b; head.size() < 12 && (b = socket.getInputStream().read()) >= 0; ) head.write(b);
            } catch (SocketTimeoutException | java.net.SocketException e) {
                return 0;
            }
            String line = head.toString(StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") && line.length() >= 12 ? Integer.parseInt(line.substring(9, 12)) : 0;
        }
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(Math.max(1, b.length));
            switch (random.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) "%&=?/ \r\n0123456789".charAt(random.nextInt(18));
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
                default -> b = Arrays.copyOf(b, Math.max(1, at));
            }
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
