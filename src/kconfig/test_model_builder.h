// Test helper: builds finalized Models by hand, the way lkc's parser and
// menu_finalize would shape them (dependency propagation into nodes and
// property conditions, dir_dep, rev_dep/implied, 6.1 choice dependencies).
// Used by the evaluation/confdata unit tests to pin single rules without going
// through the Kconfig parser. Not part of the library.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kconfig/model.h"

namespace kmeta::kconfig::testing {

class ModelBuilder {
 public:
  explicit ModelBuilder(Dialect d = Dialect::v6_12) : m_(std::make_unique<Model>(d)) {}

  Model& model() { return *m_; }
  SymbolId id(const std::string& name) { return m_->intern(name); }
  ExprId s(const std::string& name) {
    return m_->e_sym(name == "y" ? kSymYes : name == "m" ? kSymMod : name == "n" ? kSymNo : m_->intern(name));
  }
  ExprId lit(const std::string& text) { return m_->e_sym(m_->intern_const(text)); }
  ExprId and_(ExprId a, ExprId b) { return m_->e_and(a, b); }
  ExprId or_(ExprId a, ExprId b) { return m_->e_or(a, b); }
  ExprId not_(ExprId a) { return m_->e_not(a); }
  ExprId cmp(ExprKind k, const std::string& a, const std::string& b) {
    auto sym = [&](const std::string& n) {
      return n == "y" ? kSymYes : n == "m" ? kSymMod : n == "n" ? kSymNo : m_->intern(n);
    };
    return m_->e_cmp(k, sym(a), sym(b));
  }

  // `config NAME` (or menuconfig) under `parent` with type, optional prompt
  // (`prompt_if` = its `if`) and `depends on`.
  NodeId config(const std::string& name, SymbolType type, const std::string& prompt = "",
                ExprId depends = kNone, NodeId parent = NodeId(0), ExprId prompt_if = kNone,
                bool menuconfig = false) {
    SymbolId sid = m_->intern(name);
    Symbol& sym = m_->sym(sid);
    if (sym.type == SymbolType::unknown) sym.type = type;
    sym.flags |= kSymDefined;
    MenuNode n;
    n.kind = menuconfig ? NodeKind::menuconfig : NodeKind::config;
    n.sym = sid;
    n.parent = parent;
    n.where = Location{"Kconfig", ++line_, 0};
    NodeId nid = m_->add_node(n);
    own_dep_.resize(m_->node_count(), kNone);
    own_dep_[nid] = depends;
    if (!prompt.empty()) {
      Property p;
      p.kind = menuconfig ? PropKind::menu : PropKind::prompt;
      p.sym = sid;
      p.node = nid;
      p.text = prompt;
      p.cond = prompt_if;
      p.where = n.where;
      m_->node(nid).prompt = m_->add_prop(p);
    }
    if (parent != m_->root() && m_->node(parent).sym != kNone && m_->sym(m_->node(parent).sym).is(kSymChoice))
      add_member(parent, sid);
    return nid;
  }
  PropId default_(const std::string& name, ExprId value, ExprId cond = kNone) {
    return add(PropKind::default_, name, value, cond);
  }
  PropId select(const std::string& name, const std::string& target, ExprId cond = kNone) {
    return add(PropKind::select, name, s(target), cond);
  }
  PropId imply(const std::string& name, const std::string& target, ExprId cond = kNone) {
    return add(PropKind::imply, name, s(target), cond);
  }
  PropId range(const std::string& name, const std::string& lo, const std::string& hi, ExprId cond = kNone) {
    PropId p = add(PropKind::range, name, kNone, cond);
    m_->prop(p).range_lo = m_->intern(lo);
    m_->prop(p).range_hi = m_->intern(hi);
    return p;
  }
  void modules(const std::string& name) { m_->modules_sym = m_->intern(name); }

  NodeId menu(const std::string& text, ExprId depends = kNone, NodeId parent = NodeId(0),
              ExprId visible_if = kNone) {
    return prompt_node(NodeKind::menu, PropKind::menu, text, depends, parent, visible_if);
  }
  NodeId comment(const std::string& text, ExprId depends = kNone, NodeId parent = NodeId(0)) {
    return prompt_node(NodeKind::comment, PropKind::comment, text, depends, parent, kNone);
  }
  // `choice` with prompt; members are added with config(..., parent = node).
  // Returns the choice node; choice_sym() gives the symbol.
  NodeId choice(const std::string& prompt, ExprId depends = kNone, NodeId parent = NodeId(0),
                ExprId prompt_if = kNone, const std::string& name = "") {
    SymbolId cs;
    if (name.empty()) {
      cs = m_->new_choice_symbol();
    } else {
      cs = m_->intern(name);
      m_->sym(cs).flags |= kSymChoice;
      m_->sym(cs).type = SymbolType::boolean;
    }
    MenuNode n;
    n.kind = NodeKind::choice;
    n.sym = cs;
    n.parent = parent;
    n.where = Location{"Kconfig", ++line_, 0};
    NodeId nid = m_->add_node(n);
    own_dep_.resize(m_->node_count(), kNone);
    own_dep_[nid] = depends;
    Property p;
    p.kind = PropKind::prompt;
    p.sym = cs;
    p.node = nid;
    p.text = prompt;
    p.cond = prompt_if;
    m_->node(nid).prompt = m_->add_prop(p);
    return nid;
  }
  SymbolId choice_sym(NodeId choice_node) { return m_->node(choice_node).sym; }
  PropId choice_default(NodeId choice_node, const std::string& member, ExprId cond = kNone) {
    Property p;
    p.kind = PropKind::default_;
    p.sym = m_->node(choice_node).sym;
    p.node = choice_node;
    p.expr = s(member);
    p.cond = cond;
    return m_->add_prop(p);
  }
  void help(NodeId n, const std::string& text) { m_->set_help(n, text); }

  // menu_finalize, simplified: propagate dependencies, build dir_dep,
  // rev_dep and implied. (No expression transformation or submenus.)
  std::unique_ptr<Model> finish() {
    own_dep_.resize(m_->node_count(), kNone);
    IdVec<NodeId, ExprId> dep(m_->node_count(), kNone);
    propagate(m_->root(), kNone, dep);
    return std::move(m_);
  }

 private:
  PropId add(PropKind k, const std::string& name, ExprId e, ExprId cond) {
    SymbolId sid = m_->intern(name);
    Property p;
    p.kind = k;
    p.sym = sid;
    p.node = m_->sym(sid).nodes.empty() ? kNone : m_->sym(sid).nodes.back();
    p.expr = e;
    p.cond = cond;
    p.where = Location{"Kconfig", line_, 0};
    return m_->add_prop(p);
  }
  NodeId prompt_node(NodeKind nk, PropKind pk, const std::string& text, ExprId depends, NodeId parent,
                     ExprId visible_if) {
    MenuNode n;
    n.kind = nk;
    n.parent = parent;
    n.visibility = visible_if;
    n.where = Location{"Kconfig", ++line_, 0};
    NodeId nid = m_->add_node(n);
    own_dep_.resize(m_->node_count(), kNone);
    own_dep_[nid] = depends;
    Property p;
    p.kind = pk;
    p.node = nid;
    p.text = text;
    m_->node(nid).prompt = m_->add_prop(p);
    return nid;
  }
  void add_member(NodeId choice_node, SymbolId member) {
    SymbolId cs = m_->node(choice_node).sym;
    Symbol& c = m_->sym(cs);
    c.members.push_back(member);
    m_->sym(member).choice = cs;
    m_->sym(member).flags |= kSymChoiceValue;
  }
  void propagate(NodeId n, ExprId parent_dep, IdVec<NodeId, ExprId>& dep) {
    Model& m = *m_;
    for (NodeId c = m.node(n).first_child; c != kNone; c = m.node(c).next) {
      ExprId base = parent_dep;
      if (m.rules().choice_value_symbol && m.node(n).sym != kNone && m.sym(m.node(n).sym).is(kSymChoice))
        base = m.e_sym(m.node(n).sym);  // [6.1] members depend on the choice symbol
      ExprId d = m.e_and(base, own_dep_[c]);
      dep[c] = d;
      m.node(c).dep = d;
      SymbolId sid = m.node(c).sym;
      if (sid == kNone) {
        if (m.node(c).prompt != kNone) m.prop(m.node(c).prompt).cond = d;
      } else {
        for (PropId p : m.sym(sid).props) {
          Property& pr = m.prop(p);
          if (pr.node != c) continue;
          pr.cond = m.e_and(d, pr.cond);
          if (pr.kind == PropKind::select || pr.kind == PropKind::imply) {
            SymbolId t = m.expr(pr.expr).sym;
            ExprId term = m.e_and(m.e_sym(sid), pr.cond);
            ExprId& slot = pr.kind == PropKind::select ? m.sym(t).rev_dep : m.sym(t).implied;
            slot = m.e_or(slot, term);
          }
        }
        bool member = m.sym(sid).choice != kNone;
        if (m.node(c).first_child == kNone && !(member && !m.rules().choice_value_symbol))
          m.sym(sid).dir_dep = m.e_or(m.sym(sid).dir_dep, d);
        if (m.rules().choice_value_symbol && m.sym(sid).is(kSymChoice) && !m.sym(sid).is(kSymOptional)) {
          ExprId pc = m.prop(m.node(c).prompt).cond;
          m.sym(sid).rev_dep =
              m.e_or(m.sym(sid).rev_dep, m.e_and(pc == kNone ? m.e_sym(kSymYes) : pc, m.e_sym(kSymMod)));
        }
      }
      propagate(c, d, dep);
    }
  }

  std::unique_ptr<Model> m_;
  IdVec<NodeId, ExprId> own_dep_;
  int line_ = 0;
};

}  // namespace kmeta::kconfig::testing
