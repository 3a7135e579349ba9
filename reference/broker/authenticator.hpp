#pragma once
// Who may connect. The broker asks once per CONNECT; the default lets
// everyone in. `UserTable` is the simple in-memory table of users the
// reference broker and `mqttsim serve` use.

#include <map>
#include <optional>
#include <string>

#include "codec/properties.hpp"

namespace mqttsim::broker {

enum class AuthResult {
  accepted,
  bad_user_name_or_password,  // 3.1.1 return code 0x04, 5.0 reason 0x86
  not_authorized,             // 3.1.1 return code 0x05, 5.0 reason 0x87
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual AuthResult authenticate(const std::string& client_id,
                                  const std::optional<std::string>& username,
                                  const std::optional<codec::Bytes>& password) const = 0;
};

class AllowEveryone final : public Authenticator {
 public:
  AuthResult authenticate(const std::string&, const std::optional<std::string>&,
                          const std::optional<codec::Bytes>&) const override {
    return AuthResult::accepted;
  }
};

// Users with passwords. With `anonymous_allowed`, a CONNECT without a user
// name is accepted; with a user name, the password must match.
class UserTable final : public Authenticator {
 public:
  explicit UserTable(bool anonymous_allowed = false) : anonymous_allowed_{anonymous_allowed} {}
  void add(std::string username, std::string password) {
    users_.insert_or_assign(std::move(username), std::move(password));
  }
  AuthResult authenticate(const std::string& client_id, const std::optional<std::string>& username,
                          const std::optional<codec::Bytes>& password) const override;

 private:
  bool anonymous_allowed_;
  std::map<std::string, std::string> users_;
};

}  // namespace mqttsim::broker
