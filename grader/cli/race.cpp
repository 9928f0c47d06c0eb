// shmgrade race — race-check a program of one's own, not only an assignment's: its sources built twice in the
// sandbox (xrace for races between processes, ThreadSanitizer for races between threads), run in a sandboxed
// work dir, each race reported with both accesses' file:line, the processes that made them and the shared
// object. The same stages as a grading (Build, Run, Findings), with a spec made from the command line.
#include "race.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "engine/build.hpp"
#include "engine/run_tests.hpp"
#include "files.hpp"
#include "findings/analyze.hpp"
#include "grading/score.hpp"
#include "report/report.hpp"
#include "text.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

namespace {

std::vector<std::string>& program_args() {
  static std::vector<std::string> args;
  return args;
}

struct RaceFlags {
  std::vector<std::string> sources;
  std::vector<std::string> args;  // the program's arguments: what follows --
  std::vector<std::string> inputs;  // files copied into each run's work dir
  std::vector<std::string> provided;  // helper files given to students: built in, accesses in them at their caller
  bool stress = false;
  uint64_t seed = 1;
  int runs = 0;  // 0: 1 without --stress, 5 with it
  std::string format = "text";
  double yield = 0.25;
};

bool is_source(const std::string& word) {
  static const std::regex kSource(R"(.*\.(c|cc|cpp|h|hpp)$)");
  return std::regex_match(word, kSource) && fs::is_regular_file(word);
}

// The files that define main: each is a program of its own, named after it.
std::vector<fs::path> files_with_main(const std::vector<fs::path>& sources) {
  static const std::regex kMain(R"((^|\n)\s*(int|void)\s+main\s*\()");
  std::vector<fs::path> with_main;
  for (const auto& s : sources) {
    auto text = read_whole_file(s);
    if (text && std::regex_search(*text, kMain)) with_main.push_back(s);
  }
  return with_main;
}

// The headers beside SOURCES, into INTO (a given file of the same name wins): a source's #include "board.h"
// finds it in the sandbox as it does at home.
void copy_headers_beside(const std::vector<fs::path>& sources, const fs::path& into) {
  std::set<fs::path> dirs;  // each read once, however many sources it holds
  for (const auto& s : sources) dirs.insert(s.parent_path().empty() ? "." : s.parent_path());
  std::error_code ec;
  for (const auto& dir : dirs)
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const auto ext = entry.path().extension();
      if ((ext == ".h" || ext == ".hpp") && entry.is_regular_file(ec) && !entry.is_symlink(ec) &&
          !fs::exists(into / entry.path().filename(), ec))
        fs::copy_file(entry.path(), into / entry.path().filename(), ec);
    }
}

// One race, its accesses in one order (the lesser line first): what is counted across runs.
using RaceKey = std::tuple<std::string, int, std::string, int, std::string>;
RaceKey key_of(race::Race r) {
  if (std::tie(r.previous.file, r.previous.line) < std::tie(r.access.file, r.access.line)) std::swap(r.access, r.previous);
  return {r.access.file, r.access.line, r.previous.file, r.previous.line, r.object};
}

struct Seen {
  race::Race first;  // as the first run that showed it reported it
  int runs = 0;
};

std::string place(const race::RaceAccess& a) {
  return (a.file.empty() ? "?" : a.file) + ":" + std::to_string(a.line) + (a.via.empty() ? "" : " via " + a.via);
}

nlohmann::ordered_json access_json(const race::RaceAccess& a) {
  return {{"file", a.file},       {"line", a.line},   {"function", a.function},
          {"program", a.program}, {"pid", a.pid},     {"write", a.write}, {"via", a.via}};
}

// What the runs showed: each race (and in how many runs), each lock misuse, each run that did not end well.
struct Summary {
  std::map<RaceKey, Seen> races;
  std::map<std::tuple<std::string, std::string, int>, race::LockMisuse> misuse;
  std::vector<const engine::RunResult*> wrong_exits;
  std::map<race::DetectorLimit, int> limits;  // the detector's capacities reached, and in how many runs
  size_t runs = 0;
};

Summary summarize(const std::vector<engine::RunResult>& runs) {
  Summary s;
  s.runs = runs.size();
  for (const auto& r : runs) {
    std::set<RaceKey> in_run;
    for (const auto& race : r.races) {
      const RaceKey key = key_of(race);
      auto [it, added] = s.races.try_emplace(key, Seen{race, 0});
      if (in_run.insert(key).second) it->second.runs++;
    }
    for (const auto& m : r.lock_misuse) s.misuse.try_emplace({m.kind, m.file, m.line}, m);
    if (r.status != engine::TestStatus::Passed) s.wrong_exits.push_back(&r);
    for (const auto& limit : r.race_limits) s.limits[limit]++;
  }
  return s;
}

// What a race is and how to close it (the grading's data-race finding says the same).
std::string explanation(const race::Race& r) {
  const findings::RaceExplanation e = findings::explain_race(r, catalogue::Lang::En);
  if (r.initialisation) return e.why + ": " + e.fix;
  return std::string(r.access.pid == r.previous.pid ? "two threads" : "two processes") +
         " accessed the same shared bytes, at least one writing, and " + e.why + ": " + e.fix;
}

std::string as_text(const Summary& s, const std::vector<std::string>& programs, const std::string& command,
                    const RaceFlags& f) {
  std::ostringstream out;
  const bool several_programs = programs.size() > 1;
  std::string program;
  for (const auto& name : programs) program += (program.empty() ? "" : ", ") + name;
  const std::string of_runs = " of " + std::to_string(s.runs) + (s.runs == 1 ? " run" : " runs");
  out << "shmgrade race: " << program << ", " << s.runs << (s.runs == 1 ? " run" : " runs") << " of " << command
      << (f.stress ? " under perturbed schedules" : "") << " (seed " << f.seed << ")\n";
  for (const auto& [key, seen] : s.races) {
    const race::Race& r = seen.first;
    out << "data race on " << r.object
        << (r.threads_only ? "" : " at offset " + std::to_string(r.offset) + " (" + std::to_string(r.size) + " bytes)")
        << ", in " << seen.runs << of_runs << ":\n";
    for (const auto* a : {&r.access, &r.previous})
      out << "  " << place(*a) << "  " << (a->write ? "write" : "read ") << "  pid " << a->pid
          << (several_programs && !a->program.empty() ? " (" + a->program + ")" : "")
          << (a->function.empty() ? "" : "  in " + a->function + "()") << "\n";
    out << "  " << explanation(r) << "\n";
  }
  for (const auto& [key, m] : s.misuse)
    out << "lock misuse: " << m.kind << " at " << m.file << ":" << m.line << " (" << m.object << "): see shmgrade explain "
        << m.kind << "\n";
  for (const auto* r : s.wrong_exits) out << "run " << r->test + 1 << " (its schedule's seed " << r->seed << "): " << r->why << "\n";
  if (!s.wrong_exits.empty()) out << "wrong exit in " << s.wrong_exits.size() << of_runs << "\n";
  for (const auto& [limit, runs] : s.limits)
    out << "not all checked: the race detector checks the first " << limit.max << " " << limit.what << " of a run; "
        << runs << of_runs << " went past that, and what came after was not checked: race-check with smaller counts\n";
  out << (s.races.empty() ? "no data race found" : std::to_string(s.races.size()) + " data race" + (s.races.size() == 1 ? "" : "s"))
      << (s.misuse.empty() ? "" : ", " + std::to_string(s.misuse.size()) + " lock misuse") << "\n";
  return out.str();
}

std::string as_json(const Summary& s, const std::vector<std::string>& programs, const std::string& command,
                    const RaceFlags& f) {
  nlohmann::ordered_json races = nlohmann::ordered_json::array(), misuse = nlohmann::ordered_json::array(),
                         exits = nlohmann::ordered_json::array(), limits = nlohmann::ordered_json::array();
  for (const auto& [key, seen] : s.races)
    races.push_back({{"object", seen.first.object}, {"offset", seen.first.offset}, {"size", seen.first.size},
                     {"threads_only", seen.first.threads_only}, {"initialisation", seen.first.initialisation},
                     {"access", access_json(seen.first.access)},
                     {"other", access_json(seen.first.previous)}, {"runs", seen.runs}});
  for (const auto& [key, m] : s.misuse) misuse.push_back({{"kind", m.kind}, {"object", m.object}, {"file", m.file}, {"line", m.line}});
  for (const auto* r : s.wrong_exits)
    exits.push_back({{"run", r->test + 1}, {"seed", r->seed}, {"status", engine::test_status_name(r->status)}, {"why", r->why}});
  for (const auto& [limit, runs] : s.limits) limits.push_back({{"what", limit.what}, {"max", limit.max}, {"runs", runs}});
  return json_text(nlohmann::ordered_json{{"program", programs.front()}, {"programs", programs}, {"command", command}, {"seed", f.seed},
                                          {"stress", f.stress}, {"runs", s.runs}, {"races", races},
                                          {"lock_misuse", misuse}, {"wrong_exits", exits}, {"limits_reached", limits}},
                   2) + "\n";
}

// The spec a race check runs: the programs built from the sources, RUNS tests that each run the command once.
// One program gets ARGS as its arguments; several are started by ARGS, a command. `sh -c SCRIPT` is a script
// either way.
spec::AssignmentSpec race_spec(const std::vector<fs::path>& with_main, const std::vector<fs::path>& sources,
                               const RaceFlags& f) {
  spec::AssignmentSpec spec;
  spec.program = (with_main.empty() ? sources.front() : with_main.front()).stem().string();
  if (with_main.size() > 1)
    for (const auto& m : with_main) spec.programs.push_back({m.stem().string(), m.filename().string()});
  spec.name = spec.program;
  spec.title = "race check";
  const bool cxx = std::any_of(sources.begin(), sources.end(), [](const fs::path& s) {
    return s.extension() == ".cc" || s.extension() == ".cpp";
  });
  spec.language = cxx ? "c++" : "c";
  spec.ldflags = {"-lrt", "-pthread"};
  // Exercises fork a hundred children; the sandbox's default of 64 processes would end such a run. Past xrace's
  // 256 threads and processes the run goes on unchecked, and the output says so.
  spec.limits[sandbox::Limit::Processes] = 512;
  for (const auto& input : f.inputs) spec.input_files.push_back(fs::absolute(input));
  for (const auto& helper : f.provided) spec.provided.push_back(fs::path(helper).filename().string());
  // `sh -c SCRIPT` is a command for one program too: prodcons init, produce, consume.
  const std::string script = is_shell_script(f.args) || !spec.programs.empty() ? shell_line(f.args) : "";
  for (int i = 0; i < f.runs; i++) {
    spec::TestSpec t;
    t.name = "run " + std::to_string(i + 1);
    if (script.empty()) t.args = f.args;
    t.script = script;
    t.points = 1;
    t.mode = f.stress ? spec::TestMode::Stress : spec::TestMode::Race;
    t.yield = f.yield;
    t.stress_runs = 1;  // each of the RUNS tests is one schedule
    spec.tests.push_back(std::move(t));
  }
  return spec;
}

// Why these sources cannot be race-checked as given ("" when they can).
std::string usage_problem(const std::vector<fs::path>& sources, const std::vector<fs::path>& with_main,
                          const RaceFlags& f) {
  static const std::regex kPlainName(R"([A-Za-z0-9_.+-]+)");
  std::set<std::string> taken;  // the names in a run's dir: the programs', then the inputs'
  for (const auto& m : with_main.empty() ? std::vector<fs::path>{sources.front()} : with_main) taken.insert(m.stem().string());
  for (const auto& input : f.inputs)
    if (!taken.insert(fs::path(input).filename().string()).second)
      return input + ": --input files go into the run's dir by file name, and a program or another input has that name";
  if (with_main.size() < 2) return "";
  if (f.args.empty())
    return with_main[0].filename().string() + " and " + with_main[1].filename().string() +
           " each define main, so each is a program: say after -- the command that starts them, e.g. -- sh -c './" +
           with_main[0].stem().string() + " & ./" + with_main[1].stem().string() + "; wait'";
  std::set<std::string> names;
  for (const auto& m : with_main) {
    const std::string name = m.stem().string();
    if (!std::regex_match(name, kPlainName))
      return m.string() + ": a program's file name may hold only letters, digits and . _ + - (its program is ./" + name + ")";
    if (name.size() > race::kMaxProgramName)
      return m.string() + ": a program's name may be at most " + std::to_string(race::kMaxProgramName) +
             " characters when several programs run (the race detector names each access's program by it)";
    if (!names.insert(name).second) return m.string() + ": another file with main makes a program of the same name";
  }
  return "";
}

int race_check(const RaceFlags& f) {
  const char* who = "shmgrade race";
  std::vector<fs::path> sources;
  for (const auto& word : f.sources) {
    if (!is_source(word)) {
      std::cerr << who << ": " << word << " is not a source file (FILE.c, .cc, .cpp, .h, .hpp that exists); the "
                << "program's arguments go after --\n";
      return 2;
    }
    sources.push_back(word);
  }
  for (const auto& helper : f.provided) {  // built in as the sources are, unless named among them already
    if (!is_source(helper)) {
      std::cerr << who << ": --provided " << helper << " is not a source file (FILE.c, .h, ... that exists)\n";
      return 2;
    }
    if (!files_with_main({helper}).empty()) {
      std::cerr << who << ": --provided " << helper << " defines main: a helper given to students is linked into "
                << "the programs; give a program's file without --provided\n";
      return 2;
    }
    if (std::none_of(sources.begin(), sources.end(), [&](const fs::path& s) { std::error_code ec; return fs::equivalent(s, helper, ec); }))
      sources.push_back(helper);
  }
  const std::vector<fs::path> with_main = files_with_main(sources);
  if (auto problem = usage_problem(sources, with_main, f); !problem.empty()) {
    std::cerr << who << ": " << problem << "\n";
    return 2;
  }
  auto dir = TempTree::make("race");
  if (!dir) {
    std::cerr << who << ": " << dir.error().message() << "\n";
    return 3;
  }
  for (const auto& s : sources) {
    const fs::path to = dir->path() / s.filename();
    std::error_code ec;
    if (fs::exists(to) || !fs::copy_file(s, to, ec)) {
      std::cerr << who << ": " << s.string() << ": " << (ec ? ec.message() : "another source has this file name") << "\n";
      return ec ? 3 : 2;
    }
  }
  copy_headers_beside(sources, dir->path());
  const spec::AssignmentSpec spec = race_spec(with_main, sources, f);
  auto found = engine::find_submission(dir->path(), spec);
  if (!found) {
    std::cerr << who << ": " << found.error().message() << "\n";
    return 2;
  }
  engine::BuildResult built = engine::build(spec, *found);
  struct Cleanup {
    const fs::path& workdir;
    ~Cleanup() {
      if (!workdir.empty()) (void)remove_tree(workdir);
    }
  } cleanup{built.workdir};
  if (built.status != engine::BuildStatus::Built) {
    std::cerr << who << ": " << spec.program << " does not build:\n" << built.message << "\n";
    return 2;
  }
  engine::build_race(spec, built);
  if (built.race_program.empty()) {
    std::cerr << who << ": " << built.race_message << "\n";
    return 3;
  }
  const std::vector<engine::RunResult> runs = engine::run_tests(spec, built, f.seed, 1);
  for (const auto& r : runs)
    if (r.why.rfind("internal:", 0) == 0) {
      std::cerr << who << ": " << r.why << "\n";
      return 3;
    }
  const Summary summary = summarize(runs);
  const std::string command = runs.empty() ? "" : runs.front().command;
  if (f.format == "json") {
    std::cout << as_json(summary, built.programs, command, f);
  } else if (f.format == "sarif") {  // the data-race and lock findings, as a grading would write them
    grading::Grade g = grading::score(spec, runs, findings::analyze(spec, runs, dir->path()));
    g.assignment = spec.program;
    g.seed = f.seed;
    std::cout << report::find_writer("sarif")->write(g, {});
  } else {
    std::cout << as_text(summary, built.programs, command, f);
  }
  return summary.races.empty() && summary.misuse.empty() ? 0 : 1;
}

}  // namespace

int split_program_args(int argc, char** argv) {
  for (int i = 2; i < argc; i++)
    if (std::string(argv[i]) == "--") {
      program_args().assign(argv + i + 1, argv + argc);
      return i;
    }
  return argc;
}

void add_race_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<RaceFlags>();
  CLI::App* race = app.add_subcommand(
      "race", "Race-check your own program: FILE.c... -- ARGS builds it with xrace and ThreadSanitizer and runs "
              "./PROGRAM ARGS in the sandbox; with several files defining main, each is a program and what follows -- "
              "is the command that starts them");
  race->footer("Exit status: 0 no data race or lock misuse found, 1 found, 2 usage error or a build that fails, 3 internal "
               "error.\nExamples: shmgrade race counter.c -- count.bin 4 2000\n"
               "          shmgrade race server.c client.c -- sh -c './server & ./client; wait'");
  race->add_option("sources", flags->sources, "the program's sources (FILE.c...; headers too)")->required();
  race->add_flag("--stress", flags->stress, "perturb each run's schedule (a seeded yield at shared accesses, one CPU)");
  race->add_option("--seed", flags->seed, "the seed of the runs' schedules (printed; the same seed replays them)");
  race->add_option("--runs", flags->runs, "how many runs (default 1, or 5 with --stress)")->check(CLI::Range(1, 100));
  race->add_option("--yield", flags->yield, "with --stress: the probability of a yield at each shared access")
      ->check(CLI::Range(0.0, 1.0));
  race->add_option("--input", flags->inputs, "FILE: copied into each run's work dir beside the program (repeatable)")
      ->check(CLI::ExistingFile);
  race->add_option("--provided", flags->provided,
                   "FILE: a helper file given to students (unpipc.c), built in: a race on an access made in it is "
                   "placed at the line that called the helper, 'counter.c:26 via helpers.c:9' (repeatable)");
  race->add_option("--format", flags->format, "text, json or sarif")->check(CLI::IsMember({"text", "json", "sarif"}));
  race->callback([flags, &status] {
    flags->args = program_args();
    if (flags->runs == 0) flags->runs = flags->stress ? 5 : 1;
    status = race_check(*flags);
  });
}

}  // namespace shm::cli
