package dev.infera.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for misspelled names: the candidate closest by edit distance (Levenshtein), when
 * it is close enough to be a likely typo (at most a third of the name's letters, and at most 3).
 * Case is ignored. Stateless.
 */
final class Suggestions {
  private Suggestions() {}

  static Optional<String> closest(String wrong, List<String> candidates) {
    String typed = wrong.toLowerCase(Locale.ROOT);
    int limit = Math.min(3, Math.max(1, typed.length() / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(typed, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** Levenshtein distance: insertions, deletions and substitutions, one each. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
