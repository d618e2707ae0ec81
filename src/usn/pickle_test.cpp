#include "support/test_env.h"
#include "usn/pickle.h"
#include "usn/pickle_internal.h"
#include "util/error.h"
#include "util/files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace kct::usn {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Turns what pickle.load returns into what json.dumps takes, the way read_pickle maps it.
constexpr const char* k_python_conv = R"PY(
import json, pickle, pickletools, io, os, sys
def conv(o):
    if isinstance(o, dict):
        return {k: conv(v) for k, v in o.items()}
    if isinstance(o, (list, tuple, set, frozenset)):
        return [conv(x) for x in o]
    if isinstance(o, (bytes, bytearray)):
        return {"bytes": list(o), "subtype": None}
    return o
)PY";

// A USN-like database, with the legacy shapes and every type the reader maps. One process
// writes all the pickles and the JSON, so set order is the same in both.
constexpr const char* k_python_generate = R"PY(
out = sys.argv[1]
shared = ['shared-1', 'shared-2']
db = {
  '4313-1': {
    'id': '4313-1',
    'title': 'Linux kernel vulnerabilities',
    'summary': 'linux, linux-aws, linux-kvm vulnerabilities',
    'isummary': 'Several security issues were fixed in the Linux kernel.\n',
    'description': 'It was discovered that the Linux kernel did not properly handle things. (CVE-2019-19332)\n\n'
                   'Caf\u00e9 \u2014 na\u00efve \U0001F512 back\\slash \\u0041 cr\r lf\n sub\x1a nul\x00 '
                   'quotes \' " end',
    'action': 'After a standard system update you need to reboot your computer to make\n'
              'all the necessary changes.\n',
    'cves': ['CVE-2019-19332', 'https://launchpad.net/bugs/1851234'],
    'timestamp': 1584637225.123456,
    'releases': {
      'bionic': {
        'sources': {'linux': {'version': '4.15.0-91.92', 'description': 'Linux kernel'},
                    'linux-aws': {'version': '4.15.0-1063.67', 'description': 'Linux kernel for AWS'}},
        'binaries': {'linux-image-4.15.0-91-generic': {'version': '4.15.0-91.92'}},
        'allbinaries': {'linux-image-4.15.0-91-generic': {'version': '4.15.0-91.92'},
                        'linux-modules-4.15.0-91-generic': {'version': '4.15.0-91.92'}},
        'archs': {'amd64': {'urls': {'http://security.ubuntu.com/pool/l/linux_4.15.0-91.92_amd64.deb':
                                       {'md5': '0123456789abcdef0123456789abcdef', 'size': 12345678}}},
                  'source': {'urls': {}}},
      },
      'xenial': {'sources': {'linux-hwe': {'version': '4.15.0-91.92~16.04.1', 'description': ''}},
                 'binaries': {}},
    },
  },
  # Ancient notices: no 'cves', a release without 'sources', no 'isummary' or 'action'.
  '544-1': {
    'id': '544-1', 'title': 'Samba vulnerability', 'summary': 'samba vulnerability',
    'description': 'A flaw was found.\n', 'timestamp': 1194897600.0,
    'releases': {'dapper': {'binaries': {'samba': {'version': '3.0.22-1ubuntu3.5'}}}},
  },
  '1-1': {'id': '1-1', 'title': 'old', 'timestamp': 1100000000, 'releases': {}},
  'types': {
    'ints': [0, 1, -1, 255, 256, 65535, 65536, -65536, -2**31, 2**31 - 1, 2**31, -2**31 - 1,
             2**32, 2**40 + 7, -2**63, 2**63 - 1],
    'floats': [0.0, -0.0, 1.5, -2.25, 0.1, 1e300, -2.5e-300, 1584637225.123456],
    'none': None, 'bools': [True, False],
    'tuples': [(), (1,), (1, 'a'), (1, 'a', None), (1, 2, 3, 4), ((2, 3), [4])],
    'empty': [[], {}, '', ()],
    'bytes': b'\x00\xffabc\x80', 'no_bytes': b'', 'bytearray': bytearray(b'ba'),
    'set': {'only'}, 'empty_set': set(), 'frozenset': frozenset({'frozen'}),
    'long_str': 'x' * 300 + '\u00e9' * 70000,
    'many': ['pkg-%d' % (i % 3000) for i in range(6000)],
    'wide': {'k%d' % i: i for i in range(2500)},
    'a': shared, 'b': shared,
    'keys': {1: 'one', None: 'none', False: 'false'},
  },
}
for name, proto in (('0', 0), ('2', 2), ('highest', pickle.HIGHEST_PROTOCOL)):
    with open(os.path.join(out, 'db-%s.pickle' % name), 'wb') as f:
        pickle.dump(db, f, protocol=proto)
print(json.dumps(conv(db)))
)PY";

// Loads one pickle with both of Python's unpicklers (the pure one checks frames strictly) and
// with pickletools, which checks the stack and memo, then prints it as JSON.
constexpr const char* k_python_load = R"PY(
data = open(sys.argv[1], 'rb').read()
fast = pickle.loads(data, encoding='utf-8')
pure = pickle._loads(data, encoding='utf-8')
assert conv(fast) == conv(pure)
pickletools.dis(data, out=io.StringIO())
print(json.dumps(conv(fast)))
)PY";

std::string python(const std::string& script, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"python3", "-c", std::string(k_python_conv) + script};
  argv.insert(argv.end(), args.begin(), args.end());
  kct::testing::CommandResult r = kct::testing::run_command(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::string slurp(const std::string& path) {
  std::string out;
  std::optional<std::string> error = util::read_file(path, out);
  EXPECT_FALSE(error) << path << ": " << *error;
  return out;
}

// Dumped through nlohmann on both sides, so only the values and their types are compared.
std::string normalized(const std::string& python_json) {
  return json::parse(python_json).dump();
}

// A literal that may hold NUL bytes.
template <size_t N>
std::string bytes(const char (&s)[N]) {
  return std::string(s, N - 1);
}

struct PythonSample {
  kct::testing::ScopedTempDir dir;
  std::string expected;
  std::string pickle(const std::string& name) const { return dir.path() + "/db-" + name + ".pickle"; }
};

const PythonSample& python_sample() {
  static PythonSample sample;
  static bool generated = (sample.expected = normalized(python(k_python_generate, {sample.dir.path()})), true);
  (void)generated;
  return sample;
}

json read_file_pickle(const std::string& path) {
  return read_pickle(slurp(path), path);
}

std::string read_error(std::string_view bytes, const std::string& path = "t.pickle") {
  try {
    json v = read_pickle(bytes, path);
    return "no error, read " + v.dump();
  } catch (const Error& e) {
    return e.what();
  }
}

TEST(PickleReader, ReadsPythonProtocol0) {
  const PythonSample& s = python_sample();
  EXPECT_EQ(read_file_pickle(s.pickle("0")).dump(), s.expected);
}

TEST(PickleReader, ReadsPythonProtocol2) {
  const PythonSample& s = python_sample();
  EXPECT_EQ(read_file_pickle(s.pickle("2")).dump(), s.expected);
}

TEST(PickleReader, ReadsPythonHighestProtocol) {
  const PythonSample& s = python_sample();
  json db = read_file_pickle(s.pickle("highest"));
  EXPECT_EQ(db.dump(), s.expected);
  // Spot checks that the comparison above is about the right things.
  EXPECT_EQ(db["4313-1"]["timestamp"].get<double>(), 1584637225.123456);
  EXPECT_FALSE(db["544-1"].contains("cves"));
  EXPECT_FALSE(db["544-1"]["releases"]["dapper"].contains("sources"));
  EXPECT_EQ(db["types"]["ints"].back().get<int64_t>(), INT64_MAX);
  EXPECT_TRUE(db["types"]["bytes"].is_binary());
  EXPECT_EQ(db["types"]["keys"].dump(), R"({"1":"one","null":"none","false":"false"})");
  std::vector<std::string> keys;
  for (const auto& [k, v] : db.items()) {
    keys.push_back(k);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"4313-1", "544-1", "1-1", "types"}));
}

// What Python 2's usn.py wrote: 8-bit strings, INT booleans, LONG with its L, memo by text.
TEST(PickleReader, ReadsPython2Strings) {
  std::string proto0 = "(dp0\nS'id'\np1\nS'544-1'\np2\nsS'title'\np3\nS'caf\\xc3\\xa9 \\'q\\' \\\\ \\101'\np4\n"
                       "sS'n'\np5\nI01\nsS'big'\np6\nL12345678901L\nsS'f'\np7\nF1.5\nsS'u'\np8\n"
                       "Vna\\u00efve \\U0001f512 \xe9\np9\nsS'again'\ng1\ns.";
  EXPECT_EQ(read_pickle(proto0, "p0").dump(),
            R"({"id":"544-1","title":"café 'q' \\ A","n":true,"big":12345678901,"f":1.5,"u":"naïve 🔒 é",)"
            R"("again":"id"})");
  std::string proto2 = bytes("\x80\x02}q\x00(U\x05titleq\x01U\x04"
                             "caf\xe9q\x02U\x02okq\x03T\x03\x00\x00\x00\xc3\xa9!q\x04u.");
  EXPECT_EQ(read_pickle(proto2, "p2").dump(), R"({"title":"café","ok":"é!"})");
}

// The published sample of real notices, pickled as save_database does.
TEST(PickleReader, ReadsRealUsnSample) {
  std::string dir = kct::testing::shared_data_dir() + "/usn";
  if (!fs::is_directory(dir)) {
    GTEST_SKIP() << "no " << dir;
  }
  kct::testing::ScopedTempDir tmp;
  std::string out = tmp.path() + "/database.pickle";
  std::string expected = python(R"PY(
import glob
db = {}
for p in sorted(glob.glob(os.path.join(sys.argv[1], '*.json'))):
    usn = json.load(open(p, encoding='utf-8'))
    db[usn['id'][len('USN-'):]] = usn
pickle.dump(db, open(sys.argv[2], 'wb'), protocol=pickle.HIGHEST_PROTOCOL)
print(json.dumps(db))
)PY",
                                {dir, out});
  json db = read_file_pickle(out);
  EXPECT_EQ(db.dump(), normalized(expected));
  EXPECT_EQ(db.size(), 67U);
}

TEST(PickleReader, TruncatedPickleIsLocated) {
  EXPECT_EQ(read_error("\x80\x04\x95"), "t.pickle: offset 2: truncated: FRAME needs 8 bytes, 0 left");
  EXPECT_EQ(read_error(bytes("\x80\x02X\x10\x00\x00\x00"
                             "abc")),
            "t.pickle: offset 2: truncated: BINUNICODE needs 16 bytes, 3 left");
  EXPECT_EQ(read_error("\x80\x02]"), "t.pickle: offset 3: truncated: no STOP opcode at the end");
  EXPECT_EQ(read_error("(S'abc"), "t.pickle: offset 1: truncated: STRING argument has no end of line");

  const PythonSample& s = python_sample();
  std::string whole = slurp(s.pickle("highest"));
  std::string path = s.pickle("highest");
  std::string error = read_error(whole.substr(0, whole.size() / 2), path);
  ASSERT_THAT(error, StartsWith(path + ": offset "));
  EXPECT_THAT(error, HasSubstr(": truncated: "));
  // The offset named is that of the opcode whose argument is cut (a FRAME or a long string).
  size_t offset = std::stoul(error.substr(path.size() + std::string(": offset ").size()));
  ASSERT_LT(offset, whole.size());
  EXPECT_THAT(error, HasSubstr(std::string(": truncated: ") + opcode_name(static_cast<uint8_t>(whole[offset]))));
}

// Every proper prefix of a pickle is an error with a location, never a value or a crash.
TEST(PickleReader, EveryPrefixFailsCleanly) {
  json value = {{"id", "1-1"},  {"cves", {"CVE-1", "CVE-2"}},        {"t", 1.5}, {"n", -70000}, {"b", true},
                {"z", nullptr}, {"bytes", json::binary({1, 2, 255})}};
  for (int protocol : {2, 4}) {
    std::string whole = write_pickle(value, protocol);
    for (size_t n = 0; n < whole.size(); ++n) {
      EXPECT_THAT(read_error(whole.substr(0, n)), StartsWith("t.pickle: offset ")) << protocol << " " << n;
    }
  }
}

TEST(PickleReader, RefusesOsSystemGlobal) {
  kct::testing::ScopedTempDir tmp;
  std::string marker = tmp.path() + "/ran";
  std::string proto0 = "cos\nsystem\n(S'touch " + marker + "'\ntR.";
  EXPECT_EQ(read_error(proto0, "evil.pickle"),
            "evil.pickle: offset 0: refusing to load global os.system (only builtins.set, builtins.frozenset, "
            "builtins.bytes, builtins.bytearray and _codecs.encode are allowed; nothing is run)");

  // What pickle.dumps writes for an object whose __reduce__ calls os.system (posix.system).
  std::string evil = tmp.path() + "/evil.pickle";
  python(R"PY(
class Evil:
    def __reduce__(self):
        return (os.system, ('touch ' + sys.argv[2],))
pickle.dump({'4313-1': Evil()}, open(sys.argv[1], 'wb'), protocol=pickle.HIGHEST_PROTOCOL)
)PY",
         {evil, marker});
  EXPECT_THAT(read_error(slurp(evil), evil), HasSubstr("refusing to load global posix.system"));
  EXPECT_THAT(read_error(slurp(evil), evil), StartsWith(evil + ": offset "));
  EXPECT_EQ(read_error(bytes("\x80\x02(cos\nsystem\nq\x00o."), "inst.pickle"),
            "inst.pickle: offset 3: refusing to load global os.system (only builtins.set, builtins.frozenset, "
            "builtins.bytes, builtins.bytearray and _codecs.encode are allowed; nothing is run)");
  EXPECT_EQ(read_error("(ios\nsystem\n.", "inst.pickle"),
            "inst.pickle: offset 1: refusing to instantiate class os.system (INST; nothing is run)");
  EXPECT_FALSE(fs::exists(marker));
}

TEST(PickleReader, RejectsUnsupportedInput) {
  EXPECT_EQ(read_error("\x80\x02N}b."), "t.pickle: offset 4: unsupported opcode 0x62 (BUILD)");
  EXPECT_EQ(read_error("\xff"), "t.pickle: offset 0: unsupported opcode 0xff");
  EXPECT_EQ(read_error("\x80\x06N."), "t.pickle: offset 0: unsupported protocol 6");
  EXPECT_EQ(read_error("\x80\x02P1\n."), "t.pickle: offset 2: unsupported opcode 0x50 (PERSID)");
  // 2**64 and 2**63: beyond int64; -2**63 fits.
  EXPECT_EQ(read_error(bytes("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.")),
            "t.pickle: offset 2: integer does not fit in 64 bits");
  EXPECT_EQ(read_error(bytes("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00.")),
            "t.pickle: offset 2: integer does not fit in 64 bits");
  EXPECT_EQ(read_error(bytes("\x80\x02\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80.")),
            "no error, read -9223372036854775808");
  EXPECT_EQ(read_error("L18446744073709551616L\n."),
            "t.pickle: offset 0: integer 18446744073709551616 does not fit in 64 bits");
  // l = []; l.append(l)
  EXPECT_EQ(read_error(bytes("\x80\x02]q\x00h\x00"
                             "a.")),
            "t.pickle: offset 2: this list contains itself, which JSON cannot hold");
  EXPECT_EQ(read_error("N.N"), "t.pickle: offset 1: 1 trailing bytes after STOP");
  EXPECT_EQ(read_error("NN."), "t.pickle: offset 2: STOP with 2 values and 0 marks on the stack, expected one value");
  EXPECT_EQ(read_error("\x80\x02h\x05."), "t.pickle: offset 2: memo key 5 is not defined");
  EXPECT_EQ(read_error("\x80\x02\x8c\x02\xc3(."),
            "t.pickle: offset 2: SHORT_BINUNICODE is not valid UTF-8 at byte 0 of the string");
  EXPECT_EQ(read_error("\x80\x02)NNs."), "t.pickle: offset 5: SETITEM expects a dict below, found tuple");
  EXPECT_EQ(read_error("\x80\x02NNs."), "t.pickle: offset 4: SETITEM on an empty stack");
  EXPECT_EQ(read_error("\x80\x02(NNu."), "t.pickle: offset 5: SETITEMS on an empty stack");
  EXPECT_EQ(read_error("\x80\x02}()K\x01u."), "t.pickle: offset 4: a dict key of type tuple cannot be a JSON key");
}

TEST(PickleWriter, Protocol2LoadsInPython) {
  const PythonSample& s = python_sample();
  json db = read_file_pickle(s.pickle("highest"));
  kct::testing::ScopedTempDir tmp;
  std::string out = tmp.write("db.pickle", write_pickle(db, 2));
  EXPECT_EQ(normalized(python(k_python_load, {out})), s.expected);
}

TEST(PickleWriter, Protocol4LoadsInPython) {
  const PythonSample& s = python_sample();
  json db = read_file_pickle(s.pickle("highest"));
  kct::testing::ScopedTempDir tmp;
  std::string out = tmp.write("db.pickle", write_pickle(db, 4));
  EXPECT_EQ(normalized(python(k_python_load, {out})), s.expected);
  // Memoized strings and no memo for containers: no bigger than Python's own file.
  EXPECT_LE(fs::file_size(out), fs::file_size(s.pickle("highest")));
}

TEST(PickleWriter, WritesEdgeValuesPythonReads) {
  json value = json::object();
  value["u64"] = UINT64_MAX;
  value["bytes"] = json::binary({0, 128, 255});
  value["empty"] = json::binary({});
  value["one"] = {"x"};
  value["huge_str"] = std::string(70000, 'y'); // one opcode larger than a frame
  kct::testing::ScopedTempDir tmp;
  for (int protocol : {2, 3, 4, 5}) {
    std::string out = tmp.write("v.pickle", write_pickle(value, protocol));
    EXPECT_EQ(normalized(python(k_python_load, {out})), value.dump()) << protocol;
  }
}

TEST(PickleWriter, RoundTripsThroughReader) {
  const PythonSample& s = python_sample();
  json db = read_file_pickle(s.pickle("highest"));
  for (int protocol : {2, 3, 4, 5}) {
    EXPECT_EQ(read_pickle(write_pickle(db, protocol), "rt"), db) << protocol;
  }
  // Python writes the same, plus a memo entry for the dict.
  EXPECT_EQ(write_pickle(json{{"a", 1}}, 2), bytes("\x80\x02}X\x01\x00\x00\x00"
                                                   "aq\x00K\x01s."));
  EXPECT_EQ(write_pickle(json{{"a", 1}}, 4), bytes("\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00}\x8c\x01"
                                                   "a\x94K\x01s."));
}

TEST(PickleWriter, RejectsBadInput) {
  EXPECT_THROW(write_pickle(json(1), 1), Error);
  EXPECT_THROW(write_pickle(json(1), 6), Error);
  try {
    write_pickle(json{"ok", std::string("bad\xff", 4)}, 4);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), R"(write_pickle: string is not valid UTF-8 at byte 3: "bad\ufffd")");
  }
}

} // namespace
} // namespace kct::usn
