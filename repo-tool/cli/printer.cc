// Output shared by the commands.
#include "printer.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "commands.h"

namespace evrepo::cli {

namespace {
bool g_color_out = false;
bool g_color_err = false;

constexpr const char* kBold = "1";
constexpr const char* kRed = "1;31";
constexpr const char* kYellow = "1;33";
constexpr const char* kCyan = "36";
}  // namespace

bool UseColor(const std::string& mode, std::FILE* stream) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(fileno(stream));
}

void SetColor(bool stdout_color, bool stderr_color) {
  g_color_out = stdout_color;
  g_color_err = stderr_color;
}

std::string Paint(std::string_view text, const char* sgr, bool on) {
  if (!on) return std::string(text);
  return "\033[" + std::string(sgr) + "m" + std::string(text) + "\033[0m";
}

void PrintError(const std::string& message, const std::string& hint) {
  std::fflush(stdout);  // keep stdout and stderr in order on a shared pipe
  std::fprintf(stderr, "evrepo: %s %s\n",
               Paint("error:", kRed, g_color_err).c_str(), message.c_str());
  if (!hint.empty()) {
    std::fprintf(stderr, "%s %s\n", Paint("hint:", kCyan, g_color_err).c_str(),
                 hint.c_str());
  }
}

void PrintError(const Status& status) {
  PrintError(status.message(), status.hint());
}

void PrintWarning(const std::string& message, const std::string& hint) {
  std::fflush(stdout);
  std::fprintf(stderr, "evrepo: %s %s\n",
               Paint("warning:", kYellow, g_color_err).c_str(),
               message.c_str());
  if (!hint.empty()) {
    std::fprintf(stderr, "%s %s\n", Paint("hint:", kCyan, g_color_err).c_str(),
                 hint.c_str());
  }
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kUsage:
      return kExitUsage;
    case Status::Code::kConflict:
      return kExitInvalid;
    default:
      return kExitFailure;
  }
}

int ExitCodeForRequest(const Status& status) {
  if (status.code() == Status::Code::kNotFound ||
      status.code() == Status::Code::kInvalid) {
    return kExitInvalid;
  }
  return ExitCodeFor(status);
}

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    std::string where = d.path;
    if (d.line > 0) {
      where += ':' + std::to_string(d.line);
      if (d.column > 0) where += ':' + std::to_string(d.column);
    }
    bool error = d.severity == Severity::kError;
    std::string line =
        Paint(where + ":", kBold, g_color_out) + " " +
        Paint(error ? "error:" : "warning:", error ? kRed : kYellow,
              g_color_out) +
        " " + d.message + " [" + d.rule + "]";
    std::fputs(line.c_str(), stdout);
    std::fputc('\n', stdout);
    if (!d.hint.empty()) {
      std::printf("    %s %s\n", Paint("hint:", kCyan, g_color_out).c_str(),
                  d.hint.c_str());
    }
  }
}

std::string FormatTime(std::int64_t time, int offset_minutes, bool date_only) {
  std::time_t t = static_cast<std::time_t>(time + offset_minutes * 60LL);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, date_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%S",
                &tm);
  if (date_only) return buf;
  int m = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{}{}{:02}:{:02}", buf, offset_minutes < 0 ? '-' : '+',
                     m / 60, m % 60);
}

}  // namespace evrepo::cli
