/**
 * The KServe v2 (Open Inference Protocol) rules that do not depend on the transport, written once
 * for both the REST and the gRPC adapters: how request parameters and envelope headers become the
 * core's typed {@link dev.infera.core.RequestOptions}, how tensors travel as raw bytes (BYTES
 * length-prefix framing, shapes and element counts with overflow checks, the per-tensor limit,
 * datatype names), how each output is delivered (binary or values, classification, shared memory),
 * and on which thread payloads are decoded and encoded.
 *
 * <p>Depends on infera-core's request and response types and on infera-spi; never on Armeria's
 * routing, Jackson, gRPC stubs or either adapter: the adapters map their envelopes to this layer.
 */
package dev.infera.server.protocol;
