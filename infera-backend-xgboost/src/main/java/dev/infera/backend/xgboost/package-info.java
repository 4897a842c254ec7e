/** XGBoost backend: serves gradient-boosted tree models with XGBoost4J. Depends on infera-spi. */
package dev.infera.backend.xgboost;
