// mqttsim serve: the reference broker on real TCP.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>
#include <csignal>
#include <iostream>

#include "broker/session_store.hpp"
#include "command.hpp"
#include "scenario/load_error.hpp"
#include "scenario/profile_loader.hpp"
#include "transport/tcp_broker_server.hpp"

namespace mqttsim::cli {
namespace po = boost::program_options;

int run_serve(const std::vector<std::string>& args) {
  std::string bind = "127.0.0.1";
  unsigned port = 1883;
  std::string profile_name = "spec";
  std::vector<std::string> users;
  bool allow_anonymous = false;
  bool verbose = false;

  po::options_description options{"mqttsim serve [--bind ADDRESS] --port N [--profile P]"};
  options.add_options()("help,h", "this help")("bind", po::value(&bind)->default_value(bind),
                                               "address to listen on (loopback by default)")(
      "port", po::value(&port)->required(), "TCP port; 0 picks a free one and prints it")(
      "profile", po::value(&profile_name)->default_value(profile_name),
      "'spec' or a profile YAML file: the broker's choices where MQTT says MAY")(
      "user", po::value(&users)->composing(),
      "NAME:PASSWORD, repeatable; with any --user, clients must log in")(
      "allow-anonymous", po::bool_switch(&allow_anonymous),
      "with --user: also accept clients that send no user name")(
      "verbose,v", po::bool_switch(&verbose),
      "log what the broker decides (sessions, wills, drops)");

  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(options).run(), values);
    if (values.count("help")) {
      std::cout << options
                << "\nServes the reference broker (MQTT 3.1.1 and 5.0) until SIGINT or "
                   "SIGTERM. Sessions live in memory: a restart loses them.\n";
      return exit_pass;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(std::string{error.what()} + " (see mqttsim serve --help)");
  }
  if (port > 65535) throw UsageError("--port must be 0..65535");

  Profile profile;
  try {
    profile = scenario::load_profile(profile_name);
  } catch (const scenario::LoadError& error) {
    throw UsageError(error.what());
  }

  broker::AllowEveryone everyone;
  broker::UserTable table{allow_anonymous};
  for (const std::string& user : users) {
    const auto colon = user.find(':');
    if (colon == std::string::npos)
      throw UsageError("--user takes NAME:PASSWORD, got '" + user + "'");
    table.add(user.substr(0, colon), user.substr(colon + 1));
  }
  const broker::Authenticator& authenticator =
      users.empty() ? static_cast<const broker::Authenticator&>(everyone) : table;

  boost::asio::io_context io;
  broker::VolatileStore store;
  transport::ServerOptions server_options;
  server_options.bind_address = bind;
  server_options.port = static_cast<std::uint16_t>(port);
  std::unique_ptr<transport::TcpBrokerServer> server;
  try {
    server = std::make_unique<transport::TcpBrokerServer>(io, server_options, profile, store,
                                                          authenticator);
  } catch (const boost::system::system_error& error) {
    throw UsageError("cannot listen on " + bind + ":" + std::to_string(port) + ": " + error.what());
  }
  if (verbose) {
    server->on_note = [](const broker::Note& note) {
      std::cerr << "note " << broker::to_string(note.kind) << " client=" << note.client_id << " "
                << note.text << "\n";
    };
  }

  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
  signals.async_wait([&](const boost::system::error_code&, int) {
    server->stop();
    io.stop();
  });

  std::cout << "mqttsim serve: listening on " << bind << ":" << server->port() << " (profile "
            << profile.name << ")" << std::endl;
  io.run();
  std::cout << "mqttsim serve: stopped" << std::endl;
  return exit_pass;
}

}  // namespace mqttsim::cli
