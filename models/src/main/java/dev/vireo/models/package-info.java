/**
 * The library an application embeds. {@link Clip} loads a Hugging Face CLIP folder, an open_clip
 * state dict or a Vireo run folder and encodes images and texts; the packages below it, lowest
 * first: {@code config}, {@code text} (exact CLIP BPE and WordPiece tokenizers), {@code image}
 * (decoding and CLIP preprocessing), {@code data} (dataset readers), {@code clip} (the model and
 * its objectives), {@code hf} (checkpoint interop), {@code train} (the training loop and its
 * listeners), {@code eval} (zero-shot and retrieval metrics). {@code ModelsLayeringTest} guards
 * the order.
 */
package dev.vireo.models;
