#include "net/http.h"

#include "util/error.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <memory>
#include <mutex>

namespace kct::net {
namespace {

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// One handle per thread, reset between requests: the reset keeps its connection and DNS
// caches, so the dozens of index files of one mirror reuse a connection when the server
// allows it. A handle must never be used by two threads at once, hence thread_local.
CURL* thread_handle(const std::string& url) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  thread_local CurlHandle handle(curl_easy_init(), &curl_easy_cleanup);
  if (!handle) {
    throw Error(url + ": download failed: cannot start libcurl");
  }
  curl_easy_reset(handle.get());
  return handle.get();
}

struct Response {
  long status = 0;
  std::string body;
};

// The response, with a 4xx or 5xx status given back rather than thrown; transfer errors throw.
Response perform(const std::string& url) {
  CURL* curl = thread_handle(url);
  Response r;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  // An error status ends the transfer without reading the error page into the body.
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  // Give up on a stalled transfer: under 1 KB/s for a minute.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  // Timeouts by signal are unsafe with threads; downloads may run on worker threads.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "kct/" KCT_VERSION);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr); // `error` goes out of scope
  if (rc == CURLE_HTTP_RETURNED_ERROR && r.status >= 400) {
    r.body.clear();
    return r;
  }
  if (rc != CURLE_OK) {
    throw Error(fmt::format("{}: download failed: {}", url, *error != '\0' ? error : curl_easy_strerror(rc)));
  }
  return r;
}

[[noreturn]] void throw_status(const std::string& url, long status) {
  throw Error(fmt::format("{}: download failed: HTTP {}", url, status));
}

} // namespace

std::string http_get(const std::string& url) {
  Response r = perform(url);
  if (r.status >= 400) {
    throw_status(url, r.status);
  }
  return std::move(r.body);
}

std::optional<std::string> http_get_if_found(const std::string& url) {
  Response r = perform(url);
  if (r.status == 404 || r.status == 410) {
    return std::nullopt;
  }
  if (r.status >= 400) {
    throw_status(url, r.status);
  }
  return std::move(r.body);
}

} // namespace kct::net
