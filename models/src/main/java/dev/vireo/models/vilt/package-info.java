/**
 * ViLT (Kim et al. 2021) visual question answering read from Hugging Face
 * {@code ViltForQuestionAnswering} folders and run as transformers runs it: one transformer over
 * the question's BERT embeddings and the image's patch projections (no convolutional backbone, no
 * region features), a pooler and an answer classifier, with the processor that resizes, pads and
 * masks images and tokenizes questions as {@code ViltProcessor} does.
 */
package dev.vireo.models.vilt;
