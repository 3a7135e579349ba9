#include "broker/authenticator.hpp"

#include <algorithm>

namespace mqttsim::broker {

AuthResult UserTable::authenticate(const std::string& /*client_id*/,
                                   const std::optional<std::string>& username,
                                   const std::optional<codec::Bytes>& password) const {
  if (!username) return anonymous_allowed_ ? AuthResult::accepted : AuthResult::not_authorized;
  const auto user = users_.find(*username);
  if (user == users_.end() || !password) return AuthResult::bad_user_name_or_password;
  const std::string& expected = user->second;
  const bool same =
      password->size() == expected.size() &&
      std::equal(password->begin(), password->end(), expected.begin(),
                 [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
  return same ? AuthResult::accepted : AuthResult::bad_user_name_or_password;
}

}  // namespace mqttsim::broker
