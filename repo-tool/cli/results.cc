// Search results as text, JSON, ids or paths.
#include "results.h"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "evrepo/index/index.h"
#include "printer.h"

namespace evrepo::cli {

void AddResultOptions(CLI::App* app, ResultOptions* options, bool offset) {
  app->add_option("-n,--limit", options->limit,
                  "Show at most N documents (default 10)")
      ->option_text("N");
  if (offset) {
    app->add_option("--offset", options->offset, "Skip the first N documents")
        ->option_text("N");
  }
  app->add_option("--format", options->format,
                  "Output format: text, json, ids or paths")
      ->check(CLI::IsMember({"text", "json", "ids", "paths"}))
      ->option_text("FORMAT");
  app->add_flag("--no-update{false}", options->update,
                "Search the index as it is, even if HEAD has moved on");
}

namespace {

bool EnsureIndex(const Corpus& corpus, const Repository& repo, int* exit_code) {
  auto head = repo.Head();
  if (!head) {
    PrintError(head.status());
    *exit_code = ExitCodeFor(head.status());
    return false;
  }
  if (!*head) {
    auto indexed = index::IndexedCommit(corpus);
    if (indexed && *indexed) return true;  // an index without commits: use it
    PrintError("nothing is committed yet, so there is nothing to search",
               "commit documents with 'evrepo add PATH... -m MESSAGE'");
    *exit_code = kExitInvalid;
    return false;
  }
  // Cheap (a read-only look at the index's metadata): update only when
  // HEAD moved or the schemas or configuration changed.
  auto current = index::IndexIsCurrent(corpus, **head);
  if (current && *current) return true;
  auto report = index::UpdateIndex(corpus, repo, {});
  if (!report) {
    PrintError(report.status());
    *exit_code = ExitCodeFor(report.status());
    return false;
  }
  return true;
}

}  // namespace

std::optional<Corpus> OpenIndexedCorpus(const ResultOptions& options,
                                        Corpus::Loading loading,
                                        int* exit_code) {
  if (!options.update) return OpenCorpus(exit_code, loading);
  auto ws = OpenWorkspace(exit_code);
  if (!ws || !EnsureIndex(ws->corpus, ws->repo, exit_code)) return std::nullopt;
  return std::move(ws->corpus);
}

index::SearchOptions SearchOptionsFor(const ResultOptions& options,
                                      const Globals& globals) {
  index::SearchOptions s;
  s.limit = options.limit;
  s.offset = options.offset;
  if (options.format == "ids" || options.format == "paths") {
    s.snippet_length = 0;
  }
  if (options.format == "text" && globals.color_stdout) {
    s.highlight_start = "\x1b[1;31m";
    s.highlight_end = "\x1b[0m";
  }
  return s;
}

int PrintResult(const index::SearchResult& r, const std::string& query,
                const ResultOptions& options, const Globals& globals) {
  if (options.format == "ids" || options.format == "paths") {
    if (r.used_correction) {
      fmt::print(stderr, "nothing matches '{}'; showing '{}'\n", query,
                 r.corrected_query);
    }
    for (const index::Hit& h : r.hits) {
      fmt::print("{}\n", options.format == "ids" ? h.id : h.path);
    }
  } else if (options.format == "json") {
    nlohmann::json hits = nlohmann::json::array();
    for (const index::Hit& h : r.hits) {
      hits.push_back({{"rank", h.rank},
                      {"percent", h.percent},
                      {"id", h.id},
                      {"title", h.title},
                      {"type", h.type},
                      {"date", h.date},
                      {"confidentiality", h.confidentiality},
                      {"status", h.status},
                      {"path", h.path},
                      {"summary", h.summary},
                      {"snippet", h.snippet}});
    }
    nlohmann::json out = {{"query", query},
                          {"commit", r.commit},
                          {"total", r.total},
                          {"offset", options.offset},
                          {"hits", hits}};
    if (!r.corrected_query.empty()) {
      out["did_you_mean"] = {{"query", r.corrected_query},
                             {"total", r.corrected_total},
                             {"shown", r.used_correction}};
    }
    if (!r.terms.empty()) out["terms"] = r.terms;
    if (!r.facets.empty()) {
      nlohmann::json facets = nlohmann::json::object();
      for (const auto& [field, values] : r.facets) {
        nlohmann::json v = nlohmann::json::object();
        for (const index::FacetValue& f : values) v[f.value] = f.count;
        facets[field] = v;
      }
      out["facets"] = facets;
    }
    fmt::print("{}\n", out.dump(2, ' ', false,
                                nlohmann::json::error_handler_t::replace));
  } else {
    if (r.used_correction) {
      fmt::print("nothing matches '{}'; showing '{}'\n\n", query,
                 r.corrected_query);
    } else if (!r.corrected_query.empty()) {
      fmt::print("did you mean: {}  ({} document{})\n\n", r.corrected_query,
                 r.corrected_total, r.corrected_total == 1 ? "" : "s");
    }
    if (!r.terms.empty()) {
      std::string words;
      for (const std::string& t : r.terms) {
        words += (words.empty() ? "" : ", ") + t;
      }
      fmt::print("alike in: {}\n\n", words);
    }
    for (const index::Hit& h : r.hits) {
      fmt::print("{:>3}. {}  {}\n", h.rank,
                 Paint(h.id, "33", globals.color_stdout),
                 Paint(h.title, "1", globals.color_stdout));
      std::string meta = h.type.empty() ? "document" : h.type;
      if (!h.date.empty()) meta += " · " + h.date;
      if (!h.confidentiality.empty() && h.confidentiality != "public") {
        meta += " · " + h.confidentiality;
      }
      if (h.status == "draft" || h.status == "superseded") {
        meta += " · " + h.status;
      }
      fmt::print("     {} · {}\n", meta, h.path);
      if (!h.snippet.empty()) fmt::print("     {}\n", h.snippet);
    }
    if (!r.facets.empty()) {
      if (!r.hits.empty()) fmt::print("\n");
      for (const auto& [field, values] : r.facets) {
        constexpr std::size_t kShown = 12;
        std::string line;
        for (std::size_t i = 0; i < values.size() && i < kShown; ++i) {
          line += (line.empty() ? "" : ", ") + values[i].value + " " +
                  std::to_string(values[i].count);
        }
        if (values.size() > kShown) {
          line += fmt::format(", … ({} more)", values.size() - kShown);
        }
        fmt::print("{}: {}\n", field, line);
      }
    }
    std::fflush(stdout);
    if (r.total == 0) {
      fmt::print(stderr, "no documents match\n");
    } else if (r.hits.empty()) {
      fmt::print(stderr, "{} document{}\n", r.total, r.total == 1 ? "" : "s");
    } else {
      fmt::print(stderr, "{}–{} of {} document{}\n", r.hits.front().rank,
                 r.hits.back().rank, r.total, r.total == 1 ? "" : "s");
    }
  }
  return r.hits.empty() && r.total == 0 ? kExitInvalid : kExitOk;
}

}  // namespace evrepo::cli
