// Ordering and formatting of diagnostics.
#include "evrepo/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace evrepo {

bool Diagnostic::operator<(const Diagnostic& o) const {
  return std::tie(path, line, column, rule, message, severity, hint) <
         std::tie(o.path, o.line, o.column, o.rule, o.message, o.severity,
                  o.hint);
}

void SortDiagnostics(std::vector<Diagnostic>& diagnostics) {
  std::sort(diagnostics.begin(), diagnostics.end());
  diagnostics.erase(std::unique(diagnostics.begin(), diagnostics.end()),
                    diagnostics.end());
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = d.path;
  if (d.line > 0) {
    out += ':' + std::to_string(d.line);
    if (d.column > 0) out += ':' + std::to_string(d.column);
  }
  out += d.severity == Severity::kError ? ": error: " : ": warning: ";
  out += d.message;
  out += " [" + d.rule + "]";
  return out;
}

}  // namespace evrepo
