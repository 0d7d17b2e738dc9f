/**
 * {@code vireo serve}: an image index behind the JDK's HTTP server, a search page and a JSON API.
 * Files are served by index id only, never by a path from the request.
 */
package dev.vireo.examples.serve;
