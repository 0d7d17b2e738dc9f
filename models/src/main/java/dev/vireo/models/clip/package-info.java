/**
 * CLIP: {@link ClipModel} with its {@link VisionTransformer} and {@link TextTransformer} towers
 * (on {@link TransformerEncoder}), its initialisation and run folders, and the contrastive
 * objectives {@link ContrastiveObjective}: {@link ClipLoss} (symmetric InfoNCE) and {@link
 * SigLipLoss} (pairwise sigmoid), both on the engine's fused {@code ContrastiveLoss} op.
 */
package dev.vireo.models.clip;
