# Shared by tests/tree_faults.sh, tests/tree_signals.sh and tests/tree_progress.sh
# (sourced, not a test itself): synthetic repositories and series for kmeta tree.
#
# tree_make_series UP META N: an upstream repository UP (400 files, tag `base`)
# with N commits touching 1-3 files each (seeded, so the same every run), exported
# by git format-patch into META/patches with META/series listing them.
#
# tree_make_meta_cache UP META: a repository UP (branches master and feat, tag
# `base` on master's only commit; feat and feat2 one commit ahead of it, each
# adding its own file) and a meta-series cache META as kgit-meta reads it: two
# nested branches, each made, filled from its queue (10 patches each) and renamed
# to .../base, a third branch (10 patches), then two merges (feat, feat2).
#
# The caller exports the git identity (GIT_AUTHOR_*, GIT_COMMITTER_*) and
# GIT_CONFIG_GLOBAL=/dev/null.

tree_make_series() {
  local up=$1 meta=$2 n=$3 i k f
  mkdir -p "$up" && (
    cd "$up" && git init -q . && git config gc.auto 0 && git checkout -q -b master || exit 1
    for d in $(seq 0 19); do
      mkdir -p "d$d"
      for f in $(seq 0 19); do seq 1 200 | sed "s/^/d$d f$f line /" > "d$d/f$f.c"; done
    done
    git add -A && GIT_AUTHOR_DATE='1600000000 +0000' GIT_COMMITTER_DATE='1600000000 +0000' git commit -qm base &&
      git tag base || exit 1
    RANDOM=42
    for i in $(seq 1 "$n"); do
      for k in $(seq 1 $((1 + RANDOM % 3))); do
        f=d$((RANDOM % 20))/f$((RANDOM % 20)).c
        sed -i "$((1 + RANDOM % 200))s/\$/ edit $i/" "$f"
      done
      GIT_AUTHOR_DATE="$((1600000000 + i * 3600)) +0100" git commit -qam "change $i" || exit 1
    done
    mkdir -p "$meta" && git format-patch -q -o "$meta/patches" base || exit 1
    (cd "$meta" && ls patches | sed 's|^|patches/|' > series)
  )
}

tree_make_meta_cache() {
  local up=$1 meta=$2
  tree_make_series "$up" "$meta" 30 || return 1
  (
    cd "$up" && git checkout -q -b feat base && echo feature > feat.c && git add feat.c &&
      GIT_AUTHOR_DATE='1600000100 +0000' GIT_COMMITTER_DATE='1600000100 +0000' git commit -qm feat &&
      git checkout -q -b feat2 base && echo other > feat2.c && git add feat2.c &&
      GIT_AUTHOR_DATE='1600000200 +0000' GIT_COMMITTER_DATE='1600000200 +0000' git commit -qm feat2 &&
      git checkout -q master && git reset -q --hard base || exit 1
  ) || return 1
  (
    cd "$meta" || exit 1
    ls patches | head -10 | sed 's|^|patches/|' > patch.v6.12.queue
    ls patches | sed -n 11,20p | sed 's|^|patches/|' > patch.v6.12.standard.queue
    ls patches | sed -n 21,30p | sed 's|^|patches/|' > patch.v6.12.standard.mybsp.queue
    {
      echo "# meta-series of a synthetic cache"
      echo "branch: v6.12"
      sed 's/^/patch /' patch.v6.12.queue
      echo "branch rename: v6.12 v6.12/base"
      echo "branch: v6.12/standard"
      sed 's/^/patch /' patch.v6.12.standard.queue
      echo "kconf hardware x.cfg # not a branch line"
      echo "branch rename: v6.12/standard v6.12/standard/base"
      echo "branch: v6.12/standard/mybsp"
      sed 's/^/patch /' patch.v6.12.standard.mybsp.queue
      echo "merge: feat"
      echo "merge: feat2"
    } > meta-series
  )
}

# A repository's branches, tags and HEAD, for comparing two runs.
tree_refs_of() {
  git -C "$1" for-each-ref --format='%(refname) %(objectname)' refs/heads refs/tags
  echo "HEAD $(git -C "$1" symbolic-ref -q HEAD || echo detached) $(git -C "$1" rev-parse HEAD)"
}

# The `status` of a journal: state.json (the series) or meta.json (a meta-series).
tree_journal_status() {  # repo [state|meta]
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['status'])" \
    "$1/.git/kmeta-tree/${2:-state}.json" 2> /dev/null || echo none
}
