#include "oracle/filter_index.hpp"

#include <algorithm>

#include "codec/topic.hpp"

namespace mqttsim::oracle {

namespace {

// The first level of `text` and what follows its '/' (`rest`), and whether
// there was no '/' (`last`).
struct Split {
  std::string_view level;
  std::string_view rest;
  bool last;
};

Split split_first(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return {text, {}, true};
  return {text.substr(0, slash), text.substr(slash + 1), false};
}

}  // namespace

void FilterIndex::add(std::string_view filter, std::size_t value) {
  const auto known = filter_ids_.find(filter);
  if (known != filter_ids_.end()) {
    filters_[known->second].values.push_back(value);
    return;
  }
  const std::size_t id = filters_.size();
  filters_.push_back({std::string{filter}, {value}});
  filter_ids_.emplace(std::string{filter}, id);
  std::size_t node = 0;
  std::string_view rest = filter;
  while (true) {
    const Split split = split_first(rest);
    const auto child = nodes_[node].children.find(split.level);
    std::size_t next = 0;
    if (child == nodes_[node].children.end()) {
      next = nodes_.size();
      nodes_[node].children.emplace(std::string{split.level}, next);
      nodes_.emplace_back();
    } else {
      next = child->second;
    }
    node = next;
    if (split.last) break;
    rest = split.rest;
  }
  nodes_[node].filters.push_back(id);
}

// Candidates: the filters under `node` that could match the topic levels
// in `rest` (`at_end`: no levels are left). A '#' child matches whatever is
// left, including nothing ("a/#" and "a"); a '+' child one level.
void FilterIndex::collect(std::size_t node, std::string_view rest, bool at_end,
                          std::vector<std::size_t>& found) const {
  const Node& here = nodes_[node];
  if (const auto hash = here.children.find("#"); hash != here.children.end()) {
    const Node& all = nodes_[hash->second];
    found.insert(found.end(), all.filters.begin(), all.filters.end());
  }
  if (at_end) {
    found.insert(found.end(), here.filters.begin(), here.filters.end());
    return;
  }
  const Split split = split_first(rest);
  if (const auto exact = here.children.find(split.level); exact != here.children.end()) {
    collect(exact->second, split.rest, split.last, found);
  }
  if (split.level != "+") {
    if (const auto plus = here.children.find("+"); plus != here.children.end()) {
      collect(plus->second, split.rest, split.last, found);
    }
  }
}

std::vector<std::size_t> FilterIndex::matching(std::string_view topic) const {
  std::vector<std::size_t> candidates;
  collect(0, topic, false, candidates);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<std::size_t> values;
  for (const std::size_t id : candidates) {
    const Filter& filter = filters_[id];
    if (!codec::topic_matches(filter.text, topic)) continue;
    values.insert(values.end(), filter.values.begin(), filter.values.end());
  }
  return values;
}

}  // namespace mqttsim::oracle
