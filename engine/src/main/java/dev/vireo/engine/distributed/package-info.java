/**
 * Collective operations between the processes (or threads) that train one model together:
 * {@link Collective} (sum, gather, barrier) and {@link RingCollective}, a ring over TCP sockets.
 * Nothing here knows what is being trained; it depends on the JDK only.
 */
package dev.vireo.engine.distributed;
