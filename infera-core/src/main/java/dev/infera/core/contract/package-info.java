/**
 * A model version's tensor contract and the check of a request against it: {@link
 * dev.infera.core.contract.ModelInterface} (inputs, outputs, batching) read from a completed
 * configuration, and {@link dev.infera.core.contract.RequestValidator}, which turns a valid request
 * into a scheduled one and shapes outputs back for the client. Depends on the configuration and
 * scheduling packages and on the SPI; never on the lifecycle, routing or engine.
 */
package dev.infera.core.contract;
