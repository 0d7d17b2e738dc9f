/**
 * The graded lessons: the core track L01 to L06 and the {@link Lesson} interface every lesson
 * implements (the beginner and intermediate tracks are the subpackages).
 */
package dev.vireo.examples.lessons;
