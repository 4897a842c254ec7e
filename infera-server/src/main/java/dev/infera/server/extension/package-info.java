/**
 * Triton's protocol extensions both transports serve from one place: the statistics and model
 * configuration documents (built once as protobuf messages; REST prints them as Triton's JSON) and
 * the system shared memory regions. Depends on the core's in-process API, protobuf and the gRPC
 * message classes; knows nothing of Armeria or HTTP.
 */
package dev.infera.server.extension;
