package dev.vireo.engine.io;

/**
 * The element types of the safetensors format, declared in the order of the reference Rust
 * implementation's {@code Dtype} enum: its writer sorts tensors by this order (descending), then by
 * name, so {@link #ordinal()} must follow it. Vireo reads F32, F16 and BF16 as float32 and I64/I32
 * as integers; the other types are recognised so a file holding them stays readable.
 */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether Vireo can load this type as a float32 tensor. */
    public boolean isFloat32Loadable() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The type named {@code name} in a header, or null if the name is not a known dtype. */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }
}
