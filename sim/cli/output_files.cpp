#include "output_files.hpp"

#include <iostream>

#include "reports/atomic_file.hpp"

namespace mqttsim::cli {

std::string flat_file_stem(const std::string& scenario_file) {
  std::string name =
      std::filesystem::path{scenario_file}.lexically_normal().replace_extension().generic_string();
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == ':') c = '_';
  }
  while (!name.empty() && name.front() == '.') name.erase(name.begin());
  return name;
}

bool write_output_file(std::string_view command, const std::filesystem::path& path,
                       const std::string& content) {
  if (const auto error = reports::write_file_atomically(path, content)) {
    std::cerr << "mqttsim " << command << ": " << reports::to_string(*error) << "\n";
    return false;
  }
  return true;
}

}  // namespace mqttsim::cli
