/**
 * What is loaded and in which state: {@link dev.infera.core.lifecycle.ModelManager} is the one
 * owner of loaded model versions and their per-version state machine (LOADING, READY, UNLOADING,
 * UNAVAILABLE with a reason). Depends on the repository, configuration, scheduling, resilience,
 * cache and metrics packages and on the backend SPI.
 */
package dev.infera.core.lifecycle;
