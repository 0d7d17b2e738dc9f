/**
 * Evaluation: {@link ClipEvaluator} (zero-shot classification and image-text retrieval of a model
 * on a dataset) and the metrics themselves, {@link ZeroShotMetrics} and {@link RetrievalMetrics}
 * (Recall@K, MRR, mAP), checked against reference implementations in the tests.
 */
package dev.vireo.models.eval;
