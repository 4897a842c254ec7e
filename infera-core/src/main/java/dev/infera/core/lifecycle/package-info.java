/**
 * What is loaded and in which state: {@link dev.infera.core.lifecycle.ModelManager} is the one
 * owner of loaded model versions and their per-version state machine (LOADING, READY, UNLOADING,
 * UNAVAILABLE with a reason), swapping reloaded versions in without failing a request and warming
 * them up first; {@link dev.infera.core.lifecycle.ModelController} applies the model control modes
 * (none, poll, explicit) and serves the repository API ({@link
 * dev.infera.core.lifecycle.RepositoryControl}). Publishes what serves as the immutable routing
 * table of the routing package. Depends on the repository, configuration, routing, contract,
 * scheduling, resilience, cache and metrics packages and on the backend SPI.
 */
package dev.infera.core.lifecycle;
