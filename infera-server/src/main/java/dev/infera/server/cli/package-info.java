/**
 * The {@code infera} command line (picocli): {@code infera serve} and its flags, named after
 * Triton's where one exists. Depends on the server assembly.
 */
package dev.infera.server.cli;
