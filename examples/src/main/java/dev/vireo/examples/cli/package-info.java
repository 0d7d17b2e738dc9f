/**
 * The {@code vireo} command line on picocli: one class per command ({@code train}, {@code eval},
 * {@code embed}, {@code zeroshot}, {@code tokenize}, {@code export}, {@code data}, {@code lesson},
 * {@code bench}, {@code info}, {@code demo}, {@code completion}), usage generated from the
 * declared options, one-line errors.
 */
package dev.vireo.examples.cli;
