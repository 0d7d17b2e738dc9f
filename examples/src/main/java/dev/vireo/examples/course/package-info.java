/**
 * The course catalogue: {@link Lessons} lists every lesson by level; {@link LessonPages}
 * regenerates the companion pages from the lesson sources.
 */
package dev.vireo.examples.course;
