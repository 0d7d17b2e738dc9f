/**
 * Data by name for the command line: {@link DataSpecs} turns a spec ({@code shapes:N}, {@code
 * fashion-mnist}, {@code coco:...}) into training data; {@link DataFetcher} fetches real data sets
 * through the package managers that serve them.
 */
package dev.vireo.examples.data;
