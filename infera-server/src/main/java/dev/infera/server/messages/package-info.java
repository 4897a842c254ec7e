/**
 * What a client may read of a failure: {@link dev.infera.server.messages.ClientMessages} is the one
 * place that removes internals (class names, server paths, native source locations) from the text
 * every reply path sends. Depends on nothing but SLF4J, so every frontend and guard may use it.
 */
package dev.infera.server.messages;
