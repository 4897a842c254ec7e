package dev.infera.server.it;

/**
 * A call's outcome as both transports can express it; each client maps its transport's status to
 * one of these, so one suite asserts the same thing over REST and gRPC.
 */
enum Outcome {
  OK,
  INVALID_ARGUMENT,
  NOT_FOUND,
  UNAVAILABLE,
  DEADLINE_EXCEEDED,
  RESOURCE_EXHAUSTED,
  INTERNAL,
  OTHER
}
