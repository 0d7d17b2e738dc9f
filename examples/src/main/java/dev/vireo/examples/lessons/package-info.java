/**
 * The graded lessons: the core track B01 to I03 and the {@link Lesson} interface every lesson
 * implements (the beginner and intermediate tracks are the subpackages).
 */
package dev.vireo.examples.lessons;
