/**
 * Decoding a token sequence from a model that gives next-token logits: greedy search, beam search,
 * top-k / top-p sampling with temperature, repetition penalty, as Hugging Face transformers'
 * {@code generate} computes them, batched over a key/value cache.
 */
package dev.vireo.models.generate;
