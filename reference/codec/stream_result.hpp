#pragma once
// What a pull-style stream reader (StreamFramer, PacketReader) hands back from
// next(): an item, "need more bytes", or an error. The caller loops
//
//   reader.feed(chunk);
//   for (auto result = reader.next(); !result.need_more(); result = reader.next()) {
//     if (result.has_error()) { close(result.error()); break; }
//     handle(std::move(result.item()));
//   }

#include <cassert>
#include <utility>
#include <variant>

namespace mqttsim::codec {

template <class Item, class Error>
class [[nodiscard]] StreamResult {
 public:
  static StreamResult need_more_input() { return StreamResult{}; }
  StreamResult(Item item) : state_{std::in_place_index<1>, std::move(item)} {}
  StreamResult(Error error) : state_{std::in_place_index<2>, std::move(error)} {}

  // The input fed so far is used up; feed the next chunk.
  bool need_more() const { return state_.index() == 0; }
  bool has_item() const { return state_.index() == 1; }
  bool has_error() const { return state_.index() == 2; }

  Item& item() & {
    assert(has_item());
    return std::get<1>(state_);
  }
  const Item& item() const& {
    assert(has_item());
    return std::get<1>(state_);
  }
  const Error& error() const {
    assert(has_error());
    return std::get<2>(state_);
  }

 private:
  struct NeedMore {};
  StreamResult() = default;
  std::variant<NeedMore, Item, Error> state_;
};

}  // namespace mqttsim::codec
