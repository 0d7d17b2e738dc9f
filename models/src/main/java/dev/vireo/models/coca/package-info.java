/**
 * A CoCa-style model (Yu et al. 2022): contrastive image and text embeddings and a captioning
 * decoder trained together over one ViT, its tokens read by an attentional pooler; the decoder is
 * an {@link dev.vireo.models.generate.ImageTextDecoding}, so Vireo's captioner runs it unchanged.
 */
package dev.vireo.models.coca;
