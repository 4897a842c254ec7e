/**
 * XGBoost backend: serves gradient-boosted tree models with XGBoost4J, compatible with Triton's FIL
 * backend configuration. {@link dev.infera.backend.xgboost.XgboostBackend} is the only public type;
 * it is found with {@link java.util.ServiceLoader}.
 *
 * <p>Depends on infera-spi and XGBoost4J only.
 */
package dev.infera.backend.xgboost;
