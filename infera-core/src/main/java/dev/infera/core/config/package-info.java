/**
 * Model configuration: Triton's {@code config.pbtxt} read strictly into the generated {@link
 * dev.infera.core.config.proto.ModelConfig}, validated with every problem listed at once, and
 * completed from what the model file declares.
 *
 * <ul>
 *   <li>{@link dev.infera.core.config.ModelConfigParser} reads protobuf text format.
 *   <li>{@link dev.infera.core.config.ModelConfigValidator} checks a configuration on its own and
 *       names the fields Infera ignores.
 *   <li>{@link dev.infera.core.config.ModelConfigCompleter} fills what the file tells (name,
 *       backend, tensors, batchability) and checks the configuration against the file.
 *   <li>{@link dev.infera.core.config.ConfigDataTypes} maps configuration and SPI data types.
 * </ul>
 *
 * <p>Everything here is a pure function over immutable protobuf messages: safe from any thread.
 * Failures are {@link dev.infera.core.config.ConfigException}s. Depends on infera-spi and
 * protobuf-java only; the generated classes live in {@code dev.infera.core.config.proto}.
 */
package dev.infera.core.config;
