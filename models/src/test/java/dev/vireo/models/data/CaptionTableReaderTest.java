package dev.vireo.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptionTableReaderTest {
    @TempDir
    Path dir;

    private static List<List<String>> parse(String text, char delimiter) throws IOException {
        DelimitedParser parser = new DelimitedParser(new StringReader(text), Path.of("t.csv"), delimiter);
        List<List<String>> rows = new ArrayList<>();
        for (List<String> row = parser.next(); row != null; row = parser.next()) rows.add(row);
        return rows;
    }

    @Test
    void parsesRfc4180Quoting() throws IOException {
        String text = "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",,x\r\n\nlast,row,\"\"";
        assertThat(parse(text, ',')).containsExactly(
                List.of("a", "b,c", "say \"hi\""),
                List.of("two\r\nlines", "", "x"),
                List.of("last", "row", ""));
    }

    @Test
    void writerAndParserRoundTrip() throws IOException {
        List<String> fields = List.of("plain", "with,comma", "with \"quote\"", "multi\nline", "");
        StringWriter out = new StringWriter();
        new DelimitedWriter(out, ',').write(fields);
        assertThat(parse(out.toString(), ',')).containsExactly(fields);
    }

    @Test
    void readsCsvGroupingCaptionsByImage() throws IOException {
        Path csv = Files.writeString(dir.resolve("captions.csv"), """
                id,filepath,title
                1,img/a.jpg,"a cat, sitting"
                2,img/b.jpg,a dog
                3,img/a.jpg,"the ""same"" cat"
                """);
        List<ImageTextSample> samples = CaptionTableReader.read(csv, CaptionTableReader.Format.csv("filepath", "title"), dir);
        assertThat(samples).hasSize(2);
        assertThat(samples.get(0).captions()).containsExactly("a cat, sitting", "the \"same\" cat");
        assertThat(samples.get(0).image()).isEqualTo(new ImageSource.FileImage(dir.resolve("img/a.jpg")));
        assertThat(samples.get(1).captions()).containsExactly("a dog");
    }

    @Test
    void readsHeaderlessTsvByIndex() throws IOException {
        Path tsv = Files.writeString(dir.resolve("Train_GCC-training.tsv"), "a man on a horse\thttp-free/1.jpg\nsunset, sea\t2.jpg\n");
        List<ImageTextSample> samples = CaptionTableReader.read(tsv, CaptionTableReader.Format.headerless('\t', 1, 0), dir);
        assertThat(samples).extracting(ImageTextSample::id).containsExactly("http-free/1.jpg", "2.jpg");
        assertThat(samples.get(1).captions()).containsExactly("sunset, sea");
    }

    @Test
    void rejectsAnUnclosedQuoteNamingItsLine() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad_quote.csv"), "image,caption\na.jpg,fine\nb.jpg,\"never closed\nc.jpg,x\n");
        assertThatThrownBy(() -> CaptionTableReader.read(csv, CaptionTableReader.Format.csv("image", "caption"), dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("bad_quote.csv").hasMessageContaining("line 3").hasMessageContaining("never closed");
    }

    @Test
    void rejectsARowWithTheWrongFieldCount() throws IOException {
        Path csv = Files.writeString(dir.resolve("short.csv"), "image,caption\na.jpg,fine\nb.jpg\n");
        assertThatThrownBy(() -> CaptionTableReader.read(csv, CaptionTableReader.Format.csv("image", "caption"), dir))
                .hasMessageContaining("short.csv").hasMessageContaining("line 3").hasMessageContaining("expected 2 fields");
    }

    @Test
    void rejectsAMissingColumnAndAStrayQuote() throws IOException {
        Path csv = Files.writeString(dir.resolve("cols.csv"), "image,text\na.jpg,x\n");
        assertThatThrownBy(() -> CaptionTableReader.read(csv, CaptionTableReader.Format.csv("image", "caption"), dir))
                .hasMessageContaining("no column named 'caption'");
        Path stray = Files.writeString(dir.resolve("stray.csv"), "image,caption\na.jpg,5\" screen\n");
        assertThatThrownBy(() -> CaptionTableReader.read(stray, CaptionTableReader.Format.csv("image", "caption"), dir))
                .hasMessageContaining("line 2").hasMessageContaining("quote inside an unquoted field");
    }

    @Test
    void rejectsAnEmptyCaption() throws IOException {
        Path csv = Files.writeString(dir.resolve("empty.csv"), "image,caption\na.jpg,\"  \"\n");
        assertThatThrownBy(() -> CaptionTableReader.read(csv, CaptionTableReader.Format.csv("image", "caption"), dir))
                .hasMessageContaining("line 2").hasMessageContaining("empty caption");
    }
}
