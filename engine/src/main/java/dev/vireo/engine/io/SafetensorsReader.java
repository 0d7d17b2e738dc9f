package dev.vireo.engine.io;

import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Storage;
import dev.vireo.engine.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file through a memory map. F32 tensors are views of the mapped bytes (no
 * copy, read-only); F16 and BF16 are converted to float32 heap tensors; I64/I32 come out as
 * {@code long[]}/{@code int[]}. The header is validated in full when the file is opened.
 *
 * <p>The map lives in an {@link Arena#ofShared() shared arena} owned by this reader: shared, so
 * worker threads of the compute pool may read mapped weights; explicitly closed by {@link #close()},
 * so the mapping is released at a known point rather than whenever the GC gets to it (an auto
 * arena) or never (the global arena). Tensors from {@link #tensor} must not be used after close:
 * access then fails with {@link IllegalStateException}, not a crash. Files are never truncated in
 * place by Vireo's writers (they replace files by rename), so a mapped file stays valid.
 */
public final class SafetensorsReader implements AutoCloseable {
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final SafetensorsHeader header;

    private SafetensorsReader(Path file, Arena arena, MemorySegment data, SafetensorsHeader header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.header = header;
    }

    /** Maps and validates {@code file}; fails with {@link CheckpointFormatException} if it is not valid safetensors. */
    public static SafetensorsReader open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointFormatException("safetensors " + file + ": " + size + " bytes is too short for the 8-byte header length");
            }
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long n = SafetensorsHeader.headerLength(file.toString(), whole.get(LE_LONG, 0), size);
            byte[] json = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            SafetensorsHeader header = SafetensorsHeader.parse(file.toString(), json, size - 8 - n);
            return new SafetensorsReader(file, arena, whole.asSlice(8 + n), header);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** The {@code __metadata__} strings (empty when absent). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Tensor names in data order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (TensorEntry e : header.entries()) names.add(e.name());
        return names;
    }

    public boolean contains(String name) {
        return header.entry(name) != null;
    }

    /** The header entry of {@code name}; fails naming the file when there is no such tensor. */
    public TensorEntry entry(String name) {
        TensorEntry e = header.entry(name);
        if (e == null) {
            throw new CheckpointFormatException("safetensors " + file + ": no tensor '" + name + "' (it holds " + header.entries().size() + " tensors)");
        }
        return e;
    }

    /** A float32 tensor: a zero-copy read-only view for F32, a converted heap copy for F16/BF16. */
    public Tensor tensor(String name) {
        TensorEntry e = entry(name);
        int[] shape = intShape(e);
        MemorySegment bytes = data.asSlice(e.begin(), e.byteSize());
        return switch (e.dtype()) {
            case F32 -> new Tensor(Storage.of(bytes), shape, Shapes.contiguousStrides(shape), 0);
            case F16, BF16 -> Tensor.of(halves(bytes, e.dtype(), (int) e.numel()), shape);
            default -> throw new CheckpointFormatException("safetensors " + file + ": tensor '" + name + "' is " + e.dtype()
                    + "; only F32, F16 and BF16 load as float tensors");
        };
    }

    /** The stored bytes of tensor {@code name}, as they are in the mapped file. */
    MemorySegment bytes(String name) {
        TensorEntry e = entry(name);
        return data.asSlice(e.begin(), e.byteSize());
    }

    /** Every float-loadable tensor (F32, F16, BF16) by name, in data order. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorEntry e : header.entries()) {
            if (e.dtype().isFloat32Loadable()) out.put(e.name(), tensor(e.name()));
        }
        return out;
    }

    /** The elements of an I64 tensor, row-major. */
    public long[] longs(String name) {
        TensorEntry e = expect(name, DType.I64);
        long[] out = new long[(int) e.numel()];
        MemorySegment.copy(data, LE_LONG, e.begin(), out, 0, out.length);
        return out;
    }

    /** The elements of an I32 tensor, row-major. */
    public int[] ints(String name) {
        TensorEntry e = expect(name, DType.I32);
        int[] out = new int[(int) e.numel()];
        MemorySegment.copy(data, LE_INT, e.begin(), out, 0, out.length);
        return out;
    }

    /**
     * Copies tensor {@code name} into {@code target} (an existing parameter, contiguous on the heap),
     * failing with both shapes when they differ.
     */
    public void copyInto(String name, Tensor target) {
        TensorEntry e = entry(name);
        int[] shape = intShape(e);
        if (!Shapes.equal(shape, target.shape())) {
            throw new CheckpointFormatException("safetensors " + file + ": tensor '" + name + "' has shape " + Shapes.str(shape)
                    + " but the parameter it loads into has shape " + Shapes.str(target.shape()));
        }
        if (!target.isContiguous() || !target.storage().isHeap()) {
            throw new IllegalArgumentException("copyInto '" + name + "': target must be a contiguous heap tensor");
        }
        Tensor src = tensor(name);
        src.storage().copyTo(src.offset(), target.array(), target.offset(), target.numel());
    }

    /**
     * Copies the file's tensors into the parameters of the same names (as {@link #copyInto}). Every
     * parameter must be in the file; returns the names of float tensors in the file that matched no
     * parameter (torch's "unexpected keys"), so the caller decides whether those are an error.
     */
    public List<String> loadInto(Map<String, Tensor> params) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            if (!contains(e.getKey())) {
                throw new CheckpointFormatException("safetensors " + file + ": no tensor for parameter '" + e.getKey() + "' of shape "
                        + Shapes.str(e.getValue().shape()));
            }
        }
        params.forEach(this::copyInto);
        List<String> unused = new ArrayList<>();
        for (TensorEntry e : header.entries()) {
            if (e.dtype().isFloat32Loadable() && !params.containsKey(e.name())) unused.add(e.name());
        }
        return unused;
    }

    private TensorEntry expect(String name, DType dtype) {
        TensorEntry e = entry(name);
        if (e.dtype() != dtype) {
            throw new CheckpointFormatException("safetensors " + file + ": tensor '" + name + "' is " + e.dtype() + ", expected " + dtype);
        }
        intShape(e);
        return e;
    }

    /** The shape as ints; fails when a dimension or the element count does not fit a Vireo tensor. */
    private int[] intShape(TensorEntry e) {
        if (e.numel() > Integer.MAX_VALUE) {
            throw new CheckpointFormatException("safetensors " + file + ": tensor '" + e.name() + "' of shape " + e.shapeString()
                    + " has more elements than a Vireo tensor can hold (" + Integer.MAX_VALUE + ")");
        }
        int[] shape = new int[e.shape().length];
        for (int i = 0; i < shape.length; i++) {
            if (e.shape()[i] > Integer.MAX_VALUE) {
                throw new CheckpointFormatException("safetensors " + file + ": tensor '" + e.name() + "' dimension " + i + " of shape "
                        + e.shapeString() + " exceeds " + Integer.MAX_VALUE);
            }
            shape[i] = (int) e.shape()[i];
        }
        return shape;
    }

    /** F16 via {@link Float#float16ToFloat}; BF16 is the top half of a float32. */
    private static float[] halves(MemorySegment bytes, DType dtype, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            short h = bytes.getAtIndex(LE_SHORT, i);
            out[i] = dtype == DType.F16 ? Float.float16ToFloat(h) : Float.intBitsToFloat((h & 0xFFFF) << 16);
        }
        return out;
    }

    /** Unmaps the file; tensors viewing it become unusable. */
    @Override
    public void close() {
        arena.close();
    }
}
