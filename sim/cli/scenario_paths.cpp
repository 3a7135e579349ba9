#include "scenario_paths.hpp"

#include <algorithm>

#include "command.hpp"

namespace mqttsim::cli {

namespace fs = std::filesystem;

std::vector<fs::path> scenario_files(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) throw UsageError{"no such file or folder: " + path};
  if (!fs::is_directory(status)) return {fs::path{path}};
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator{path, error};
       !error && it != fs::recursive_directory_iterator{}; it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".yaml") files.push_back(it->path());
  }
  if (error) throw UsageError{"cannot read folder " + path + ": " + error.message()};
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace mqttsim::cli
