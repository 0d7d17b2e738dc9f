/**
 * {@link SimpleMultimodalModel}: the two-MLP dual encoder of the beginner lessons.
 */
package dev.vireo.examples.simple;
