package dev.vireo.examples.projects;

import dev.vireo.examples.demo.FusionComparison;
import dev.vireo.examples.lessons.Lesson;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;

/**
 * Project 5, "compare fusion strategies": {@code vireo compare-fusion} as a project. Early fusion (ViLT:
 * one stream over text tokens and image patches), mid fusion (ALBEF: text layers, then cross-attention
 * to the image) and late fusion (a dual encoder, CLIP) pretrained on the same scenes, steps, batch and
 * seed, then measured on the same held-out scenes: matching against hard negatives (ITM), the
 * compositional group score (Winoground-style swapped pairs), text→image R@1 by the matching head, and
 * the cost of that score per image–text pair. Expected outcome: late fusion scores a pair at a
 * fraction of the fused models' cost (it encodes each side once and takes a dot product; the others
 * run their fusion layers for every pair), which is why retrieval over millions of images is late
 * fusion, re-ranked by a fused model; every fusion learns to retrieve (full run: text→image R@1 at
 * least 10% of 200 held-out scenes, chance 0.5%).
 */
public final class P5CompareFusion implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean quick = ctx.quick();
        FusionComparison.Settings s = new FusionComparison.Settings(quick ? 20 : 800, quick ? 32 : 64, quick ? 200 : 4000, quick ? 20 : 200,
                quick ? 40 : 400, 0, ctx.file("p5_fusion"));
        List<FusionComparison.Row> rows = FusionComparison.run(s, out);
        out.println();
        out.print(Files.readString(s.out().resolve("comparison.md")));
        FusionComparison.Row late = row(rows, "late"), mid = row(rows, "mid"), early = row(rows, "early");
        boolean ok = ctx.check("three fusions measured on the same scenes", rows.size() == 3);
        ok &= ctx.check("each fusion's measures are fractions and costs are positive", rows.stream().allMatch(r -> r.itmAccuracy() >= 0
                && r.itmAccuracy() <= 1 && r.compositionalGroup() >= 0 && r.compositionalGroup() <= 1 && r.msPerPair() > 0));
        if (!quick) {
            // a timing, so only on the full run (the test suite's short run shares its cores with other tests)
            ok &= ctx.check("late fusion scores a pair at most a third of mid's and early's cost",
                    late.msPerPair() * 3 <= mid.msPerPair() && late.msPerPair() * 3 <= early.msPerPair());
            for (FusionComparison.Row r : rows) {
                ok &= ctx.check(r.fusion() + " fusion finds the described picture first far above chance (R@1 >= 10%, chance "
                        + String.format("%.1f%%", 100.0 / s.testScenes()) + ")", r.retrievalR1() >= 0.10);
            }
        }
        out.printf("comparison.md, comparison.json and comparison.png in %s%n", s.out());
        return ok;
    }

    private static FusionComparison.Row row(List<FusionComparison.Row> rows, String fusion) {
        return rows.stream().filter(r -> r.fusion().equals(fusion)).findFirst().orElseThrow();
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new P5CompareFusion(), args);
    }
}
