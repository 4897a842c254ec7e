/**
 * The engine behind {@link dev.infera.core.InferenceService}: routes each request through the
 * routing package, validates it against the version's contract, queues it on the version's
 * scheduler, and turns scheduler results into responses. Depends on the routing, contract,
 * scheduling and metrics packages and on the SPI; never on the lifecycle, which it sees only
 * through the routing table the lifecycle publishes.
 */
package dev.infera.core.engine;
