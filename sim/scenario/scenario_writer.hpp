#pragma once
// Scenario -> YAML, the loader's inverse: a generated scenario saved as a
// self-contained file that replays as it was generated. The language is
// documented in scenarios/README.md.
//
// What is written: every key whose value differs from what the loader
// assumes when the key is left out, and nothing else, with two exceptions
// that keep a file readable on its own: the broker block is always there
// (`profile: spec`, or inline the options that differ from Profile{}, so a
// profile read from a file needs no file; and `store:`), and every
// broker_restart names its store. Durations take the largest unit that holds
// them exactly ("1500ms", "250us", "3s"), loss rates are in ppm, QoS and
// reason codes are numbers, send_raw bytes are hex. A step's flags follow
// its client's protocol: `clean_session` for 3.1.1, `clean_start` for 5.0.
//
// What the language cannot express is refused with std::invalid_argument
// naming it, never written as something that loads differently:
//  - PUBLISH properties a publish step has no key for (a Subscription
//    Identifier, a Reason String, ...), and a payload format other than
//    0 (bytes) or 1 (utf8);
//  - text that is not valid UTF-8 or holds a Unicode noncharacter: YAML is
//    Unicode text, so binary payloads and binary correlation data have no
//    spelling;
//  - negative durations, and `at:` times before the start of the run;
//  - an enum value outside its type's named values.
// So is a model the loader would refuse or read back differently (a 5.0
// option on a 3.1.1 client, a bad topic, shared subscriptions in the
// profile, a `will_of` match that is not that will, an `at:` that goes back
// in time): to_yaml reads its own text back with the loader, and unless that
// gives back `scenario` in everything but `file` and the `where` locations,
// it throws std::invalid_argument with the loader's complaint or the first
// part that would differ. A scenario with populations is refused too.

#include <string>

#include "scenario/scenario.hpp"

namespace mqttsim::scenario {

// `scenario` as a scenario file: load_scenario_text(to_yaml(s), name) gives
// back `s` except for `file` and the `where` locations.
std::string to_yaml(const Scenario& scenario);

}  // namespace mqttsim::scenario
