#pragma once
// Notice ↔ JSON value, one notice in the published layout. Decoding checks the type of every
// known key and keeps unknown keys as extras; a bad value throws kct::Error naming the origin
// (a file name) and the JSON path of the value, e.g.
// `4151-2.json: releases.bionic.binaries["linux-image-4.15.0-72-generic"]: expected an object, got a string`.
#include "usn/notice.h"

#include <string>
#include <string_view>

namespace kct::usn {

// `dict_key` is the id the notice is filed under in database.json ("" for a lone notice):
// it supplies a missing `id` and must agree with a present one.
Notice notice_from_json(const Json& value, std::string_view origin, std::string_view dict_key = "");
Json notice_to_json(const Notice& notice);

// `releases.bionic.binaries["linux-image-4.15.0-72-generic"]`: plain names joined with dots,
// any other key quoted in brackets so the path stays unambiguous.
std::string json_path_key(std::string_view path, std::string_view key);

} // namespace kct::usn
