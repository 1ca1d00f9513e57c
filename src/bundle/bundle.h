// `kmeta bundle` as a library call: the passes in order, each checked before
// the next one writes anything.
//
//   inputs -> module subset (select, close, check) -> stage + depmod ->
//   modules cpio (+ --add files) -> initramfs (base + modules, concatenated
//   aligned, or repacked) -> rootfs injection -> deploy folder
//
// Every output is written to a temporary beside it and renamed into place.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "bundle/cpio.h"
#include "bundle/kernel_inputs.h"
#include "bundle/module_subset.h"
#include "bundle/squashfs.h"

namespace kmeta::bundle {

struct BundleRequest {
  InputRequest inputs;
  SubsetRequest subset;                         // entries empty: no modules
  std::string modules_cpio;                     // write the modules archive here ("" = not on its own)
  std::string base_initramfs;                   // optional base
  std::string initramfs;                        // write the initramfs here ("" = only into the deploy folder)
  bool repack = false;                          // one archive instead of base + modules back to back
  Compression compression = Compression::gzip;  // of the modules archive (and of a repack)
  std::vector<Injection> initramfs_adds;        // --add SRC:DEST:MODE
  std::string rootfs;                           // squashfs to inject into
  std::string rootfs_out;                       // "" = only into the deploy folder
  std::vector<Injection> rootfs_adds;
  std::string deploy_root, deploy_name, machine, boot_args;
  int64_t source_date_epoch = 0;
  std::string scratch_parent = "/tmp";  // where the private scratch directory goes (the CLI gives $TMPDIR)
};

struct BundleResult {
  KernelInputs inputs;
  Subset subset;
  std::vector<std::string> written;  // paths, in the order written
  size_t modules_cpio_size = 0, initramfs_size = 0;
};

bool run_bundle(const BundleRequest& req, BundleResult* result, Diagnostics* diags);

}  // namespace kmeta::bundle
