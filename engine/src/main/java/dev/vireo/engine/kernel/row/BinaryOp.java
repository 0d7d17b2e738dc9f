package dev.vireo.engine.kernel.row;

import java.util.Locale;

/** The elementwise binary operators of the row family, each a loop of its own ({@link RowKernels#add} ...). */
public enum BinaryOp {
    /** a + b */
    ADD,
    /** a - b */
    SUB,
    /** a · b */
    MUL,
    /** a / b */
    DIV;

    /** The operator's name in lower case, for messages: {@code add}, {@code sub}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
