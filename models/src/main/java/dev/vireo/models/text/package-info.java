/**
 * Tokenizers, exact against Hugging Face's: CLIP's byte-level BPE ({@link ClipTokenizer}) and
 * BERT's WordPiece ({@link WordPieceTokenizer}), with their normalizers and pre-tokenizers.
 */
package dev.vireo.models.text;
