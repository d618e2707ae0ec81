#pragma once
// HTTP(S) downloads with libcurl, for everything kct reads from the network: USN databases
// (`kct usn fetch`) and apt indices of remote mirrors and PPAs (archive::ArchiveView).
// Failures throw kct::Error starting with the URL.
#include <optional>
#include <string>

namespace kct::net {

// The body of `url`, following redirects. An HTTP status of 400 or more, or a transfer error
// (no connection, timeout, TLS), throws "<url>: download failed: <reason>".
std::string http_get(const std::string& url);

// The same, except that 404 Not Found and 410 Gone give nullopt: for files a server may
// legitimately lack (an index in one compressed form only, a pocket a PPA does not have).
std::optional<std::string> http_get_if_found(const std::string& url);

} // namespace kct::net
