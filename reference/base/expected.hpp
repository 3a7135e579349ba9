#pragma once
// A value or an error, for the paths where failure is ordinary (decoding bytes
// from the network, parsing a file) and exceptions would be the wrong tool.
// C++20 has no std::expected; this is the small subset we use.

#include <cassert>
#include <utility>
#include <variant>

namespace mqttsim {

template <class E>
struct Unexpected {
  E error;
};
template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_{std::in_place_index<0>, std::move(value)} {}
  template <class G>
  Expected(Unexpected<G> failure) : state_{std::in_place_index<1>, std::move(failure.error)} {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const {
    assert(!has_value());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

}  // namespace mqttsim
