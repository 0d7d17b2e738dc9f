package dev.vireo.examples.plot;

import dev.vireo.models.image.RgbImage;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/** Rows of pictures, each row with a label and each picture with a caption (search results), saved as PNG. */
public final class ImageGrid {
    private ImageGrid() {}

    /** One row: its label, its pictures and a caption under each. */
    public record Row(String label, List<RgbImage> images, List<String> captions) {}

    /** Columns are as wide as the picture or the longest caption under it, the label column as its longest label, and the page as its title. */
    public static Path save(Path file, String title, List<Row> rows, int cell) {
        int columns = rows.stream().mapToInt(r -> r.images().size()).max().orElse(1);
        java.awt.FontMetrics label = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(Canvas.LABEL);
        java.awt.FontMetrics heading = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(Canvas.TITLE);
        int column = cell;
        int left = 190;
        for (Row r : rows) {
            for (String caption : r.captions()) column = Math.max(column, label.stringWidth(caption));
            left = Math.max(left, label.stringWidth(r.label()) + 20);
        }
        int top = 40, rowHeight = cell + 28, step = column + 8;
        Canvas c = new Canvas(Math.max(left + columns * step + 10, heading.stringWidth(title) + 40), top + rows.size() * rowHeight + 10);
        c.title(title);
        c.g.setFont(Canvas.LABEL);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int y = top + r * rowHeight;
            c.g.setColor(Color.BLACK);
            c.g.drawString(row.label(), 10, y + cell / 2);
            for (int i = 0; i < row.images().size(); i++) {
                int x = left + i * step;
                c.g.drawImage(toBuffered(row.images().get(i)), x, y, cell, cell, null);
                c.g.setColor(Color.DARK_GRAY);
                c.g.drawString(row.captions().get(i), x, y + cell + 15);
            }
        }
        return c.save(file);
    }

    private static BufferedImage toBuffered(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) out.setRGB(x, y, image.get(x, y, 0) << 16 | image.get(x, y, 1) << 8 | image.get(x, y, 2));
        }
        return out;
    }
}
