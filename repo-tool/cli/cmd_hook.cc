// evrepo hook: install or remove the Git pre-commit hook.
#include <fmt/core.h>

#include <filesystem>

#include "commands.h"
#include "evrepo/hook.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

namespace fs = std::filesystem;

int RunHook(const std::string& action) {
  int code = kExitOk;
  auto ws = OpenWorkspace(&code);
  if (!ws) return code;
  Repository& repo = ws->repo;
  auto shown = [&](const fs::path& p) {
    return p.lexically_relative(fs::current_path()).string();
  };
  if (action == "uninstall") {
    auto r = UninstallHook(repo);
    if (!r) {
      PrintError(r.status());
      return ExitCodeForRequest(r.status());
    }
    if (r->chained.empty()) {
      fmt::print("removed the pre-commit hook {}\n", shown(r->hook));
    } else {
      fmt::print(
          "removed the pre-commit hook; the previous one, {}, is back as {}\n",
          shown(r->chained), shown(r->hook));
    }
    return kExitOk;
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) self = "evrepo";
  auto r = InstallHook(repo, self);
  if (!r) {
    PrintError(r.status());
    return ExitCodeForRequest(r.status());
  }
  if (!r->changed) {
    fmt::print("the pre-commit hook {} is already installed\n", shown(r->hook));
  } else {
    fmt::print(
        "installed the pre-commit hook {}: 'git commit' now runs 'evrepo "
        "check --staged'\n",
        shown(r->hook));
  }
  if (!r->chained.empty()) {
    fmt::print("the previous hook, now {}, runs first\n", shown(r->chained));
  }
  return kExitOk;
}

}  // namespace

Runner SetupHook(CLI::App* app, Globals*) {
  auto action = std::make_shared<std::string>();
  app->add_option("ACTION", *action, "install or uninstall")
      ->type_name("")
      ->required()
      ->check(CLI::IsMember({"install", "uninstall"}));
  return [action] { return RunHook(*action); };
}

}  // namespace evrepo::cli
