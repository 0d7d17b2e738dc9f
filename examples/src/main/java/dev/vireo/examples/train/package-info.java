/**
 * What the command line adds to a training run: the {@link ProgressBar} listener, and {@link
 * RunReports}, the listeners a run reports through.
 */
package dev.vireo.examples.train;
