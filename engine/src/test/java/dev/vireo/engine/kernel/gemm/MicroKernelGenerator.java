package dev.vireo.engine.kernel.gemm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the per-width micro-kernels (MicroKernel512, 256, 128) from one template, the way Lucene's
 * {@code gen_ForUtil.py} writes its unrolled decoders: the register tile must be unrolled by hand
 * (C2 keeps a vector in a register only as a local variable), and the widths differ only in species,
 * lanes and tile height. The template's {@code #rows}…{@code #end} blocks repeat once per tile row with
 * {@code {{r}}}, {@code {{ai}}} and {@code {{ci}}} set for that row. {@code MicroKernelGeneratorTest}
 * regenerates and compares. To rewrite the files, from the repository root (JDK 25's source launcher):
 * {@code java -cp engine/src/test/resources engine/src/test/java/dev/vireo/engine/kernel/gemm/MicroKernelGenerator.java
 * engine/src/main/java/dev/vireo/engine/kernel/gemm}.
 */
public final class MicroKernelGenerator {
    /** Vector width in bits → tile rows: 8×32 at 512 bits (16 of AVX-512's 32 registers); 6 rows below, so AVX2's 16 do not spill. */
    static final Map<Integer, Integer> ROWS = Map.of(512, 8, 256, 6, 128, 6);

    private MicroKernelGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: MicroKernelGenerator GEMM_SOURCE_FOLDER");
        for (int bits : ROWS.keySet()) Files.writeString(Path.of(args[0], fileName(bits)), source(bits), StandardCharsets.UTF_8);
    }

    static String fileName(int bits) {
        return "MicroKernel" + bits + ".java";
    }

    /** The source of the micro-kernel of one width. */
    static String source(int bits) throws IOException {
        int lanes = bits / 32, mr = ROWS.get(bits);
        List<String> out = new ArrayList<>();
        List<String> block = null;
        for (String line : template().split("\n", -1)) {
            if (line.equals("#rows")) {
                block = new ArrayList<>();
            } else if (line.equals("#end")) {
                for (int r = 0; r < mr; r++) for (String b : block) out.add(row(b, r));
                block = null;
            } else if (block != null) {
                block.add(line);
            } else {
                out.add(line);
            }
        }
        return String.join("\n", out).replace("{{BITS}}", Integer.toString(bits)).replace("{{L}}", Integer.toString(lanes))
                .replace("{{MR}}", Integer.toString(mr)).replace("{{NR}}", Integer.toString(2 * lanes))
                .replace("{{CHAINS}}", Integer.toString(2 * mr));
    }

    private static String row(String line, int r) {
        String ci = r == 0 ? "ci" : r == 1 ? "ci + ldc" : "ci + " + r + " * ldc";
        return line.replace("{{r}}", Integer.toString(r)).replace("{{ai}}", r == 0 ? "ai" : "ai + " + r).replace("{{ci}}", ci);
    }

    private static String template() throws IOException {
        try (InputStream in = MicroKernelGenerator.class.getResourceAsStream("/templates/MicroKernel.java.template")) {
            if (in == null) throw new IOException("templates/MicroKernel.java.template is not on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
