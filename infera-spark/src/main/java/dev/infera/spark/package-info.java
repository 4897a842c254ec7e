/**
 * Batch scoring on Apache Spark: {@link dev.infera.spark.InferaSpark} scores a DataFrame with a
 * model of a repository through the same engine code as {@code infera batch}, loading the model
 * once per executor JVM; {@link dev.infera.spark.SparkBatch} runs {@code infera batch
 * --spark-master}.
 */
package dev.infera.spark;
