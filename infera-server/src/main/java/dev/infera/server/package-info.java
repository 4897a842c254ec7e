/**
 * The server's assembly: {@link dev.infera.server.InferaServer} wires the engine, the backends and
 * the REST, gRPC and metrics endpoints through constructors, starts them, and stops them in reverse
 * order. Depends on infera-core, Armeria and Micrometer's Prometheus registry.
 */
package dev.infera.server;
