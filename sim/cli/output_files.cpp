#include "output_files.hpp"

#include <iostream>

#include "reports/atomic_file.hpp"
#include "reports/json_writer.hpp"
#include "reports/junit_writer.hpp"

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

bool write_run_reports(std::string_view command, const reports::RunReport& report,
                       const std::optional<std::string>& json_path,
                       const std::optional<std::string>& junit_path) {
  bool written = true;
  if (json_path && !write_output_file(command, *json_path, reports::to_json(report))) {
    written = false;
  }
  if (junit_path && !write_output_file(command, *junit_path, reports::to_junit_xml(report))) {
    written = false;
  }
  return written;
}

}  // namespace mqttsim::cli
