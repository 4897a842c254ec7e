/**
 * The KServe v2 (Open Inference Protocol) gRPC frontend, with Triton's repository and statistics
 * RPCs: decodes {@code inference.GRPCInferenceService} messages into {@link
 * dev.infera.core.InferenceRequest}s, calls {@link dev.infera.core.InferenceService}, encodes the
 * answers, and maps {@link dev.infera.spi.ErrorCode}s to gRPC status codes in one table ({@link
 * dev.infera.server.grpc.GrpcStatusMapping}).
 *
 * <p>May depend on infera-core, infera-spi, grpc-java, protobuf and Armeria's gRPC module; never on
 * the REST frontend, the assembly or a backend. The generated protocol classes live in {@code
 * dev.infera.server.grpc.proto}; the traffic service ({@code infera.traffic.v1}, traffic policies,
 * rollouts and feedback over the core's {@code TrafficManager}) in {@code
 * dev.infera.server.grpc.traffic}.
 */
package dev.infera.server.grpc;
