/**
 * The advanced track of the course: the vision-language models beyond contrastive pretraining —
 * captioning and its decoding strategies, question answering, grounding and explanation — each
 * trained small on the shapes world and measured with the library's own metrics.
 */
package dev.vireo.examples.lessons.advanced;
