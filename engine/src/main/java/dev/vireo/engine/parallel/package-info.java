/**
 * The compute pool: {@link ComputePool} runs a call's fixed chunks on the calling thread and its
 * own workers, so results never depend on the thread count.
 */
package dev.vireo.engine.parallel;
