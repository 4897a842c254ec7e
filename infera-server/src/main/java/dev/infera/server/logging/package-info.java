/**
 * Logging settings at start-up and at run time, as Triton has them: {@code --log-info}, {@code
 * --log-warning}, {@code --log-error}, {@code --log-verbose}, {@code --log-file}, {@code
 * --log-format}, the REST {@code /v2/logging} endpoint (gRPC {@code LogSettings} can use the same
 * {@link dev.infera.server.logging.LogControl}). Applied to Logback, the SLF4J binding the server
 * ships. Depends on Logback, Jackson and Armeria only.
 */
package dev.infera.server.logging;
