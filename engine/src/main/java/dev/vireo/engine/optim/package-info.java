/**
 * Optimizers and their parts: {@link AdamW} (on the optimizer kernel family), {@link Sgd},
 * parameter groups, gradient clipping and accumulation, learning-rate schedules, the EMA of
 * weights, and optimizer state for exact resume.
 */
package dev.vireo.engine.optim;
