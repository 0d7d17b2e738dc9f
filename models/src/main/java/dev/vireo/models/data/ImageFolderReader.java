package dev.vireo.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a labelled image folder in the torchvision {@code ImageFolder} layout: one sub-folder per
 * class ({@code root/cat/001.jpg}); class indices follow the sorted folder names, files are sorted
 * too, so the result does not depend on the file system's listing order. Non-image and hidden
 * files are ignored; a class folder without images is an error, as an empty class is a mistake.
 */
public final class ImageFolderReader {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private ImageFolderReader() {}

    /** Every image under {@code root}, class by class. */
    public static List<LabelledImage> read(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new DatasetFormatException(root, "folder", "not a directory");
        List<Path> classes;
        try (Stream<Path> children = Files.list(root)) {
            classes = children.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        }
        if (classes.isEmpty()) throw new DatasetFormatException(root, "folder", "no class sub-folders (expected root/<class>/<image>)");
        List<LabelledImage> images = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path folder = classes.get(label);
            String className = folder.getFileName().toString();
            List<Path> files;
            try (Stream<Path> children = Files.list(folder)) {
                files = children.filter(Files::isRegularFile).filter(p -> !hidden(p)).filter(ImageFolderReader::isImage).sorted().toList();
            }
            if (files.isEmpty()) throw new DatasetFormatException(folder, "class " + className, "no image files (" + EXTENSIONS + ")");
            for (Path file : files) {
                String id = className + "/" + file.getFileName();
                images.add(new LabelledImage(id, new ImageSource.FileImage(file), label, className));
            }
        }
        return images;
    }

    /** The class names in label order, as {@link #read} assigns them. */
    public static List<String> classNames(List<LabelledImage> images) {
        List<String> names = new ArrayList<>();
        for (LabelledImage image : images) {
            while (names.size() <= image.label()) names.add(null);
            names.set(image.label(), image.className());
        }
        return names;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }
}
