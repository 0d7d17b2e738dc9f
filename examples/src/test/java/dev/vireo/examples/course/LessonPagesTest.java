package dev.vireo.examples.course;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The companion pages cannot drift from the lessons: every snippet exists, and the committed pages are current. */
class LessonPagesTest {
    /** Surefire runs in the examples module. */
    private static final Path MODULE = Path.of(".");
    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: ([A-Za-z0-9_-]+) -->");

    @Test
    void everySnippetATemplateNamesIsARegionOfItsLesson() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Lessons.Entry e : Lessons.all()) {
            Path tpl = LessonPages.template(MODULE, e);
            assertThat(tpl).as("template of " + e.name()).exists();
            Map<String, String> regions = LessonPages.regions(Files.readString(LessonPages.source(MODULE, e), StandardCharsets.UTF_8), e.name());
            Matcher m = SNIPPET.matcher(Files.readString(tpl, StandardCharsets.UTF_8));
            int count = 0;
            while (m.find()) {
                count++;
                if (!regions.containsKey(m.group(1))) missing.add(e.name() + ": " + m.group(1));
            }
            assertThat(count).as(e.name() + " shows at least one snippet").isPositive();
        }
        assertThat(missing).as("snippets without a region in the lesson source").isEmpty();
    }

    @Test
    void committedPagesMatchTheSources() throws Exception {
        List<String> stale = new ArrayList<>();
        for (Lessons.Entry e : Lessons.all()) {
            Path page = LessonPages.page(MODULE, e);
            if (!Files.exists(page) || !Files.readString(page, StandardCharsets.UTF_8).equals(LessonPages.render(MODULE, e))) {
                stale.add(page.toString());
            }
        }
        Path index = LessonPages.index(MODULE);
        if (!Files.exists(index) || !Files.readString(index, StandardCharsets.UTF_8).equals(LessonPages.renderIndex())) stale.add(index.toString());
        assertThat(stale).as("pages out of date: run java -cp ... dev.vireo.examples.course.LessonPages").isEmpty();
    }

    @Test
    void regionsAreDedentedAndUnclosedOnesAreErrors() throws Exception {
        String src = "class A {\n    void f() {\n        // region x\n        int a = 1;\n            a++;\n        // endregion x\n    }\n}\n";
        assertThat(LessonPages.regions(src, "A.java")).containsEntry("x", "int a = 1;\n    a++;\n");
        assertThatThrownBy(() -> LessonPages.regions("// region y\nint b;\n", "B.java")).hasMessageContaining("endregion y");
    }
}
