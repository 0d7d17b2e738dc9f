/**
 * Locked-text tuning (LiT, Zhai et al. 2022, with the text side locked): a trainable image tower
 * aligned to a frozen pretrained sentence encoder through a projection on each side
 * ({@link dev.vireo.models.lit.LitModel}), and the cache of the frozen tower's vectors
 * ({@link dev.vireo.models.lit.LockedTextTower}).
 */
package dev.vireo.models.lit;
