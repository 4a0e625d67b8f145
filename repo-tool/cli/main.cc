// evrepo's entry point: global options, then one command from kCommands.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <vector>

#include "commands.h"
#include "evrepo/parallel.h"
#include "evrepo/text.h"
#include "printer.h"

namespace evrepo::cli {

namespace {

// The first argument that is not a global option or its value: the command
// name the user meant, if any.  `help` tells whether a help option comes
// before it (or there is none): evrepo's own help, listing every command.
std::string FindCommandWord(int argc, char** argv, bool* help) {
  *help = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "-C" || a == "--color") {
      ++i;
      continue;
    }
    if (a == "-h" || a == "--help") *help = true;
    if (!a.empty() && a[0] == '-') continue;
    return std::string(a);
  }
  return "";
}

int Main(int argc, char** argv) {
  CLI::App app(
      "evrepo: an offline-first evidence repository with full-text "
      "search",
      "evrepo");
  app.get_formatter()->column_width(24);
  app.get_formatter()->label("SUBCOMMAND", "COMMAND");
  app.get_formatter()->label("Positionals", "Arguments");
  Globals globals;
  bool version = false;
  app.add_option("-C", globals.directory, "Run as if started in DIR")
      ->option_text("DIR");
  app.add_option("--color", globals.color, "Colour: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("WHEN");
  app.add_flag("--version", version, "Print the version and exit");
  // Only the command named is set up, unless evrepo's own help lists them
  // all: setting up every command's options took a tenth of a millisecond.
  bool help = false;
  std::string word = FindCommandWord(argc, argv, &help);
  std::vector<std::pair<CLI::App*, Runner>> runners;
  std::vector<std::string> names;
  for (const Command& c : kCommands) names.emplace_back(c.name);
  bool known = std::find(names.begin(), names.end(), word) != names.end();
  for (const Command& c : kCommands) {
    if (known && !help && word != c.name) continue;
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->group("Commands");
    sub->formatter(app.get_formatter());
    runners.emplace_back(sub, c.setup(sub, &globals));
  }
  app.require_subcommand(0, 1);
  app.footer(
      "Run 'evrepo COMMAND --help' for a command's options, and see\n"
      "evrepo(1) and evrepo-COMMAND(1).");

  SetColor(UseColor("auto", stdout), UseColor("auto", stderr));
  if (!word.empty() && !known) {
    std::string hint = "see 'evrepo --help' for the commands";
    if (auto s = Suggest(word, names)) hint = "did you mean '" + *s + "'?";
    PrintError("unknown command '" + word + "'", hint);
    return kExitUsage;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    for (auto& [sub, _] : runners) {
      if (sub->parsed()) {
        std::cout << sub->help("evrepo");
        return kExitOk;
      }
    }
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    // CLI11 capitalises its messages; ours are lower case, but an
    // upper-case word (an argument's name) stays as it is.
    if (msg.size() > 1 && std::islower(static_cast<unsigned char>(msg[1]))) {
      msg[0] = static_cast<char>(std::tolower(msg[0]));
    }
    std::string cmd = "evrepo";
    for (auto& [sub, _] : runners) {
      if (sub->parsed()) cmd += " " + sub->get_name();
    }
    PrintError(msg, "see '" + cmd + " --help'");
    return kExitUsage;
  }

  globals.color_stdout = UseColor(globals.color, stdout);
  globals.color_stderr = UseColor(globals.color, stderr);
  SetColor(globals.color_stdout, globals.color_stderr);

  if (version) {
    std::cout << "evrepo " << EVREPO_VERSION << "\n";
    return kExitOk;
  }
  if (!globals.directory.empty() && chdir(globals.directory.c_str()) != 0) {
    PrintError("cannot change to '" + globals.directory +
               "': " + std::strerror(errno));
    return kExitUsage;
  }
  for (auto& [sub, run] : runners) {
    if (sub->parsed()) return run();
  }
  std::cerr << app.help();
  return kExitUsage;
}

// The corpus that `root` finds, opened: nullopt, said, when there is none.
std::optional<Corpus> OpenCorpusAt(
    const Result<std::filesystem::path>& root, int* exit_code,
    Corpus::Loading loading = Corpus::Loading::kWithSchema) {
  if (!root) {
    PrintError(root.status());
    *exit_code = ExitCodeFor(root.status());
    return std::nullopt;
  }
  auto corpus = Corpus::Open(*root, loading);
  if (!corpus) {
    PrintError(corpus.status());
    *exit_code = ExitCodeFor(corpus.status());
    return std::nullopt;
  }
  return std::move(*corpus);
}

Result<std::filesystem::path> FindCorpusRoot() {
  std::error_code ec;
  return Corpus::FindRoot(std::filesystem::current_path(ec));
}

// The repository `repo` opened: nullopt, said, when it could not be.
std::optional<Repository> Reported(Result<Repository> repo, int* exit_code) {
  if (!repo) {
    PrintError(repo.status());
    *exit_code = ExitCodeFor(repo.status());
    return std::nullopt;
  }
  return std::move(*repo);
}

}  // namespace

std::optional<Corpus> OpenCorpus(int* exit_code, Corpus::Loading loading) {
  return OpenCorpusAt(FindCorpusRoot(), exit_code, loading);
}

std::optional<Repository> OpenRepository(const Corpus& corpus, int* exit_code) {
  return Reported(Repository::Discover(corpus.root()), exit_code);
}

std::optional<Workspace> OpenWorkspace(int* exit_code) {
  // The Git repository is opened on another thread while the corpus's
  // configuration and schemas are read: each takes a few tenths of a
  // millisecond, much of a one-document index update.
  auto root = FindCorpusRoot();
  Pending<Result<Repository>> opening;
  if (root) {
    try {
      opening = Async([dir = *root] { return Repository::Discover(dir); });
    } catch (const std::system_error&) {
      // No thread to be had: opened below, after the corpus.
    }
  }
  auto corpus = OpenCorpusAt(root, exit_code);
  if (!corpus) return std::nullopt;
  auto repo = opening.valid() ? Reported(opening.get(), exit_code)
                              : OpenRepository(*corpus, exit_code);
  if (!repo) return std::nullopt;
  return Workspace{std::move(*corpus), std::move(*repo)};
}

void KeepUntilExit(std::shared_ptr<void> p) {
  // Never destroyed: a static vector would free its elements at exit.
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  kept->push_back(std::move(p));
}

std::optional<std::string> DocumentArgument(const Corpus& corpus,
                                            const std::string& arg,
                                            int* exit_code) {
  bool is_path = arg.find('/') != std::string::npos ||
                 (arg.size() > 3 && arg.compare(arg.size() - 3, 3, ".md") == 0);
  if (!is_path) return arg;
  auto rel = corpus.Relative(arg);
  if (!rel) {
    PrintError(rel.status());
    *exit_code = ExitCodeFor(rel.status());
    return std::nullopt;
  }
  return *rel;
}

}  // namespace evrepo::cli

int main(int argc, char** argv) {
  // stdout's buffer from the start.  Left to the first write, it was
  // allocated after a publish had freed much of what it built, and malloc
  // first gathered all those small free pieces: 3 ms of a re-publish.
  static char out_buffer[BUFSIZ];
  std::setvbuf(stdout, out_buffer, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
               sizeof out_buffer);
  int code = evrepo::cli::kExitFailure;
  try {
    code = evrepo::cli::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    evrepo::cli::PrintError("out of memory");
  } catch (const std::exception& e) {
    evrepo::cli::PrintError(std::string("internal error: ") + e.what(),
                            "please report this as a bug");
  }
  // Everything a command does is done when Main returns.  What is left is
  // static: CLI11's validators, made again in every file that includes it,
  // and yaml-cpp's tables; the kernel takes back their memory with the
  // process.  Their destructors were 48,000 instructions of a search, so
  // the output is flushed and the process ends without them.  Sanitizer
  // builds end normally, for LeakSanitizer's check at exit.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
#if !defined(__SANITIZE_ADDRESS__)
  _exit(code);
#endif
  return code;
}
