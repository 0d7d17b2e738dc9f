/**
 * Model configurations: {@link ClipConfig} with its {@link VisionConfig} and {@link TextConfig},
 * the named presets (tiny, small, ViT-B-32) and their checks.
 */
package dev.vireo.models.config;
