/**
 * Data for Vireo: readers of dataset formats (COCO captions, Karpathy splits, CSV/TSV caption
 * tables, WebDataset shards, image folders, IDX) that return {@link dev.vireo.models.data.ImageTextSample}
 * and {@link dev.vireo.models.data.LabelledImage} records pointing at undecoded
 * {@link dev.vireo.models.data.ImageSource}s, and the {@link dev.vireo.models.data.DataLoader} that
 * shuffles, batches and runs the decode/preprocess step on worker threads; {@link dev.vireo.models.data.Box},
 * a rectangle in pixels for grounding. For captioning and VQA evaluation: {@link dev.vireo.models.data.VqaV2Reader}
 * (VQA v2 questions, annotations and results), {@link dev.vireo.models.data.VqaAnswerNormalizer} (the official
 * answer normalisation), {@link dev.vireo.models.data.VqaAnswerVocabulary} (top-N answers, ViLT's soft scores),
 * {@link dev.vireo.models.data.VqaResultsWriter}, and {@link dev.vireo.models.data.CaptionResultsReader}
 * (captions to score, ours or COCO results with annotations). Sub-package
 * {@code shapes}: the built-in generated world. (Fetching real data by package name is the
 * command line's job: {@code dev.vireo.examples.data}.)
 */
package dev.vireo.models.data;
