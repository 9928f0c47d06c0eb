#include "class_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "gradebook.hpp"
#include "report/report.hpp"

namespace shm::batch {

namespace {

using report::number;
using report::xml_text;

constexpr const char* kStyle = R"(
body{font:14px system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse}td,th{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:left}
th{cursor:pointer;background:#f4f4f4}td.n{text-align:right}.bar{fill:#4a78b5}.pass{fill:#3c9a5f}.fail{fill:#d9534f}
.cards span{display:inline-block;margin-right:2em}.frag{display:flex;gap:1em}.frag pre{flex:1;background:#f7f7f7;padding:.5em;overflow:auto;font-size:12px}
.cards b{font-size:1.4em;display:block}svg text{font-size:11px}
)";

// Clicking a column header sorts the students table by it (numbers as numbers).
constexpr const char* kScript = R"(
document.querySelectorAll('table.sortable th').forEach((th, col) => th.addEventListener('click', () => {
  const body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
  const down = th.dataset.dir !== 'down'; th.dataset.dir = down ? 'down' : 'up';
  const key = r => { const t = r.cells[col].dataset.v ?? r.cells[col].textContent; const n = parseFloat(t);
                     return isNaN(n) ? t : n; };
  rows.sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * (down ? -1 : 1));
  rows.forEach(r => body.appendChild(r));
}));
)";

std::string tenths(double seconds) { return number(std::round(seconds * 10) / 10); }

double score_of(const nlohmann::json& r) { return r["batch"].value("score_after_late", r.value("score", 0.0)); }

// Scores in bins of equal width over 0..MAX: one per point up to 20 points, else 10.
std::string histogram(const std::vector<nlohmann::json>& results, double max) {
  const int bins = max <= 20 ? int(max) + 1 : 10;
  const double width = max <= 20 ? 1 : max / 10;
  std::vector<int> count(size_t(bins), 0);
  for (const auto& r : results) {
    if (r["status"] == "missing") continue;
    count[size_t(std::min(bins - 1, int(score_of(r) / width)))]++;
  }
  const int most = std::max(1, *std::max_element(count.begin(), count.end()));
  std::ostringstream svg;
  const int w = 34, h = 160;
  svg << "<svg id=\"histogram\" width=\"" << bins * w + 20 << "\" height=\"" << h + 50 << "\" role=\"img\">";
  for (int i = 0; i < bins; i++) {
    const int bar = count[size_t(i)] * h / most;
    const std::string lo = number(i * width), hi = number(max <= 20 ? i * width : (i + 1) * width);
    svg << "<g><rect class=\"bar\" data-from=\"" << lo << "\" data-to=\"" << hi << "\" data-count=\"" << count[size_t(i)]
        << "\" x=\"" << 10 + i * w << "\" y=\"" << h - bar + 20 << "\" width=\"" << w - 4 << "\" height=\"" << bar
        << "\"><title>" << (lo == hi ? lo : lo + "–" + hi) << ": " << count[size_t(i)] << "</title></rect>"
        << "<text x=\"" << 10 + i * w << "\" y=\"" << h + 35 << "\">" << lo << "</text>"
        << "<text x=\"" << 10 + i * w << "\" y=\"" << h - bar + 15 << "\">" << count[size_t(i)] << "</text></g>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string pass_rates(const spec::AssignmentSpec& spec, const std::vector<nlohmann::json>& results) {
  std::ostringstream svg;
  const int row = 22, label = 300, scale = 300;
  svg << "<svg id=\"pass-rates\" width=\"" << label + scale + 80 << "\" height=\"" << row * int(spec.tests.size()) + 10
      << "\" role=\"img\">";
  for (size_t i = 0; i < spec.tests.size(); i++) {
    int passed = 0, total = 0;
    for (const auto& r : results)
      for (const auto& t : r["tests"])
        if (t["name"] == spec.tests[i].name) total++, passed += t["status"] == "passed";
    const int bar = total ? passed * scale / total : 0;
    const int y = int(i) * row + 4;
    svg << "<g class=\"test\" data-test=\"" << xml_text(spec.tests[i].name) << "\" data-passed=\"" << passed
        << "\" data-total=\"" << total << "\"><text x=\"0\" y=\"" << y + 13 << "\">" << xml_text(spec.tests[i].name)
        << "</text><rect class=\"fail\" x=\"" << label << "\" y=\"" << y << "\" width=\"" << scale << "\" height=\""
        << row - 6 << "\"/><rect class=\"pass\" x=\"" << label << "\" y=\"" << y << "\" width=\"" << bar << "\" height=\""
        << row - 6 << "\"/><text x=\"" << label + scale + 6 << "\" y=\"" << y + 13 << "\">" << passed << "/" << total
        << "</text></g>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string feedback_link(const nlohmann::json& r, const std::string& text) {
  const std::string file = r["batch"].value("file_name", "");
  if (file.empty()) return xml_text(text);
  return "<a href=\"feedback/" + xml_text(file) + ".md\">" + xml_text(text) + "</a>";
}

std::string findings_table(const std::vector<nlohmann::json>& results) {
  std::map<std::string, std::vector<const nlohmann::json*>> who;
  for (const auto& r : results) {
    for (const auto& id : finding_ids(r)) who[id].push_back(&r);
  }
  std::vector<std::pair<std::string, std::vector<const nlohmann::json*>>> sorted(who.begin(), who.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::ostringstream html;
  html << "<table id=\"findings\"><thead><tr><th>finding</th><th>students</th><th>who</th></tr></thead><tbody>";
  for (const auto& [id, students] : sorted) {
    html << "<tr data-finding=\"" << xml_text(id) << "\" data-count=\"" << students.size() << "\"><td>" << xml_text(id)
         << "</td><td class=\"n\">" << students.size() << "</td><td>";
    for (size_t i = 0; i < students.size(); i++)
      html << (i ? ", " : "") << feedback_link(*students[i], (*students[i])["batch"]["id"].get<std::string>());
    html << "</td></tr>";
  }
  html << "</tbody></table>";
  return html.str();
}

std::string students_table(const spec::AssignmentSpec& spec, const std::vector<nlohmann::json>& results) {
  std::ostringstream html;
  html << "<table id=\"students\" class=\"sortable\"><thead><tr><th>id</th><th>name</th><th>score</th><th>status</th>"
          "<th>late %</th><th>seconds</th><th>findings</th></tr></thead><tbody>";
  for (const auto& r : results) {
    const auto& b = r["batch"];
    std::string ids;
    for (const auto& id : finding_ids(r)) ids += (ids.empty() ? "" : " ") + id;
    html << "<tr data-id=\"" << xml_text(b["id"].get<std::string>()) << "\" data-score=\"" << number(score_of(r))
         << "\"><td>" << feedback_link(r, b["id"].get<std::string>()) << "</td><td>" << xml_text(b.value("name", ""))
         << "</td><td class=\"n\" data-v=\"" << number(score_of(r)) << "\">" << number(score_of(r)) << " / "
         << number(spec.max_score()) << "</td><td>" << xml_text(r.value("status", "")) << "</td><td class=\"n\">"
         << number(b.value("late_penalty_percent", 0.0)) << "</td><td class=\"n\">" << tenths(r.value("elapsed_s", 0.0))
         << "</td><td>" << xml_text(ids) << "</td></tr>";
  }
  html << "</tbody></table>";
  return html.str();
}

std::string excerpt_html(const CodeExcerpt& e) {
  return "<pre><b>" + xml_text(e.file) + ":" + std::to_string(e.first) + "–" + std::to_string(e.last) + "</b>\n" +
         xml_text(e.text) + "</pre>";
}

// The pairs Dolos found most alike: a row each (similarity as a bar), their shared fragments under it.
std::string similarity_section(const Similarity& similarity, const std::map<std::string, const nlohmann::json*>& by_id) {
  constexpr size_t kShown = 20;
  auto who = [&](const std::string& id) {
    auto it = by_id.find(id);
    return it == by_id.end() ? xml_text(id) : feedback_link(*it->second, id);
  };
  std::ostringstream html;
  html << "<h2>Similar submissions</h2><p>The " << std::min(kShown, similarity.pairs.size()) << " most alike of "
       << similarity.submissions << " submissions' pairs, as Dolos measures them (the starter code does not count; all "
       << similarity.pairs.size() << " listed pairs are in similarity.csv). Alike is not proof of copying: read the "
       << "fragments.</p><table id=\"similarity\"><thead><tr><th>students</th><th>similarity</th><th>longest fragment</th>"
       << "<th>shared fragments</th></tr></thead><tbody>";
  for (size_t i = 0; i < similarity.pairs.size() && i < kShown; i++) {
    const SimilarPair& p = similarity.pairs[i];
    const std::string percent = number(std::round(p.similarity * 1000) / 10);
    html << "<tr data-left=\"" << xml_text(p.left) << "\" data-right=\"" << xml_text(p.right) << "\" data-similarity=\""
         << number(std::round(p.similarity * 1000) / 1000) << "\"><td>" << who(p.left) << " – " << who(p.right)
         << "</td><td class=\"n\"><svg width=\"104\" height=\"12\"><rect class=\"fail\" width=\"100\" height=\"12\"/>"
         << "<rect class=\"bar\" width=\"" << int(p.similarity * 100) << "\" height=\"12\"/></svg> " << percent
         << " %</td><td class=\"n\">" << p.longest << "</td><td><details><summary>" << p.fragments.size()
         << " fragments</summary>";
    for (const auto& f : p.fragments) html << "<div class=\"frag\">" << excerpt_html(f.left) << excerpt_html(f.right) << "</div>";
    html << "</details></td></tr>";
  }
  html << "</tbody></table>";
  return html.str();
}

}  // namespace

std::string class_report_html(const spec::AssignmentSpec& spec, const std::vector<nlohmann::json>& results,
                              const Similarity* similarity) {
  std::vector<double> scores;
  size_t full = 0, submitted = 0;
  for (const auto& r : results) {
    if (r["status"] == "missing") continue;
    submitted++;
    scores.push_back(score_of(r));
    full += score_of(r) == spec.max_score();
  }
  std::sort(scores.begin(), scores.end());
  double mean = 0;
  for (double s : scores) mean += s / double(scores.size());
  const double median = scores.empty() ? 0 : scores[scores.size() / 2];
  std::vector<const nlohmann::json*> slowest;
  for (const auto& r : results)
    if (r.contains("elapsed_s")) slowest.push_back(&r);
  std::sort(slowest.begin(), slowest.end(), [](auto* a, auto* b) { return (*a)["elapsed_s"] > (*b)["elapsed_s"]; });
  slowest.resize(std::min<size_t>(slowest.size(), 5));

  std::ostringstream html;
  html << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << xml_text(spec.title)
       << " — class report</title><style>" << kStyle << "</style></head><body>"
       << "<h1>" << xml_text(spec.title) << " (" << xml_text(spec.name) << ")</h1><p class=\"cards\" id=\"summary\" data-students=\""
       << results.size() << "\" data-submitted=\"" << submitted << "\" data-full=\"" << full << "\"><span><b>"
       << results.size() << "</b>students</span><span><b>" << submitted << "</b>submitted</span><span><b>"
       << number(std::round(mean * 100) / 100)
       << "</b>mean of " << number(spec.max_score()) << "</span><span><b>" << number(median) << "</b>median</span><span><b>"
       << full << "</b>full marks</span></p>"
       << "<h2>Scores</h2>" << histogram(results, spec.max_score())
       << "<h2>Tests passed</h2>" << pass_rates(spec, results)
       << "<h2>Findings</h2>" << findings_table(results)
       << "<h2>Slowest gradings</h2><ol id=\"slowest\">";
  for (const auto* r : slowest)
    html << "<li>" << feedback_link(*r, (*r)["batch"]["id"].get<std::string>()) << ": " << tenths((*r)["elapsed_s"].get<double>())
         << " s</li>";
  html << "</ol>";
  if (similarity) {
    std::map<std::string, const nlohmann::json*> by_id;
    for (const auto& r : results) by_id[r["batch"]["id"].get<std::string>()] = &r;
    html << similarity_section(*similarity, by_id);
  }
  html << "<h2>Students</h2><p>Click a column to sort.</p>" << students_table(spec, results)
       << "<script>" << kScript << "</script></body></html>\n";
  return html.str();
}

}  // namespace shm::batch
