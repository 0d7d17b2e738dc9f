package dev.vireo.engine.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the kernel sources that repeat one loop with small changes, from templates, the way Lucene's
 * {@code gen_ForUtil.py} writes its unrolled decoders. The Vector API needs the repetition: a vector
 * stays in a register only as a local variable (so the GEMM's register tile is unrolled by hand), a
 * species must be a constant (one class per width), and each pointwise function or operator must be a
 * constant in its own loop (a shared loop boxes every vector). The templates are in
 * {@code engine/src/test/resources/templates}: a {@code #each TABLE} … {@code #end} block repeats once per
 * row of a table with its {@code {{key}}}s set; other {@code {{key}}}s are the file's own.
 * {@code KernelSourceGeneratorTest} regenerates every file and compares. To rewrite them, from the
 * repository root (JDK 25's source launcher):
 * {@code java -cp engine/src/test/resources engine/src/test/java/dev/vireo/engine/kernel/KernelSourceGenerator.java engine/src/main/java}.
 */
public final class KernelSourceGenerator {
    /** Vector width in bits → rows of the GEMM's register tile: 8×32 at 512 bits (16 of AVX-512's 32 registers); 6 below, so AVX2's 16 do not spill. */
    static final Map<Integer, Integer> TILE_ROWS = Map.of(512, 8, 256, 6, 128, 6);

    /**
     * Vector width in bits → rows of the quad tile (four vectors of B per k step, for a request's rows
     * against weights streamed from memory): 6×64 at 512 bits (24 of AVX-512's 32 registers); 3 below,
     * 12 accumulators, so AVX2's 16 do not spill.
     */
    static final Map<Integer, Integer> QUAD_ROWS = Map.of(512, 6, 256, 3, 128, 3);

    /** Rows of the attention tile family's register tile (12 accumulators at every width). */
    static final int ATTENTION_TILE_ROWS = 6;

    private KernelSourceGenerator() {}

    /** One generated file: its path under the main source root and its text. */
    record Source(String path, String text) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: KernelSourceGenerator MAIN_SOURCE_ROOT (engine/src/main/java)");
        for (Source s : sources()) Files.writeString(Path.of(args[0], s.path()), s.text(), StandardCharsets.UTF_8);
    }

    /** Every generated file. */
    static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        for (int bits : new int[] {512, 256, 128}) out.add(microKernel(bits));
        out.add(pointwise());
        for (int bits : new int[] {512, 256, 128}) out.add(tiles(bits));
        return out;
    }

    /** The GEMM micro-kernel of one width: its tile rows unrolled. */
    static Source microKernel(int bits) throws IOException {
        int lanes = bits / 32, mr = TILE_ROWS.get(bits);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 0; r < mr; r++) {
            String ci = r == 0 ? "ci" : r == 1 ? "ci + ldc" : "ci + " + r + " * ldc";
            String aRow = r == 0 ? "ai" : r == 1 ? "ai + lda" : "ai + " + r + " * lda";
            rows.add(Map.of("r", Integer.toString(r), "ai", r == 0 ? "ai" : "ai + " + r, "aRow", aRow, "ci", ci));
        }
        // each layout of packed B gets its tile and its tileRows, one method per row count 1..mr with
        // only its rows' accumulators: B's two vectors side by side (tile) or in two strip streams
        // (tileHalves, for B packed once in strips: GemmPacking.packBStrips)
        StringBuilder layouts = new StringBuilder(), methods = new StringBuilder();
        for (String[] layout : new String[][] {{"tile", "int bi", "bi += 2 * L", "bi + L"},
                                               {"tileHalves", "int bi, int bj", "bi += L, bj += L", "bj"}}) {
            String name = layout[0], args = "a, ai, lda, bp, " + layout[1].replace("int ", "") + ", kc, c, ci, ldc, alpha, load";
            Map<String, String> keys = new LinkedHashMap<>(Map.of("TILE", name, "B_PARAMS", layout[1], "B_STEP", layout[2],
                    "B1", layout[3], "PAD", " ".repeat(name.length() - "tile".length()), "CHAINS", Integer.toString(2 * mr)));
            StringBuilder cases = new StringBuilder();
            for (int h = 1; h <= mr; h++) {
                cases.append(h > 1 ? "\n" : "").append("            case ").append(h).append(" -> ").append(name).append("Rows")
                        .append(h).append('(').append(args).append(");");
                Map<String, String> rowKeys = new LinkedHashMap<>(keys);
                rowKeys.put("H", Integer.toString(h));
                methods.append(expand(template("MicroKernelRows.java.template"), rowKeys, Map.of("rows", rows.subList(0, h))));
            }
            keys.put("ROW_CASES", cases.toString());
            layouts.append(layouts.isEmpty() ? "" : "\n").append(expand(template("MicroKernelTile.java.template"), keys, Map.of("rows", rows)).stripTrailing());
        }
        // the quad tile: quadRows, one method per row count 1..qr, A's rows where they are stored
        int qr = QUAD_ROWS.get(bits);
        StringBuilder quadCases = new StringBuilder(), quadMethods = new StringBuilder();
        for (int h = 1; h <= qr; h++) {
            quadCases.append(h > 1 ? "\n" : "").append("            case ").append(h).append(" -> quadRows").append(h)
                    .append("(a, ai, lda, bp, bi, stride, kc, c, ci, ldc, alpha, load);");
            quadMethods.append(expand(template("MicroKernelQuad.java.template"), Map.of("H", Integer.toString(h)), Map.of("rows", rows.subList(0, h))));
        }
        Map<String, String> file = new LinkedHashMap<>(Map.of("BITS", Integer.toString(bits), "L", Integer.toString(lanes), "MR", Integer.toString(mr),
                "NR", Integer.toString(2 * lanes), "CHAINS", Integer.toString(2 * mr),
                "LAYOUT_METHODS", layouts.toString(), "ROW_METHODS", methods.toString().stripTrailing()));
        file.putAll(Map.of("QR", Integer.toString(qr), "NQ", Integer.toString(4 * lanes), "QCHAINS", Integer.toString(4 * qr),
                "QUAD_CASES", quadCases.toString(), "QUAD_METHODS", quadMethods.toString().stripTrailing()));
        return new Source("dev/vireo/engine/kernel/gemm/MicroKernel" + bits + ".java",
                expand(template("MicroKernel.java.template"), file, Map.of("rows", rows)));
    }

    /** The pointwise loops of the row family: one per binary operator, per function and per derivative. */
    static Source pointwise() throws IOException {
        String full = "FloatVector.fromArray(s, x, xOff + i)", tail = "FloatVector.fromArray(s, x, xOff + i, m)";
        List<Map<String, String>> binary = new ArrayList<>();
        for (String[] op : new String[][] {{"add", "+"}, {"sub", "-"}, {"mul", "*"}, {"div", "/"}}) {
            binary.add(Map.of("name", op[0], "sym", op[1]));
        }
        List<Map<String, String>> forward = new ArrayList<>();
        for (String f : new String[] {"exp", "tanh", "sigmoid", "relu", "gelu", "geluTanh", "quickGelu", "geluCdf"}) {
            String call = f.equals("relu") ? "%s.max(0f)" : "VectorMath." + f + "(%s)";
            forward.add(Map.of("name", f, "full", call.formatted(full), "tail", call.formatted(tail)));
        }
        List<Map<String, String>> backward = new ArrayList<>();
        for (String f : new String[] {"exp", "tanh", "sigmoid", "relu", "geluTanh", "quickGelu"}) {
            String call = f.equals("exp") ? "VectorMath.exp(%s)" : "VectorMath." + f + "Derivative(%s)";
            backward.add(Map.of("name", f, "full", call.formatted(full), "tail", call.formatted(tail), "extra", ""));
        }
        backward.add(Map.of("name", "gelu", "extra", ", float[] cdf", // Φ(x) of the block, from geluCdfForward
                "full", "VectorMath.geluDerivative(" + full + ", FloatVector.fromArray(s, cdf, i))",
                "tail", "VectorMath.geluDerivative(" + tail + ", FloatVector.fromArray(s, cdf, i, m))"));
        return new Source("dev/vireo/engine/kernel/row/VectorPointwise.java", expand(template("VectorPointwise.java.template"),
                Map.of(), Map.of("binary", binary, "forward", forward, "backward", backward)));
    }

    /** Attention's tile family at one width: its block GEMM's {@value #ATTENTION_TILE_ROWS}-row tiles unrolled. */
    static Source tiles(int bits) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>(), more = new ArrayList<>();
        for (int r = 0; r < ATTENTION_TILE_ROWS; r++) {
            Map<String, String> row = Map.of("r", Integer.toString(r), "ldc", r == 1 ? "ldc" : r + " * ldc");
            rows.add(row);
            if (r > 0) more.add(row);
        }
        return new Source("dev/vireo/engine/kernel/attention/VectorTileKernels" + bits + ".java", expand(template("VectorTileKernels.java.template"),
                Map.of("BITS", Integer.toString(bits), "MR", Integer.toString(ATTENTION_TILE_ROWS), "CHAINS", Integer.toString(2 * ATTENTION_TILE_ROWS)),
                Map.of("rows", rows, "more", more)));
    }

    /** The template with every {@code #each} block repeated per row of its table and every key replaced. */
    static String expand(String template, Map<String, String> file, Map<String, List<Map<String, String>>> tables) {
        List<String> out = new ArrayList<>();
        List<String> block = null;
        String table = null;
        for (String line : template.split("\n", -1)) {
            if (line.startsWith("#each ")) {
                table = line.substring("#each ".length()).trim();
                if (!tables.containsKey(table)) throw new IllegalArgumentException("template: no table '" + table + "'");
                block = new ArrayList<>();
            } else if (line.equals("#end")) {
                for (Map<String, String> row : tables.get(table)) for (String b : block) out.add(replace(b, row));
                block = null;
            } else if (block != null) {
                block.add(line);
            } else {
                out.add(line);
            }
        }
        String text = replace(String.join("\n", out), file);
        if (text.contains("{{")) throw new IllegalArgumentException("template: a key is left unset near '"
                + text.substring(text.indexOf("{{"), Math.min(text.length(), text.indexOf("{{") + 30)) + "'");
        return text;
    }

    private static String replace(String text, Map<String, String> keys) {
        Map<String, String> ordered = new LinkedHashMap<>(keys);
        for (Map.Entry<String, String> e : ordered.entrySet()) text = text.replace("{{" + e.getKey() + "}}", e.getValue());
        return text;
    }

    private static String template(String name) throws IOException {
        try (InputStream in = KernelSourceGenerator.class.getResourceAsStream("/templates/" + name)) {
            if (in == null) throw new IOException("templates/" + name + " is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
