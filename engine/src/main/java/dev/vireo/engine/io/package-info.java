/**
 * Files: safetensors reading and writing ({@link SafetensorsReader}, {@link SafetensorsWriter}),
 * checkpoints ({@link Checkpoint}) and atomic writes ({@link AtomicFiles}).
 */
package dev.vireo.engine.io;
