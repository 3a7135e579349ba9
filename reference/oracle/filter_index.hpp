#pragma once
// Which topic filters match a topic, without matching every filter: on a
// long run with a population, a message's topic is matched against the
// filters of every session, and a scan of them all per message is a product
// of the two counts. The index is a tree of filter levels ('+' and '#'
// as their own branches) that yields the filters a topic could match; each
// is then confirmed by codec::topic_matches, so that the rules (the '$'
// exception, "a/#" matching "a") have one reading.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mqttsim::oracle {

class FilterIndex {
 public:
  // Adds `filter` (a plain filter: a shared subscription's after its
  // "$share/{ShareName}/"), tagged with `value`.
  void add(std::string_view filter, std::size_t value);

  // The values of every filter added that matches `topic`, in the order
  // the filters were first added (each value once per time it was added).
  std::vector<std::size_t> matching(std::string_view topic) const;

 private:
  struct Node {
    std::map<std::string, std::size_t, std::less<>> children;  // level -> node
    std::vector<std::size_t> filters;  // ending here (indices into filters_)
  };
  struct Filter {
    std::string text;
    std::vector<std::size_t> values;
  };

  void collect(std::size_t node, std::string_view rest, bool at_end,
               std::vector<std::size_t>& found) const;

  std::vector<Node> nodes_{Node{}};
  std::vector<Filter> filters_;
  std::map<std::string, std::size_t, std::less<>> filter_ids_;
};

}  // namespace mqttsim::oracle
