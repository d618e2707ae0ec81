#pragma once
// Per-kernel resolution for kernel notice composition: which release and tracker key, which
// meta and signed sources at which versions, the last notice's version and the CVEs fixed since.
#include "compose/kernel_notice.h"

namespace kct::compose {

// Fills a plan for one upload; problems go to `result` (errors block the draft).
KernelPlan plan_kernel(ComposeContext& context, const KernelUpload& upload, const ComposeOptions& options,
                       ComposeResult& result);

} // namespace kct::compose
