#include "scenario_paths.hpp"

#include <algorithm>
#include <iostream>

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

bool visit_scenario_files(const std::vector<std::string>& paths, std::string_view command,
                          const std::function<void(const std::string& file)>& visit) {
  bool readable = true;
  std::size_t visited = 0;
  for (const std::string& path : paths) {
    std::vector<fs::path> files;
    try {
      files = scenario_files(path);
    } catch (const UsageError& error) {
      std::cerr << "mqttsim " << command << ": " << error.what() << "\n";
      readable = false;
      continue;
    }
    for (const fs::path& file : files) {
      ++visited;
      visit(file.string());
    }
  }
  if (visited == 0 && readable) {
    std::cerr << "mqttsim " << command << ": no *.yaml files found\n";
    return false;
  }
  return readable;
}

}  // namespace mqttsim::cli
