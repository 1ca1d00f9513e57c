#!/usr/bin/perl
# Compares many scc runs with their goldens in one process, applying exactly
# the normalization of shared/golden/scc/compare.sh (combo mode): absolute
# paths -> $S/$KCACHE (longest first, not followed by [\w.-]), the cache's
# parent -> $KCACHE_PARENT (not followed by [\w./-]), /tmp/tmp.X{6,} ->
# $TMPFILE, "# processed:" lines -> $DATE; files.txt = "<path> <size> <sha256>"
# of every file below the top level of the output dir (raw bytes), sorted.
#
# Input: a TSV file of "golden_combo_dir, cache_root, run_dir, name".
# Output: the names of the combos that differ, one per line.
use strict;
use warnings;
use Cwd qw(abs_path);
use Digest::SHA;
use File::Find;
use IO::Uncompress::Gunzip qw(gunzip $GunzipError);

sub slurp {
  my ($f) = @_;
  open(my $h, '<:raw', $f) or return undef;
  local $/;
  my $d = <$h>;
  close $h;
  return defined $d ? $d : '';
}

sub gold_file {
  my ($f) = @_;
  if ($f =~ /\.gz$/) {
    my $out;
    gunzip($f => \$out) or die "gunzip $f: $GunzipError";
    return $out;
  }
  return slurp($f);
}

sub normalize {
  my ($text, $S, $K) = @_;
  my @r;
  for my $p ([$S, '$S'], [$K, '$KCACHE']) {
    my $v = $p->[0];
    next unless defined $v && length $v;
    $v =~ s{/+$}{};
    push @r, [$v, $p->[1]];
  }
  (my $parent = $K) =~ s{/+$}{};
  $parent =~ s{/[^/]*$}{};
  @r = sort { length($b->[0]) <=> length($a->[0]) } @r;
  my $out = '';
  for my $l (split /(?<=\n)/, $text) {
    for my $p (@r) { my ($f, $t) = @$p; $l =~ s/\Q$f\E(?![\w.-])/$t/g; }
    $l =~ s/\Q$parent\E(?![\w.\/-])/\$KCACHE_PARENT/g if length $parent;
    $l =~ s{/tmp/tmp\.[A-Za-z0-9]{6,}}{\$TMPFILE}g;
    $l =~ s/^# processed: .*$/# processed: \$DATE/m;
    $out .= $l;
  }
  return $out;
}

# Files of an impl pass dir, keyed like the golden pass dir.
sub impl_pass {
  my ($O, $S, $K, $run, $pass) = @_;
  my %m;
  if (-d $O) {
    opendir(my $d, $O) or die;
    for my $f (sort readdir $d) {
      next if $f eq '.' || $f eq '..';
      $m{$f} = normalize(slurp("$O/$f"), $S, $K) if -f "$O/$f" && !-l "$O/$f";
    }
    closedir $d;
    my (@files, @other);
    find({ no_chdir => 1, wanted => sub {
      return if $File::Find::name eq $O;
      my $rel = substr($File::Find::name, length($O) + 1);
      if (-l $File::Find::name || (!-f _ && !-d _)) { push @other, $rel; return; }
      return unless -f _;
      return unless $rel =~ m{/};
      my $data = slurp($File::Find::name);
      push @files, sprintf("%s %d %s\n", $rel, length($data), Digest::SHA::sha256_hex($data));
    } }, $O);
    $m{'files.txt'} = join('', sort @files);
    $m{'other.txt'} = join('', map { "$_\n" } sort @other) if @other;
  }
  for my $s ('stdout', 'stderr') {
    $m{$s} = normalize(slurp("$run/$pass/$s"), $S, $K) if -f "$run/$pass/$s";
  }
  if (-f "$run/$pass/rc") { (my $rc = slurp("$run/$pass/rc")) =~ s/\s+$//; $m{rc} = "$rc\n"; }
  return \%m;
}

sub gold_pass {
  my ($G, $impl) = @_;
  my %m;
  opendir(my $d, $G) or die "$G: $!";
  for my $f (sort readdir $d) {
    next if $f eq '.' || $f eq '..';
    (my $n = $f) =~ s/\.gz$//;
    next if $n eq 'time_s' || $n eq 'cpu_s';
    next if ($n eq 'stdout' || $n eq 'stderr' || $n eq 'rc') && !exists $impl->{$n};
    $m{$n} = gold_file("$G/$f");
  }
  closedir $d;
  return \%m;
}

sub same {
  my ($a, $b) = @_;
  my %k = map { $_ => 1 } (keys %$a, keys %$b);
  for my $k (sort keys %k) {
    return 0 unless exists $a->{$k} && exists $b->{$k} && $a->{$k} eq $b->{$k};
  }
  return 1;
}

my ($list) = @ARGV;
open(my $L, '<', $list) or die "$list: $!";
while (my $line = <$L>) {
  chomp $line;
  my ($G, $K, $R, $name) = split /\t/, $line;
  $K = abs_path($K);
  my $ok = 1;
  if (-f "$R/find/stdout" && -f "$G/spp-find.txt") {
    $ok &&= normalize(slurp("$R/find/stdout"), "$R/find/S", $K) eq slurp("$G/spp-find.txt");
  }
  if (-f "$R/find/rc" && -f "$G/spp-find.rc") {
    (my $a = slurp("$R/find/rc")) =~ s/\s+$//;
    (my $b = slurp("$G/spp-find.rc")) =~ s/\s+$//;
    $ok &&= $a eq $b;
  }
  for my $p ('config', 'patch') {
    next unless -d "$G/$p";
    my $impl = impl_pass("$R/$p/S/.kernel-meta", "$R/$p/S", $K, $R, $p);
    my $gold = gold_pass("$G/$p", $impl);
    $ok &&= same($gold, $impl);
  }
  print "$name\n" unless $ok;
}
