package dev.infera.spi;

/**
 * The closed set of error kinds Infera reports. Transports map each one to a status code in exactly
 * one place (HTTP and gRPC each have one table); nothing below the transports names a transport
 * status.
 */
public enum ErrorCode {
  /** The request is malformed or does not match the model: bad tensor, shape, type or value. */
  INVALID_ARGUMENT,
  /** The model, version or resource does not exist. */
  NOT_FOUND,
  /** The model exists but cannot serve now (loading, unloaded, queue full, shutting down). */
  UNAVAILABLE,
  /** The request's deadline or queue timeout passed before it finished. */
  DEADLINE_EXCEEDED,
  /** The caller went away or cancelled the request. */
  CANCELLED,
  /** What the request would create exists already (a shared memory region's name). */
  ALREADY_EXISTS,
  /** The operation is not allowed in the server's current mode. */
  FAILED_PRECONDITION,
  /** A configured limit was exceeded (request size, element count). */
  RESOURCE_EXHAUSTED,
  /** The caller presented no valid credentials. */
  UNAUTHENTICATED,
  /** The caller's credentials lack the needed role. */
  PERMISSION_DENIED,
  /** The feature is not implemented. */
  UNIMPLEMENTED,
  /** A failure inside Infera or a backend; never the client's fault. */
  INTERNAL
}
