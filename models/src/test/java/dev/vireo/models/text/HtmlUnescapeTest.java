/*
 * HtmlUnescape against outputs of Python 3.11's html.unescape (copied from a python3 session):
 * named, legacy and prefix references, numeric edge cases and text that must stay untouched.
 */
package dev.vireo.models.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlUnescapeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "Tom &amp; Jerry | Tom & Jerry",
        "&ampfoo | &foo",
        "&notit; | \u00acit;",
        "&notin | \u00acin",
        "&lt3 | <3",
        "&#39;&#x27;&#X41; | ''A",
        "&#0;,&#13;,&#128;,&#150; | \ufffd,\r,\u20ac,\u2013",
        "&#1114112;,&#xD800;,&#99999999999999; | \ufffd,\ufffd,\ufffd",
        "&#1;,&#11;,&#x7f;,&#xFFFE;,&#x1FFFF; | ,,,,",
        "&#x1F600; | \ud83d\ude00",
        "&unknown; &; & ; | &unknown; &; & ;",
        "&#x;&#; | &#x;&#;",
        "&amp;amp; | &amp;",
        "&fjlig; | fj",
        "&abcdefghijklmnopqrstuvwxyzabcdefgh; | &abcdefghijklmnopqrstuvwxyzabcdefgh;",
        "&#65&#66 | AB",
        "no references at all | no references at all",
    })
    void matchesPython(String input, String expected) {
        assertThat(HtmlUnescape.unescape(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "trailing {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"a & | a &", "a& | a&", "&# | &#", "&#x | &#x"})
    void keepsIncompleteReferencesAtTheEnd(String input, String expected) {
        assertThat(HtmlUnescape.unescape(input.strip())).isEqualTo(expected.strip());
    }
}
