package dev.infera.backend.xgboost;

import dev.infera.spi.DataType;
import dev.infera.spi.ModelSignature;
import dev.infera.spi.Tensor;
import dev.infera.spi.TensorSpec;
import dev.infera.spi.conformance.BackendConformanceTest;
import dev.infera.spi.conformance.ConformanceModel;
import dev.infera.spi.conformance.ConformanceSample;
import dev.infera.spi.conformance.Tolerance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared backend conformance suite run on xgb_tabular twice: as Infera's documentation
 * configures it (both outputs, {@code model.ubj} found by default) and as a FIL configuration with
 * nothing declared ({@code model.json} named, FIL's tensor names). Outputs must match exactly.
 */
class XgboostConformanceTest extends BackendConformanceTest {

  @Override
  protected String backendName() {
    return "xgboost";
  }

  @Override
  protected Set<DataType> dataTypes() {
    return Set.of(DataType.FP32);
  }

  @Override
  protected List<ConformanceModel> fixtures() {
    ModelSignature inferaSignature =
        new ModelSignature(
            List.of(new TensorSpec("features", DataType.FP32, new long[] {-1, 64})),
            List.of(
                new TensorSpec("probabilities", DataType.FP32, new long[] {-1, 2}),
                new TensorSpec("margin", DataType.FP32, new long[] {-1})));
    ConformanceModel infera =
        new ConformanceModel(
            "xgb_tabular",
            XgbTabular.versionDirectory(),
            Optional.empty(),
            XgbTabular.CLASSIFIER_WITH_PROBABILITIES,
            128,
            XgbTabular.declared(),
            inferaSignature,
            XgbTabular.samples(),
            Tolerance.exact());
    ModelSignature filSignature =
        new ModelSignature(
            List.of(new TensorSpec("input__0", DataType.FP32, new long[] {-1, 64})),
            List.of(new TensorSpec("output__0", DataType.FP32, new long[] {-1, 2})));
    ConformanceModel fil =
        new ConformanceModel(
            "xgb_tabular_fil",
            XgbTabular.versionDirectory(),
            Optional.of("model.json"),
            Map.of("model_type", "xgboost_json", "output_class", "true", "predict_proba", "true"),
            128,
            XgbTabular.nothingDeclared(),
            filSignature,
            XgbTabular.samples().stream().map(XgboostConformanceTest::withFilNames).toList(),
            Tolerance.exact());
    return List.of(infera, fil);
  }

  private static ConformanceSample withFilNames(ConformanceSample sample) {
    Tensor input = sample.inputs().get(0).withName("input__0");
    Tensor output = XgbTabular.output(sample, "probabilities").withName("output__0");
    return new ConformanceSample(sample.name(), List.of(input), List.of(output));
  }
}
