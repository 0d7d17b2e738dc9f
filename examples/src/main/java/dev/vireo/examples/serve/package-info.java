/**
 * {@code vireo serve} and {@code vireo serve-vqa}: an image index, or a visual question answerer,
 * behind the JDK's HTTP server, each with its page and a JSON API. Files are served by index id or
 * example name only, never by a path from the request.
 */
package dev.vireo.examples.serve;
