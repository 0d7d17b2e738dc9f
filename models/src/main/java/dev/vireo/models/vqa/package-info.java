/**
 * Visual question answering: a classifier over an answer vocabulary on a fusion encoder's [CLS]
 * (ViLT's head, soft targets from annotator agreement) and generative answers
 * ({@link VisualQuestionAnswerer}).
 */
package dev.vireo.models.vqa;
