#include "event.hpp"

#include "decode.hpp"
#include "syscall_table.hpp"

namespace shm::trace {

const Value* Event::arg(const std::string& name) const {
  for (const auto& [n, v] : args)
    if (n == name) return &v;
  return nullptr;
}

int64_t Event::int_arg(const std::string& name, int64_t fallback) const {
  const Value* v = arg(name);
  return v && std::holds_alternative<int64_t>(*v) ? std::get<int64_t>(*v) : fallback;
}

std::string Event::text_arg(const std::string& name) const {
  const Value* v = arg(name);
  return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "";
}

uint64_t Event::addr_arg(const std::string& name) const {
  const std::string text = text_arg(name);
  return text.rfind("0x", 0) == 0 ? std::stoull(text, nullptr, 16) : 0;
}

bool Event::has_flag(const std::string& name, const std::string& flag) const {
  return ("|" + text_arg(name) + "|").find("|" + flag + "|") != std::string::npos;
}

nlohmann::ordered_json to_json(const Event& e) {
  nlohmann::ordered_json args = nlohmann::ordered_json::object();
  for (const auto& [name, value] : e.args)
    std::visit([&, name = name](const auto& v) { args[name] = v; }, value);
  nlohmann::ordered_json j = {{"seq", e.seq}, {"pid", e.pid}, {"time_s", e.time_s}, {"syscall", e.syscall}, {"args", args},
                      {"result", e.result_known ? nlohmann::ordered_json(e.result) : nlohmann::ordered_json(nullptr)}};
  if (e.err) j["errno"] = errno_name(e.err).empty() ? nlohmann::ordered_json(e.err) : nlohmann::ordered_json(errno_name(e.err));
  if (e.injected) j["injected"] = true;
  if (!e.object.empty()) j["object"] = e.object;
  j["file"] = e.file.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.file);
  j["line"] = e.line ? nlohmann::ordered_json(e.line) : nlohmann::ordered_json(nullptr);
  if (!e.via.empty()) j["via"] = e.via;
  return j;
}

Event event_from_json(const nlohmann::ordered_json& j) {
  Event e;
  e.seq = j.value("seq", uint64_t(0));
  e.pid = j.value("pid", 0);
  e.time_s = j.value("time_s", 0.0);
  e.syscall = j.value("syscall", "");
  const nlohmann::ordered_json args = j.value("args", nlohmann::ordered_json::object());  // a named copy: items() refers into it
  for (const auto& [name, v] : args.items())
    e.args.emplace_back(name, v.is_number_integer() ? Value(v.get<int64_t>())
                              : v.is_string()        ? Value(v.get<std::string>())
                                                     : Value(v.dump()));
  e.result_known = !(j.contains("result") && j["result"].is_null());
  if (e.result_known) e.result = j.value("result", int64_t(0));
  if (j.contains("errno"))
    e.err = j["errno"].is_number() ? j["errno"].get<int>() : errno_from_name(j["errno"].get<std::string>());
  e.injected = j.value("injected", false);
  e.object = j.value("object", "");
  if (j.contains("file") && j["file"].is_string()) e.file = j["file"];
  if (j.contains("line") && j["line"].is_number()) e.line = j["line"];
  e.via = j.value("via", "");
  return e;
}

std::string to_text(const Event& e) {
  std::string s = "[pid " + std::to_string(e.pid) + "] " + e.syscall + "(";
  for (size_t i = 0; i < e.args.size(); i++) {
    if (i) s += ", ";
    s += e.args[i].first + "=";
    std::visit([&](const auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) s += v;
      else s += std::to_string(v);
    }, e.args[i].second);
  }
  s += ")";
  if (!e.result_known) {
    s += " = ?";
  } else if (e.err) {
    s += " = -1 " + (errno_name(e.err).empty() ? std::to_string(e.err) : errno_name(e.err));
    if (e.injected) s += " (injected)";
  } else if (const SyscallInfo* row = find_syscall(e.syscall); row && row->result == Arg::Addr) {
    char buf[24];
    snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(e.result));
    s += std::string(" = ") + buf;
  } else {
    s += " = " + std::to_string(e.result);
  }
  if (!e.object.empty()) s += " [" + e.object + "]";
  if (!e.file.empty()) s += " <" + e.file + ":" + std::to_string(e.line) + (e.via.empty() ? "" : " via " + e.via) + ">";
  return s;
}

void name_objects_from_creation(std::vector<Event>& events) {
  for (size_t i = 0; i < events.size(); i++) {
    const Event& name = events[i];
    const SyscallInfo* row = find_syscall(name.syscall);
    if (!row || row->effect != Effect::Name || name.err || name.object.empty()) continue;
    const std::string old_name = ipc_object_of(name.text_arg("path"));
    if (old_name.empty()) continue;
    for (size_t j = 0; j < i; j++)
      if (events[j].object == old_name) events[j].object = name.object;
  }
}

}  // namespace shm::trace
