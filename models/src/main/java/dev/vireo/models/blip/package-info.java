/**
 * BLIP (Li et al. 2022) image-text retrieval read from Hugging Face {@code BlipForImageTextRetrieval}
 * folders and scored as transformers scores it: the pre-LN ViT image tower, the BERT text encoder
 * cross-attending to it for the matching head, the contrastive projections, and the processor that
 * resizes images and tokenizes texts as {@code BlipProcessor} does.
 */
package dev.vireo.models.blip;
