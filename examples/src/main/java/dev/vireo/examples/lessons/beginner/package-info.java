/**
 * The beginner track of the contrastive course: joint spaces, a first contrastive loss, retrieval,
 * the temperature.
 */
package dev.vireo.examples.lessons.beginner;
