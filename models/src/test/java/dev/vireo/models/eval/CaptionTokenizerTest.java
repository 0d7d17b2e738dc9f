package dev.vireo.models.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caption tokenizer on the Penn Treebank conventions, one rule a line (clitics split, punctuation
 * split off and dropped by pycocoevalcap's list, brackets escaped and kept as the list spells them in
 * upper case); each expectation is what the real PTBTokenizer gave ({@link CaptionTokenizerParityTest}).
 */
class CaptionTokenizerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "A man riding a horse on the beach.|a man riding a horse on the beach",
            "A dog, a cat; and a bird!|a dog a cat and a bird",
            "Is this a cat?|is this a cat",
            "The dog's bone isn't here.|the dog 's bone is n't here",
            "I can't believe it's not butter|i ca n't believe it 's not butter",
            "They're sure we've seen what you'll do, I'm told he'd go|they 're sure we 've seen what you 'll do i 'm told he 'd go",
            "He cannot go, he's gonna stay|he can not go he 's gon na stay",
            "A player's shirt and the players' shirts|a player 's shirt and the players shirts",
            "\"Stop\" says the sign|stop says the sign",
            "A sign reading 'STOP' on a pole|a sign reading stop on a pole",
            "A man (in red) holds a {toy} [ball]|a man -lrb- in red -rrb- holds a -lcb- toy -rcb- -lsb- ball -rsb-",
            "It costs $5 and 20% more|it costs $ 5 and 20 % more",
            "1,000 people at 10:30 with 2.5 dogs|1,000 people at 10:30 with 2.5 dogs",
            "red,white and blue:green|red white and blue green",
            "A t-shirt and a black/white cap|a t-shirt and a black/white cap",
            "Wait... what -- really - no|wait what really no",
            "Mr. Smith and Dr. Jones in the U.S.|mr. smith and dr. jones in the u.s.",
            "Don’t touch the dog’s tail|do n't touch the dog 's tail",
            "Rock music from the '90s era|rock music from the '90s era",
            "  Two   spaces\tand a tab  |two spaces and a tab",
            "A CAFÉ in Paris.|a café in paris",
    })
    void tokenisesAsPtbThenDropsPunctuation(String caption, String expected) {
        assertThat(CaptionTokenizer.tokenize(caption)).isEqualTo(expected);
    }

    @Test
    void punctuationOnlyCaptionsBecomeEmpty() {
        assertThat(CaptionTokenizer.tokenize("...")).isEmpty();
        assertThat(CaptionTokenizer.tokenize(" . , ! ")).isEmpty();
        assertThat(CaptionTokenizer.tokenize("")).isEmpty();
        assertThat(CaptionTokenizer.tokens("a dog.")).containsExactly("a", "dog");
    }

    @Test
    void longHostileRunsNeitherRecurseDeeplyNorCrawl() {
        long start = System.nanoTime();
        assertThat(CaptionTokenizer.tokens("dog" + "'s".repeat(5_000))).hasSize(5_001);
        assertThat(CaptionTokenizer.tokens("+".repeat(10_000))).hasSize(10_000);
        assertThat(CaptionTokenizer.tokens("'".repeat(10_000) + "x")).containsExactly("x");
        assertThat(CaptionTokenizer.tokens("a.,".repeat(3_000))).hasSize(3_000);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
