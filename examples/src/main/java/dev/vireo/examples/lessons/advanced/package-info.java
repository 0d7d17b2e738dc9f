/**
 * The advanced track of the course: vision-language fusion and what it is for. Cross-modal attention by
 * hand, early, mid and late fusion side by side, the pretraining objectives probed one by one, momentum
 * distillation on noisy captions (the small models of {@link dev.vireo.examples.lessons.advanced.TinyVl});
 * then captioning and its decoding strategies, question answering, grounding and explanation, each
 * trained small on the shapes world and measured with the library's own metrics.
 */
package dev.vireo.examples.lessons.advanced;
