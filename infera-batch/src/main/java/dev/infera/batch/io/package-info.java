/**
 * Table files: streaming row sources (CSV and JSON Lines through Jackson, Parquet through DuckDB)
 * and row sinks of the same formats. Knows nothing of models.
 */
package dev.infera.batch.io;
