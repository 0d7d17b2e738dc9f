/**
 * An image search engine on Apache Lucene: {@link dev.vireo.search.ImageIndex} indexes a folder's
 * images with any loadable CLIP model (incrementally: new and changed files added, deleted ones
 * removed, unreadable ones skipped and listed) and searches it by text or by example, with HNSW on
 * scalar-quantized vectors or exactly, scored by cosine similarity. The index records the model that
 * made it and refuses queries from another.
 */
package dev.vireo.search;
