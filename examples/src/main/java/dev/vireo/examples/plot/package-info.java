/**
 * PNG plots of our own (no plotting library): {@link LinePlot}, {@link HeatMap} on a {@link
 * Canvas}, and {@link LossCurve}, the training listener that draws loss.png.
 */
package dev.vireo.examples.plot;
