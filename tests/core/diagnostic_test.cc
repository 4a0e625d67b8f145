// Tests of diagnostic formatting and ordering.
#include "evrepo/diagnostic.h"

#include <gtest/gtest.h>

namespace evrepo {
namespace {

Diagnostic Make(std::string path, int line, int column, std::string rule,
                Severity severity = Severity::kError) {
  return {std::move(path), line, column, severity, std::move(rule), "m", ""};
}

TEST(FormatDiagnostic, WithLineAndColumn) {
  Diagnostic d{"a/b.md", 3, 7, Severity::kError, "enum", "bad value", "hint"};
  EXPECT_EQ(FormatDiagnostic(d), "a/b.md:3:7: error: bad value [enum]");
}

TEST(FormatDiagnostic, LineWithoutColumn) {
  EXPECT_EQ(FormatDiagnostic(Make("a.md", 3, 0, "r")), "a.md:3: error: m [r]");
}

TEST(FormatDiagnostic, WholeFileWarning) {
  EXPECT_EQ(FormatDiagnostic(Make("a.md", 0, 0, "r", Severity::kWarning)),
            "a.md: warning: m [r]");
}

TEST(SortDiagnostics, OrdersByPathLineColumnRuleAndDropsDuplicates) {
  std::vector<Diagnostic> v = {
      Make("b.md", 1, 1, "x"), Make("a.md", 10, 1, "x"),
      Make("a.md", 2, 5, "z"), Make("a.md", 2, 5, "y"),
      Make("a.md", 2, 1, "x"), Make("a.md", 10, 1, "x"),
  };
  SortDiagnostics(v);
  std::vector<std::string> out;
  for (const Diagnostic& d : v) out.push_back(FormatDiagnostic(d));
  EXPECT_EQ(out, (std::vector<std::string>{
                     "a.md:2:1: error: m [x]", "a.md:2:5: error: m [y]",
                     "a.md:2:5: error: m [z]", "a.md:10:1: error: m [x]",
                     "b.md:1:1: error: m [x]"}));
}

}  // namespace
}  // namespace evrepo
