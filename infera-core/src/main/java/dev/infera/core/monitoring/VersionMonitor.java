package dev.infera.core.monitoring;

import dev.infera.spi.DataType;
import dev.infera.spi.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drift and data quality of one model version: features found in its traffic, a reference (a stored
 * profile, or the first rows of traffic), a sliding window of sketches, and scores.
 *
 * <p>Pure logic driven by the times passed in; confined to the monitoring thread except {@link
 * #report} and the volatile fields of its features, which any thread may read.
 */
final class VersionMonitor {
  /** Reference values at or below which KS is the primary method (PSI above). */
  static final long KS_MAX_REFERENCE = 1000;

  private static final int MAX_CATEGORY_CHARS = 64;

  private final String model;
  private final String version;
  private final DriftSettings settings;
  private final MonitorMeters meters;
  private final long sliceNanos;
  private final Map<String, FeatureState> features = new LinkedHashMap<>();
  private final Map<String, FeatureSketch> building = new HashMap<>();
  private Map<String, ReferenceFeature> reference;
  private String referenceSource = "traffic";
  private volatile String profileProblem;
  private boolean profileChecked;
  private long referenceRows;
  private long sliceStart;
  private int slice;
  private boolean started;
  private volatile long rejected;
  private volatile long rows;
  private volatile DriftReport report;

  VersionMonitor(
      String model,
      String version,
      DriftSettings settings,
      MonitorMeters meters,
      Optional<ReferenceProfile> profile,
      Optional<String> profileProblem) {
    this.model = model;
    this.version = version;
    this.settings = settings;
    this.meters = meters;
    this.sliceNanos = settings.subWindow().toNanos();
    this.profileProblem = profileProblem.orElse(null);
    profile.ifPresent(
        p -> {
          reference = new LinkedHashMap<>();
          for (ReferenceFeature feature : p.features()) {
            reference.put(feature.name(), feature);
          }
          referenceSource = "profile";
          referenceRows = p.rows();
        });
    this.report = emptyReport();
  }

  String model() {
    return model;
  }

  String version() {
    return version;
  }

  /** Records one answered request: its inputs and outputs, full shapes. */
  void observe(long now, boolean batched, List<Tensor> inputs, List<Tensor> outputs) {
    advance(now);
    long requestRows = inputs.isEmpty() ? 0 : rowsOf(inputs.get(0), batched);
    rows += requestRows;
    for (Tensor tensor : inputs) {
      record(tensor, batched);
    }
    for (Tensor tensor : outputs) {
      record(tensor, batched);
    }
    if (!profileChecked) {
      profileChecked = true;
      checkProfile();
    }
    if (reference == null) {
      referenceRows += requestRows;
      if (referenceRows >= settings.referenceRows()) {
        freezeReference();
      }
    }
  }

  /** Records a request refused before it reached the model (bad shape, datatype, values). */
  void rejected() {
    rejected++;
    meters.rejected(this);
  }

  private static long rowsOf(Tensor tensor, boolean batched) {
    return batched && tensor.rank() > 0 ? tensor.dim(0) : 1;
  }

  private void record(Tensor tensor, boolean batched) {
    boolean categorical = tensor.dataType() == DataType.BYTES;
    if (!categorical && !ElementValues.numeric(tensor.dataType())) {
      return;
    }
    long rowCount = rowsOf(tensor, batched);
    if (rowCount == 0) {
      return;
    }
    long perRow = tensor.elementCount() / rowCount;
    if (perRow <= settings.maxColumns()) {
      for (int column = 0; column < perRow; column++) {
        String name = perRow == 1 ? tensor.name() : tensor.name() + "[" + column + "]";
        FeatureState feature = feature(name, categorical);
        if (feature == null) {
          return;
        }
        for (long row = 0; row < rowCount; row++) {
          value(feature, tensor, row * perRow + column);
        }
      }
      return;
    }
    FeatureState feature = feature(tensor.name(), categorical);
    if (feature == null) {
      return;
    }
    long stride = perRow / settings.maxColumns();
    for (long row = 0; row < rowCount; row++) {
      for (int j = 0; j < settings.maxColumns(); j++) {
        value(feature, tensor, row * perRow + j * stride);
      }
    }
  }

  private FeatureState feature(String name, boolean categorical) {
    FeatureState feature = features.get(name);
    if (feature == null) {
      if (features.size() >= settings.maxFeatures()) {
        return null;
      }
      FeatureKind kind = categorical ? FeatureKind.CATEGORICAL : FeatureKind.NUMERIC;
      feature = new FeatureState(name, kind, settings.subWindows());
      features.put(name, feature);
      meters.register(this, feature);
    }
    return feature;
  }

  private void value(FeatureState feature, Tensor tensor, long index) {
    if (feature.kind == FeatureKind.CATEGORICAL) {
      byte[] bytes = tensor.elements().get(Math.toIntExact(index));
      String category =
          new String(bytes, 0, Math.min(bytes.length, MAX_CATEGORY_CHARS), StandardCharsets.UTF_8);
      category(feature, category);
      return;
    }
    float value = ElementValues.get(tensor, index);
    if (Float.isNaN(value)) {
      feature.nan++;
      meters.issue(this, feature, "nan");
      return;
    }
    if (Float.isInfinite(value)) {
      feature.infinite++;
      meters.issue(this, feature, "inf");
      return;
    }
    if (reference == null) {
      building
          .computeIfAbsent(feature.name, n -> FeatureSketch.empty(FeatureKind.NUMERIC))
          .add(value);
      return;
    }
    ReferenceFeature expected = reference.get(feature.name);
    if (expected != null
        && expected.count() > 0
        && (value < expected.min() || value > expected.max())) {
      feature.outOfRange++;
      meters.issue(this, feature, "out_of_range");
    }
    feature.slice(slice).add(value);
  }

  private void category(FeatureState feature, String category) {
    if (reference == null) {
      building
          .computeIfAbsent(feature.name, n -> FeatureSketch.empty(FeatureKind.CATEGORICAL))
          .add(category);
      return;
    }
    ReferenceFeature expected = reference.get(feature.name);
    if (expected != null
        && expected.categories().size() < FeatureSketch.MAX_CATEGORIES
        && !expected.categories().containsKey(category)) {
      feature.unknownCategory++;
      meters.issue(this, feature, "unknown_category");
    }
    feature.slice(slice).add(category);
  }

  /**
   * A stored profile must describe this version's features: one naming a feature the traffic does
   * not have (another model's profile, a changed signature) is set aside, with the reason, and the
   * reference is built from traffic instead.
   */
  private void checkProfile() {
    if (reference == null || !"profile".equals(referenceSource)) {
      return;
    }
    for (ReferenceFeature expected : reference.values()) {
      FeatureState actual = features.get(expected.name());
      if (actual == null || actual.kind != expected.kind()) {
        profileProblem =
            ReferenceProfile.FILE_NAME
                + ": profile feature '"
                + expected.name()
                + "' ("
                + expected.kind().name().toLowerCase()
                + ") is not a feature of model '"
                + model
                + "' version "
                + version
                + " (its features: "
                + describeFeatures()
                + ")";
        reference = null;
        referenceSource = "traffic";
        referenceRows = 0;
        features.values().forEach(FeatureState::resetAll);
        return;
      }
    }
  }

  private String describeFeatures() {
    List<String> names = new ArrayList<>(features.keySet());
    if (names.size() > 6) {
      return String.join(", ", names.subList(0, 3))
          + ", … "
          + String.join(", ", names.subList(names.size() - 2, names.size()));
    }
    return String.join(", ", names);
  }

  /**
   * The profile of the rows seen so far, while no reference is set: one feature per feature seen,
   * in the order first seen (for {@link ProfileBuilder}).
   */
  ReferenceProfile buildingProfile() {
    List<ReferenceFeature> frozen = new ArrayList<>();
    for (FeatureState feature : features.values()) {
      FeatureSketch sketch = building.get(feature.name);
      if (sketch != null) {
        frozen.add(sketch.freeze(feature.name));
      }
    }
    return new ReferenceProfile(referenceRows, frozen);
  }

  private void freezeReference() {
    Map<String, ReferenceFeature> frozen = new LinkedHashMap<>();
    for (FeatureState feature : features.values()) {
      FeatureSketch sketch = building.get(feature.name);
      if (sketch != null) {
        frozen.put(feature.name, sketch.freeze(feature.name));
      }
    }
    building.clear();
    reference = frozen;
  }

  /** Moves the window on to the slice that holds {@code now}, clearing the slices it leaves. */
  void advance(long now) {
    if (!started) {
      started = true;
      sliceStart = now;
      return;
    }
    long behind = now - sliceStart;
    if (behind < sliceNanos) {
      return;
    }
    long steps = behind / sliceNanos;
    if (steps >= settings.subWindows()) {
      features.values().forEach(FeatureState::resetAll);
      sliceStart = now;
      return;
    }
    for (long i = 0; i < steps; i++) {
      slice = (slice + 1) % settings.subWindows();
      for (FeatureState feature : features.values()) {
        feature.slice(slice).reset();
      }
    }
    sliceStart += steps * sliceNanos;
  }

  /** Recomputes every feature's scores over the current window and publishes a new report. */
  void score(long now) {
    advance(now);
    for (FeatureState feature : features.values()) {
      score(feature);
    }
    report = buildReport();
  }

  private void score(FeatureState feature) {
    ReferenceFeature expected = reference == null ? null : reference.get(feature.name);
    FeatureSketch window = feature.window();
    feature.windowCount = window.count();
    if (expected == null
        || expected.kind() != feature.kind
        || expected.count() < settings.minSamples()
        || window.count() < settings.minSamples()) {
      feature.psi = Double.NaN;
      feature.ks = Double.NaN;
      feature.ksCritical = Double.NaN;
      feature.method = "";
      feature.drifted = false;
      return;
    }
    if (feature.kind == FeatureKind.CATEGORICAL) {
      feature.psi = DriftStatistics.categoricalPsi(expected, window);
      feature.method = "psi";
      feature.drifted = feature.psi > settings.psiThreshold();
      return;
    }
    feature.psi = DriftStatistics.numericPsi(expected, window);
    feature.ks = DriftStatistics.ks(expected, window);
    feature.ksCritical = DriftStatistics.ksCritical(expected.count(), window.count());
    feature.method = expected.count() <= KS_MAX_REFERENCE ? "ks" : "psi";
    feature.drifted =
        "ks".equals(feature.method)
            ? feature.ks > feature.ksCritical
            : feature.psi > settings.psiThreshold();
  }

  DriftReport report() {
    return report;
  }

  private DriftReport emptyReport() {
    return buildReport();
  }

  private DriftReport buildReport() {
    List<FeatureState> ordered = new ArrayList<>(features.values());
    ordered.sort(
        Comparator.comparingDouble(
                (FeatureState f) -> {
                  double s = f.severity(settings.psiThreshold());
                  return Double.isNaN(s) ? -1 : s;
                })
            .reversed());
    List<DriftReport.Feature> rows = new ArrayList<>(ordered.size());
    int bytes = 0;
    for (FeatureState f : ordered) {
      bytes += f.sizeBytes();
      ReferenceFeature expected = reference == null ? null : reference.get(f.name);
      rows.add(
          new DriftReport.Feature(
              f.name,
              f.kind,
              f.method,
              "ks".equals(f.method) ? f.ks : f.psi,
              "ks".equals(f.method) ? f.ksCritical : settings.psiThreshold(),
              f.drifted,
              f.psi,
              f.ks,
              expected == null ? 0 : expected.count(),
              f.windowCount,
              new DriftReport.Quality(f.nan, f.infinite, f.outOfRange, f.unknownCategory)));
    }
    return new DriftReport(
        model,
        version,
        reference == null ? "building" : referenceSource,
        reference == null ? referenceRows : Math.max(referenceRows, 0),
        Optional.ofNullable(profileProblem),
        settings.window(),
        rows,
        rows(),
        rejected,
        bytes);
  }

  long rows() {
    return rows;
  }

  List<FeatureState> features() {
    return List.copyOf(features.values());
  }
}
