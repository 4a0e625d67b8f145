// End-to-end tests: Markdown transcripts of the built `evrepo`, in the manner
// of cram.  Each tests/cli/*.md file runs in a fresh temporary directory
// (a copy of the fixture named by a `<!-- fixture: NAME -->` line, from
// tests/fixtures/NAME, or empty), blocks in order, state carried along:
//
//   ```file PATH          writes the block's text to PATH
//   ```console            runs each `$ COMMAND` line with /bin/sh; the lines
//                         after it are its expected stdout and stderr
//                         (merged), then `[exit N]` when N is not 0
//
// The environment is pinned (TZ=UTC, LC_ALL=C.UTF-8, HOME in the temp dir,
// SOURCE_DATE_EPOCH for "today", Git's commit dates, so commit ids are
// stable, no colour) and the temporary directory is shown as $TMP.  On a
// mismatch the test prints a diff; EVREPO_REGENERATE=1 rewrites the transcripts
// with what the command printed instead.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void ReplaceAll(std::string& s, const std::string& from,
                const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos;
       pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

struct RunResult {
  std::string output;
  int exit_code = 0;
};

RunResult RunShell(const std::string& command, const fs::path& dir,
                   const fs::path& bin_dir) {
  std::string script = "cd '" + dir.string() + "' && export PATH='" +
                       bin_dir.string() +
                       "':/usr/local/bin:/usr/bin:/bin HOME='" +
                       (dir.parent_path() / "home").string() +
                       "' TZ=UTC LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1164067200 "
                       "GIT_CONFIG_NOSYSTEM=1 "
                       "GIT_AUTHOR_DATE=2006-11-21T12:00:00+00:00 "
                       "GIT_COMMITTER_DATE=2006-11-21T12:00:00+00:00 && "
                       "unset NO_COLOR GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE "
                       "GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME "
                       "GIT_COMMITTER_EMAIL EVREPO_GIT_USERNAME "
                       "EVREPO_GIT_PASSWORD && "
                       "exec 2>&1 && " +
                       command;
  FILE* pipe = popen(("/bin/sh -c '" +
                      [&] {
                        std::string q = script;
                        ReplaceAll(q, "'", "'\\''");
                        return q;
                      }() +
                      "'")
                         .c_str(),
                     "r");
  RunResult r;
  if (!pipe) {
    r.exit_code = -1;
    return r;
  }
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  int status = pclose(pipe);
  r.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string Diff(const std::vector<std::string>& want,
                 const std::vector<std::string>& got) {
  // Longest common subsequence, enough for transcripts of a few hundred lines.
  std::size_t n = want.size(), m = got.size();
  std::vector<std::vector<int>> l(n + 1, std::vector<int>(m + 1));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      l[i][j] = want[i] == got[j] ? l[i + 1][j + 1] + 1
                                  : std::max(l[i + 1][j], l[i][j + 1]);
    }
  }
  std::string out;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && want[i] == got[j]) {
      out += "  " + want[i++] + "\n";
      ++j;
    } else if (j < m && (i == n || l[i][j + 1] >= l[i + 1][j])) {
      out += "+ " + got[j++] + "\n";
    } else {
      out += "- " + want[i++] + "\n";
    }
  }
  return out;
}

class Transcript : public ::testing::TestWithParam<std::string> {};

TEST_P(Transcript, Matches) {
  const fs::path file = fs::path(EVREPO_TRANSCRIPTS) / (GetParam() + ".md");
  const char* bin = std::getenv("EVREPO_BIN");
  ASSERT_NE(bin, nullptr) << "EVREPO_BIN must name the built evrepo";
  const fs::path bin_dir = fs::absolute(bin).parent_path();

  std::string tmpl = (fs::temp_directory_path() / "evrepo-e2e-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const fs::path tmp = tmpl;
  const fs::path work = tmp / "work";
  fs::create_directories(work);
  fs::create_directories(tmp / "home");

  std::vector<std::string> lines = Lines(ReadAll(file));
  std::vector<std::string> rewritten;
  bool failed = false;
  std::string report;

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    rewritten.push_back(line);
    if (line.rfind("<!-- fixture: ", 0) == 0) {
      std::string name = line.substr(14, line.find(" -->") - 14);
      fs::copy(
          fs::path(EVREPO_TEST_FIXTURES) / name, work,
          fs::copy_options::recursive | fs::copy_options::overwrite_existing);
      continue;
    }
    if (line.rfind("```file ", 0) == 0) {
      std::string content;
      for (++i; i < lines.size() && lines[i] != "```"; ++i) {
        content += lines[i] + "\n";
        rewritten.push_back(lines[i]);
      }
      rewritten.push_back("```");
      fs::path target = work / line.substr(8);
      fs::create_directories(target.parent_path());
      std::ofstream(target, std::ios::binary) << content;
      continue;
    }
    if (line != "```console") continue;
    // Gather commands and their expected output up to the closing fence.
    std::vector<std::string> block;
    for (++i; i < lines.size() && lines[i] != "```"; ++i)
      block.push_back(lines[i]);
    for (std::size_t k = 0; k < block.size();) {
      if (block[k].rfind("$ ", 0) != 0) {
        ++k;
        continue;
      }
      std::string command = block[k].substr(2);
      std::vector<std::string> want;
      for (++k; k < block.size() && block[k].rfind("$ ", 0) != 0; ++k) {
        want.push_back(block[k]);
      }
      RunResult r = RunShell(command, work, bin_dir);
      std::string out = r.output;
      ReplaceAll(out, work.string(), "$TMP");
      std::vector<std::string> got = Lines(out);
      if (r.exit_code != 0)
        got.push_back("[exit " + std::to_string(r.exit_code) + "]");
      rewritten.push_back("$ " + command);
      rewritten.insert(rewritten.end(), got.begin(), got.end());
      if (got != want) {
        failed = true;
        report +=
            GetParam() + ".md: $ " + command + "\n" + Diff(want, got) + "\n";
      }
    }
    rewritten.push_back("```");
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);

  const char* regen = std::getenv("EVREPO_REGENERATE");
  if (failed && regen && *regen && std::string(regen) != "0") {
    std::ofstream out(file, std::ios::binary);
    for (const std::string& l : rewritten) out << l << "\n";
    std::printf("rewrote %s\n", file.c_str());
    return;
  }
  EXPECT_FALSE(failed) << "(- expected, + actual; EVREPO_REGENERATE=1 "
                          "rewrites the transcript)\n"
                       << report;
}

std::vector<std::string> TranscriptNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(EVREPO_TRANSCRIPTS)) {
    if (e.path().extension() == ".md")
      names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Cli, Transcript,
                         ::testing::ValuesIn(TranscriptNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return name;
                         });

}  // namespace
