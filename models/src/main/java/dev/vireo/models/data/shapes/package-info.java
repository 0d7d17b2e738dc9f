/**
 * The built-in shapes world: scenes of coloured shapes with compositional captions ("a small red
 * circle left of a blue square"), generated from a seed by {@link ShapesWorld} and drawn by
 * {@link ShapeRasterizer}; the demo's and the lessons' data, no download needed.
 * {@link CompositionalPairs} is its Winoground-style split: two images and two captions with the
 * same words bound differently.
 */
package dev.vireo.models.data.shapes;
