package dev.vireo.spark;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.eval.ZeroShotMetrics;
import dev.vireo.models.train.LabelledImageData;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vireo spark eval}: zero-shot accuracy (rows with a label) and retrieval both ways (rows with
 * captions) over a table of image embeddings, with the figures {@code vireo eval} gives on the same
 * images. The similarities are taken partition by partition against the other side broadcast; each
 * query's ranks come back to the driver, which summarises them as {@link RetrievalMetrics} does, so the
 * figures are the same to the bit. Text prompts and captions are embedded on the executors.
 */
public final class EvalJob {
    private EvalJob() {}

    /**
     * @param model     the CLIP model (path) whose text tower embeds prompts and captions, or null for the one the table names
     * @param templates zero-shot prompt templates, {@code {}} standing for the class name
     */
    public static Map<String, Object> run(SparkSession spark, Dataset<Row> embeddings, String model, String config, List<String> templates) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> columns = List.of(embeddings.columns());
        for (String c : List.of("path", "embedding", "label", "captions", "model")) {
            if (!columns.contains(c)) throw new IllegalArgumentException("eval: the table has no " + c + " column: is it vireo spark embed's embeddings?");
        }
        // one order for everyone: images by path
        JavaRDD<Row> images = embeddings.orderBy("path").toJavaRDD().cache();
        long n = images.count();
        if (n == 0) throw new IllegalArgumentException("eval: the table holds no embeddings");
        String modelPath = model != null ? model : images.first().getAs("model");
        ExecutorModels.Loaded loaded = ExecutorModels.clip(modelPath, config);
        int e = loaded.clip().model().config().embedDim();
        JavaPairRDD<Long, Row> indexed = images.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", modelPath);
        out.put("images", n);
        long labelled = images.filter(r -> r.getAs("label") != null).count();
        if (labelled == n) out.put("zeroshot", zeroShot(jsc, images, loaded, e, templates, n));
        else if (labelled > 0) out.put("zeroshot_skipped", (n - labelled) + " of " + n + " images have no label");
        if (images.filter(r -> !r.isNullAt(r.fieldIndex("captions")) && !r.getList(r.fieldIndex("captions")).isEmpty()).count() > 0) {
            out.put("retrieval", retrieval(jsc, indexed, modelPath, config, e, (int) n));
        }
        images.unpersist();
        if (!out.containsKey("zeroshot") && !out.containsKey("retrieval")) {
            throw new IllegalArgumentException("eval: the rows have neither labels nor captions: nothing to evaluate");
        }
        return out;
    }

    private static Map<String, Object> zeroShot(JavaSparkContext jsc, JavaRDD<Row> images, ExecutorModels.Loaded loaded, int e,
                                                List<String> templates, long n) {
        List<String> classes = images.map(r -> (String) r.getAs("label")).distinct().collect().stream().sorted().toList();
        List<String> readable = classes.stream().map(LabelledImageData::readable).toList();
        float[] classEmbeddings; // (C, E)
        synchronized (loaded) {
            classEmbeddings = new ClipEvaluator(loaded.clip().model(), loaded.clip().tokenizer()).classEmbeddings(readable, templates);
        }
        Broadcast<float[]> classesB = jsc.broadcast(classEmbeddings);
        Broadcast<List<String>> namesB = jsc.broadcast(classes);
        int c = classes.size(), k5 = Math.min(5, c);
        long[] hits = images.mapPartitions((Iterator<Row> rows) -> {
            List<Row> part = new ArrayList<>();
            rows.forEachRemaining(part::add);
            if (part.isEmpty()) return List.of(new long[2]).iterator();
            int[] labels = part.stream().mapToInt(r -> namesB.value().indexOf((String) r.getAs("label"))).toArray();
            float[] scores = ClipEvaluator.similarity(normalised(part, e), part.size(), classesB.value(), c, e); // (n, C)
            long top1 = Math.round(ZeroShotMetrics.topK(scores, part.size(), c, labels, 1) * part.size());
            long top5 = Math.round(ZeroShotMetrics.topK(scores, part.size(), c, labels, k5) * part.size());
            return List.of(new long[] {top1, top5}).iterator();
        }).reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classes", classes);
        m.put("templates", templates);
        m.put("top1", (double) hits[0] / n);
        m.put("top5", (double) hits[1] / n);
        return m;
    }

    private static Map<String, Object> retrieval(JavaSparkContext jsc, JavaPairRDD<Long, Row> images, String modelPath, String config, int e, int n) {
        // texts in image order, each image's captions in their order: (text index, owner image, caption)
        List<Tuple2<Long, List<String>>> captionLists = images.mapValues(r -> r.isNullAt(r.fieldIndex("captions")) ? List.<String>of()
                : List.copyOf(r.<String>getList(r.fieldIndex("captions")))).sortByKey().collect();
        List<String> texts = new ArrayList<>();
        int[] owner;
        int[] firstText = new int[n + 1];
        List<Integer> owners = new ArrayList<>();
        for (Tuple2<Long, List<String>> t : captionLists) {
            int i = (int) (long) t._1();
            firstText[i] = texts.size();
            for (String caption : t._2()) {
                texts.add(caption);
                owners.add(i);
            }
            firstText[i + 1] = texts.size();
        }
        owner = owners.stream().mapToInt(Integer::intValue).toArray();
        int m = texts.size();
        float[] textEmbeddings = textEmbeddings(jsc, texts, modelPath, config, e); // (M, E)
        float[] imageEmbeddings = new float[n * e]; // (N, E)
        for (Tuple2<Long, float[]> t : images.mapValues(r -> normalised(List.of(r), e)).collect()) {
            System.arraycopy(t._2(), 0, imageEmbeddings, (int) (long) t._1() * e, e);
        }
        Broadcast<float[]> textsB = jsc.broadcast(textEmbeddings), imagesB = jsc.broadcast(imageEmbeddings);
        Broadcast<int[]> firstB = jsc.broadcast(firstText), ownerB = jsc.broadcast(owner);

        // image → text: each image's row of similarities to every text, its captions' ranks
        List<Tuple2<Long, double[]>> i2t = images.mapPartitionsToPair((Iterator<Tuple2<Long, Row>> rows) -> {
            List<Tuple2<Long, Row>> part = new ArrayList<>();
            rows.forEachRemaining(part::add);
            List<Tuple2<Long, double[]>> ranks = new ArrayList<>();
            if (part.isEmpty()) return ranks.iterator();
            float[] sim = ClipEvaluator.similarity(normalised(part.stream().map(Tuple2::_2).toList(), e), part.size(), textsB.value(), m, e); // (n, M)
            for (int j = 0; j < part.size(); j++) {
                int i = (int) (long) part.get(j)._1();
                double[] r = new double[firstB.value()[i + 1] - firstB.value()[i]];
                for (int t = firstB.value()[i]; t < firstB.value()[i + 1]; t++) r[t - firstB.value()[i]] = RetrievalMetrics.rank(sim, j * m, 1, m, t);
                ranks.add(new Tuple2<>((long) i, r));
            }
            return ranks.iterator();
        }).sortByKey().collect();

        // text → image: each text's column of similarities to every image, its image's rank
        List<Integer> textIds = new ArrayList<>();
        for (int t = 0; t < m; t++) textIds.add(t);
        int slices = Math.max(1, images.getNumPartitions());
        List<Tuple2<Long, double[]>> t2i = jsc.parallelize(textIds, slices).mapPartitionsToPair((Iterator<Integer> ids) -> {
            List<Integer> part = new ArrayList<>();
            ids.forEachRemaining(part::add);
            List<Tuple2<Long, double[]>> ranks = new ArrayList<>();
            if (part.isEmpty()) return ranks.iterator();
            float[] sub = new float[part.size() * e]; // (m', E)
            for (int j = 0; j < part.size(); j++) System.arraycopy(textsB.value(), part.get(j) * e, sub, j * e, e);
            float[] sim = ClipEvaluator.similarity(imagesB.value(), n, sub, part.size(), e); // (N, m')
            for (int j = 0; j < part.size(); j++) {
                int t = part.get(j);
                ranks.add(new Tuple2<>((long) t, new double[] {RetrievalMetrics.rank(sim, j, part.size(), n, ownerB.value()[t])}));
            }
            return ranks.iterator();
        }).sortByKey().collect();

        double[][] i2tRanks = new double[n][], t2iRanks = new double[m][];
        for (Tuple2<Long, double[]> t : i2t) i2tRanks[(int) (long) t._1()] = t._2();
        for (Tuple2<Long, double[]> t : t2i) t2iRanks[(int) (long) t._1()] = t._2();
        RetrievalMetrics.Result r = RetrievalMetrics.fromRanks(i2tRanks, t2iRanks);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("texts", m);
        out.put("image_to_text", r.imageToText().toMap());
        out.put("text_to_image", r.textToImage().toMap());
        return out;
    }

    /** Normalised text embeddings (M, E) of the texts, embedded on the executors in slices, in order. */
    private static float[] textEmbeddings(JavaSparkContext jsc, List<String> texts, String modelPath, String config, int e) {
        List<Tuple2<Integer, String>> numbered = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) numbered.add(new Tuple2<>(t, texts.get(t)));
        int slices = Math.max(1, Math.min(jsc.defaultParallelism(), (texts.size() + 127) / 128));
        List<Tuple2<Integer, float[]>> parts = jsc.parallelize(numbered, slices).mapPartitions((Iterator<Tuple2<Integer, String>> it) -> {
            List<Tuple2<Integer, String>> part = new ArrayList<>();
            it.forEachRemaining(part::add);
            if (part.isEmpty()) return List.<Tuple2<Integer, float[]>>of().iterator();
            ExecutorModels.Loaded loaded = ExecutorModels.clip(modelPath, config);
            float[] f;
            synchronized (loaded) {
                f = new ClipEvaluator(loaded.clip().model(), loaded.clip().tokenizer()).textEmbeddings(part.stream().map(Tuple2::_2).toList());
            }
            return List.of(new Tuple2<>(part.getFirst()._1(), f)).iterator();
        }).collect();
        float[] out = new float[texts.size() * e];
        for (Tuple2<Integer, float[]> p : parts) System.arraycopy(p._2(), 0, out, p._1() * e, p._2().length);
        return out;
    }

    /** The rows' embeddings, each L2-normalised as {@link ClipEvaluator#imageEmbeddings} normalises them: (n, E). */
    static float[] normalised(List<Row> rows, int e) {
        float[] raw = new float[rows.size() * e]; // (n, E)
        for (int j = 0; j < rows.size(); j++) {
            List<Float> v = rows.get(j).getList(rows.get(j).fieldIndex("embedding"));
            if (v.size() != e) throw new IllegalArgumentException("eval: an embedding of " + v.size() + " values for a model of " + e);
            for (int k = 0; k < e; k++) raw[j * e + k] = v.get(k);
        }
        try (var ignored = GradMode.noGrad()) {
            return Norms.l2Normalize(Tensor.of(raw, rows.size(), e), -1, Norms.NORMALIZE_EPS).toArray();
        }
    }
}
