package dev.vireo.engine.io;

import dev.vireo.engine.io.json.JsonWriter;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Storage;
import dev.vireo.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files byte-for-byte as the reference Rust implementation does: tensors sorted
 * by dtype (descending, in {@link DType} order) then by name (UTF-8 bytes), header as compact
 * serde_json with {@code __metadata__} first, padded with spaces to a multiple of 8 bytes. The
 * reference keeps metadata in a hash map (unordered); here its keys are sorted, so output is
 * deterministic. Not atomic by itself: {@link AtomicFiles#write} wraps {@link #writeTo}.
 */
public final class SafetensorsWriter {
    private static final int CHUNK = 1 << 16; // elements encoded per write

    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    /** Encodes elements [from, from + n) of one tensor into {@code buf}. */
    private interface Encoder {
        void encode(ByteBuffer buf, int from, int n);
    }

    private record Entry(String name, DType dtype, int[] shape, int numel, Encoder encoder) {}

    /** Writes {@code tensors} as F32 with {@code metadata} to {@code file} (not atomically). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        tensors.forEach(w::put);
        metadata.forEach(w::metadata);
        w.write(file);
    }

    /** Adds {@code tensor} as F32. */
    public SafetensorsWriter put(String name, Tensor tensor) {
        return put(name, tensor, DType.F32);
    }

    /**
     * Adds {@code tensor} as F32, F16 or BF16 (the halves rounded to nearest even). Its values are
     * read when the file is written, not now: do not change the tensor in between.
     */
    public SafetensorsWriter put(String name, Tensor tensor, DType dtype) {
        Tensor t;
        try (var ignored = GradMode.noGrad()) {
            t = tensor.contiguous(); // a copy only for a strided view
        }
        Storage storage = t.storage();
        long base = t.offset();
        Encoder enc = switch (dtype) {
            case F32 -> (buf, from, n) -> {
                float[] tmp = chunk(storage, base, from, n);
                buf.asFloatBuffer().put(tmp, 0, n);
                buf.position(buf.position() + n * Float.BYTES);
            };
            case F16 -> (buf, from, n) -> {
                float[] tmp = chunk(storage, base, from, n);
                for (int i = 0; i < n; i++) buf.putShort(Float.floatToFloat16(tmp[i]));
            };
            case BF16 -> (buf, from, n) -> {
                float[] tmp = chunk(storage, base, from, n);
                for (int i = 0; i < n; i++) buf.putShort(toBfloat16(tmp[i]));
            };
            default -> throw new IllegalArgumentException("safetensors writer: tensor '" + name + "' cannot be written as " + dtype
                    + "; float tensors go to F32, F16 or BF16");
        };
        return add(new Entry(name, dtype, t.shape(), t.numel(), enc));
    }

    /** Elements [from, from + n) of a contiguous tensor starting at {@code base} in {@code storage}. */
    private static float[] chunk(Storage storage, long base, int from, int n) {
        float[] tmp = new float[n];
        storage.copyTo(base + from, tmp, 0, n);
        return tmp;
    }

    /** Adds an I64 tensor of the given shape. */
    public SafetensorsWriter putLongs(String name, long[] values, int... shape) {
        checkCount(name, values.length, shape);
        long[] copy = values.clone();
        return add(new Entry(name, DType.I64, shape.clone(), copy.length, (buf, from, n) -> {
            for (int i = from; i < from + n; i++) buf.putLong(copy[i]);
        }));
    }

    /** Adds an I32 tensor of the given shape. */
    public SafetensorsWriter putInts(String name, int[] values, int... shape) {
        checkCount(name, values.length, shape);
        int[] copy = values.clone();
        return add(new Entry(name, DType.I32, shape.clone(), copy.length, (buf, from, n) -> {
            for (int i = from; i < from + n; i++) buf.putInt(copy[i]);
        }));
    }

    /** Adds a {@code __metadata__} string. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    private static void checkCount(String name, int count, int[] shape) {
        if (Shapes.numel(shape) != count) {
            throw new IllegalArgumentException("safetensors writer: tensor '" + name + "' has " + count + " values for shape " + Shapes.str(shape));
        }
    }

    private SafetensorsWriter add(Entry e) {
        if (e.name.equals(SafetensorsHeader.METADATA_KEY)) throw new IllegalArgumentException("safetensors writer: '" + e.name + "' is reserved");
        if (entries.putIfAbsent(e.name, e) != null) throw new IllegalArgumentException("safetensors writer: tensor '" + e.name + "' added twice");
        return this;
    }

    /** Float32 to bfloat16, rounding to nearest even; NaN stays a (quiet) NaN. */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** Tensors in the reference order: dtype descending, then name by UTF-8 bytes. */
    private List<Entry> ordered() {
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort((a, b) -> {
            int byType = Integer.compare(b.dtype.ordinal(), a.dtype.ordinal());
            if (byType != 0) return byType;
            return Arrays.compareUnsigned(a.name.getBytes(StandardCharsets.UTF_8), b.name.getBytes(StandardCharsets.UTF_8));
        });
        return list;
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    public byte[] header() {
        Map<String, Object> root = new LinkedHashMap<>();
        if (!metadata.isEmpty()) root.put(SafetensorsHeader.METADATA_KEY, metadata);
        long offset = 0;
        for (Entry e : ordered()) {
            long end = offset + (long) e.numel * e.dtype.bytes();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.dtype.name());
            info.put("shape", e.shape);
            info.put("data_offsets", new long[] {offset, end});
            root.put(e.name, info);
            offset = end;
        }
        byte[] json = JsonWriter.write(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Writes the whole file to {@code ch}. */
    public void writeTo(WritableByteChannel ch) throws IOException {
        byte[] header = header();
        ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(header.length).put(header).flip();
        writeFully(ch, prefix);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : ordered()) {
            for (int from = 0; from < e.numel; from += CHUNK) {
                int n = Math.min(CHUNK, e.numel - from);
                buf.clear();
                e.encoder.encode(buf, from, n);
                buf.flip();
                writeFully(ch, buf);
            }
        }
    }

    /** Writes to {@code file} directly (created or truncated); use {@link AtomicFiles#write} for a crash-safe replace. */
    public void write(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeTo(ch);
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
