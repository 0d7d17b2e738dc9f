/**
 * The course's projects: longer pieces of work than the lessons, each a {@link dev.vireo.examples.lessons.Lesson}
 * that prints its figures, writes its plots and checks its own outcome (a small budget with {@code quick}).
 */
package dev.vireo.examples.projects;
