/**
 * Which version or variant answers a request: the immutable {@link
 * dev.infera.core.routing.RoutingTable} the lifecycle publishes, the {@link
 * dev.infera.core.routing.Router} reading it, and the {@link dev.infera.core.routing.VersionRouter}
 * policies for requests naming no version.
 *
 * <p>Depends on the contract, scheduling, resilience, metrics and configuration packages and on the
 * SPI; never on the engine (which calls it) or the lifecycle (which publishes its table).
 */
package dev.infera.core.routing;
