package dev.vireo.models.image;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes JPEG, PNG, BMP and GIF (first frame) files with {@code javax.imageio} into {@link RgbImage}, matching PIL's
 * {@code Image.open(f)} + {@code ImageOps.exif_transpose} + {@code convert("RGB")}. CMYK and YCCK JPEGs are read as raw
 * rasters and converted here (no extra codec library is needed). A corrupt or truncated file, or one that declares
 * more pixels than {@link ImageLimits#maxPixels()} (checked from its header, before decoding), raises
 * {@link ImageDecodeException} naming it. Stateless and thread-safe: every call makes its own reader.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    /** Files from this size on have their header checked against {@link ImageLimits} before the whole file is read. */
    private static final long LARGE_FILE = 16L << 20;
    /** The largest file a byte array can hold. */
    private static final long MAX_FILE = Integer.MAX_VALUE - 8;

    /**
     * Decodes a file; the exception names the path. A large file's dimensions are read from its header
     * first, so an oversized image is refused before its bytes are; a file past 2 GiB is refused by size.
     */
    public static RgbImage decode(Path file) {
        byte[] data;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE) {
                throw new ImageDecodeException(file.toString(), "the file is " + size + " bytes; an image file must be under 2 GiB");
            }
            if (size >= LARGE_FILE) checkHeader(file);
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageDecodeException(file.toString(), "cannot read file (" + e + ")", e);
        }
        return decode(data, file.toString());
    }

    /** The width and height of the image a file's header declares, checked against {@link ImageLimits}. */
    private static void checkHeader(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) return; // not a format javax.imageio knows: decode(byte[]) says so
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageLimits.check(file.toString(), reader.getFormatName().toLowerCase(Locale.ROOT), reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Decodes for a known target size, as PIL's {@code draft()} does: a baseline JPEG whose short side is at least twice
     * {@code minShortSide} is decoded by {@link JpegBaselineDecoder} at 1/2, 1/4 or 1/8 scale in the DCT domain, keeping
     * the short side at or above {@code minShortSide}; the pixels equal PIL's {@code draft()} at that scale. Much faster
     * on large photos, but not identical to {@link #decode(byte[], String)}, which the reference pipelines (HF,
     * torchvision) use: after CLIP preprocessing the real test photos differ by 0.5 to 5 levels on average.
     */
    public static RgbImage decodeAtLeast(byte[] data, String source, int minShortSide) {
        if ("jpeg".equals(sniff(data))) {
            int[] wh = JpegBaselineDecoder.size(data);
            if (wh != null) {
                int d = JpegBaselineDecoder.denominatorFor(wh[0], wh[1], minShortSide);
                try {
                    return JpegBaselineDecoder.decode(data, source, d);
                } catch (JpegBaselineDecoder.Unsupported e) {
                    return decode(data, source); // progressive, CMYK, 12-bit ...: javax.imageio at full size
                }
            }
        }
        return decode(data, source);
    }

    /** Decodes an encoded image held in memory; {@code source} names it in errors. */
    public static RgbImage decode(byte[] data, String source) {
        String format = sniff(data);
        if (format == null) {
            throw new ImageDecodeException(source, "not a JPEG, PNG, BMP or GIF file (" + data.length + " bytes, starts "
                    + hex(data, 8) + ")");
        }
        // javax.imageio neither checks a PNG's CRCs nor applies its eXIf orientation; PIL does both
        int pngOrientation = format.equals("png") ? PngChunks.verify(data, source) : 1;
        if (format.equals("gif")) GifLzw.verifyFirstFrame(data, source); // nor a GIF's LZW stream
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) throw new ImageDecodeException(source, "no javax.imageio reader for " + format);
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, false);
            ImageLimits.check(source, format, reader.getWidth(0), reader.getHeight(0)); // from the header, before any pixel
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            RgbImage image = switch (format) {
                case "jpeg" -> readJpeg(reader, data, source, warnings);
                case "gif" -> readGifFirstFrame(reader, source);
                case "png" -> ExifOrientation.apply(RasterToRgb.convert(reader.read(0), source), pngOrientation);
                default -> RasterToRgb.convert(reader.read(0), source);
            };
            failOnTruncation(source, warnings);
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageDecodeException ide) throw ide;
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(); // a truncated BMP said "(null)"
            throw new ImageDecodeException(source, format + " data is corrupt or truncated (" + why + ")", e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * JPEG through {@code readRaster} (decoded and upsampled, not colour-converted: javax.imageio's own conversion
     * would apply embedded ICC profiles, which PIL ignores), then libjpeg-turbo's colour conversion and EXIF orientation.
     */
    private static RgbImage readJpeg(ImageReader reader, byte[] data, String source, List<String> warnings)
            throws IOException {
        Raster raster = reader.readRaster(0, null);
        failOnTruncation(source, warnings);
        JpegMarkers markers = JpegMarkers.parse(data);
        RgbImage image = switch (raster.getNumBands()) {
            case 1 -> JpegColor.fromOneBand(raster);
            case 3 -> JpegColor.fromThreeBands(raster, markers);
            case 4 -> JpegColor.fromFourBands(raster, markers.adobeTransform() == 2);
            default -> throw new ImageDecodeException(source, "unsupported JPEG with " + raster.getNumBands() + " components");
        };
        return ExifOrientation.apply(image, ExifOrientation.read(data));
    }

    /**
     * The first GIF frame on the logical screen, as PIL does: pixels outside the frame take the transparent index
     * (or 0) and every index is looked up in the frame's palette.
     */
    private static RgbImage readGifFirstFrame(ImageReader reader, String source) throws IOException {
        BufferedImage frame = reader.read(0);
        IIOMetadataNode screen = child(reader.getStreamMetadata(), "javax_imageio_gif_stream_1.0", "LogicalScreenDescriptor");
        IIOMetadata imageMeta = reader.getImageMetadata(0);
        IIOMetadataNode descriptor = child(imageMeta, "javax_imageio_gif_image_1.0", "ImageDescriptor");
        IIOMetadataNode control = child(imageMeta, "javax_imageio_gif_image_1.0", "GraphicControlExtension");
        int sw = screen == null ? frame.getWidth() : Integer.parseInt(screen.getAttribute("logicalScreenWidth"));
        int sh = screen == null ? frame.getHeight() : Integer.parseInt(screen.getAttribute("logicalScreenHeight"));
        ImageLimits.check(source, "gif screen", sw, sh); // the canvas the frame is drawn on
        int left = descriptor == null ? 0 : Integer.parseInt(descriptor.getAttribute("imageLeftPosition"));
        int top = descriptor == null ? 0 : Integer.parseInt(descriptor.getAttribute("imageTopPosition"));
        if (sw == frame.getWidth() && sh == frame.getHeight() && left == 0 && top == 0
                || !(frame.getColorModel() instanceof IndexColorModel icm)) {
            return RasterToRgb.convert(frame, source);
        }
        int fill = control != null && "TRUE".equalsIgnoreCase(control.getAttribute("transparentColorFlag"))
                ? Integer.parseInt(control.getAttribute("transparentColorIndex")) : 0;
        WritableRaster canvas = icm.createCompatibleWritableRaster(sw, sh);
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) canvas.setSample(x, y, 0, fill);
        }
        Raster src = frame.getRaster();
        for (int y = 0; y < frame.getHeight(); y++) {
            for (int x = 0; x < frame.getWidth(); x++) {
                if (x + left < sw && y + top < sh) canvas.setSample(x + left, y + top, 0, src.getSample(x, y, 0));
            }
        }
        return RasterToRgb.convert(new BufferedImage(icm, canvas, false, null), source);
    }

    private static IIOMetadataNode child(IIOMetadata meta, String format, String name) {
        if (meta == null) return null;
        try {
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
            for (var n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n.getNodeName().equals(name)) return (IIOMetadataNode) n;
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** javax.imageio fills a truncated JPEG with grey and only warns; PIL refuses it, and so do we. */
    private static void failOnTruncation(String source, List<String> warnings) {
        for (String w : warnings) {
            String lower = w.toLowerCase();
            if (lower.contains("truncated") || lower.contains("premature end")) {
                throw new ImageDecodeException(source, "file is truncated (" + String.join("; ", warnings) + ")");
            }
        }
    }

    /** The javax.imageio format name from the file's magic bytes, or null. */
    static String sniff(byte[] d) {
        if (d.length >= 3 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8 && (d[2] & 0xFF) == 0xFF) return "jpeg";
        if (d.length >= 8 && (d[0] & 0xFF) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G') return "png";
        if (d.length >= 6 && d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8') return "gif";
        if (d.length >= 14 && d[0] == 'B' && d[1] == 'M') return "bmp";
        return null;
    }

    private static String hex(byte[] d, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, d.length); i++) sb.append(String.format("%02x", d[i] & 0xFF));
        return sb.toString();
    }
}
