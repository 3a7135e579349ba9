// Profiles from YAML: every option, defaults, and located errors.

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "scenario/load_error.hpp"
#include "scenario/profile_loader.hpp"

using namespace mqttsim;
using namespace mqttsim::scenario;

namespace {

Profile read(const std::string& text) {
  const YamlReader reader{"test.yaml"};
  return read_profile(reader.load_text(text), reader);
}

std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const LoadError& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_profile_loader)

BOOST_AUTO_TEST_CASE(every_option_reads_into_its_field) {
  const Profile p = read(R"(
name: mosquitto-like
queue_qos0_offline: true
max_queued_messages: 1000
queue_drop_policy: drop_oldest
overlapping_subscriptions: copy_per_subscription
qos2_forwarding: on_pubrel
max_inflight: 20
in_session_retry_s: 20
accept_empty_client_id_v311: false
will_on_takeover_v311: false
connect_timeout_s: 5
server_keep_alive_s: 30
max_sessions: 100
max_packet_size: 4096
max_session_expiry_s: 3600
maximum_qos: 1
retain_available: false
wildcard_subscription_available: false
subscription_identifiers_available: false
shared_subscriptions_available: false
topic_alias_maximum: 0
)");
  BOOST_TEST(p.name == "mosquitto-like");
  BOOST_TEST(p.queue_qos0_offline);
  BOOST_TEST(p.max_queued_messages == 1000u);
  BOOST_TEST((p.queue_drop_policy == QueueDropPolicy::drop_oldest));
  BOOST_TEST((p.overlapping_subscriptions == OverlapDelivery::copy_per_subscription));
  BOOST_TEST((p.qos2_forwarding == Qos2Forwarding::on_pubrel));
  BOOST_TEST(p.max_inflight == 20);
  BOOST_TEST(p.in_session_retry_s == 20u);
  BOOST_TEST(!p.accept_empty_client_id_v311);
  BOOST_TEST(!p.will_on_takeover_v311);
  BOOST_TEST(p.connect_timeout_s == 5u);
  BOOST_TEST(p.server_keep_alive_s == 30);
  BOOST_TEST(p.max_sessions == 100u);
  BOOST_TEST(p.max_packet_size == 4096u);
  BOOST_TEST(p.max_session_expiry_s.value_or(0) == 3600u);
  BOOST_TEST(p.maximum_qos == 1);
  BOOST_TEST(!p.retain_available);
  BOOST_TEST(!p.wildcard_subscription_available);
  BOOST_TEST(!p.subscription_identifiers_available);
  BOOST_TEST(p.topic_alias_maximum == 0);
}

BOOST_AUTO_TEST_CASE(left_out_options_keep_the_plain_spec_defaults) {
  const Profile p = read("max_queued_messages: 5\n");
  Profile expected;
  expected.max_queued_messages = 5;
  BOOST_TEST((p == expected));
  BOOST_TEST((load_profile("spec") == Profile{}));
}

BOOST_AUTO_TEST_CASE(mistakes_are_located) {
  BOOST_TEST(error_of("max_queued_mesages: 5\n") ==
             "test.yaml:1:1: unknown key 'max_queued_mesages' in a profile (did you mean "
             "'max_queued_messages'?)");
  BOOST_TEST(error_of("name: x\nmax_inflight: 70000\n") ==
             "test.yaml:2:15: max_inflight must be a whole number from 0 to 65535");
  BOOST_TEST(error_of("queue_drop_policy: newest\n") ==
             "test.yaml:1:20: queue_drop_policy must be one of: drop_newest, drop_oldest");
  BOOST_TEST(error_of("retain_available: yes please\n") ==
             "test.yaml:1:19: retain_available must be true or false");
  BOOST_TEST(error_of("maximum_qos: -1\n") ==
             "test.yaml:1:14: maximum_qos must be a whole number from 0 to 2");
  BOOST_TEST(error_of("- a\n- b\n") ==
             "test.yaml:1:1: a profile must be a mapping (key: value lines)");
  BOOST_TEST(error_of("name: [unclosed\n").find("test.yaml:2:1: not valid YAML") == 0u);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_a_clear_error) {
  try {
    load_profile("/nonexistent/profile.yaml");
    BOOST_FAIL("no error");
  } catch (const LoadError& error) {
    BOOST_TEST(std::string{error.what()}.find("/nonexistent/profile.yaml:0:0: cannot open") == 0u);
  }
}

// The checked-in broker profiles load (`mqttsim check --profile`).
BOOST_AUTO_TEST_CASE(the_mosquitto_profile_loads) {
  const Profile mosquitto = load_profile(std::string{MQTTSIM_SOURCE_DIR} +
                                         "/reference/profile/profiles/mosquitto-2.0.yaml");
  BOOST_TEST(mosquitto.name == "mosquitto-2.0");
  BOOST_TEST(mosquitto.max_queued_messages == 1000u);
  BOOST_TEST((mosquitto.overlapping_subscriptions == OverlapDelivery::copy_per_subscription));
  BOOST_TEST(mosquitto.max_inflight == 20u);
}

BOOST_AUTO_TEST_SUITE_END()
