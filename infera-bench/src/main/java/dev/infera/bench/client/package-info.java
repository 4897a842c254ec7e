/**
 * Non-blocking KServe v2 clients that send one pre-encoded request over and over: REST with JSON or
 * binary tensor data (a lean Netty HTTP/1.1 client, one connection per outstanding request, as
 * {@code wrk} does) and gRPC (grpc-java over one HTTP/2 channel). Requests are encoded once, so the
 * driver spends its CPU on I/O rather than on encoding.
 *
 * <p>May depend on {@code dev.infera.bench.input}, Netty, grpc-java and Jackson.
 */
package dev.infera.bench.client;
