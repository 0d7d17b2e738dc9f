/**
 * Checkpoints shared with Hugging Face and open_clip: {@link HfCheckpoints} reads and writes a
 * {@code CLIPModel} folder, {@link HfClipConfig} its config.json, {@link OpenClipNames} maps
 * open_clip's state-dict names to Vireo's.
 */
package dev.vireo.models.hf;
