/* The boot tests' init (pid 1), linked static for each architecture.
 *
 * It mounts devtmpfs, proc and sysfs, reads /lib/modules/<uname -r>/modules.dep
 * from the initramfs it was unpacked from, loads the modules named by the
 * kernel command line's kmeta_load=NAME[,NAME...], each after its dependencies (modules.dep
 * lists them so the last is loaded first) with finit_module(2), prints the
 * file named by kmeta_show=PATH (e.g. the hw_random device bound to it),
 * then prints KMETA-BOOT-OK or KMETA-BOOT-FAIL and reboots (x86 tinyconfig
 * cannot power off; QEMU runs with -no-reboot and exits).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static void finish(int ok, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf(ok ? "KMETA-BOOT-OK: " : "KMETA-BOOT-FAIL: ");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  fflush(stdout);
  sync();
  reboot(RB_AUTOBOOT);
  for (;;) pause();
}

static void norm(char* s) {
  for (; *s; ++s)
    if (*s == '-') *s = '_';
}

/* The module name of a modules.dep path: basename up to ".ko", '-' -> '_'. */
static void name_of(const char* path, char* out, size_t n) {
  const char* b = strrchr(path, '/');
  b = b ? b + 1 : path;
  snprintf(out, n, "%s", b);
  char* ko = strstr(out, ".ko");
  if (ko) *ko = 0;
  norm(out);
}

static void load(const char* dir, const char* rel) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) finish(0, "cannot open %s: %s", path, strerror(errno));
  if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
    finish(0, "finit_module %s: %s", path, strerror(errno));
  close(fd);
  printf("kmeta-init: loaded %s\n", rel);
}

int main(void) {
  mkdir("/dev", 0755);
  mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
  int con = open("/dev/console", O_RDWR);
  if (con >= 0) {
    dup2(con, 0);
    dup2(con, 1);
    dup2(con, 2);
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  mkdir("/proc", 0755);
  mkdir("/sys", 0755);
  mount("proc", "/proc", "proc", 0, NULL);
  mount("sysfs", "/sys", "sysfs", 0, NULL);

  const char* want_env = getenv("kmeta_load");
  if (!want_env) finish(0, "no kmeta_load=MODULE[,MODULE...] on the kernel command line");
  struct utsname u;
  uname(&u);
  char dir[256], dep[300];
  snprintf(dir, sizeof dir, "/lib/modules/%s", u.release);
  snprintf(dep, sizeof dep, "%s/modules.dep", dir);
  static char wants[256];
  snprintf(wants, sizeof wants, "%s", want_env);
  for (char* want = strtok(wants, ","); want; want = strtok(NULL, ",")) {
    norm(want);
    FILE* f = fopen(dep, "r");
    if (!f) finish(0, "cannot open %s: %s", dep, strerror(errno));
    static char line[8192];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
      char* colon = strchr(line, ':');
      if (!colon) continue;
      *colon = 0;
      char name[128];
      name_of(line, name, sizeof name);
      if (strcmp(name, want) != 0) continue;
      found = 1;
      char* deps[64];
      int n = 0;
      char* save = NULL;
      for (char* t = strtok_r(colon + 1, " \t\n", &save); t && n < 64; t = strtok_r(NULL, " \t\n", &save))
        deps[n++] = t;
      for (int i = n - 1; i >= 0; --i) load(dir, deps[i]);
      load(dir, line);
      printf("kmeta-init: %s and %d dependencies loaded\n", want, n);
      break;
    }
    fclose(f);
    if (!found) finish(0, "%s is not in %s", want, dep);
  }
  const char* show = getenv("kmeta_show");
  if (show) {
    char buf[256] = {0};
    int fd = open(show, O_RDONLY);
    if (fd < 0) finish(0, "cannot open %s: %s", show, strerror(errno));
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r > 0 && buf[r - 1] == '\n') buf[r - 1] = 0;
    printf("kmeta-init: %s: %s\n", show, buf);
  }
  finish(1, "%s loaded on %s", want_env, u.release);
  return 0;
}
