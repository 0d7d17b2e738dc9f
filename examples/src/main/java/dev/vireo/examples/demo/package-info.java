/**
 * The main job, {@code bin/vireo demo}: {@link ShapesDemo} trains a tiny CLIP on the built-in
 * shapes world, evaluates it and writes its plots.
 */
package dev.vireo.examples.demo;
