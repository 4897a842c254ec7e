/** The {@code infera batch} command and its progress display. */
package dev.infera.batch.cli;
