/**
 * The intermediate track of the contrastive course: InfoNCE by hand, zero-shot, retrieval metrics,
 * prompts, batch size, temperature sweeps.
 */
package dev.vireo.examples.lessons.intermediate;
