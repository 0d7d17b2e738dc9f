/**
 * Evaluation: {@link ClipEvaluator} (zero-shot classification and image-text retrieval of a model
 * on a dataset) and the metrics themselves, {@link ZeroShotMetrics}, {@link RetrievalMetrics}
 * (Recall@K, MRR, mAP) and {@link WinogroundScores} (text, image and group scores of
 * compositional pairs), checked against reference implementations in the tests.
 */
package dev.vireo.models.eval;
