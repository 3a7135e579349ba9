#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "reports/atomic_file.hpp"

namespace fs = std::filesystem;
using mqttsim::reports::write_file_atomically;
using mqttsim::reports::WriteError;

namespace {

// A fresh folder per test case, removed afterwards.
struct ScratchFolder {
  fs::path root;
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "mqttsim-st_atomic_file-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
};

std::string read(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

void write_plain(const fs::path& path, const std::string& content) {
  std::ofstream{path, std::ios::binary} << content;
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator{folder}) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// While alive, files of this process cannot grow beyond `bytes`: a write past
// it fails with EFBIG (SIGXFSZ ignored), whatever the user's privileges.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    BOOST_REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*previous_handler_)(int) = nullptr;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(st_atomic_file)

BOOST_FIXTURE_TEST_CASE(writes_a_new_file, ScratchFolder) {
  const fs::path target = root / "report.json";
  BOOST_TEST(!write_file_atomically(target, "{}\n").has_value());
  BOOST_TEST(read(target) == "{}\n");
  BOOST_TEST(names_in(root) == std::vector<std::string>{"report.json"});
}

BOOST_FIXTURE_TEST_CASE(replaces_an_existing_file, ScratchFolder) {
  const fs::path target = root / "junit.xml";
  write_plain(target, "the old report, longer than the new one");
  BOOST_TEST(!write_file_atomically(target, "new").has_value());
  BOOST_TEST(read(target) == "new");
  BOOST_TEST(names_in(root) == std::vector<std::string>{"junit.xml"});
}

BOOST_FIXTURE_TEST_CASE(writes_empty_and_binary_content_exactly, ScratchFolder) {
  const fs::path target = root / "out.bin";
  BOOST_TEST(!write_file_atomically(target, "").has_value());
  BOOST_TEST(fs::file_size(target) == 0u);
  const std::string binary("\0\xff\r\n\0", 5);
  BOOST_TEST(!write_file_atomically(target, binary).has_value());
  BOOST_TEST(read(target) == binary);
}

BOOST_FIXTURE_TEST_CASE(creates_missing_parent_folders, ScratchFolder) {
  const fs::path target = root / "out" / "ci" / "junit.xml";
  BOOST_TEST(!write_file_atomically(target, "<testsuites/>").has_value());
  BOOST_TEST(read(target) == "<testsuites/>");
  BOOST_TEST(names_in(root / "out" / "ci") == std::vector<std::string>{"junit.xml"});
}

BOOST_FIXTURE_TEST_CASE(a_parent_that_is_a_file_is_an_error_naming_the_path, ScratchFolder) {
  write_plain(root / "out", "a file where a folder should be");
  const fs::path target = root / "out" / "junit.xml";
  const std::optional<WriteError> error = write_file_atomically(target, "x");
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(error->path == target);
  BOOST_TEST(error->step == "create folder " + (root / "out").string());
  BOOST_TEST(static_cast<bool>(error->reason));
  const std::string message = to_string(*error);
  BOOST_TEST(message.find("cannot write " + target.string() + ": ") == 0u);
  BOOST_TEST(message.find(error->reason.message()) != std::string::npos);
  BOOST_TEST(read(root / "out") == "a file where a folder should be");
  BOOST_TEST(names_in(root) == std::vector<std::string>{"out"});
}

BOOST_FIXTURE_TEST_CASE(a_target_that_is_a_folder_is_left_intact, ScratchFolder) {
  const fs::path target = root / "report.json";
  fs::create_directory(target);
  write_plain(target / "inside", "kept");
  const std::optional<WriteError> error = write_file_atomically(target, "x");
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(error->path == target);
  BOOST_TEST(error->step.find("rename") == 0u);
  BOOST_TEST(fs::is_directory(target));
  BOOST_TEST(read(target / "inside") == "kept");
  BOOST_TEST(names_in(root) == std::vector<std::string>{"report.json"});  // no temporary left
}

BOOST_FIXTURE_TEST_CASE(a_failed_write_keeps_the_old_file_and_leaves_no_temporary, ScratchFolder) {
  const fs::path target = root / "report.json";
  write_plain(target, "old");
  std::optional<WriteError> error;
  {
    const FileSizeLimit limit{16};
    error = write_file_atomically(target, std::string(4096, 'x'));
  }
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(error->step == "write");
  BOOST_TEST((error->reason == std::errc::file_too_large));
  BOOST_TEST(read(target) == "old");
  BOOST_TEST(names_in(root) == std::vector<std::string>{"report.json"});
}

BOOST_FIXTURE_TEST_CASE(a_name_without_a_file_part_is_an_error, ScratchFolder) {
  const fs::path target = root / "out" / "";
  const std::optional<WriteError> error = write_file_atomically(target, "x");
  BOOST_REQUIRE(error.has_value());
  BOOST_TEST(error->path == target);
  BOOST_TEST(names_in(root).empty());
}

BOOST_FIXTURE_TEST_CASE(a_symbolic_link_is_replaced_not_followed, ScratchFolder) {
  write_plain(root / "elsewhere.json", "untouched");
  fs::create_symlink("elsewhere.json", root / "report.json");
  BOOST_TEST(!write_file_atomically(root / "report.json", "new").has_value());
  BOOST_TEST(!fs::is_symlink(root / "report.json"));
  BOOST_TEST(read(root / "report.json") == "new");
  BOOST_TEST(read(root / "elsewhere.json") == "untouched");
}

// A temporary left behind by an earlier run that had our pid is someone
// else's file: it is neither reused nor removed.
BOOST_FIXTURE_TEST_CASE(a_stale_temporary_is_stepped_around, ScratchFolder) {
  const std::string stale = ".report.json.tmp." + std::to_string(::getpid());
  write_plain(root / stale, "stale");
  BOOST_TEST(!write_file_atomically(root / "report.json", "fresh").has_value());
  BOOST_TEST(read(root / "report.json") == "fresh");
  BOOST_TEST(read(root / stale) == "stale");
  BOOST_TEST(names_in(root) == (std::vector<std::string>{stale, "report.json"}));
}

BOOST_AUTO_TEST_SUITE_END()
