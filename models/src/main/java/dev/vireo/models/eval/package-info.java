/**
 * Evaluation: {@link ClipEvaluator} (zero-shot classification and image-text retrieval of a model
 * on a dataset) and the metrics themselves, {@link ZeroShotMetrics}, {@link RetrievalMetrics}
 * (Recall@K, MRR, mAP), {@link WinogroundScores} (text, image and group scores of compositional
 * pairs) and, for grounding, {@link GroundingMetrics} (IoU, accuracy at an IoU threshold) with
 * {@link HeatMapBox} (a box read off a patch heat map), checked against hand-computed cases and
 * reference implementations in the tests. Captioning: {@link CaptionMetrics} (BLEU-1..4
 * {@link BleuScore}, ROUGE-L {@link RougeL}, CIDEr-D {@link CiderD} on {@link CaptionTokenizer}'s
 * tokens) and VQA: {@link VqaAccuracy}, both equal to the COCO caption and official VQA evaluation
 * code to 1e-9 relative on the committed cases.
 */
package dev.vireo.models.eval;
