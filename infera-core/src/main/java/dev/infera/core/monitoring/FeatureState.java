package dev.infera.core.monitoring;

/**
 * One watched feature of one version: its window as a ring of slices, its data-quality counts and
 * its last scores. Written by the monitoring thread only; the scores and counts are read by gauges
 * and reports from other threads, hence volatile.
 */
final class FeatureState {
  final String name;
  final FeatureKind kind;
  private final FeatureSketch[] slices;
  volatile long nan;
  volatile long infinite;
  volatile long outOfRange;
  volatile long unknownCategory;
  volatile double psi = Double.NaN;
  volatile double ks = Double.NaN;
  volatile double ksCritical = Double.NaN;
  volatile String method = "";
  volatile boolean drifted;
  volatile long windowCount;

  FeatureState(String name, FeatureKind kind, int sliceCount) {
    this.name = name;
    this.kind = kind;
    this.slices = new FeatureSketch[sliceCount];
    for (int i = 0; i < sliceCount; i++) {
      slices[i] = FeatureSketch.empty(kind);
    }
  }

  FeatureSketch slice(int index) {
    return slices[index];
  }

  void resetAll() {
    for (FeatureSketch slice : slices) {
      slice.reset();
    }
  }

  /** The whole window: every slice merged into a new sketch. */
  FeatureSketch window() {
    FeatureSketch merged = FeatureSketch.empty(kind);
    for (FeatureSketch slice : slices) {
      merged.merge(slice);
    }
    return merged;
  }

  int sizeBytes() {
    int bytes = 0;
    for (FeatureSketch slice : slices) {
      bytes += slice.sizeBytes();
    }
    return bytes;
  }

  /** The primary score divided by its threshold: above 1 means drifted. */
  double severity(double psiThreshold) {
    if ("ks".equals(method)) {
      return ks / ksCritical;
    }
    return psi / psiThreshold;
  }
}
