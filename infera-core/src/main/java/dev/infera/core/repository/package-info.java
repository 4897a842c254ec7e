/**
 * Where model files live and how they are found: Triton's repository layout ({@code
 * <repo>/<model>/config.pbtxt} and numbered version folders). Reads storage only; knows nothing of
 * loading or serving. Depends on the JDK only.
 */
package dev.infera.core.repository;
