package dev.infera.core.lifecycle;

import dev.infera.core.config.proto.ModelConfig;
import java.util.Objects;

/**
 * What one loaded version came from: the configuration as written (or as a load request overrode
 * it), before completion from the model file, and the files of its folder. A version whose source
 * is unchanged is kept serving on reload; any other is loaded anew beside it.
 *
 * @param config the configuration as given
 * @param files the version folder's fingerprint at load time
 */
record VersionSource(ModelConfig config, VersionFingerprint files) {
  VersionSource {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(files, "files");
  }
}
