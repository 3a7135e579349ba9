#pragma once
// An optional value kept on the heap: std::optional's interface at the size
// of a pointer. For a rarely present, large member of a packet (CONNECT's
// will, with its own property list), so that every codec::Packet, whose
// size is that of its largest alternative, is not paid for by all the
// PUBLISH and PUBACK packets a long run keeps. Copies are deep; equality
// compares the values.

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace mqttsim::codec {

template <typename T>
class BoxedOptional {
 public:
  BoxedOptional() = default;
  BoxedOptional(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): as std::optional
  BoxedOptional(T value)            // NOLINT(google-explicit-constructor): as std::optional
      : value_{std::make_unique<T>(std::move(value))} {}
  // From what T is made of ("text" for a std::string), as std::optional.
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, BoxedOptional> &&
           !std::is_same_v<std::decay_t<U>, std::nullopt_t> &&
           !std::is_same_v<std::decay_t<U>, std::optional<T>>)
      BoxedOptional(U&& value)  // NOLINT(google-explicit-constructor): as std::optional
      : value_{std::make_unique<T>(std::forward<U>(value))} {}
  BoxedOptional(const std::optional<T>& value)  // NOLINT(google-explicit-constructor)
      : value_{value ? std::make_unique<T>(*value) : nullptr} {}
  BoxedOptional(const BoxedOptional& other)
      : value_{other.value_ ? std::make_unique<T>(*other.value_) : nullptr} {}
  BoxedOptional(BoxedOptional&&) noexcept = default;
  BoxedOptional& operator=(const BoxedOptional& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  BoxedOptional& operator=(BoxedOptional&&) noexcept = default;
  BoxedOptional& operator=(std::nullopt_t) {
    value_.reset();
    return *this;
  }
  ~BoxedOptional() = default;

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }
  T& value() {
    if (!value_) throw std::bad_optional_access{};
    return *value_;
  }
  const T& value() const {
    if (!value_) throw std::bad_optional_access{};
    return *value_;
  }
  template <typename... Args>
  T& emplace(Args&&... args) {
    value_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *value_;
  }
  void reset() { value_.reset(); }
  template <typename U>
  T value_or(U&& fallback) const {
    return value_ ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

  friend bool operator==(const BoxedOptional& a, const BoxedOptional& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a.has_value() || *a == *b;
  }
  friend bool operator==(const BoxedOptional& a, std::nullopt_t) { return !a.has_value(); }

 private:
  std::unique_ptr<T> value_;
};

}  // namespace mqttsim::codec
