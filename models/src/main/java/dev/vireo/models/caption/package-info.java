/**
 * Image captioning: image-grounded text decoders (causal self-attention, cross-attention to image
 * tokens, MLP, a key/value cache) and the models built on them ({@link ImageCaptioner}).
 */
package dev.vireo.models.caption;
