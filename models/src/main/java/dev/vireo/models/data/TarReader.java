package dev.vireo.models.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A small sequential reader of tar archives: POSIX ustar headers (name + prefix), GNU long names
 * ({@code L}), pax {@code path} records ({@code x}), octal or base-256 sizes, header checksums.
 * Regular files are returned; directories, links and global headers are passed over. Enough for
 * WebDataset shards and npm tarballs; it writes nothing to disk.
 */
public final class TarReader {
    private static final int BLOCK = 512;

    /** One regular file: its path, size, and the offset of its first byte from the start of the archive. */
    public record Entry(String name, long size, long dataOffset) {}

    private final InputStream in;
    private final Path file;
    private final long totalLength;
    private long position;
    private long pendingSkip;
    private boolean contentRead = true;

    /**
     * Reads {@code in}, which holds the archive {@code file}; {@code totalLength} is the archive's
     * byte count when known (a plain file), or -1 (a decompressed stream), and lets a truncated
     * file be caught without reading its members.
     */
    public TarReader(InputStream in, Path file, long totalLength) {
        this.in = in;
        this.file = file;
        this.totalLength = totalLength;
    }

    /** The next regular file, or null at the end-of-archive marker (a zero block); no marker is an error. */
    public Entry next() throws IOException {
        skipRest();
        String longName = null;
        while (true) {
            long headerAt = position;
            byte[] header = new byte[BLOCK];
            int n = in.readNBytes(header, 0, BLOCK);
            position += n;
            if (n == 0) throw new TruncatedArchiveException(file, "offset " + headerAt, "archive ends without its end-of-archive blocks (truncated?)");
            if (n < BLOCK) throw new TruncatedArchiveException(file, "offset " + headerAt, "truncated tar header (" + n + " of 512 bytes)");
            if (isZero(header)) return null;
            verifyChecksum(header, headerAt);
            char type = (char) header[156];
            long size = parseSize(header, headerAt);
            String name = longName != null ? longName : headerName(header);
            long dataOffset = position;
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (totalLength >= 0 && dataOffset + size > totalLength) {
                throw new TruncatedArchiveException(file, "member " + name, "truncated: " + size + " bytes declared at offset " + dataOffset
                        + " but the archive has " + totalLength);
            }
            switch (type) {
                case 'L' -> longName = cString(readData(size, name, padded), 0, (int) size);
                case 'x' -> {
                    String path = paxPath(readData(size, name, padded), name);
                    if (path != null) longName = path;
                }
                case '0', '\0', '7' -> {
                    pendingSkip = padded;
                    contentRead = false;
                    return new Entry(name, size, dataOffset);
                }
                default -> skipBytes(padded, name);
            }
        }
    }

    /** The content of the entry last returned by {@link #next()}; call at most once per entry. */
    public byte[] readContent(Entry entry) throws IOException {
        if (contentRead) throw new IllegalStateException("TarReader: content of " + entry.name() + " already read or skipped");
        byte[] data = readData(entry.size(), entry.name(), pendingSkip);
        pendingSkip = 0;
        contentRead = true;
        return data;
    }

    private void skipRest() throws IOException {
        if (pendingSkip > 0) skipBytes(pendingSkip, "previous member");
        pendingSkip = 0;
        contentRead = true;
    }

    private byte[] readData(long size, String name, long padded) throws IOException {
        if (size > Integer.MAX_VALUE - 8) throw new DatasetFormatException(file, "member " + name, "member of " + size + " bytes is too large to hold in memory");
        byte[] data = in.readNBytes((int) size);
        position += data.length;
        if (data.length < size) throw new TruncatedArchiveException(file, "member " + name, "truncated: " + data.length + " of " + size + " bytes");
        skipBytes(padded - size, name);
        return data;
    }

    private void skipBytes(long n, String name) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new DatasetFormatException(file, "member " + name, "archive ends inside this member", e);
        }
        position += n;
    }

    private void verifyChecksum(byte[] header, long at) throws DatasetFormatException {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xFF);
        String field = cString(header, 148, 8).trim();
        long stored;
        try {
            stored = Long.parseLong(field, 8);
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(file, "offset " + at, "not a tar header (checksum field '" + field + "')");
        }
        if (stored != sum) throw new DatasetFormatException(file, "offset " + at, "tar header checksum " + stored + " does not match " + sum);
    }

    private long parseSize(byte[] header, long at) throws DatasetFormatException {
        if ((header[124] & 0x80) != 0) {
            long size = 0;
            for (int i = 125; i < 136; i++) size = (size << 8) | (header[i] & 0xFF);
            return size;
        }
        String field = cString(header, 124, 12).trim();
        try {
            return field.isEmpty() ? 0 : Long.parseLong(field, 8);
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(file, "offset " + at, "bad size field '" + field + "'");
        }
    }

    private static String headerName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax header ("LEN path=VALUE\n" records), or null. */
    private String paxPath(byte[] data, String name) throws DatasetFormatException {
        int i = 0;
        while (i < data.length) {
            int space = i;
            while (space < data.length && data[space] != ' ') space++;
            int length;
            try {
                length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(file, "member " + name, "bad pax record length");
            }
            if (length <= 0 || i + length > data.length) throw new DatasetFormatException(file, "member " + name, "bad pax record length " + length);
            String record = new String(data, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) return record.substring(5);
            i += length;
        }
        return null;
    }

    private static String cString(byte[] bytes, int from, int max) {
        int end = from;
        while (end < from + max && bytes[end] != 0) end++;
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }
}
