/**
 * The KServe v2 (Open Inference Protocol) REST frontend: routes, JSON and binary-tensor decoding
 * and encoding, and the one table mapping {@link dev.infera.spi.ErrorCode}s to HTTP statuses.
 *
 * <p>Entry point: {@link dev.infera.server.rest.RestApi#mount}. Depends on infera-core's {@link
 * dev.infera.core.InferenceService} and its request and response types, on infera-spi, on Armeria
 * (routing, HTTP) and on Jackson's streaming API; never on the engine's internals or on another
 * frontend.
 *
 * <p>Threads: request bodies under {@link
 * dev.infera.server.rest.PayloadExecutors#INLINE_LIMIT_BYTES} are decoded and encoded on the
 * connection's event loop (CPU-only and short); larger ones on the service's blocking task executor
 * so a big tensor never stalls other connections. Inference itself never runs on an event loop: the
 * frontend waits on the service's future.
 */
package dev.infera.server.rest;
