package dev.vireo.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/** A headless Java2D drawing surface written as PNG: shared set-up for the plots. */
final class Canvas {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Color GRID = new Color(225, 225, 225);
    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};

    final BufferedImage image;
    final Graphics2D g;

    Canvas(int width, int height) {
        System.setProperty("java.awt.headless", "true");
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setStroke(new BasicStroke(1.5f));
    }

    void title(String text) {
        g.setFont(TITLE);
        g.setColor(Color.BLACK);
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, (image.getWidth() - w) / 2, 22);
    }

    void centred(String text, int x, int y) {
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, x - w / 2, y);
    }

    /** Writes the PNG atomically (temporary file, then rename) and returns its path. */
    Path save(Path file) {
        g.dispose();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".plot", ".png");
            ImageIO.write(image, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file + ": " + e.getMessage(), e);
        }
    }

    /** A "nice" tick label. */
    static String format(double v) {
        double a = Math.abs(v);
        if (v == 0) return "0";
        if (a >= 1e4 || a < 1e-3) return String.format("%.1e", v);
        if (a >= 100) return String.format("%.0f", v);
        if (a >= 1) return String.format("%.2f", v);
        return String.format("%.3f", v);
    }
}
