package dev.vireo.models.data;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The official VQA normalisation, case by case, quirks included (hand-worked from vqaEval.py). */
class VqaAnswerNormalizerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Yes.|yes",
            "Two|2",
            "none|0",
            "The Dog|dog",
            "an apple|apple",
            "dont|don't",
            "Im|im",
            "2.5|2.5",
            "2.5.|2.5",
            "1,000|1000",
            "red, white|red white",
            "red,white|red white",
            "t-shirt|t shirt",
            "t - shirt|t shirt",
            "(yes)!|yes",
            "man's|man's",
            "10:30|10:30",
            "hot   dog|hot dog",
            "x_y|x y",
            "a_b|b",
            "ten dogs|10 dogs",
    })
    void normalisesAsTheOfficialEvaluation(String answer, String expected) {
        assertThat(VqaAnswerNormalizer.normalize(answer)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"32|0", "33|1", "40|8"})
    void removesAtMost32Periods(int periods, int left) {
        assertThat(VqaAnswerNormalizer.punctuation("x" + ".".repeat(periods))).isEqualTo("x" + ".".repeat(left));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'\t yes \n'|yes", "'a\tb'|a b", "'\u00a0yes\u3000'|yes"})
    void cleanStripsPythonWhitespace(String answer, String expected) {
        assertThat(VqaAnswerNormalizer.clean(answer)).isEqualTo(expected);
    }
}
