#pragma once
// A problem in an input file, located: "file:line:column: message". The CLI
// prints it as is and exits with 2.

#include <stdexcept>
#include <string>

namespace mqttsim::scenario {

class LoadError : public std::runtime_error {
 public:
  LoadError(std::string file, int line, int column, const std::string& message)
      : std::runtime_error(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                           message),
        file_{std::move(file)},
        line_{line},
        column_{column},
        message_{message} {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }  // without the location

 private:
  std::string file_;
  int line_;
  int column_;
  std::string message_;
};

}  // namespace mqttsim::scenario
