package dev.vireo.examples.lessons.intermediate;

import dev.vireo.engine.io.ScratchFolders;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.ImageGrid;
import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesSampleWriter;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.search.Hit;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.IndexProgress;
import dev.vireo.search.IndexReport;
import dev.vireo.search.SearchOptions;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Intermediate 11: build an image search engine. The tiny CLIP of lesson I03 embeds a folder of
 * held-out shapes pictures once; a Lucene index ({@link ImageIndex}) keeps the vectors; a text
 * query is embedded and compared with all of them, and the closest pictures come back best first.
 * The seed's first project, in forty lines: the same index is what {@code vireo index},
 * {@code vireo search} and {@code vireo serve} run on. Checks: for colour queries, at least 4 in 5
 * of the top five show that colour; querying with a picture finds that picture first; searching
 * exactly and through the HNSW graph agree.
 */
public final class I11ImageSearch implements Lesson {
    static final List<String> QUERIES = List.of("a red circle", "a blue square", "a green triangle", "a yellow star", "a purple diamond");

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region pictures
        // Step 1: a folder of pictures to search: held-out scenes the model never trained on, one shape each.
        ClipModel model = I03TrainTinyClip.trainedModel(ctx);
        ShapesData scenes = ShapesData.split(false, ctx.quick() ? 200 : 400, new ShapesWorld.Config(32, 1, 1));
        Path work = Files.createTempDirectory("vireo-i08");
        Path photos = Files.createDirectories(work.resolve("pictures"));
        Map<Path, ShapeScene> sceneOf = new HashMap<>();
        for (int i = 0; i < scenes.size(); i++) {
            Path p = photos.resolve(String.format("scene%04d.png", i)).toAbsolutePath().normalize();
            ShapesSampleWriter.writePng(p, scenes.scenes().get(i));
            sceneOf.put(p, scenes.scenes().get(i));
        }
        // endregion pictures

        // region index
        // Step 2: index them. The Clip façade wraps the model with its tokenizer and image processor;
        // update() embeds every picture once and stores the unit vectors in Lucene.
        Clip clip = new Clip(model, ClipTokenizer.openai(), new ClipPreprocessor(ClipPreprocessConfig.openai(32)), null, "vireo");
        double colourPrecision = 0;
        try (ImageIndex index = ImageIndex.open(work.resolve("index"), clip, "I03 tiny CLIP")) {
            IndexReport report = index.update(photos, 64, IndexProgress.NONE);
            out.printf("indexed %d pictures in %.2f s%n", report.indexed(), report.seconds());
            // endregion index

            // region search
            // Step 3: search by text. Each result is a picture and its cosine similarity with the query.
            List<ImageGrid.Row> rows = new ArrayList<>();
            for (String query : QUERIES) {
                List<Hit> top = index.searchText(query, 5, SearchOptions.defaults());
                int sameColour = 0;
                List<RgbImage> pictures = new ArrayList<>();
                List<String> captions = new ArrayList<>();
                for (Hit h : top) {
                    PlacedShape shape = sceneOf.get(h.path()).mainShape();
                    if (query.contains(shape.colour().word())) sameColour++;
                    pictures.add(new RgbImage(32, 32, sceneOf.get(h.path()).renderRgb()));
                    captions.add(String.format("%.2f", h.score()));
                }
                colourPrecision += sameColour / 5.0 / QUERIES.size();
                out.printf("%-18s -> %s%n", query, top.stream().map(h -> sceneOf.get(h.path()).mainShape().shortPhrase()).toList());
                rows.add(new ImageGrid.Row(query, pictures, captions));
            }
            ImageGrid.save(ctx.file("I11_search.png"), "I11: the top five pictures for each query (cosine under each)", rows, 64);
            out.printf("colour right in %.0f%% of the top five (I11_search.png)%n", 100 * colourPrecision);
            ok &= ctx.check("at least 4 in 5 of the top five show the asked colour", colourPrecision >= 0.8);
            // endregion search

            // region example
            // Step 4: query by example (a picture instead of words), and exact against approximate search.
            Path example = sceneOf.keySet().stream().sorted(Comparator.naturalOrder()).findFirst().orElseThrow();
            Hit self = index.searchImage(example, 1, SearchOptions.defaults()).getFirst();
            out.printf("query by example %s: first hit %s (cosine %.4f)%n", example.getFileName(), self.path().getFileName(), self.score());
            ok &= ctx.check("a picture finds itself first", self.path().equals(example));
            int agree = 0;
            for (String query : QUERIES) {
                List<Path> exact = index.searchText(query, 10, SearchOptions.defaults().exact()).stream().map(Hit::path).toList();
                for (Hit h : index.searchText(query, 10, SearchOptions.defaults().approximate())) if (exact.contains(h.path())) agree++;
            }
            out.printf("HNSW found %d of the exact top-10 results of %d queries%n", agree, QUERIES.size());
            ok &= ctx.check("the HNSW graph finds at least 95% of the exact top ten", agree >= 0.95 * 10 * QUERIES.size());
            // endregion example
        } finally {
            ScratchFolders.delete(work);
        }
        return ok;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I11ImageSearch(), args);
    }
}
