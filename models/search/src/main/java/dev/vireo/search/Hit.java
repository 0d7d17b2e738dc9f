package dev.vireo.search;

import java.nio.file.Path;

/**
 * One search result: the image's index id (16 hex digits of the SHA-256 of its path, stable across
 * updates), its path and its cosine similarity with the query.
 */
public record Hit(String id, Path path, float score) {}
