/**
 * Contrastive training: {@link ClipTrainer} (AdamW, warm-up and cosine, clipping, accumulation,
 * atomic checkpoints and bit-exact resume; data parallel over the ranks of a
 * {@link dev.vireo.engine.distributed.Collective}) configured by {@link TrainConfig} and reporting through
 * {@link TrainListener}s (the JSONL {@link MetricsLog} is one); the training data sources ({@link
 * ImageTextData}, {@link ShapesData}, labelled image sets).
 */
package dev.vireo.models.train;
