/**
 * Tokenizers, exact against Hugging Face's: CLIP's byte-level BPE ({@link ClipTokenizer}) and
 * BERT's WordPiece ({@link WordPieceTokenizer}), with their normalizers and pre-tokenizers;
 * {@link PythonWhitespace}, Python's whitespace for code that must split words as a Python script does.
 */
package dev.vireo.models.text;
