// mailinfo against `git mailinfo -b` on every patch of the shared
// yocto-kernel-cache and on synthetic mails; am_message against git's own
// stripspace.
#include "tree/mailinfo.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tree/testing.h"

namespace kmeta::tree {
namespace {

using testing::ScratchDir;
using testing::sh;
using testing::slurp;
using testing::write;

struct GitInfo {
  std::string author, email, subject, date, msg, patch;
};

GitInfo git_mailinfo(const ScratchDir& d, const std::string& mail_path) {
  GitInfo g;
  auto r = sh(d.path(), "git mailinfo -b msg patch < '" + mail_path + "'");
  std::istringstream in(r.out);
  std::string l;
  while (std::getline(in, l)) {
    if (l.rfind("Author: ", 0) == 0)
      g.author = l.substr(8);
    else if (l.rfind("Email: ", 0) == 0)
      g.email = l.substr(7);
    else if (l.rfind("Subject: ", 0) == 0)
      g.subject = l.substr(9);
    else if (l.rfind("Date: ", 0) == 0)
      g.date = l.substr(6);
  }
  g.msg = slurp(d / "msg");
  g.patch = slurp(d / "patch");
  return g;
}

void expect_like_git(const ScratchDir& d, const std::string& mail_path) {
  GitInfo g = git_mailinfo(d, mail_path);
  MailInfo mi;
  Diagnostics diags;
  MailInfoOptions opts;
  opts.mailsplit = false;  // git mailinfo alone keeps CRs
  ASSERT_TRUE(mailinfo(slurp(mail_path), opts, Location{FileName(mail_path), 0, 0}, &mi, &diags))
      << diags.render();
  EXPECT_EQ(mi.author_name, g.author) << mail_path;
  EXPECT_EQ(mi.author_email, g.email) << mail_path;
  EXPECT_EQ(mi.subject, g.subject) << mail_path;
  EXPECT_EQ(mi.date, g.date) << mail_path;
  EXPECT_EQ(mi.message, g.msg) << mail_path;
  EXPECT_EQ(mi.patch, g.patch) << mail_path;
}

TEST(MailInfo, EveryCachePatchLikeGit) {
  std::string cache = std::string(KMETA_SHARED_DIR) + "/data/yocto-kernel-cache";
  if (!std::filesystem::exists(cache)) GTEST_SKIP() << "no shared kernel cache at " << cache;
  ScratchDir d;
  int n = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(cache)) {
    if (!e.is_regular_file() || e.path().extension() != ".patch") continue;
    expect_like_git(d, e.path().string());
    ++n;
  }
  EXPECT_GT(n, 500);
}

TEST(MailInfo, SyntheticMailsLikeGit) {
  ScratchDir d;
  const char* mails[] = {
      // [PATCH n/m] stripped, other brackets kept (-b), folded subject.
      "From 1234567890123456789012345678901234567890 Mon Sep 17 00:00:00 2001\n"
      "From: \"Doe, John\" <john@example.com>\nDate: Tue, 3 Jul 2012 13:07:23 -0500\n"
      "Subject: [PATCH 1/3] [foo] a: x\n  continued\n\nBody line\n\n---\n a | 1 +\n\n"
      "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1,2 @@\n a\n+b\n-- \n2.39.5\n\n",
      // RFC 2047 name and subject, Re:, quoted-printable body.
      "From: =?UTF-8?q?J=C3=B6rg_M=C3=BCller?= <jm@example.org>\nSubject: Re: [RFC PATCH] =?utf-8?b?w6k=?= "
      "x\n"
      "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
      "caf=C3=A9 soft=\nbreak\n---\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+=C3=A9\n",
      // In-body From/Subject/Date override; latin-1 charset.
      "From: Mailer <m@x.org>\nSubject: [PATCH] outer\nContent-Type: text/plain; charset=ISO-8859-1\n\n"
      "From: Real Author <real@x.org>\nSubject: inner subject\nDate: Wed, 1 Jan 2020 00:00:00 +0100\n\n"
      "caf\xe9\nIndex: a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n",
      // Address forms: bare address with comment, bogus From.
      "From: jd@example.com (John Doe)\nSubject: s\n\ndiff --git a/a b/a\n",
      "From: Only Name\nSubject: no address\n\nmsg\n--- a/x\n+++ b/x\n",
      "From: Name <noat>\nSubject: bogus\n\n\n\nmsg\n\n\ndiff -u a b\n",
      // A header-less diff.
      "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n",
      // Short, empty and over-long names (git 2.39: only empty, > 60 or @<> fall back to the address).
      "From: T <t@e.org>\nSubject: s\n\nm\n",
      "From: <t@e.org>\nSubject: s\n\nm\n",
      ("From: NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN <t@e.org>\nSubject: "
       "s\n\nm\n"),
      // [PATCH] in the body as the subject.
      "From: A B <a@b.c>\nSubject: mail subject\n\n[PATCH] body subject\n\ntext\n---\n",
  };
  int i = 0;
  for (const char* m : mails) {
    std::string p = d / ("m" + std::to_string(i++));
    write(p, m);
    expect_like_git(d, p);
  }
}

TEST(MailInfo, DetectsMail) {
  MailInfo mi;
  Diagnostics diags;
  ASSERT_TRUE(mailinfo("diff --git a/a b/a\n", {}, {}, &mi, &diags));
  EXPECT_FALSE(mi.is_mail);
  ASSERT_TRUE(mailinfo("Date: Tue, 3 Jul 2012 13:07:23 -0500\nFrom: a <a@b>\n\nx\n", {}, {}, &mi, &diags));
  EXPECT_TRUE(mi.is_mail);
}

TEST(MailInfo, TwoMailsInOneFileIsAnError) {
  std::string two =
      "From 1234567890123456789012345678901234567890 Mon Sep 17 00:00:00 2001\nFrom: a <a@b>\nSubject: "
      "one\n\n"
      "---\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n"
      "From 1234567890123456789012345678901234567891 Mon Sep 17 00:00:00 2001\nFrom: a <a@b>\nSubject: "
      "two\n\n";
  MailInfo mi;
  Diagnostics diags;
  EXPECT_FALSE(mailinfo(two, {}, Location{FileName("two.patch"), 0, 0}, &mi, &diags));
  EXPECT_NE(diags.render().find("more than one mail"), std::string::npos);
}

TEST(MailInfo, StripspaceLikeGit) {
  ScratchDir d;
  const char* texts[] = {"\n\nSubject\n\n\n\nbody  \n\t\nmore\n\n\n", "a\n \n \nb", "", "\n\n", "x\t \ny\n"};
  int i = 0;
  for (const char* t : texts) {
    std::string p = d / ("s" + std::to_string(i++));
    write(p, t);
    EXPECT_EQ(stripspace(t), sh(d.path(), "git stripspace < '" + p + "'").out) << '"' << t << '"';
  }
}

}  // namespace
}  // namespace kmeta::tree
