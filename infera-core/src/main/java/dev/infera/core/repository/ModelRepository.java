package dev.infera.core.repository;

import java.util.List;
import java.util.Optional;

/**
 * Storage of models in Triton's layout. Implementations read a local folder (and later object
 * storage).
 *
 * <p>Threading: safe to call from any thread; each call reads the storage afresh.
 */
public interface ModelRepository {

  /**
   * The names of the models the repository holds, sorted.
   *
   * @throws RepositoryUnavailableException when the repository cannot be listed now
   */
  List<String> modelNames();

  /** One model's files, or empty when the repository holds no model of that name. */
  Optional<ModelSource> find(String modelName);

  /** A description of where the repository is, for logs. */
  String location();
}
