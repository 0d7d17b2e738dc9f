/**
 * Vireo's engine. Layers, lowest first: {@code parallel}; {@code kernel} (its subpackages, then
 * the provider); {@code tensor} with {@code autograd} (one layer); {@code nn}; {@code optim};
 * {@code io}. {@code EngineLayeringTest} fails the build on any other dependency. {@link
 * VireoProperties} lists every system property.
 */
package dev.vireo.engine;
