/**
 * The engine behind {@link dev.infera.core.InferenceService}: request validation against a model's
 * configuration, routing to a ready version, and turning scheduler results into responses. Depends
 * on the lifecycle, scheduling and metrics packages and on the SPI.
 */
package dev.infera.core.engine;
