#include "assignment_spec.hpp"

#define TOML_EXCEPTIONS 0  // errors come back as values, like everywhere else here
#include <toml++/toml.h>

#include <regex>
#include <set>
#include <sstream>

#include "catalogue/catalogue.hpp"
#include "techniques.hpp"
#include "text.hpp"
#include "trace/injection.hpp"

namespace shm::spec {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kTopKeys = {"title", "program", "language", "cflags",   "ldflags", "techniques",
                                        "provided", "limits", "findings", "hints", "test"};
const std::set<std::string> kTestKeys = {"name",   "args", "stdin", "stdout", "stdout_regex", "exit", "points",
                                         "repeat", "mode", "inject", "hidden", "file",
                                         "script", "techniques", "yield", "rule", "rule_zh", "name_zh",
                                         "race_test"};
const std::set<std::string> kFileKeys = {"path", "content", "int32"};

// " (did you mean 'stdout'?)" when a known word is within two edits.
std::string nearest(const std::string& word, const std::set<std::string>& known) {
  const std::string best = nearest_word(word, std::vector<std::string>(known.begin(), known.end()), 3);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

// Reads one spec, keeping the first error: every message names file:line:column and the key.
struct Reader {
  std::string file;
  std::optional<Error> error;

  bool fail(const toml::source_region& where, const std::string& key, const std::string& what) {
    if (!error) {
      std::ostringstream s;
      s << file << ":" << where.begin.line << ":" << where.begin.column << ": " << key << ": " << what;
      error = Error{s.str()};
    }
    return false;
  }

  bool check_keys(const toml::table& t, const std::set<std::string>& known, const std::string& where) {
    for (auto&& [key, node] : t) {
      std::string k(key.str());
      if (!known.count(k)) return fail(key.source(), where + k, "unknown key" + nearest(k, known));
    }
    return true;
  }

  template <typename T>
  bool get(const toml::table& t, const char* key, const std::string& where, T& out, bool required) {
    const toml::node* node = t.get(key);
    if (!node) return required ? fail(t.source(), where + key, "missing (required)") : true;
    if (auto v = node->value<T>()) {
      out = *v;
      return true;
    }
    return fail(node->source(), where + key, std::string("expected ") + type_name<T>());
  }

  bool get_strings(const toml::table& t, const char* key, const std::string& where, std::vector<std::string>& out) {
    const toml::node* node = t.get(key);
    if (!node) return true;
    const toml::array* array = node->as_array();
    if (!array) return fail(node->source(), where + key, "expected an array of strings");
    for (const auto& item : *array) {
      auto s = item.value<std::string>();
      if (!s) return fail(item.source(), where + key, "expected an array of strings");
      out.push_back(*s);
    }
    return true;
  }

  template <typename T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_integral_v<T>) return "an integer";
    else return "a number";
  }

  // {scratch} and {shm} only: a typo in a placeholder would otherwise reach the program as text.
  bool check_placeholders(const toml::node& node, const std::string& key, const std::string& text, bool script = false) {
    static const std::regex placeholder(R"(\{([A-Za-z_][A-Za-z0-9_]*)\})");  // awk and sh braces are not placeholders
    for (std::sregex_iterator it(text.begin(), text.end(), placeholder), end; it != end; ++it) {
      std::string name = (*it)[1];
      if (name != "scratch" && name != "shm" && !(script && name == "program"))
        return fail(node.source(), key, "unknown placeholder {" + name + "}; use {scratch}, {shm}" +
                                            (script ? " or {program}" : ""));
    }
    return true;
  }

  bool check_techniques(const toml::node* node, const std::string& key, const std::vector<std::string>& techniques) {
    for (const auto& technique : techniques) {
      if (find_technique(technique)) continue;
      std::set<std::string> ids;
      for (const auto& t : spec::techniques()) ids.insert(t.id);
      return fail(node->source(), key, "unknown technique '" + technique + "'" + nearest(technique, ids));
    }
    return true;
  }

  bool read_limits(const toml::table& t, AssignmentSpec& spec) {
    std::set<std::string> known;
    for (const auto& s : sandbox::limit_table()) known.insert(s.flag);
    if (!check_keys(t, known, "limits.")) return false;
    for (const auto& s : sandbox::limit_table()) {
      const toml::node* node = t.get(s.flag);
      if (!node) continue;
      auto v = node->value<double>();
      if (!v || *v <= 0)
        return fail(node->source(), std::string("limits.") + s.flag,
                    std::string("expected a positive number") + (*s.unit ? std::string(" of ") + s.unit : ""));
      spec.limits[s.limit] = uint64_t(*v * double(s.unit_scale));
    }
    return true;
  }

  bool unknown_finding(const toml::key& key, const std::string& where) {
    std::set<std::string> ids;
    for (const auto& k : catalogue::kinds()) ids.insert(k.id);
    return fail(key.source(), where, "unknown finding id" + nearest(std::string(key.str()), ids));
  }

  bool read_findings(const toml::table& t, AssignmentSpec& spec) {
    for (auto&& [key, node] : t) {
      std::string id(key.str());
      if (!catalogue::find_kind(id)) return unknown_finding(key, "findings." + id);
      auto points = node.value<double>();
      if (!points || *points < 0) return fail(node.source(), "findings." + id, "expected points >= 0");
      spec.finding_points[id] = *points;
    }
    return true;
  }

  // [hints.ID] en = "..." zh = "...": both languages, for a finding the catalogue knows.
  bool read_hints(const toml::table& t, AssignmentSpec& spec) {
    for (auto&& [key, node] : t) {
      const std::string id(key.str()), where = "hints." + id;
      if (!catalogue::find_kind(id)) return unknown_finding(key, where);
      const toml::table* texts = node.as_table();
      if (!texts) return fail(node.source(), where, "expected a table: en = \"...\", zh = \"...\"");
      AssignmentSpec::Hint hint;
      if (!check_keys(*texts, {"en", "zh"}, where + ".") || !get(*texts, "en", where + ".", hint.en, true) ||
          !get(*texts, "zh", where + ".", hint.zh, true))
        return false;
      spec.finding_hints[id] = hint;
    }
    return true;
  }

  bool read_file(const toml::table& t, const std::string& where, TestSpec& test) {
    if (!check_keys(t, kFileKeys, where)) return false;
    ExpectedFile f;
    std::string content;
    int64_t value = 0;
    if (!get(t, "path", where, f.path, true) || !check_placeholders(*t.get("path"), where + "path", f.path))
      return false;
    if (f.path.rfind("{scratch}/", 0) != 0)  // only the work dir outlives a run: anything else could not be checked
      return fail(t.get("path")->source(), where + "path", "expected a file in the work dir: \"{scratch}/NAME\"");
    if (t.contains("content")) {
      if (!get(t, "content", where, content, true)) return false;
      f.content = content;
    }
    if (t.contains("int32")) {
      if (!get(t, "int32", where, value, true)) return false;
      f.int32 = int32_t(value);
    }
    if (!f.content == !f.int32) return fail(t.source(), where + "path", "give exactly one of content or int32");
    test.files.push_back(f);
    return true;
  }

  bool read_test(const toml::table& t, size_t index, std::set<std::string>& names, AssignmentSpec& spec) {
    TestSpec test;
    std::string where = "test[" + std::to_string(index) + "].";
    if (!check_keys(t, kTestKeys, where) || !get(t, "name", where, test.name, true)) return false;
    where = "test '" + test.name + "'.";
    if (!names.insert(test.name).second) return fail(t.get("name")->source(), where + "name", "another test has this name");
    std::string stdout_exact, stdout_regex, mode = "plain";
    std::vector<std::string> injections;
    int64_t exit_status = 0, repeat = 1;
    if (!get_strings(t, "args", where, test.args) || !get(t, "stdin", where, test.stdin_data, false) ||
        !get(t, "stdout", where, stdout_exact, false) || !get(t, "stdout_regex", where, stdout_regex, false) ||
        !get(t, "exit", where, exit_status, false) || !get(t, "points", where, test.points, true) ||
        !get(t, "repeat", where, repeat, false) || !get(t, "mode", where, mode, false) ||
        !get_strings(t, "inject", where, injections) || !get(t, "hidden", where, test.hidden, false) ||
        !get(t, "script", where, test.script, false) || !get_strings(t, "techniques", where, test.techniques) ||
        !get(t, "yield", where, test.yield, false) || !get(t, "rule", where, test.rule, false) ||
        !get(t, "rule_zh", where, test.rule_zh, false) || !get(t, "name_zh", where, test.name_zh, false) ||
        !get(t, "race_test", where, test.race_test, false))
      return false;
    if (test.yield < 0 || test.yield > 1) return fail(t.get("yield")->source(), where + "yield", "expected a probability, 0 to 1");
    if (t.contains("techniques") && !check_techniques(t.get("techniques"), where + "techniques", test.techniques)) return false;
    if (t.contains("script")) {
      if (t.contains("args")) return fail(t.get("script")->source(), where + "script", "give args or script, not both");
      if (!check_placeholders(*t.get("script"), where + "script", test.script, true)) return false;
    }
    if (const auto* args = t.get("args"))
      for (const auto& a : test.args)
        if (!check_placeholders(*args, where + "args", a)) return false;
    if (t.contains("stdout")) test.stdout_exact = stdout_exact;
    if (t.contains("stdout_regex")) {
      if (test.stdout_exact) return fail(t.get("stdout_regex")->source(), where + "stdout_regex", "give stdout or stdout_regex, not both");
      try {
        std::regex check(stdout_regex);
      } catch (const std::regex_error& e) {
        return fail(t.get("stdout_regex")->source(), where + "stdout_regex", std::string("not a valid regex: ") + e.what());
      }
      test.stdout_regex = stdout_regex;
    }
    if (exit_status < 0 || exit_status > 255) return fail(t.get("exit")->source(), where + "exit", "expected 0..255");
    test.exit_status = int(exit_status);
    if (test.points <= 0) return fail(t.get("points")->source(), where + "points", "expected a positive number");
    if (repeat < 1 || repeat > 1000) return fail(t.get("repeat")->source(), where + "repeat", "expected 1..1000");
    test.repeat = int(repeat);
    static const std::map<std::string, TestMode> kModes = {
        {"plain", TestMode::Plain}, {"traced", TestMode::Traced}, {"race", TestMode::Race}, {"stress", TestMode::Stress}};
    auto m = kModes.find(mode);
    if (m == kModes.end()) return fail(t.get("mode")->source(), where + "mode", "expected plain, traced, race or stress");
    test.mode = m->second;
    for (const auto& spec_text : injections) {  // parsed once, here: the runs take them as they are
      auto inj = trace::parse_injection(spec_text);
      if (!inj) return fail(t.get("inject")->source(), where + "inject", inj.error().message());
      test.injections.push_back(*inj);
      if (test.mode == TestMode::Plain) test.mode = TestMode::Traced;
    }
    if (const auto* files = t.get("file")) {
      const toml::array* array = files->as_array();
      if (!array) return fail(files->source(), where + "file", "expected [[test.file]] tables");
      for (const auto& item : *array) {
        const toml::table* ft = item.as_table();
        if (!ft) return fail(item.source(), where + "file", "expected [[test.file]] tables");
        if (!read_file(*ft, where + "file.", test)) return false;
      }
    }
    spec.tests.push_back(std::move(test));
    return true;
  }

  bool read(const toml::table& root, AssignmentSpec& spec) {
    if (!check_keys(root, kTopKeys, "") || !get(root, "title", "", spec.title, true) ||
        !get(root, "program", "", spec.program, true) || !get(root, "language", "", spec.language, false) ||
        !get_strings(root, "cflags", "", spec.cflags) || !get_strings(root, "ldflags", "", spec.ldflags) ||
        !get_strings(root, "techniques", "", spec.techniques) || !get_strings(root, "provided", "", spec.provided))
      return false;
    if (spec.language != "c" && spec.language != "c++")
      return fail(root.get("language")->source(), "language", "expected \"c\" or \"c++\"");
    if (!std::regex_match(spec.program, std::regex("[A-Za-z0-9_][A-Za-z0-9_.-]*")))
      return fail(root.get("program")->source(), "program", "expected a plain file name");
    if (!check_techniques(root.get("techniques"), "techniques", spec.techniques)) return false;
    for (const auto& file : spec.provided)
      if (!std::regex_match(file, std::regex("[A-Za-z0-9_][A-Za-z0-9_.+-]*\\.(c|cc|cpp|h|hpp)")))
        return fail(root.get("provided")->source(), "provided", "expected source file names (\"unpipc.c\"), not \"" + file + "\"");
    for (const char* section : {"limits", "findings", "hints"}) {
      const toml::node* node = root.get(section);
      if (node && !node->is_table()) return fail(node->source(), section, "expected a table");
    }
    if (const auto* limits = root.get_as<toml::table>("limits"); limits && !read_limits(*limits, spec)) return false;
    if (const auto* f = root.get_as<toml::table>("findings"); f && !read_findings(*f, spec)) return false;
    if (const auto* h = root.get_as<toml::table>("hints"); h && !read_hints(*h, spec)) return false;
    const toml::array* tests = root.get_as<toml::array>("test");
    if (!tests || tests->empty()) return fail(root.source(), "test", "at least one [[test]] is required");
    std::set<std::string> names;
    for (size_t i = 0; i < tests->size(); i++) {
      const toml::table* t = (*tests)[i].as_table();
      if (!t) return fail((*tests)[i].source(), "test", "expected [[test]] tables");
      if (!read_test(*t, i + 1, names, spec)) return false;
    }
    for (size_t i = 0; i < tests->size(); i++)
      if (!check_race_test(*(*tests)[i].as_table(), spec.tests[i], spec)) return false;
    return true;
  }

  // race_test names a race or stress test of this spec (it may come later in the file), and only an output
  // test has one: a racing test is judged by its own variant.
  bool check_race_test(const toml::table& t, const TestSpec& test, const AssignmentSpec& spec) {
    if (test.race_test.empty()) return true;
    const std::string key = "test '" + test.name + "'.race_test";
    const toml::source_region& where = t.get("race_test")->source();
    if (racing(test)) return fail(where, key, "only an output test names a race test; a race or stress test is one");
    std::set<std::string> racing_names;
    for (const auto& other : spec.tests)
      if (racing(other)) racing_names.insert(other.name);
    if (!racing_names.count(test.race_test))
      return fail(where, key, "no race or stress test is named '" + test.race_test + "'" +
                                  nearest(test.race_test, racing_names));
    return true;
  }
};

}  // namespace


bool racing(const TestSpec& t) { return t.mode == TestMode::Race || t.mode == TestMode::Stress; }

std::optional<std::vector<std::string>> race_variant(const AssignmentSpec& spec, const TestSpec& t) {
  if (!t.race_test.empty())
    for (const auto& other : spec.tests)
      if (other.name == t.race_test && racing(other)) return race_variant(spec, other);
  if (!racing(t)) return std::nullopt;
  std::vector<std::string> words{t.script};
  for (const auto& a : t.args)
    if (a.empty() || a.find_first_not_of("0123456789") != std::string::npos) words.push_back(a);
  return words;
}

double AssignmentSpec::max_score() const {
  double total = 0;
  for (const auto& t : tests) total += t.points;
  return total;
}

Result<AssignmentSpec> load_assignment(const fs::path& dir) {
  const fs::path file = dir / "assignment.toml";
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return Error{file.string() + ": no such assignment spec"};
  toml::parse_result parsed = toml::parse_file(file.string());
  if (!parsed) {
    const auto& err = parsed.error();
    std::ostringstream s;
    s << file.string() << ":" << err.source().begin.line << ":" << err.source().begin.column << ": "
      << err.description();
    return Error{s.str()};
  }
  AssignmentSpec spec;
  spec.dir = dir;
  spec.name = fs::path(dir).lexically_normal().filename().string();
  if (spec.name.empty()) spec.name = fs::path(dir).lexically_normal().parent_path().filename().string();
  Reader reader{file.string(), std::nullopt};
  if (!reader.read(parsed.table(), spec)) return *reader.error;
  return spec;
}

}  // namespace shm::spec
