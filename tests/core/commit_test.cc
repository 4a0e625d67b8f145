// Tests of `add` (commit.h): what would be committed is checked as a whole
// corpus, and either committed exactly or not at all.
#include "evrepo/commit.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace evrepo {
namespace {

namespace fs = std::filesystem;
using testing::GitTest;

using Strings = std::vector<std::string>;

const std::string kCase = "case-studies/greenway-wave-1.md";
const std::string kPolicy = "policy-responses/joint-note-response-2006.md";
const std::string kToolkit = "toolkits/finding-small-contracts.md";

Strings Formatted(const std::vector<Diagnostic>& diagnostics) {
  Strings out;
  for (const Diagnostic& d : diagnostics) out.push_back(FormatDiagnostic(d));
  return out;
}

Strings Files(const AddResult& r) {
  Strings out;
  for (const AddedFile& f : r.files)
    out.push_back(std::string(1, f.kind) + " " + f.path);
  return out;
}

class CommitTest : public GitTest {
 protected:
  Result<AddResult> Add(const Strings& paths,
                        const std::string& message = "Change",
                        bool strict = false) {
    AddOptions options;
    options.paths = paths;
    options.message = message;
    options.strict = strict;
    return AddAndCommit(corpus(), repo(), options);
  }
  // HEAD, the index and the status, to compare before and after.
  std::string State() {
    return Git("rev-parse HEAD") + "\n" + Git("ls-files -s") + "\n" +
           Git("status --porcelain");
  }
};

TEST_F(CommitTest, ValidChangeIsCommitted) {
  MakeCorpus();
  std::string parent = Git("rev-parse HEAD");
  Edit(kCase, "stage: start-up", "stage: growing");
  auto r = Add({kCase}, "Greenway is growing");
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_TRUE(r->commit);
  EXPECT_EQ(*r->commit, Git("rev-parse HEAD"));
  EXPECT_EQ(Files(*r), Strings{"M " + kCase});
  EXPECT_EQ(Formatted(r->diagnostics), Strings{});
  EXPECT_EQ(r->errors, 0);
  EXPECT_EQ(r->warnings, 0);
  EXPECT_EQ(r->preexisting_errors, 0);
  EXPECT_FALSE(r->merge);
  EXPECT_EQ(Git("log -1 --format=%P%n%s"), parent + "\nGreenway is growing");
  EXPECT_EQ(Git("show HEAD:" + kCase) + "\n", Read(kCase));
  EXPECT_EQ(Git("status --porcelain"), "");
}

TEST_F(CommitTest, InvalidDocumentIsRefusedAndNothingIsStagedOrCommitted) {
  MakeCorpus();
  Edit(kCase, "stage: start-up", "stage: flying");
  std::string text = Read(kCase);
  std::string before = State();
  auto r = Add({kCase});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->commit, std::nullopt);
  EXPECT_EQ(r->errors, 1);
  ASSERT_EQ(r->diagnostics.size(), 1u);
  EXPECT_EQ(r->diagnostics[0].path, kCase);
  EXPECT_EQ(r->diagnostics[0].line, 13);
  EXPECT_EQ(r->diagnostics[0].rule, "enum");
  EXPECT_EQ(Files(*r), Strings{"M " + kCase});
  EXPECT_EQ(State(), before);
  EXPECT_EQ(Read(kCase), text);
}

TEST_F(CommitTest, DeletionThatBreaksAReferenceIsRefused) {
  MakeCorpus();
  fs::remove(root() / kPolicy);
  std::string before = State();
  auto r = Add({kPolicy});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->commit, std::nullopt);
  EXPECT_EQ(Files(*r), Strings{"D " + kPolicy});
  EXPECT_EQ(r->errors, 2);
  EXPECT_EQ(
      Formatted(r->diagnostics),
      (Strings{kCase + ":17:11: error: 'related' names "
                       "'joint-note-response-2006', which is no document's "
                       "id [reference]",
               kCase + ":23:1: error: link to 'doc:joint-note-response-2006' "
                       "names no document [link]"}));
  EXPECT_EQ(State(), before);
}

TEST_F(CommitTest, ErrorsAlreadyElsewhereDoNotBlockButAreCounted) {
  MakeCorpus();
  Edit(kToolkit, "status: draft", "status: bogus");
  GitCommitAll("An invalid toolkit, committed with git");
  Edit(kCase, "stage: start-up", "stage: growing");
  auto r = Add({kCase});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(r->errors, 0);
  EXPECT_EQ(r->preexisting_errors, 1);
  EXPECT_EQ(Formatted(r->diagnostics), Strings{});
}

TEST_F(CommitTest, WarningsAreReportedAndBlockOnlyWhenStrict) {
  MakeCorpus();
  Write("notes/meeting.md", "# Meeting\n");
  std::string before = State();
  auto strict = Add({"notes"}, "Notes", /*strict=*/true);
  ASSERT_TRUE(strict) << strict.status().message();
  EXPECT_EQ(strict->commit, std::nullopt);
  EXPECT_EQ(strict->errors, 1);
  EXPECT_EQ(strict->warnings, 0);
  EXPECT_EQ(Formatted(strict->diagnostics),
            Strings{"notes/meeting.md:1:1: error: no front matter: treated as "
                    "a generic document [generic]"});
  EXPECT_EQ(State(), before);

  auto lax = Add({"notes"}, "Notes");
  ASSERT_TRUE(lax) << lax.status().message();
  EXPECT_TRUE(lax->commit);
  EXPECT_EQ(lax->errors, 0);
  EXPECT_EQ(lax->warnings, 1);
  EXPECT_EQ(Formatted(lax->diagnostics),
            Strings{"notes/meeting.md:1:1: warning: no front matter: treated "
                    "as a generic document [generic]"});
}

TEST_F(CommitTest, WarningsInOtherDocumentsAreNotReported) {
  MakeCorpus();
  Write("notes/meeting.md", "# Meeting\n");
  GitCommitAll("A generic document");
  Edit(kCase, "stage: start-up", "stage: growing");
  auto r = Add({kCase}, "Growing", /*strict=*/true);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(r->warnings, 0);
  EXPECT_EQ(r->errors, 0);
  EXPECT_EQ(r->preexisting_errors, 1);  // strict: the warning counts as one
  EXPECT_EQ(Formatted(r->diagnostics), Strings{});
}

TEST_F(CommitTest, RenameInADirectoryIsAnAdditionAndADeletion) {
  MakeCorpus();
  fs::rename(root() / kPolicy, root() / "policy-responses/joint-note-2006.md");
  auto r = Add({"policy-responses"}, "Shorter name");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(Files(*r),
            (Strings{"A policy-responses/joint-note-2006.md", "D " + kPolicy}));
  EXPECT_EQ(Git("ls-tree -r --name-only HEAD policy-responses"),
            "policy-responses/joint-note-2006.md");
  EXPECT_EQ(Git("status --porcelain"), "");
}

TEST_F(CommitTest, DirectoriesExpandToTheirFilesInASubdirectoryCorpus) {
  MakeCorpus("evidence");
  Edit(kCase, "stage: start-up", "stage: growing");
  Write("case-studies/harbour-kitchen.md",
        testing::CaseStudyText("harbour-kitchen"));
  Edit(kToolkit, "Start with", "First, start with");  // not named
  auto r = Add({"case-studies"}, "Case studies");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(Files(*r),
            (Strings{"M " + kCase, "A case-studies/harbour-kitchen.md"}));
  EXPECT_EQ(Git("show --name-only --format= HEAD"),
            "evidence/case-studies/greenway-wave-1.md\n"
            "evidence/case-studies/harbour-kitchen.md");
  EXPECT_EQ(Git("status --porcelain"), " M evidence/" + kToolkit);
}

// As `evrepo add toolkits/` passes it once the directory is gone.
TEST_F(CommitTest, RemovedDirectoryNamedWithATrailingSlashIsDeleted) {
  MakeCorpus();
  Edit(kCase, "[toolkit](../toolkits/finding-small-contracts.md)", "toolkit");
  GitCommitAll("Unlink the toolkit");
  fs::remove_all(root() / "toolkits");
  auto r = Add({"toolkits/"}, "Withdraw the toolkit");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(Files(*r), Strings{"D " + kToolkit});
}

TEST_F(CommitTest, TheWholeCorpusIncludesNonDocumentFiles) {
  MakeCorpus("", /*commit=*/false);
  Write(".gitignore", "*.tmp\n");
  Write("notes.tmp", "scratch\n");
  auto r = Add({""}, "Import");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(Files(*r),
            (Strings{"A .gitignore", "A README.md", "A " + kCase,
                     "A evrepo.yml", "A " + kPolicy, "A " + kToolkit}));
  EXPECT_EQ(Git("rev-list --count HEAD"), "1");
  EXPECT_EQ(Git("status --porcelain"), "");
}

TEST_F(CommitTest, DirectoryExpansionSkipsIgnoredFilesDotDirectoriesAndLinks) {
  MakeCorpus();
  Write(".gitignore", "*.tmp\nscratch/\n");
  GitCommitAll("Ignore rules");
  Write("case-studies/notes.tmp", "scratch\n");
  Write("case-studies/scratch/a.md", "# A\n");
  Write("case-studies/.drafts/b.md", "# B\n");
  Write("case-studies/.gitattributes", "*.md text\n");  // dot-files count
  fs::create_symlink("greenway-wave-1.md", root() / "case-studies/link.md");
  Write("case-studies/harbour-kitchen.md",
        testing::CaseStudyText("harbour-kitchen"));
  auto r = Add({"case-studies"});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(Files(*r), (Strings{"A case-studies/.gitattributes",
                                "A case-studies/harbour-kitchen.md"}));
  EXPECT_EQ(Git("show --name-only --format= HEAD"),
            "case-studies/.gitattributes\ncase-studies/harbour-kitchen.md");
}

TEST_F(CommitTest, IgnoredLinkedOrMissingSelectionsAreUsageErrors) {
  MakeCorpus();
  Write(".gitignore", "*.tmp\n");
  Write("notes.tmp", "scratch\n");
  fs::create_symlink("greenway-wave-1.md", root() / "case-studies/link.md");
  Edit(kCase, "stage: start-up", "stage: growing");
  std::string before = State();

  auto ignored = Add({kCase, "notes.tmp"});
  ASSERT_FALSE(ignored);
  EXPECT_EQ(ignored.status().code(), Status::Code::kUsage);
  EXPECT_EQ(ignored.status().message(),
            "'notes.tmp' is ignored by Git (.gitignore)");

  auto link = Add({kCase, "case-studies/link.md"});
  ASSERT_FALSE(link);
  EXPECT_EQ(link.status().code(), Status::Code::kUsage);
  EXPECT_EQ(link.status().message(),
            "'case-studies/link.md' is a symbolic link");
  EXPECT_EQ(link.status().hint(), "evrepo commits regular files only");

  auto missing = Add({kCase, "case-studies/nowhere.md"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), Status::Code::kUsage);
  EXPECT_EQ(missing.status().message(),
            "'case-studies/nowhere.md' matches no file");
  EXPECT_EQ(missing.status().hint(), "name files or directories of the corpus");
  EXPECT_EQ(State(), before);
}

TEST_F(CommitTest, NothingToCommitIsInvalid) {
  MakeCorpus();
  auto r = Add({"case-studies"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(r.status().message(), "nothing to commit: the files match HEAD");
}

TEST_F(CommitTest, LineEndingsAreNormalisedByTheRepositoryFilters) {
  MakeCorpus();
  Write(".gitattributes", "*.md text\n");
  GitCommitAll("Attributes");
  std::string text = Read(kCase), crlf;
  for (char c : text)
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  Write(kCase, crlf);
  auto r = Add({kCase});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(), "nothing to commit: the files match HEAD");
}

TEST_F(CommitTest, AMessageIsRequired) {
  MakeCorpus();
  Edit(kCase, "stage: start-up", "stage: growing");
  auto r = Add({kCase}, " \n\t");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kUsage);
  EXPECT_EQ(r.status().message(), "a commit message is required");
  EXPECT_EQ(r.status().hint(), "say why with -m MESSAGE");
}

TEST_F(CommitTest, OtherStagedChangesStayStaged) {
  MakeCorpus();
  Edit(kToolkit, "status: draft", "status: final");
  Git("add " + kToolkit);
  Edit(kCase, "stage: start-up", "stage: growing");
  auto r = Add({kCase});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(Git("show --name-only --format= HEAD"), kCase);
  EXPECT_EQ(Git("status --porcelain"), "M  " + kToolkit);
}

TEST_F(CommitTest, AFileGoneFromTheWorkingTreeIsDeleted) {
  MakeCorpus();
  fs::remove(root() / "README.md");
  auto r = Add({"README.md"}, "No readme");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->commit);
  EXPECT_EQ(Files(*r), Strings{"D README.md"});
  EXPECT_EQ(Git("ls-tree --name-only HEAD README.md"), "");
  EXPECT_EQ(Git("status --porcelain"), "");
}

class CommitMerge : public CommitTest {
 protected:
  // `git merge side` conflicting on the case study (and, with `toolkit`,
  // on the toolkit too).
  void Conflict(bool toolkit = false) {
    MakeCorpus();
    Git("switch -q -c side");
    Edit(kCase, "stage: start-up", "stage: established");
    if (toolkit) Edit(kToolkit, "status: draft", "status: final");
    side_ = GitCommitAll("Side");
    Git("switch -q main");
    Edit(kCase, "stage: start-up", "stage: growing");
    if (toolkit) Edit(kToolkit, "status: draft", "status: withdrawn");
    ours_ = GitCommitAll("Main");
    ASSERT_NE(testing::GitStatus(top(), "merge -q side"), 0);
  }
  // Replaces the conflict in the case study by `stage: STAGE`.
  void Resolve(const std::string& file, const std::string& line) {
    std::string text = Read(file);
    std::size_t start = text.find("<<<<<<< ");
    std::size_t end = text.find('\n', text.find(">>>>>>> ")) + 1;
    ASSERT_NE(start, std::string::npos);
    text.replace(start, end - start, line + "\n");
    Write(file, text);
  }
  std::string ours_, side_;
};

TEST_F(CommitMerge, ResolvedConflictConcludesTheMerge) {
  Conflict();
  Resolve(kCase, "stage: established");
  auto r = Add({kCase}, "Merge side: established");
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_TRUE(r->commit);
  EXPECT_TRUE(r->merge);
  EXPECT_EQ(Files(*r), Strings{"M " + kCase});
  EXPECT_EQ(Git("log -1 --format=%P"), ours_ + " " + side_);
  EXPECT_FALSE(repo().IsMerging());
  EXPECT_EQ(Git("status --porcelain"), "");
  EXPECT_EQ(Git("show HEAD:" + kCase) + "\n", Read(kCase));
}

TEST_F(CommitMerge, ConflictMarkersAreRefusedAndTheMergeStays) {
  Conflict();
  std::string before = State();
  auto r = Add({kCase}, "Merge side");
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->commit, std::nullopt);
  EXPECT_TRUE(r->merge);
  EXPECT_GE(r->errors, 1);
  ASSERT_FALSE(r->diagnostics.empty());
  EXPECT_EQ(r->diagnostics[0].rule, "front-matter");
  EXPECT_TRUE(repo().IsMerging());
  EXPECT_EQ(State(), before);
}

TEST_F(CommitMerge, OtherUnresolvedFilesAreAConflict) {
  Conflict(/*toolkit=*/true);
  Resolve(kCase, "stage: established");
  std::string before = State();
  auto r = Add({kCase}, "Merge side");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_EQ(r.status().message(),
            "the merge still has unresolved files: " + kToolkit);
  EXPECT_TRUE(repo().IsMerging());
  EXPECT_EQ(State(), before);
}

}  // namespace
}  // namespace evrepo
