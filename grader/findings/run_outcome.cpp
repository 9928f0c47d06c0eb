// Findings from how a run ended: crash, timeout, resource-limit, sandbox-violation, wrong-output. The test
// has already lost its points, so these cost none by default: they say what happened.
#include <signal.h>
#include <string.h>

#include <set>

#include "analyze.hpp"
#include "signals.hpp"

namespace shm::findings {

namespace {
// "time 20 s": the limit's table name and the value the run had.
std::string limit_text(const std::string& name, const sandbox::Limits& limits) {
  for (const auto& l : sandbox::limit_table())
    if (name == l.flag) {
      char value[64];
      snprintf(value, sizeof value, " %g%s%s", double(limits[l.limit]) / double(l.unit_scale), *l.unit ? " " : "",
               l.unit);
      return name + value;
    }
  return name;
}
}  // namespace

void run_outcome_findings(const RunView& view, Findings& out) {
  const auto& o = view.run.outcome;
  using V = sandbox::Verdict;
  if (view.run.status == engine::TestStatus::Passed) return;
  if (!view.test.injections.empty()) return;  // an injected failure's consequences are map-failed-unchecked's
  Finding f;
  switch (o.verdict) {
    case V::Signal: {
      f = make_finding("crash", view);
      f.detail["signal"] = signal_name(o.signal);
      f.detail["description"] = signal_description(o.signal);
      // A fault the tracer located: the finding sits at the line that made the bad access.
      for (const auto& e : o.events)
        if (e.syscall == "killed" && by_student(e) && e.text_arg("signal") == f.detail["signal"]) {
          f.file = e.file;
          f.line = e.line;
          f.detail["description"] += ", " + e.text_arg("code") + " at this line";
          break;
        }
      break;
    }
    case V::Timeout:
      f = make_finding("timeout", view);
      f.detail["limit"] = limit_text(o.limit_hit, view.spec.limits);
      break;
    case V::MemoryLimit:
    case V::ProcessLimit:
    case V::OutputLimit:
    case V::FileSizeLimit:
      f = make_finding("resource-limit", view);
      f.detail["limit"] = o.limit_hit.empty() ? sandbox::verdict_name(o.verdict) : limit_text(o.limit_hit, view.spec.limits);
      break;
    case V::Violation: {
      f = make_finding("sandbox-violation", view);
      std::set<std::string> calls;
      for (const auto& v : o.violations) calls.insert(v.syscall);
      for (const auto& c : calls) f.detail["syscall"] += (f.detail["syscall"].empty() ? "" : ", ") + c;
      break;
    }
    default:
      f = make_finding("wrong-output", view);
      f.detail["detail"] = view.run.why;
      break;
  }
  out.push_back(f);
}

}  // namespace shm::findings
