// shmgrade explain FINDING_ID [--lang en|zh] — what a pitfall is, why it breaks, how to fix it, with a
// minimal wrong and right snippet and the chapter topic it belongs to. Without an id: the list of ids.
#include "explain.hpp"

#include <iostream>

#include "catalogue/catalogue.hpp"

namespace shm::cli {

namespace {
struct ExplainFlags {
  std::string id, lang;
};
}  // namespace

void add_explain_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<ExplainFlags>();
  CLI::App* explain = app.add_subcommand("explain", "Explain a finding: what it is, why it breaks, how to fix it");
  explain->add_option("finding", flags->id, "a finding id (none: list them)");
  explain->add_option("--lang", flags->lang, "en or zh (default: from LANG)")->check(CLI::IsMember({"en", "zh"}));
  explain->callback([flags, &status] {
    catalogue::Lang lang = catalogue::lang_from_env();
    if (!flags->lang.empty()) catalogue::parse_lang(flags->lang, lang);
    if (flags->id.empty()) {
      for (const auto& k : catalogue::kinds())
        std::cout << k.id << "\t" << catalogue::severity_name(k.severity) << "\t" << k.title.in(lang) << "\n";
      return;
    }
    const catalogue::FindingKind* kind = catalogue::find_kind(flags->id);
    if (!kind) {
      std::cerr << "shmgrade explain: no finding '" << flags->id << "'; `shmgrade explain` lists them\n";
      status = 2;
      return;
    }
    std::cout << catalogue::explain_page(*kind, lang);
  });
}

}  // namespace shm::cli
