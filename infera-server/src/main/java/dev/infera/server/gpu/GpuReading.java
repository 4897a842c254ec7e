package dev.infera.server.gpu;

/**
 * One GPU as {@code nvidia-smi} reported it. Values it could not give ({@code [N/A]}, {@code [Not
 * Supported]}) are {@code NaN}.
 *
 * @param index the device index ({@code CUDA_VISIBLE_DEVICES} numbering of the host)
 * @param uuid the device's UUID
 * @param name the product name
 * @param utilization the share of time a kernel ran, 0 to 1, over nvidia-smi's last sample period
 * @param memoryUsedBytes device memory in use
 * @param memoryTotalBytes device memory in all
 */
public record GpuReading(
    int index,
    String uuid,
    String name,
    double utilization,
    double memoryUsedBytes,
    double memoryTotalBytes) {}
