#include "tree/state.h"

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/json_bytes.h"

namespace kmeta::tree {

std::string state_path(const std::string& git_dir) {
  std::string d = git_dir;
  if (!d.empty() && d.back() != '/') d += '/';
  return d + "kmeta-tree/state.json";
}

bool lock_run(const std::string& git_dir, FileLock* lock, std::string* error) {
  std::string dir = state_path(git_dir);
  dir.resize(dir.size() - std::string_view("/state.json").size());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = dir + ": " + ec.message();
    return false;
  }
  LockRequest req;
  req.path = dir + "/lock";
  req.wait = false;
  switch (lock_file(req, lock, error)) {
    case LockResult::locked: return true;
    case LockResult::busy:
      *error = "another kmeta tree is running in this repository (" + req.path +
               " is locked); wait for it to finish";
      return false;
    default: return false;
  }
}

bool load_state(const std::string& git_dir, RunState* out, bool* exists, std::string* error) {
  std::string path = state_path(git_dir);
  *exists = file_exists(path);
  if (!*exists) return true;
  auto text = read_file(path, error);
  if (!text) return false;
  try {
    nlohmann::json j = json_parse(*text);
    RunState s;
    s.status = j.value("status", "");
    s.after = j.value("after", "");
    s.ref = j.value("ref", "");
    s.start = j.value("start", "");
    s.head = j.value("head", "");
    s.from = j.value("from", "");
    s.to = j.value("to", "");
    s.series = j.value("series", "");
    s.digest = j.value("digest", "");
    s.next = j.value("next", size_t(0));
    s.skipped = j.value("skipped", std::vector<std::string>{});
    *out = std::move(s);
  } catch (const std::exception& e) {
    *error = path + ": unreadable state (" + e.what() + "); remove it to start over";
    return false;
  }
  return true;
}

bool save_state(const std::string& git_dir, const RunState& s, std::string* error) {
  nlohmann::ordered_json j;
  j["status"] = s.status;
  if (!s.after.empty()) j["after"] = s.after;
  j["ref"] = s.ref;
  j["start"] = s.start;
  j["head"] = s.head;
  if (!s.from.empty()) j["from"] = s.from;
  if (!s.to.empty()) j["to"] = s.to;
  j["series"] = s.series;
  j["digest"] = s.digest;
  j["next"] = s.next;
  j["skipped"] = s.skipped;
  return write_file_atomic(state_path(git_dir), json_dump(j, 2) + "\n", error);
}

void remove_state(const std::string& git_dir) { std::remove(state_path(git_dir).c_str()); }

namespace {

std::string meta_state_path(const std::string& git_dir) {
  std::string p = state_path(git_dir);
  return p.substr(0, p.size() - std::string_view("state.json").size()) + "meta.json";
}

}  // namespace

bool load_meta_state(const std::string& git_dir, MetaState* out, bool* exists, std::string* error) {
  std::string path = meta_state_path(git_dir);
  *exists = file_exists(path);
  if (!*exists) return true;
  auto text = read_file(path, error);
  if (!text) return false;
  try {
    nlohmann::json j = json_parse(*text);
    MetaState s;
    s.status = j.value("status", "");
    s.meta_series = j.value("meta_series", "");
    s.digest = j.value("digest", "");
    s.start_head = j.value("start_head", "");
    s.start_commit = j.value("start_commit", "");
    nlohmann::json refs = j.value("start_refs", nlohmann::json::object());
    for (const auto& [k, v] : refs.items()) s.start_refs.emplace_back(k, v.get<std::string>());
    s.head = j.value("head", "");
    s.next = j.value("next", size_t(0));
    s.decision = j.value("decision", "");
    s.after = j.value("after", "");
    s.after_decision = j.value("after_decision", "");
    s.after_next = j.value("after_next", size_t(0));
    s.from = j.value("from", "");
    s.to = j.value("to", "");
    nlohmann::json steps = j.value("steps", nlohmann::json::array());
    for (const nlohmann::json& st : steps)
      s.steps.push_back(
          {st.value("op", ""), st.value("ref", ""), st.value("target", ""), st.value("message", "")});
    *out = std::move(s);
  } catch (const std::exception& e) {
    *error = path + ": unreadable state (" + e.what() + "); remove it to start over";
    return false;
  }
  return true;
}

bool save_meta_state(const std::string& git_dir, const MetaState& s, std::string* error) {
  nlohmann::ordered_json j;
  j["status"] = s.status;
  j["meta_series"] = s.meta_series;
  j["digest"] = s.digest;
  j["start_head"] = s.start_head;
  j["start_commit"] = s.start_commit;
  nlohmann::ordered_json refs = nlohmann::ordered_json::object();
  for (const auto& [k, v] : s.start_refs) refs[k] = v;
  j["start_refs"] = refs;
  if (!s.head.empty()) j["head"] = s.head;
  j["next"] = s.next;
  if (!s.decision.empty()) j["decision"] = s.decision;
  if (s.status == "updating" || s.status == "aborting") {
    j["after"] = s.after;
    j["after_next"] = s.after_next;
    if (!s.after_decision.empty()) j["after_decision"] = s.after_decision;
    j["from"] = s.from;
    j["to"] = s.to;
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const RefStep& st : s.steps)
      steps.push_back({{"op", st.op}, {"ref", st.ref}, {"target", st.target}, {"message", st.message}});
    j["steps"] = steps;
  }
  return write_file_atomic(meta_state_path(git_dir), json_dump(j, 2) + "\n", error);
}

void remove_meta_state(const std::string& git_dir) { std::remove(meta_state_path(git_dir).c_str()); }

}  // namespace kmeta::tree
