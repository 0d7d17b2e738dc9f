/**
 * Evaluation: {@link ClipEvaluator} (zero-shot classification and image-text retrieval of a model
 * on a dataset) and the metrics themselves, {@link ZeroShotMetrics}, {@link RetrievalMetrics}
 * (Recall@K, MRR, mAP), {@link WinogroundScores} (text, image and group scores of compositional
 * pairs) and, for grounding, {@link GroundingMetrics} (IoU, accuracy at an IoU threshold) with
 * {@link HeatMapBox} (a box read off a patch heat map), checked against hand-computed cases and
 * reference implementations in the tests.
 */
package dev.vireo.models.eval;
