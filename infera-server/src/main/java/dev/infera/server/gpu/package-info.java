/**
 * GPU gauges for the metrics endpoint, read from {@code nvidia-smi} when it is installed: the JVM
 * itself never loads CUDA or NVML. May depend on Micrometer and the JDK only.
 */
package dev.infera.server.gpu;
