package dev.vireo.search;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Scores from the stored float vectors: a scan of every live image (exact search) and the exact
 * cosine of HNSW's candidates, so both give the same score for the same image. Ties go to the
 * smaller path.
 */
final class ExactSearch {
    private static final Comparator<Hit> BEST_FIRST = Comparator.comparing(Hit::score).reversed()
            .thenComparing(h -> h.path().toString());
    private static final Set<String> FIELDS = Set.of(ImageIndex.ID, ImageIndex.PATH);

    private ExactSearch() {}

    /** The k best of all live images (under {@code folder} when set). */
    static List<Hit> topK(IndexReader reader, float[] query, int k, Path folder) throws IOException {
        PriorityQueue<Hit> worst = new PriorityQueue<>(BEST_FIRST.reversed());
        String prefix = folder == null ? null : folder.toString().endsWith("/") ? folder.toString() : folder + "/";
        for (LeafReaderContext leaf : reader.leaves()) {
            LeafReader r = leaf.reader();
            FloatVectorValues vectors = r.getFloatVectorValues(ImageIndex.VECTOR);
            if (vectors == null) continue;
            Bits live = r.getLiveDocs();
            StoredFields stored = r.storedFields();
            KnnVectorValues.DocIndexIterator it = vectors.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live != null && !live.get(doc)) continue;
                float score = Vectors.dot(query, vectors.vectorValue(it.index()));
                if (worst.size() == k && score < worst.peek().score()) continue;
                var d = stored.document(doc, FIELDS);
                String path = d.get(ImageIndex.PATH);
                if (prefix != null && !path.startsWith(prefix)) continue;
                worst.add(new Hit(d.get(ImageIndex.ID), Path.of(path), score));
                if (worst.size() > k) worst.poll();
            }
        }
        List<Hit> out = new ArrayList<>(worst);
        out.sort(BEST_FIRST);
        return out;
    }

    /**
     * HNSW's candidates scored by their float vectors, best first, the first k. The vectors are read in
     * doc order, one iterator per segment; stored fields only for the k best (and any tied with the k-th,
     * whose paths break the tie).
     */
    static List<Hit> rescore(IndexReader reader, float[] query, ScoreDoc[] candidates, int k) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        int[] docs = Arrays.stream(candidates).mapToInt(c -> c.doc).sorted().toArray();
        float[] scores = new float[docs.length];
        FloatVectorValues vectors = null;
        KnnVectorValues.DocIndexIterator it = null;
        for (int i = 0, leafIndex = -1; i < docs.length; i++) {
            int li = ReaderUtil.subIndex(docs[i], leaves);
            if (li != leafIndex) {
                leafIndex = li;
                vectors = leaves.get(li).reader().getFloatVectorValues(ImageIndex.VECTOR);
                it = vectors.iterator();
            }
            int doc = docs[i] - leaves.get(li).docBase;
            if (it.advance(doc) != doc) throw new IOException("index: image " + docs[i] + " has no vector");
            scores[i] = Vectors.dot(query, vectors.vectorValue(it.index()));
        }
        Integer[] order = new Integer[docs.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
        float cut = order.length == 0 ? 0 : scores[order[Math.min(k, order.length) - 1]];
        StoredFields stored = reader.storedFields();
        List<Hit> out = new ArrayList<>();
        for (int i : order) {
            if (out.size() >= k && scores[i] < cut) break;
            var d = stored.document(docs[i], FIELDS);
            out.add(new Hit(d.get(ImageIndex.ID), Path.of(d.get(ImageIndex.PATH)), scores[i]));
        }
        out.sort(BEST_FIRST);
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }
}
