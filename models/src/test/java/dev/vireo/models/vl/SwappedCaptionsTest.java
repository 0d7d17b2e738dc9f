package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.text.CaptionVocabulary;
import dev.vireo.models.text.WordPieceTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Binding negatives: kinds learnt from the captions' contexts, and a swap of two words of one kind, nothing else. */
class SwappedCaptionsTest {
    static final int PAD = 0, CLS = 2, SEP = 3;

    @Test
    void theShapesWorldsColoursShapesAndSizesComeOutAsKinds() throws Exception {
        List<String> captions = new ArrayList<>();
        for (ShapeScene s : ShapesWorld.train(2000, ShapesWorld.Config.of(48))) captions.addAll(s.captions());
        Path vocab = Files.createTempFile("vocab", ".txt");
        Files.writeString(vocab, String.join("\n", CaptionVocabulary.build(captions, 1000)) + "\n");
        WordPieceTokenizer tok = WordPieceTokenizer.fromVocabTxt(vocab, true);
        List<int[]> coded = new ArrayList<>();
        for (String c : captions) coded.add(tok.encode(c).ids());
        SwappedCaptions swaps = new SwappedCaptions(coded, new int[] {tok.clsId(), tok.sepId(), tok.padId()});
        int red = tok.tokenize("red")[0], circle = tok.tokenize("circle")[0], small = tok.tokenize("small")[0];
        for (ShapeColour c : ShapeColour.values()) assertThat(swaps.sameKind(red, tok.tokenize(c.word())[0])).as(c.word()).isTrue();
        for (ShapeKind k : ShapeKind.values()) assertThat(swaps.sameKind(circle, tok.tokenize(k.word())[0])).as(k.word()).isTrue();
        assertThat(swaps.sameKind(small, tok.tokenize("large")[0])).isTrue();
        assertThat(swaps.sameKind(red, circle)).isFalse();
        assertThat(swaps.sameKind(red, small)).isFalse();

        // "a small red circle left of a large blue square": the swaps are red/blue, circle/square, small/large
        int[] ids = tok.encode("a small red circle left of a large blue square").ids();
        Set<String> seen = new HashSet<>();
        Rng rng = new Rng(3);
        for (int k = 0; k < 300; k++) seen.add(tok.decode(swaps.swap(ids, 0, ids.length, rng)));
        assertThat(seen).containsExactlyInAnyOrder("a small blue circle left of a large red square",
                "a small red square left of a large blue circle", "a large red circle left of a small blue square");
        assertThat(swaps.swap(tok.encode("a small red circle").ids(), 0, tok.encode("a small red circle").ids().length, rng)).isNull();
    }

    @Test
    void specialTokensAndTokensNeverSeenStayPut() {
        List<int[]> captions = List.of(new int[] {CLS, 5, 7, SEP}, new int[] {CLS, 5, 8, SEP}, new int[] {CLS, 6, 7, SEP});
        SwappedCaptions swaps = new SwappedCaptions(captions, new int[] {CLS, SEP, PAD});
        assertThat(swaps.sameKind(7, 8)).isTrue();  // both follow 5 and precede [SEP]
        assertThat(swaps.sameKind(5, 6)).isTrue();
        assertThat(swaps.sameKind(5, 7)).isFalse();
        assertThat(swaps.sameKind(9, 9)).isFalse(); // never seen
        int[] row = {CLS, 5, 8, 7, SEP, PAD};
        assertThat(swaps.swap(row, 0, 6, new Rng(1))).containsExactly(CLS, 5, 7, 8, SEP, PAD);
    }
}
