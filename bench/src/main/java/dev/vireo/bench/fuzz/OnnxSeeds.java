package dev.vireo.bench.fuzz;

import dev.vireo.engine.io.OnnxModel;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.config.BertConfig;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The ONNX seed: a one-layer BERT (width 8, 2 heads) laid out as PyTorch exports one, written with a
 * minimal protocol-buffer encoder. Linear weights are anonymous transposed MatMul initializers
 * ({@code onnx::MatMul_100}) whose outputs an Add joins to the named bias; the heads are Constant
 * nodes feeding the attention reshape's Concat. The initializers use every encoding the reader
 * knows: raw FLOAT, float_data, FLOAT16, BFLOAT16, DOUBLE, INT64, dims plain and packed.
 */
final class OnnxSeeds {
    private OnnxSeeds() {}

    static byte[] tinyBert() {
        BertConfig config = new BertConfig(12, 8, 1, 2, 16, 8, 2, 1e-12, "gelu", false);
        BertModel model = new BertModel(new Rng(5), config);
        Proto graph = new Proto().string(2, "main_graph");
        int k = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            int[] s = t.shape();
            if (s.length == 2 && name.endsWith(".weight") && !name.startsWith("embeddings.")) {
                String anonymous = "onnx::MatMul_" + (100 + k), base = name.substring(0, name.length() - ".weight".length());
                graph.message(1, node("MatMul", List.of("hidden_" + k, anonymous), List.of("matmul_" + k)));
                graph.message(1, node("Add", List.of(base + ".bias", "matmul_" + k), List.of("add_" + k)));
                Proto init = new Proto().bytes(1, packed(s[1], s[0])).varint(2, OnnxModel.FLOAT).string(8, anonymous)
                        .bytes(9, floats(t.transpose(0, 1).contiguous().toArray()));
                graph.message(5, init);
                k++;
                continue;
            }
            Proto init = new Proto();
            for (int d : s) init.varint(1, d);
            float[] v = t.toArray();
            if (name.endsWith("LayerNorm.weight")) init.varint(2, OnnxModel.FLOAT16).string(8, name).bytes(9, halves(v, false));
            else if (name.endsWith("LayerNorm.bias")) init.varint(2, OnnxModel.BFLOAT16).string(8, name).bytes(9, halves(v, true));
            else if (name.endsWith(".bias")) init.varint(2, OnnxModel.FLOAT).string(8, name).bytes(4, floats(v));
            else if (name.contains("token_type")) init.varint(2, OnnxModel.DOUBLE).string(8, name).bytes(9, doubles(v));
            else init.varint(2, OnnxModel.FLOAT).string(8, name).bytes(9, floats(v));
            graph.message(5, init);
        }
        graph.message(1, constant("heads", 2)).message(1, constant("head_dim", 4)).message(1, constant("batch", 1)).message(1, constant("length", 3));
        graph.message(1, node("Concat", List.of("batch", "length", "heads", "head_dim"), List.of("shape"))
                .message(5, new Proto().string(1, "axis").varint(3, 0).varint(20, 2)));
        ByteBuffer ids = ByteBuffer.allocate(8 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) ids.putLong(i);
        graph.message(5, new Proto().varint(1, 1).varint(1, 8).varint(2, OnnxModel.INT64).string(8, "embeddings.position_ids").bytes(9, ids.array()));
        graph.message(11, new Proto().string(1, "input_ids")).message(11, new Proto().string(1, "attention_mask"));
        graph.message(12, new Proto().string(1, "last_hidden_state"));
        return new Proto().varint(1, 8).string(2, "pytorch").string(3, "2.5").message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 14)).bytes();
    }

    private static Proto node(String op, List<String> inputs, List<String> outputs) {
        Proto n = new Proto();
        for (String in : inputs) n.string(1, in);
        for (String out : outputs) n.string(2, out);
        return n.string(3, "/" + op + "_" + outputs.getFirst()).string(4, op);
    }

    /** A Constant node whose output is a one-element INT64 tensor, as the export writes a reshape's sizes. */
    private static Proto constant(String output, long value) {
        Proto tensor = new Proto().varint(1, 1).varint(2, OnnxModel.INT64)
                .bytes(9, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        return node("Constant", List.of(), List.of(output)).message(5, new Proto().string(1, "value").message(5, tensor).varint(20, 4));
    }

    private static byte[] packed(long... values) {
        Proto p = new Proto();
        for (long v : values) p.raw(v);
        return p.bytes();
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    private static byte[] doubles(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putDouble(f);
        return b.array();
    }

    private static byte[] halves(float[] v, boolean bfloat) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putShort(bfloat ? (short) (Float.floatToRawIntBits(f) >>> 16) : Float.floatToFloat16(f));
        return b.array();
    }

    /** A protocol-buffer message under construction: varint and length-delimited fields. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            raw((long) field << 3);
            raw(v);
            return this;
        }

        Proto bytes(int field, byte[] b) {
            raw((long) field << 3 | 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.bytes());
        }

        void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
