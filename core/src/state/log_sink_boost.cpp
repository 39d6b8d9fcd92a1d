// libkeel-log.so: the Boost.Log pipeline behind keel::log. Loaded with dlopen on the first
// message only (linking Boost.Log into the binary costs every command ~3 MiB of RSS).
#include <fcntl.h>
#include <unistd.h>

#include <boost/core/null_deleter.hpp>
#include <boost/date_time/posix_time/conversion.hpp>
#include <boost/log/attributes/clock.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/sources/record_ostream.hpp>
#include <boost/log/sources/severity_logger.hpp>
#include <boost/make_shared.hpp>
#include <cerrno>
#include <fstream>
#include <iostream>

#include "log_format.hpp"
#include "log_sink_abi.h"

namespace logging = boost::log;
using keel::log::Format;
using keel::log::Level;

namespace {

Format g_format = Format::text;
logging::sources::severity_logger<Level>* g_logger = nullptr;

void format_record(const logging::record_view& rec, logging::formatting_ostream& out) {
  auto level = logging::extract_or_default<Level>("Severity", rec, Level::error);
  auto message = logging::extract_or_default<std::string>("Message", rec, std::string());
  auto stamp = logging::extract<boost::posix_time::ptime>("TimeStamp", rec);
  std::time_t t = stamp ? boost::posix_time::to_time_t(*stamp) : std::time(nullptr);
  out << keel::log::format_line(g_format, level, message, t);
}

boost::shared_ptr<std::ostream> open_stream(const char* path) {
  if (path == nullptr || *path == '\0')
    return boost::shared_ptr<std::ostream>(&std::cerr, boost::null_deleter());
  // runc creates the log file 0644 and appends; create it with that mode before the stream opens.
  int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return nullptr;
  ::close(fd);
  auto file = boost::make_shared<std::ofstream>(path, std::ios::out | std::ios::app);
  if (!file->is_open()) return nullptr;
  return file;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int keel_log_sink_open(const char* path,
                                                                         int format, int debug) {
  try {
    auto stream = open_stream(path);
    if (!stream) return errno != 0 ? errno : EIO;
    g_format = format == 1 ? Format::json : Format::text;
    using Backend = logging::sinks::text_ostream_backend;
    auto backend = boost::make_shared<Backend>();
    backend->add_stream(stream);
    backend->auto_flush(true);
    auto sink = boost::make_shared<logging::sinks::synchronous_sink<Backend>>(backend);
    sink->set_formatter(&format_record);
    auto core = logging::core::get();
    core->add_global_attribute("TimeStamp", logging::attributes::utc_clock());
    Level min = debug != 0 ? Level::debug : Level::info;
    core->set_filter(logging::expressions::attr<Level>("Severity") >= min);
    core->add_sink(sink);
    static logging::sources::severity_logger<Level> logger;
    g_logger = &logger;
    return 0;
  } catch (...) {
    return EIO;
  }
}

extern "C" __attribute__((visibility("default"))) void keel_log_sink_write(int level,
                                                                           const char* message,
                                                                           size_t length) {
  if (g_logger == nullptr) return;
  try {
    BOOST_LOG_SEV(*g_logger, static_cast<Level>(level)) << std::string_view(message, length);
  } catch (...) {
    // A failed log write must never take the runtime down; the exit code still reports failure.
  }
}
