package dev.vireo.engine.io;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights and the graph's wiring of an ONNX model file, read with our own bounded reader of the
 * protocol-buffer wire format (no protobuf runtime, no ONNX Runtime): the initializers (name, element
 * type, shape, data) and each node's operator with its input and output names, which is what a
 * loader needs to give the anonymous initializers of an exported model (PyTorch names transposed
 * MatMul weights {@code onnx::MatMul_787}) their module names. Tensor data stays in the mapped file
 * until {@link #floats} copies it out; every size is checked before anything is allocated.
 */
public final class OnnxModel implements AutoCloseable {
    /** ONNX TensorProto.DataType values Vireo reads. */
    public static final int FLOAT = 1, INT32 = 6, INT64 = 7, FLOAT16 = 10, DOUBLE = 11, BFLOAT16 = 16;
    private static final int MAX_NAME_BYTES = 4096;
    private static final int MAX_RANK = 16;
    /** The most values a Constant node's INT64 tensor may have to be kept (shapes and axes have a few). */
    private static final int MAX_CONSTANT = 64;
    private static final long[] NO_LONGS = {};
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One initializer: its data is {@code [begin, end)} of the file, little-endian, in {@code dataType}. */
    public record Initializer(String name, int dataType, long[] dims, long begin, long end) {
        public long numel() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }

        public int[] shape() {
            int[] s = new int[dims.length];
            for (int i = 0; i < s.length; i++) s[i] = (int) dims[i];
            return s;
        }
    }

    /**
     * One graph node: operator type, the names of its inputs and outputs, and for a {@code Constant}
     * holding a small INT64 tensor (a shape, an axis) its values; otherwise {@code constant} is null.
     */
    public record Node(String opType, List<String> inputs, List<String> outputs, long[] constant) {}

    private final String source;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, Initializer> initializers;
    private final List<Node> nodes;
    private final List<String> inputs;

    private OnnxModel(String source, Arena arena, MemorySegment data, Map<String, Initializer> initializers, List<Node> nodes, List<String> inputs) {
        this.source = source;
        this.arena = arena;
        this.data = data;
        this.initializers = initializers;
        this.nodes = nodes;
        this.inputs = inputs;
    }

    /** Maps and parses {@code file}; a damaged file is a {@link CheckpointFormatException} naming it. */
    public static OnnxModel open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return parse(file.toString(), arena, whole);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses an ONNX model held in memory (tests, fuzzing). */
    public static OnnxModel parse(String source, byte[] bytes) {
        Arena arena = Arena.ofShared();
        MemorySegment segment = arena.allocate(Math.max(1, bytes.length));
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        try {
            return parse(source, arena, segment.asSlice(0, bytes.length));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static OnnxModel parse(String source, Arena arena, MemorySegment data) {
        ProtoWire model = new ProtoWire(source, data, 0, data.byteSize());
        long[] graph = null;
        while (model.hasMore()) {
            int tag = model.tag();
            if (tag >>> 3 == 7 && (tag & 7) == ProtoWire.LEN) graph = model.span();
            else model.skip(tag);
        }
        if (graph == null) throw model.error("the file has no graph (is it an ONNX model?)");
        Map<String, Initializer> initializers = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        ProtoWire g = model.message(graph);
        while (g.hasMore()) {
            int tag = g.tag();
            int field = tag >>> 3;
            if ((tag & 7) != ProtoWire.LEN) {
                g.skip(tag);
            } else if (field == 1) {
                nodes.add(node(g.message(g.span())));
            } else if (field == 5) {
                Initializer init = initializer(g, g.message(g.span()));
                if (initializers.put(init.name(), init) != null) throw g.error("initializer '" + init.name() + "' appears twice");
            } else if (field == 11) {
                inputs.add(valueName(g.message(g.span())));
            } else {
                g.skip(tag);
            }
        }
        return new OnnxModel(source, arena, data, initializers, List.copyOf(nodes), List.copyOf(inputs));
    }

    private static Node node(ProtoWire n) {
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        String op = "";
        long[] constant = null;
        while (n.hasMore()) {
            int tag = n.tag();
            int field = tag >>> 3;
            if ((tag & 7) != ProtoWire.LEN) n.skip(tag);
            else if (field == 1) in.add(n.string(MAX_NAME_BYTES));
            else if (field == 2) out.add(n.string(MAX_NAME_BYTES));
            else if (field == 4) op = n.string(MAX_NAME_BYTES);
            else if (field == 5) constant = attributeLongs(n.message(n.span()), constant);
            else n.skip(tag);
        }
        return new Node(op, List.copyOf(in), List.copyOf(out), "Constant".equals(op) ? constant : null);
    }

    /** The values of an attribute's tensor ({@code t}, field 5) when it is INT64 with at most 64 elements; else {@code previous}. */
    private static long[] attributeLongs(ProtoWire attribute, long[] previous) {
        long[] found = previous;
        while (attribute.hasMore()) {
            int tag = attribute.tag();
            if (tag >>> 3 == 5 && (tag & 7) == ProtoWire.LEN) {
                long[] values = smallLongs(attribute.message(attribute.span()));
                if (values != null) found = values;
            } else {
                attribute.skip(tag);
            }
        }
        return found;
    }

    private static long[] smallLongs(ProtoWire t) {
        int dataType = 0;
        long[] raw = null;
        long[] packed = NO_LONGS; // grown as int64_data comes, never past its bytes: an empty tensor allocates nothing
        int count = 0;
        boolean tooMany = false;
        while (t.hasMore()) {
            int tag = t.tag();
            int field = tag >>> 3, wire = tag & 7;
            if (field == 2 && wire == ProtoWire.VARINT) {
                dataType = (int) t.varint();
            } else if (field == 9 && wire == ProtoWire.LEN) {
                raw = t.span();
            } else if (field == 7 && wire == ProtoWire.LEN) {
                long[] span = t.span();
                ProtoWire values = t.message(span);
                int room = (int) Math.min(MAX_CONSTANT, count + (span[1] - span[0])); // a varint takes a byte at least
                if (room > packed.length) packed = Arrays.copyOf(packed, room);
                while (values.hasMore()) {
                    long v = values.varint();
                    if (count < packed.length) packed[count++] = v;
                    else tooMany = true;
                }
            } else {
                t.skip(tag);
            }
        }
        if (dataType != INT64 || tooMany) return null;
        if (raw == null) return Arrays.copyOf(packed, count);
        long bytes = raw[1] - raw[0];
        if (bytes % 8 != 0 || bytes > 8L * MAX_CONSTANT) return null;
        long[] out = new long[(int) (bytes / 8)];
        for (int i = 0; i < out.length; i++) out[i] = t.int64At(raw[0] + 8L * i);
        return out;
    }

    private static String valueName(ProtoWire v) {
        String name = "";
        while (v.hasMore()) {
            int tag = v.tag();
            if (tag >>> 3 == 1 && (tag & 7) == ProtoWire.LEN) name = v.string(MAX_NAME_BYTES);
            else v.skip(tag);
        }
        return name;
    }

    private static Initializer initializer(ProtoWire graph, ProtoWire t) {
        long[] dims = new long[MAX_RANK];
        int rank = 0;
        int dataType = 0;
        String name = null;
        long[] raw = null, floatData = null;
        while (t.hasMore()) {
            int tag = t.tag();
            int field = tag >>> 3, wire = tag & 7;
            if (field == 1 && wire == ProtoWire.VARINT) {
                if (rank == MAX_RANK) throw t.error("a tensor has more than " + MAX_RANK + " dimensions");
                dims[rank++] = t.varint();
            } else if (field == 1 && wire == ProtoWire.LEN) {
                ProtoWire packed = t.message(t.span());
                while (packed.hasMore()) {
                    if (rank == MAX_RANK) throw t.error("a tensor has more than " + MAX_RANK + " dimensions");
                    dims[rank++] = packed.varint();
                }
            } else if (field == 2 && wire == ProtoWire.VARINT) {
                dataType = (int) t.varint();
            } else if (field == 8 && wire == ProtoWire.LEN) {
                name = t.string(MAX_NAME_BYTES);
            } else if (field == 9 && wire == ProtoWire.LEN) {
                raw = t.span();
            } else if (field == 4 && wire == ProtoWire.LEN) {
                floatData = t.span();
            } else if (field == 13 || field == 14 && wire == ProtoWire.VARINT) {
                if (field == 13 || t.varint() != 0) {
                    throw t.error("tensor '" + name + "' keeps its data in an external file, which is not supported; "
                            + "save the model with its weights inside");
                }
            } else {
                t.skip(tag);
            }
        }
        if (name == null || name.isEmpty()) throw graph.error("an initializer has no name");
        long[] shape = Arrays.copyOf(dims, rank);
        long numel = 1;
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE || (numel = numel * d) > Integer.MAX_VALUE) {
                throw graph.error("initializer '" + name + "' has shape " + Arrays.toString(shape) + ", beyond 2^31 elements");
            }
        }
        long[] bytes = raw != null ? raw : floatData;
        if (floatData != null && dataType != FLOAT) throw graph.error("initializer '" + name + "' has float_data but data type " + dataType);
        if (bytes == null) {
            if (numel != 0) throw graph.error("initializer '" + name + "' has no raw_data or float_data (data type " + dataType + ")");
            bytes = new long[] {0, 0};
        }
        long expected = numel * elementBytes(graph, name, dataType);
        if (bytes[1] - bytes[0] != expected) {
            throw graph.error("initializer '" + name + "' of shape " + Arrays.toString(shape) + " needs " + expected
                    + " bytes of data but has " + (bytes[1] - bytes[0]));
        }
        return new Initializer(name, dataType, shape, bytes[0], bytes[1]);
    }

    private static int elementBytes(ProtoWire at, String name, int dataType) {
        return switch (dataType) {
            case FLOAT, INT32 -> 4;
            case INT64, DOUBLE -> 8;
            case FLOAT16, BFLOAT16 -> 2;
            default -> throw at.error("initializer '" + name + "' has data type " + dataType + ", which Vireo does not read");
        };
    }

    public String source() {
        return source;
    }

    /** Initializers by name, in file order. */
    public Map<String, Initializer> initializers() {
        return initializers;
    }

    /** Graph nodes in file (topological) order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The graph's input names (ONNX before IR 4 also lists initializers here). */
    public List<String> inputs() {
        return inputs;
    }

    /** The initializer called {@code name}; a clear error naming the file if there is none. */
    public Initializer initializer(String name) {
        Initializer init = initializers.get(name);
        if (init == null) throw new CheckpointFormatException("ONNX " + source + ": no initializer '" + name + "'");
        return init;
    }

    /** The data of a floating-point initializer as float32 values. */
    public float[] floats(String name) {
        Initializer init = initializer(name);
        int n = (int) init.numel();
        float[] out = new float[n];
        long at = init.begin();
        switch (init.dataType()) {
            case FLOAT -> MemorySegment.copy(data, LE_FLOAT, at, out, 0, n);
            case DOUBLE -> {
                for (int i = 0; i < n; i++) out[i] = (float) data.get(LE_DOUBLE, at + 8L * i);
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(data.get(LE_SHORT, at + 2L * i));
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((data.get(LE_SHORT, at + 2L * i) & 0xffff) << 16);
            }
            default -> throw new CheckpointFormatException("ONNX " + source + ": initializer '" + name + "' has data type "
                    + init.dataType() + ", not a floating-point type");
        }
        return out;
    }

    /** A floating-point initializer as a float32 tensor of its shape. */
    public Tensor tensor(String name) {
        return Tensor.of(floats(name), initializer(name).shape());
    }

    /** The data of an INT64 initializer. */
    public long[] longs(String name) {
        Initializer init = initializer(name);
        if (init.dataType() != INT64) {
            throw new CheckpointFormatException("ONNX " + source + ": initializer '" + name + "' has data type " + init.dataType() + ", not INT64");
        }
        long[] out = new long[(int) init.numel()];
        MemorySegment.copy(data, LE_LONG, init.begin(), out, 0, out.length);
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
