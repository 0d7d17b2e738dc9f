/**
 * A small JSON reader and writer ({@link JsonReader}, {@link JsonWriter}) for configs, fixtures
 * and logs.
 */
package dev.vireo.engine.io.json;
