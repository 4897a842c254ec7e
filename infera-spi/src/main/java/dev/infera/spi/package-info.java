/**
 * The contract between Infera and its backend plugins: tensors, data types, the {@link
 * dev.infera.spi.Backend} service interface and the closed set of {@link
 * dev.infera.spi.ErrorCode}s.
 *
 * <p>Depends on the JDK only. Backends are found with {@link java.util.ServiceLoader} and must
 * compile against this package alone.
 */
package dev.infera.spi;
