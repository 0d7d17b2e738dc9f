/**
 * The advanced track of the course: vision-language fusion. Cross-modal attention by hand, early,
 * mid and late fusion side by side, the pretraining objectives probed one by one, momentum
 * distillation on noisy captions. The small models they train are {@link dev.vireo.examples.lessons.advanced.TinyVl}'s.
 */
package dev.vireo.examples.lessons.advanced;
