/**
 * Protection of the serving path from a failing model version: a circuit breaker per version
 * (Resilience4j) that opens after repeated execution failures, refuses requests fast while open,
 * and half-opens to probe for recovery. Depends on the scheduling and metrics packages, the backend
 * SPI's error codes, Resilience4j and Micrometer; knows nothing of transports.
 */
package dev.infera.core.resilience;
