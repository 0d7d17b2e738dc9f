package dev.vireo.bench.fuzz;

import java.util.List;

/** One parser of outside input under fuzzing: valid seed files, and what reads one input. */
record FuzzTarget(String name, List<byte[]> seeds, Parser parser) {
    /** Reads one input fully, as a user's command would; throws whatever the code under test throws. */
    @FunctionalInterface
    interface Parser {
        void parse(byte[] input) throws Exception;
    }
}
