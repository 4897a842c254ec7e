/**
 * The {@code infera bench} command line: option parsing and validation, and the three runs it
 * offers — load against a KServe v2 server (concurrency sweep or fixed rate), the in-process
 * hardware limit, and a trivial HTTP endpoint for measuring the transport ceiling with {@code wrk}.
 *
 * <p>May depend on every {@code dev.infera.bench} package, picocli and Armeria.
 */
package dev.infera.bench;
