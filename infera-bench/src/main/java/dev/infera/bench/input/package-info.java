/**
 * The tensors a benchmark sends: model input descriptions (from KServe v2 metadata or a model
 * file), random inputs made from them, and inputs read from a KServe v2 JSON request file. Each
 * tensor holds its elements once, as little-endian bytes, ready for any wire format.
 *
 * <p>May depend on Jackson only; knows nothing of transports.
 */
package dev.infera.bench.input;
