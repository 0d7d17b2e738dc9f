/**
 * BERT-family encoders (Devlin et al. 2019) with Hugging Face {@code BertModel}'s parameter names:
 * embeddings, post-LN layers with optional cross-attention for fusion encoders, an optional pooler,
 * and sentence-transformers' mean pooling.
 */
package dev.vireo.models.bert;
