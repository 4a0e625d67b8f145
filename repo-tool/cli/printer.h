// Output shared by the commands: errors, diagnostics, colour.
#ifndef EVREPO_CLI_PRINTER_H_
#define EVREPO_CLI_PRINTER_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "evrepo/diagnostic.h"
#include "evrepo/status.h"

namespace evrepo::cli {

// Whether to colour a stream: "always", "never", or "auto" (a terminal and
// NO_COLOR unset or empty).
bool UseColor(const std::string& mode, std::FILE* stream);

// Sets the colour choices used by the functions below.
void SetColor(bool stdout_color, bool stderr_color);

// `text` wrapped in an SGR sequence when colour is on for that stream.
std::string Paint(std::string_view text, const char* sgr, bool on);

// "evrepo: error: MESSAGE" and "hint: HINT" on stderr.
void PrintError(const Status& status);
void PrintError(const std::string& message, const std::string& hint = "");
void PrintWarning(const std::string& message, const std::string& hint = "");

// The exit status for a failed Status: 2 for usage errors, 1 for conflicts
// and invalid input the user must fix, 3 for everything else.
int ExitCodeFor(const Status& status);

// Like ExitCodeFor, but the answer "no" (NotFound: nothing matched; Invalid:
// the request cannot be carried out as it stands) is 1: for commands whose
// failures are mostly about what the user asked for.
int ExitCodeForRequest(const Status& status);

// Diagnostics as `path:line:col: error: message [rule]` with an indented
// hint line, on stdout.
void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics);

// A time in its own zone: "2007-01-31" when `date_only`, else ISO 8601
// "2007-01-31T10:00:00+01:00".
std::string FormatTime(std::int64_t time, int offset_minutes, bool date_only);

}  // namespace evrepo::cli

#endif  // EVREPO_CLI_PRINTER_H_
