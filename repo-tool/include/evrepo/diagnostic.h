// Diagnostics about documents and corpus files: where, how bad, which rule.
//
// A diagnostic is printed as `path:line:col: error: message [rule]`, with an
// optional `hint: …` line.  Paths are relative to the corpus root with '/'
// separators; line and column are 1-based (0 means "the whole file").
#ifndef EVREPO_DIAGNOSTIC_H_
#define EVREPO_DIAGNOSTIC_H_

#include <string>
#include <vector>

namespace evrepo {

enum class Severity { kWarning, kError };

struct Diagnostic {
  std::string path;
  int line = 0;
  int column = 0;
  Severity severity = Severity::kError;
  std::string rule;  // e.g. "required"; one name per rule, see evrepo-check(1)
  std::string message;
  std::string hint;  // empty when there is no advice

  // Orders by path, line, column, rule, then message: the stable output order.
  bool operator<(const Diagnostic& other) const;
  bool operator==(const Diagnostic& other) const = default;
};

// Sorts and removes exact duplicates.
void SortDiagnostics(std::vector<Diagnostic>& diagnostics);

// "path:line:col: error: message [rule]" (line/col left out when 0).
std::string FormatDiagnostic(const Diagnostic& d);

}  // namespace evrepo

#endif  // EVREPO_DIAGNOSTIC_H_
