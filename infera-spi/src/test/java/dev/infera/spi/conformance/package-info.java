/**
 * The backend conformance suite: {@link dev.infera.spi.conformance.BackendConformanceTest}, which
 * every backend's tests extend with its own fixture models, and the helpers it uses (reading {@code
 * .npy} sample files, comparing tensors within a tolerance, splitting and merging batches).
 *
 * <p>Ships in infera-spi's test-jar. Depends on the SPI, JUnit 5 and AssertJ only.
 */
package dev.infera.spi.conformance;
