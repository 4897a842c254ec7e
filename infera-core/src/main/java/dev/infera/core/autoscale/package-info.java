/**
 * Autoscaling signals: from each model's measured arrival rate and service time, how many replicas
 * of this server its load needs to meet a p99 latency target, smoothed and held for a scale-down
 * delay, published as gauges an HPA or KEDA scales on. The policy is pure logic over samples; its
 * owner reads the metric registry on a named thread. Depends on lifecycle (ready versions' configs)
 * and metrics (the meters it reads).
 */
package dev.infera.core.autoscale;
