/**
 * The seed's assessment projects as runnable, self-checking examples ({@code vireo project list}, {@code vireo project NAME}):
 * each names its expected outcome and checks it, as the lessons do, on a larger budget; a page each in {@code docs/projects}.
 */
package dev.vireo.examples.projects;
