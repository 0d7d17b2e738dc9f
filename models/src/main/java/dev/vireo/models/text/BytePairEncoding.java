/*
 * Byte-level BPE over symbol ids (Sennrich et al. 2016, "Neural Machine Translation of Rare Words
 * with Subword Units"; GPT-2's byte variant): a word's UTF-8 bytes start as 256 byte symbols, the
 * last one in its '</w>' form, and the lowest-ranked adjacent pair is merged until none is known.
 * Pairs are keyed by their two ids packed in a long; a bounded cache keeps frequent (short) words.
 * Short words are merged by rounds over an array (each round finds the best pair, then merges all of
 * its occurrences left to right); long ones by the same rounds driven by a heap of (rank, position)
 * over a linked list of symbols, O(n log n) instead of O(n²) per word, with identical results.
 */
package dev.vireo.models.text;

import dev.vireo.engine.io.OneLine;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongHeapPriorityQueue;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

public final class BytePairEncoding {

    public static final String END_OF_WORD = "</w>";
    /** Words of more UTF-8 bytes than this are merged with the heap (the rounds are quadratic in them). */
    static final int ROUNDS_MAX_BYTES = 64;
    /** Words longer than this (in chars) are not cached: rare, and a cached giant word pins its memory. */
    static final int CACHE_MAX_CHARS = 256;

    private final String[] tokens;
    private final Object2IntOpenHashMap<String> vocab;
    private final List<String[]> merges;
    private final Long2IntOpenHashMap pairRank;
    private final int[] mergedId;
    private final int[] byteId = new int[256];
    private final int[] byteEndId = new int[256];
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();
    private final int cacheCapacity;

    /**
     * @param tokens id → token string, in the byte-character alphabet
     * @param merges each merge as its two parts, best (rank 0) first
     * @param cacheCapacity words kept before the cache is emptied; 0 turns it off
     */
    public BytePairEncoding(String[] tokens, List<String[]> merges, int cacheCapacity) {
        this.merges = List.copyOf(merges);
        this.tokens = tokens.clone();
        this.vocab = new Object2IntOpenHashMap<>(tokens.length);
        vocab.defaultReturnValue(-1);
        for (int id = 0; id < tokens.length; id++) {
            if (vocab.put(tokens[id], id) != -1) {
                throw new IllegalArgumentException(OneLine.of("BytePairEncoding: token '" + tokens[id] + "' appears twice (id " + id + ")"));
            }
        }
        for (int b = 0; b < 256; b++) {
            String ch = String.valueOf(ByteLevel.charOf(b));
            byteId[b] = require(ch, "byte symbol");
            byteEndId[b] = require(ch + END_OF_WORD, "byte symbol");
        }
        this.pairRank = new Long2IntOpenHashMap(merges.size());
        pairRank.defaultReturnValue(-1);
        this.mergedId = new int[merges.size()];
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            int a = require(m[0], "merge " + rank + " left part");
            int b = require(m[1], "merge " + rank + " right part");
            mergedId[rank] = require(m[0] + m[1], "merge " + rank + " result");
            pairRank.put(pack(a, b), rank);  // as dict(zip(merges, ranks)): a repeated pair keeps its last rank
        }
        this.cacheCapacity = cacheCapacity;
    }

    /** The merges, best (rank 0) first, each as its two parts: what Hugging Face's merges.txt lists. */
    public List<String[]> merges() {
        return merges;
    }

    /** Number of tokens in the vocabulary (V). */
    public int vocabSize() {
        return tokens.length;
    }

    /** The id of a token string, or -1 when it is not in the vocabulary. */
    public int id(String token) {
        return vocab.getInt(token);
    }

    /** The token string of an id. */
    public String token(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IndexOutOfBoundsException("BytePairEncoding.token: id " + id + " outside vocabulary of " + tokens.length);
        }
        return tokens[id];
    }

    /** Ids of one pre-token (plain text, not byte characters), the last carrying '</w>'. */
    public int[] encodeWord(String word) {
        if (cacheCapacity == 0 || word.length() > CACHE_MAX_CHARS) {
            return merge(word);
        }
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = merge(word);
            if (cache.size() >= cacheCapacity) {
                cache.clear();
            }
            cache.put(word, ids);
        }
        return ids;
    }

    private int[] merge(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= ROUNDS_MAX_BYTES ? mergeByRounds(bytes) : mergeWithHeap(bytes);
    }

    /** The word's bytes as symbols: byte symbols, the last in its '</w>' form. */
    private int[] symbols(byte[] bytes) {
        int n = bytes.length;
        int[] sym = new int[n];
        for (int i = 0; i < n - 1; i++) {
            sym[i] = byteId[bytes[i] & 0xff];
        }
        sym[n - 1] = byteEndId[bytes[n - 1] & 0xff];
        return sym;
    }

    /** The reference merge loop, O(n) per round: simple and fast for ordinary words. */
    int[] mergeByRounds(byte[] bytes) {
        int[] sym = symbols(bytes);
        int n = sym.length;
        while (n > 1) {
            // the adjacent pair with the lowest rank decides this round
            int best = Integer.MAX_VALUE;
            int at = -1;
            for (int i = 0; i < n - 1; i++) {
                int r = pairRank.get(pack(sym[i], sym[i + 1]));
                if (r >= 0 && r < best) {
                    best = r;
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            // merge every occurrence of that pair, left to right, without overlaps
            int first = sym[at];
            int second = sym[at + 1];
            int merged = mergedId[best];
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (i < n - 1 && sym[i] == first && sym[i + 1] == second) {
                    sym[w++] = merged;
                    i++;
                } else {
                    sym[w++] = sym[i];
                }
            }
            n = w;
        }
        return Arrays.copyOf(sym, n);
    }

    /**
     * The same rounds as {@link #mergeByRounds}, in O(n log n). A heap holds (rank, position) of every
     * adjacent pair ever formed; stale entries are skipped when popped (a rank names one pair, so an
     * entry is live when its position still starts a pair of that rank). A round pops all entries of
     * the lowest rank in position order, which merges that pair's occurrences left to right without
     * overlaps as the array scan does; the pairs a round forms wait in {@code formed} until it ends, so
     * the next round again starts from the lowest rank present, whatever order the merges file has.
     */
    int[] mergeWithHeap(byte[] bytes) {
        int[] sym = symbols(bytes);
        int n = sym.length;
        int[] prev = new int[n];
        int[] next = new int[n];
        LongHeapPriorityQueue heap = new LongHeapPriorityQueue(Math.max(1, n - 1));
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            if (i + 1 < n) {
                int r = pairRank.get(pack(sym[i], sym[i + 1]));
                if (r >= 0) {
                    heap.enqueue(entry(r, i));
                }
            }
        }
        LongArrayList formed = new LongArrayList();
        int round = -1;
        int count = n;
        while (!heap.isEmpty() || !formed.isEmpty()) {
            if (!formed.isEmpty() && (heap.isEmpty() || (int) (heap.firstLong() >>> 32) != round)) {
                for (int k = 0; k < formed.size(); k++) {
                    heap.enqueue(formed.getLong(k));
                }
                formed.clear();
                continue;
            }
            long e = heap.dequeueLong();
            int rank = (int) (e >>> 32);
            int at = (int) e;
            round = rank;
            int right = next[at];
            if (sym[at] < 0 || right < 0 || pairRank.get(pack(sym[at], sym[right])) != rank) {
                continue;  // stale: the pair was merged away or changed since this entry was made
            }
            sym[at] = mergedId[rank];
            sym[right] = -1;
            int after = next[right];
            next[at] = after;
            if (after >= 0) {
                prev[after] = at;
            }
            count--;
            int before = prev[at];
            if (before >= 0) {
                int r = pairRank.get(pack(sym[before], sym[at]));
                if (r >= 0) {
                    formed.add(entry(r, before));
                }
            }
            if (after >= 0) {
                int r = pairRank.get(pack(sym[at], sym[after]));
                if (r >= 0) {
                    formed.add(entry(r, at));
                }
            }
        }
        int[] out = new int[count];
        for (int i = 0, w = 0; i >= 0; i = next[i]) {
            out[w++] = sym[i];
        }
        return out;
    }

    private static long entry(int rank, int position) {
        return ((long) rank << 32) | position;
    }

    private int require(String token, String what) {
        int id = vocab.getInt(token);
        if (id < 0) {
            throw new IllegalArgumentException(OneLine.of("BytePairEncoding: " + what + " '" + token + "' is not in the vocabulary"));
        }
        return id;
    }

    private static long pack(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }
}
